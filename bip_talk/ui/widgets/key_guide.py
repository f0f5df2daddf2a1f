"""Plain text wrapped at whole words to the width the widget gets, a key's text going on
under its text ("  F5  se programmet …" / "      ikke)"), never under the key column."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Size
from textual.widgets import Static

from bip_talk.presenters.layout import KEY_COLUMN, hanging
from bip_talk.ui.text import plain

if TYPE_CHECKING:
    from textual.app import RenderResult


class KeyGuide(Static):
    """``say(text)`` shows ``text`` as plain text (never markup), wrapped when rendered:
    at the width the layout gave, so a resize or a scroll bar never wraps it twice. A
    layout repaints the whole screen, so it is asked for only when the height changes."""

    DEFAULT_CSS = "KeyGuide { height: auto; }"

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = ""

    def _wrapped(self, width: int) -> str:
        return hanging(self._text, width, extra=0, under_mark=True, mark_of=KEY_COLUMN)

    def say(self, text: str) -> None:
        if text == self._text:
            return
        width = self.content_size.width
        lines_before = self._wrapped(width).count("\n")
        self._text = text
        self.refresh(layout=self._wrapped(width).count("\n") != lines_before or not width)

    def render(self) -> RenderResult:
        return plain(self._wrapped(self.content_size.width))

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._wrapped(width).count("\n") + 1 if self._text else 0
