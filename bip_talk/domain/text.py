"""Text from people and files is data: never terminal control, never a CPR number.

Two directions, one definition of "control character" (C0, DEL and C1):

- on the way in, ``check_user_text`` refuses control characters (newline and tab are
  allowed where a text may span lines, e.g. notes) and anything that looks like a CPR
  number, and says where: the caller words the message;
- on the way out, ``escape_control`` shows whatever still holds control characters
  (written by an older bip-talk, or by another tool) as visible ``\\x1b`` escapes, so a
  terminal never acts on them.

Pure: no I/O, no language. Callers turn a ``TextRefused`` into a message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from bip_talk.domain.ids import CPR_LIKE

# C0 controls, DEL and C1 controls; the second spares newline and tab (multi-line text).
# The one definition: the UI's plain text (ui/text.py) shows the same characters.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_EXCEPT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class TextProblem:
    kind: Literal["control", "cpr"]
    position: int  # 1-based character position where the problem starts
    code: str = ""  # the control character, as an escape (``\x1b``)


class TextRefused(ValueError):
    def __init__(self, problem: TextProblem) -> None:
        super().__init__(f"{problem.kind} at {problem.position}")
        self.problem = problem


def _pattern(multiline: bool) -> re.Pattern[str]:
    return CONTROL_EXCEPT_LINES if multiline else CONTROL


def _escape_char(ch: str) -> str:
    return f"\\x{ord(ch):02x}"


def refuse_control(text: str, *, multiline: bool = False) -> str:
    """``text`` with Windows line ends made plain (multi-line texts only), or
    ``TextRefused`` at the first control character."""
    if multiline and "\r\n" in text:
        text = text.replace("\r\n", "\n")
    found = _pattern(multiline).search(text)
    if found:
        raise TextRefused(TextProblem("control", found.start() + 1, _escape_char(found.group())))
    return text


def refuse_cpr(text: str) -> str:
    found = CPR_LIKE.search(text)
    if found:
        raise TextRefused(TextProblem("cpr", found.start() + 1))
    return text


def check_user_text(text: str, *, multiline: bool = False) -> str:
    """The one check for every text a person types or a file brings in."""
    return refuse_cpr(refuse_control(text, multiline=multiline))


def escape_control(text: str, *, multiline: bool = True) -> str:
    """Control characters as visible escapes (newline and tab kept in multi-line output)."""
    pattern = _pattern(multiline)
    if not pattern.search(text):
        return text
    return pattern.sub(lambda m: _escape_char(m.group()), text)
