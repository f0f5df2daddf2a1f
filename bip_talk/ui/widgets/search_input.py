"""An input field that does not lay out the whole screen on every keystroke."""

from __future__ import annotations

from textual.geometry import Size
from textual.widgets import Input


class SearchInput(Input):
    """``Input`` as it is, but a keystroke repaints the field instead of laying out the
    screen. Textual's ``Input`` sets its virtual size (a reactive that asks for a layout)
    to the width of its text on every change, and a layout repaints every widget. The
    field's height never changes with its text, only its scroll range does: so the new
    size is set quietly first, and Input's own assignment then changes nothing.
    (Textual is pinned; a test types past the field's width and checks that the end of
    the text stays in view.)"""

    def _watch_value(self, value: str) -> None:
        if not self.styles.auto_dimensions:  # sized by its text: Input's own way
            size = Size(self.content_width, 1)
            if size != self.virtual_size:
                self.set_reactive(Input.virtual_size, size)
                self._scroll_update(size)
                self.refresh()
        super()._watch_value(value)
