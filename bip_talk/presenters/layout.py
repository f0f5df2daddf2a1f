"""Text laid out to a width at whole words, for the screens that must never cut a word
(80×24 included). Pure text: the screens give the width they have."""

from __future__ import annotations

import re
import textwrap
import unicodedata

MIN_WIDTH = 10


def wrap_words(text: str, width: int) -> list[str]:
    """``text`` (one paragraph) in lines of at most ``width`` cells, broken only between
    words; a word longer than the line stays whole. No-break spaces hold."""
    return textwrap.wrap(
        text, max(width, MIN_WIDTH), break_long_words=False, break_on_hyphens=False
    )


# A list item's mark ("1. ", "- ", "– ", "✓ "): its wrapped lines go under the text after it.
LIST_MARK = re.compile(r"(?:\d+\.|[-–•✓✗]) +")
# A key and the gap after it in a list of keys ("  F5  se programmet …"): its wrapped
# lines go under the text, not under the key.
KEY_COLUMN = re.compile(r"\S+ {2,}")


def cells(text: str) -> int:
    """The terminal cells ``text`` takes: a wide letter (日, 😀) two, a combining mark none."""
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def _cut_cells(text: str, room: int) -> str:
    """The longest start of ``text`` that takes at most ``room`` cells."""
    used = 0
    for n, c in enumerate(text):
        used += cells(c)
        if used > room:
            return text[:n]
    return text


def cut_at_word(text: str, room: int) -> str:
    """The text whole when it fits ``room`` cells; else shortened at a word (no comma
    left hanging) with "…". A word longer than half the room (an address) is cut inside
    rather than left out, so the line never runs past ``room``."""
    if cells(text) <= room:
        return text
    out = ""
    for word in text.split():
        left = room - 1 - cells(out) - (1 if out else 0)  # after the space, before "…"
        if cells(word) <= left:
            out = f"{out} {word}" if out else word
            continue
        if cells(word) > room // 2 and left > 0:
            out = f"{out} {_cut_cells(word, left)}" if out else _cut_cells(word, left)
            return out + "…"
        break
    return out.rstrip(",;:.–- ") + "…"


def hanging(
    text: str,
    width: int,
    extra: int = 2,
    *,
    under_mark: bool = False,
    mark_of: re.Pattern[str] = LIST_MARK,
) -> str:
    """Each line of ``text`` wrapped to ``width``; a wrapped line continues under its own
    indent plus ``extra``, so an indented list stays readable ("   Hvorfor: …"). With
    ``under_mark``, a line that starts with a mark (``mark_of``: a list mark "  1. ",
    "- ", "✓ "; or ``KEY_COLUMN``) continues under the text after the mark instead."""
    out: list[str] = []
    for line in text.split("\n"):
        indent = line[: len(line) - len(line.lstrip(" "))]
        if not line.strip():
            out.append("")
            continue
        mark = mark_of.match(line, len(indent)) if under_mark else None
        under = " " * (len(indent) + len(mark.group(0))) if mark else indent + " " * extra
        wrapped = textwrap.wrap(
            line,
            max(width, MIN_WIDTH),
            initial_indent="",
            subsequent_indent=under,
            break_long_words=False,
            break_on_hyphens=False,
            drop_whitespace=True,
        ) or [line]
        # textwrap drops the indent before a word too long for the line: keep it.
        if not wrapped[0].startswith(indent):
            wrapped[0] = indent + wrapped[0]
        for row in wrapped:
            out += _folded(row, max(width, MIN_WIDTH), under)
    return "\n".join(out)


# Where an address too long for its line may go on at the next: after a slash.
FOLD_AFTER = re.compile(r"(?<=[^/]/)(?=[^/])")  # not inside "://"


def _folded(row: str, width: int, under: str) -> list[str]:
    """A row still wider than ``width`` (an address longer than the line) goes on
    under ``under`` after a slash that fits, so it breaks where a reader expects –
    never inside a word, as the terminal's own folding would. Without such a slash it
    stays whole."""
    rows: list[str] = []
    while len(row) > width:
        cuts = [m.start() for m in FOLD_AFTER.finditer(row) if len(under) < m.start() <= width]
        if not cuts:
            break
        rows.append(row[: cuts[-1]])
        row = under + row[cuts[-1] :]
    return [*rows, row]


def key_hint(text: str, width: int, sep: str = " · ") -> str:
    """A hint of key phrases ("i viden bag · f afslut") wrapped to ``width`` only
    between phrases, never inside one ("i viden" / "bag"); a line that goes on ends
    with the separator's dot."""
    lines: list[str] = []
    line = ""
    phrases = text.split(sep)
    dot = sep.rstrip()
    for n, phrase in enumerate(phrases):
        # A line that goes on ends with the dot: room for it too (else it wraps alone).
        tail = len(dot) if n < len(phrases) - 1 else 0
        if line and len(line) + len(sep) + len(phrase) + tail > max(width, MIN_WIDTH):
            lines.append(line + dot)
            line = phrase
        else:
            line = f"{line}{sep}{phrase}" if line else phrase
    lines.append(line)
    return "\n".join(lines)
