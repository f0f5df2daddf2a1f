"""Text from users and files, made safe to show: never markup, never terminal control.

Every widget that shows a name, a note, a plan text, a search string or pack text
gets it through ``plain()``: a ``Content`` that Textual draws as the characters it
holds (``[/]`` or ``[link=…]`` stay brackets), with control characters (C0, C1, DEL —
an ESC would reach the terminal) replaced by visible symbols. Newline and tab stay
where a caller allows them (multi-line notes)."""

from __future__ import annotations

import re

from textual.content import Content

# C0 controls but \t and \n, DEL, and the C1 controls (U+0080–U+009F): the same
# characters the store refuses (domain/text.py).
from bip_talk.domain.text import CONTROL as _CONTROL_OR_LINE
from bip_talk.domain.text import CONTROL_EXCEPT_LINES as _CONTROL


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    # C0 and DEL have their own "control picture" symbols (␛ for ESC); C1 has none.
    if code < 0x20:
        return chr(0x2400 + code)
    return "␡" if code == 0x7F else "\ufffd"


def safe_text(text: object, *, lines: bool = True) -> str:
    """``text`` as a string with every control character made visible; newlines and
    tabs kept when ``lines`` (else shown as symbols too)."""
    return (_CONTROL if lines else _CONTROL_OR_LINE).sub(_visible, str(text))


def plain(text: object, *, lines: bool = True) -> Content:
    """Content that shows exactly ``text``: no markup, no control characters."""
    return Content(safe_text(text, lines=lines))
