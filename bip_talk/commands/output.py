"""Everything a command prints goes through ``echo``: names, notes and paths come from
users and files, and a control character in them (an escape sequence that retitles
the terminal or clears it) is shown as a visible ``\\x1b``, never sent to the terminal.
"""

from __future__ import annotations

from typing import Any

import click

from bip_talk.domain.text import escape_control


def echo(message: Any = "", *, err: bool = False, nl: bool = True) -> None:
    click.echo(escape_control(str(message)), err=err, nl=nl)


def local_number(value: float, lang: str, decimals: int = 0) -> str:
    """Grouped and pointed the local way: 40.000,5 in Danish, 40,000.5 in English."""
    text = f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "da" else text
