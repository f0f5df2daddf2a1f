"""The text of one meeting pane, drawn as lines with Textual's Line API.

A pane shows a title, the question, its help, five answer lines, a status, last
time's answer and, at the job-search step, a question with up to eight choices. As
one widget per part that was some twenty widgets per pane for Textual to compose,
style and lay out when a meeting opens, and to restyle on every answer. This widget
keeps the parts as plain ``Part``\\ s, wraps and draws them itself, and on a new set of
parts repaints only the lines that changed; a layout happens only when the number of
lines changes (a new topic). Each part's look comes from the style sheet through a
component class (``pane-lines--question`` …), and text is never parsed as markup."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widget import Widget

from bip_talk.ui.messages import ChoiceClicked, ScaleClicked
from bip_talk.ui.text import plain

# A part's role: how it looks and how it lays out.
TITLE, QUESTION, HELP, STATUS, EARLIER = "title", "question", "help", "status", "earlier"
SCALE, CHOICE_QUESTION, CHOICE = "scale", "choice-question", "choice"
ONE_LINE = frozenset({TITLE, SCALE, CHOICE})  # cut to one line, never wrapped
ANSWER_LINES = frozenset({SCALE, CHOICE})  # clickable, one cell of padding either side


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a pane: its text, its role, whether it is chosen (an answer given, a
    choice ticked, a status that says done), what a click gives (an answer line: the
    digit or the option id) and whether a blank line comes before it."""

    text: str
    role: str
    chosen: bool = False
    value: int | str | None = None
    gap: bool = False


def _classes(part: Part, hover: bool) -> tuple[str, ...]:
    classes = [f"pane-lines--{part.role}"]
    if part.chosen:
        classes.append(f"pane-lines--{part.role}-chosen")
    if hover:
        classes.append("pane-lines--hover")
    return tuple(classes)


