"""A list of one-line plain-text rows drawn with Textual's Line API.

Search-as-you-type refills the citizens list on every keystroke. An ``OptionList``
rebuilds and lays out all of its options each time; this list keeps its rows as
strings, draws a row only when Textual asks for that line, and on a refill repaints
only the lines whose text changed. A layout happens only when the number of rows
changes. The highlighted row begins with ``▶`` (as in ``MarkedOptionList``), so the
highlight reads without colour; row text is never parsed as markup."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from bip_talk.ui.text import safe_text
from bip_talk.ui.widgets.marked import MARK, NO_MARK


class LineList(ScrollView, can_focus=True):
    """Rows of (text, id); ``↑ ↓ Home End`` move the highlight, ``Enter`` or a click
    selects. Page keys are left to the screen (it pages through the data)."""

    BINDINGS = [
        Binding("down", "cursor_down", show=False, id="list-down"),
        Binding("up", "cursor_up", show=False, id="list-up"),
        Binding("home", "first", show=False, id="list-first"),
        Binding("end", "last", show=False, id="list-last"),
        Binding("enter", "select", show=False, id="list-open"),
    ]
    COMPONENT_CLASSES = {"line-list--row", "line-list--highlighted"}
    DEFAULT_CSS = """
    LineList {
        height: auto;
        max-height: 100%;
        overflow-x: hidden;
        color: $foreground;
        background: $surface;
        border: tall $border-blurred;
        padding: 0 1;
        & > .line-list--highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .line-list--highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
    }
    """

    class Selected(Message):
        """A row was chosen (Enter or a click)."""

        def __init__(self, line_list: LineList, index: int, row_id: str | None) -> None:
            super().__init__()
            self.line_list = line_list
            self.index = index
            self.row_id = row_id

        @property
        def control(self) -> LineList:
            return self.line_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._texts: list[str] = []
        self._ids: list[str | None] = []
        self._highlighted: int | None = None
        # Drawn rows by (text, highlighted, width, style key); refilled lists reuse them.
        self._strips: dict[tuple[str, bool, int, object], Strip] = {}

    # -- data ------------------------------------------------------------------------------

    def show(self, rows: Iterable[tuple[str, str | None]], *, keep: bool = False) -> None:
        """Replace the rows (each one line); with ``keep`` the highlight stays on the
        same index. Repaints only the lines that differ from before."""
        old = self._drawn()
        before = self._highlighted
        pairs = [(safe_text(text, lines=False), oid) for text, oid in rows]
        self._texts = [text for text, _ in pairs]
        self._ids = [oid for _, oid in pairs]
        if pairs:
            index = before if keep and before is not None else 0
            self._highlighted = min(index, len(pairs) - 1)
        else:
            self._highlighted = None
        if len(self._strips) > 4096:  # a long session: drop what has been drawn
            self._strips.clear()
        if len(old) != len(self._texts):
            # The list's height is set by the screen, not by its rows: a new scroll range
            # and a repaint, no layout (a scroll bar appearing still asks for one).
            size = Size(self.virtual_size.width, len(self._texts))
            self.set_reactive(LineList.virtual_size, size)
            self._scroll_update(size)
            self.refresh()
        else:
            for y, (was, now) in enumerate(zip(old, self._drawn(), strict=True)):
                if was != now:
                    self.refresh_line(y)
        if self._highlighted is not None and not keep:
            self.scroll_home(animate=False, immediate=True)
        self._scroll_to_highlight()

    def _drawn(self) -> list[tuple[str, bool]]:
        return [(text, n == self._highlighted) for n, text in enumerate(self._texts)]

    @property
    def texts(self) -> Sequence[str]:
        return tuple(self._texts)

    @property
    def row_count(self) -> int:
        return len(self._texts)

    @property
    def highlighted(self) -> int | None:
        return self._highlighted

    @highlighted.setter
    def highlighted(self, index: int | None) -> None:
        if index is not None:
            index = max(0, min(index, len(self._texts) - 1)) if self._texts else None
        if index == self._highlighted:
            return
        for y in (self._highlighted, index):
            if y is not None:
                self.refresh_line(y)
        self._highlighted = index
        self._scroll_to_highlight()

    def _scroll_to_highlight(self) -> None:
        if self._highlighted is None or not self.is_mounted:
            return
        self.scroll_to_region(
            Region(0, self._highlighted, self.scrollable_content_region.width, 1),
            animate=False,
            force=True,
            immediate=True,
        )

    # -- drawing ---------------------------------------------------------------------------

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._texts)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        if not 0 <= index < len(self._texts):
            return Strip.blank(width, self.get_visual_style("line-list--row").rich_style)
        marked = index == self._highlighted
        style = (
            self.get_visual_style("line-list--row", "line-list--highlighted")
            if marked
            else self.get_visual_style("line-list--row")
        ).rich_style
        text = self._texts[index]
        key = (text, marked, width, style)
        strip = self._strips.get(key)
        if strip is None:
            line = _fit((MARK if marked else NO_MARK) + text, width)
            strip = Strip([Segment(line, style)]).crop_extend(0, width, style)
            self._strips[key] = strip
        return strip

    # -- keys and mouse --------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        if self._texts:
            self.highlighted = 0 if self._highlighted is None else self._highlighted + 1

    def action_cursor_up(self) -> None:
        if self._texts:
            self.highlighted = 0 if self._highlighted is None else self._highlighted - 1

    def action_first(self) -> None:
        if self._texts:
            self.highlighted = 0

    def action_last(self) -> None:
        if self._texts:
            self.highlighted = len(self._texts) - 1

    def action_select(self) -> None:
        if self._highlighted is not None:
            index = self._highlighted
            self.post_message(self.Selected(self, index, self._ids[index]))

    async def _on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:  # on the border or padding
            return
        index = self.scroll_offset.y + offset.y
        if 0 <= index < len(self._texts):
            self.highlighted = index
            self.action_select()


def _fit(line: str, width: int) -> str:
    """A row wider than the list ends at a whole word with "…" (80 columns must not
    cut a word in half); a row that fits is left as it is."""
    if width <= 1 or cell_len(line) <= width:
        return line
    cut = set_cell_size(line, width - 1).rstrip()
    space = cut.rfind(" ")
    if space > width // 2:
        cut = cut[:space].rstrip(" ·–")
    return cut + "…"
