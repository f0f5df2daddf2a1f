"""A line of plain text that asks for a layout only when its height may change."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Static

from bip_talk.ui.text import plain


class PlainLine(Static):
    """``say(text)`` shows ``text`` as plain text (never markup). A layout repaints the
    whole screen, so it is asked for only when the height may change: a text that
    fits on one line, replacing one that did, is just repainted; the same text again
    is nothing."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._said: str | None = None

    def say(self, text: str) -> None:
        before = self._said
        if text == before:
            return
        width = self.content_size.width
        fits = before is not None and all(
            "\n" not in t and cell_len(t) < width for t in (text, before)
        )
        self._said = text
        self.update(plain(text), layout=not fits)
