"""Spaces that hold a figure together: "26,8 %" and "4 mod 2" never break across lines.

No imports: the message catalogs use it on every text, from the first screen on.
A no-break space keeps lines together wherever text is wrapped by Python's textwrap
(the journal note), a browser (the HTML report) or click (command help). Textual's own
wrapping breaks at any space, no-break ones included: a screen has to keep such a
figure in one piece itself.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"

# A number followed by a space and its unit (Danish and English as the catalogs write
# them). The space becomes a no-break space.
_FIGURE = re.compile(r"(?<=\d) (?=%|procentpoint|percentage point|kr\.|DKK\b)")


def no_break(text: str) -> str:
    """Every space in ``text`` a no-break space: "4 mod 2" stays on one line."""
    return text.replace(" ", NBSP)


def glue_units(text: str) -> str:
    """The space between a number and its unit made a no-break space: "26,8 %"."""
    return _FIGURE.sub(NBSP, text) if " " in text else text