class PaneLines(Widget):
    """``show(parts)`` replaces what the pane says; ``texts`` is what it says now."""

    COMPONENT_CLASSES = (
        {
            f"pane-lines--{role}"
            for role in (TITLE, QUESTION, HELP, STATUS, EARLIER, SCALE, CHOICE_QUESTION, CHOICE)
        }
        | {f"pane-lines--{role}-chosen" for role in (SCALE, STATUS, CHOICE)}
        | {"pane-lines--hover"}
    )
    DEFAULT_CSS = "PaneLines { height: auto; }"

    def __init__(self, perspective: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.perspective = perspective
        self._parts: tuple[Part, ...] = ()
        self._hover: int | None = None  # the answer line under the mouse (a part index)
        # Drawn parts by (part, width, hovered, style); a pane redraws the same few.
        self._drawn: dict[tuple[Part, int, bool, object], list[Strip]] = {}
        self._rows_for: tuple[tuple[Part, ...], int] | None = None
        self._rows: list[tuple[int, int]] = []  # per line: (part index, line in part)

    # -- data ------------------------------------------------------------------------------

    @property
    def parts(self) -> tuple[Part, ...]:
        return self._parts

    @property
    def texts(self) -> tuple[str, ...]:
        """The text of every part shown, in order."""
        return tuple(p.text for p in self._parts)

    def show(self, parts: Sequence[Part]) -> None:
        """Show ``parts``. Repaints the lines that differ; a layout only if the pane now
        has more or fewer lines."""
        parts = tuple(parts)
        if parts == self._parts:
            return
        old, old_rows = self._parts, self._rows_at(self._parts)
        self._parts = parts
        if self._hover is not None and (
            self._hover >= len(parts) or parts[self._hover].role not in ANSWER_LINES
        ):
            self._hover = None
        if len(self._drawn) > 512:  # a long meeting: drop what has been drawn
            self._drawn.clear()
        new_rows = self._rows_at(parts)
        if old_rows is None or new_rows is None or len(old_rows) != len(new_rows):
            self.refresh(layout=True)
            return
        width = self.size.width
        for y, (was, now) in enumerate(zip(old_rows, new_rows, strict=True)):
            if was != now or old[was[0]] != parts[now[0]]:
                self.refresh(Region(0, y, width, 1))

    def row_of(self, value: int | str) -> int | None:
        """The line (from the top of this widget) of the answer line for ``value``."""
        rows = self._rows_at(self._parts) or []
        for y, (index, _) in enumerate(rows):
            part = self._parts[index]
            if index >= 0 and part.role in ANSWER_LINES and part.value == value:
                return y
        return None

    # -- lines -----------------------------------------------------------------------------

    def _rows_at(self, parts: tuple[Part, ...], width: int | None = None) -> list | None:
        """Every line of ``parts`` at ``width`` (default: the widget's): (part index, line
        in part), a gap as (-1, 0). None before the widget has a width."""
        width = self.size.width if width is None else width
        if width <= 0 or not self.is_mounted:
            return None
        if self._rows_for == (parts, width):
            return self._rows
        rows: list[tuple[int, int]] = []
        for index, part in enumerate(parts):
            if part.gap:
                rows.append((-1, 0))
            rows.extend((index, n) for n in range(len(self._strips(part, width, False))))
        if parts is self._parts:
            self._rows_for, self._rows = (parts, width), rows
        return rows

    def _strips(self, part: Part, width: int, hover: bool) -> list[Strip]:
        """The lines of one part, drawn as a ``Static`` with the part's style would draw
        them: wrapped at words (answer lines and the title cut to one line), answer
        lines with a cell of padding either side."""
        style = self._style(_classes(part, hover))
        key = (part, width, hover, style)
        strips = self._drawn.get(key)
        if strips is None:
            padded = part.role in ANSWER_LINES
            inner = max(width - 2, 1) if padded else width
            # Padding and the rest of a line take the background only (not reverse).
            background = style.background
            pad = RichStyle(bgcolor=background.rich_color) if background else None
            height = 1 if part.role in ONE_LINE else None
            strips = [
                line.adjust_cell_length(inner, pad)
                for line in Visual.to_strips(self, plain(part.text), inner, height, style)
            ]
            if padded:
                strips = [
                    Strip([Segment(" ", pad), *line, Segment(" ", pad)], inner + 2)
                    for line in strips
                ]
            self._drawn[key] = strips
        return strips

    def _style(self, classes: tuple[str, ...]) -> Style:
        """The parts' look as Textual draws a widget's: its ancestors' and the component
        classes' colours and text style (``get_visual_style`` leaves out ``reverse``)."""
        style = self.get_visual_style(*classes)
        if any(self.get_component_styles(name).text_style.reverse for name in classes):
            style += Style(reverse=True)
        return style

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._rows_at(self._parts, width) or [])

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        rows = self._rows_at(self._parts) or []
        if not 0 <= y < len(rows) or rows[y][0] < 0:
            return Strip.blank(width, self.rich_style)
        index, line = rows[y]
        strips = self._strips(self._parts[index], width, index == self._hover)
        return strips[line] if line < len(strips) else Strip.blank(width, self.rich_style)

    # -- mouse -----------------------------------------------------------------------------

    def _part_at(self, y: int) -> int | None:
        rows = self._rows_at(self._parts) or []
        if 0 <= y < len(rows) and rows[y][0] >= 0:
            index = rows[y][0]
            if self._parts[index].role in ANSWER_LINES:
                return index
        return None

    def _set_hover(self, index: int | None) -> None:
        if index != self._hover:
            self._hover = index
            self.refresh()  # two lines at most; the whole widget is a few dozen cells

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self._set_hover(self._part_at(event.y))

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(None)

    def on_click(self, event: events.Click) -> None:
        index = self._part_at(event.y)
        if index is None:
            return  # not an answer line: the pane takes the click (that side's turn)
        event.stop()
        part = self._parts[index]
        if part.role == SCALE:
            self.post_message(ScaleClicked(self.perspective, int(part.value or 0)))
        elif part.value is not None:
            self.post_message(ChoiceClicked(self.perspective, str(part.value)))
