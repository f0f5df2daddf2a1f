"""Lists, checkboxes and buttons whose state reads without colour.

Textual marks the highlighted option, a focused button or a ticked box with colour
only; a plain-text capture (or a colour-blind citizen) sees nothing. These subclasses
add a glyph through the public API: the highlighted option starts with ``▶`` (with
``·`` while another list on the screen has the focus, so of two lists only the one the
keys move shows ``▶``), a ticked box shows ``X`` and an empty one a blank, a focused
button is framed ``▶ … ◀``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from textual.content import Content
from textual.widgets import Button, Checkbox, OptionList
from textual.widgets.option_list import Option

from bip_talk.ui.text import safe_text

MARK = "▶ "
# Where the cursor stands in a list while another list has the focus: seen, not the ▶.
IDLE_MARK = "· "
NO_MARK = "  "


def _prefixed(text: str, first: str) -> Content:
    rows = text.split("\n")
    return Content("\n".join((first if n == 0 else NO_MARK) + row for n, row in enumerate(rows)))


class MarkedOptionList(OptionList):
    """An option list of plain-text rows; the highlighted row begins with ``▶``, or
    with ``·`` while another option list on the screen has the focus.

    Fill it with ``show(rows)`` — (text, id) pairs, text never parsed as markup."""

    def __init__(self, *rows: tuple[str, str | None], **kwargs: object) -> None:
        super().__init__(markup=False, **kwargs)  # type: ignore[arg-type]
        self._texts: list[str] = []
        self._marked: int | None = None
        if rows:
            self.show(rows)

    def show(self, rows: Iterable[tuple[str, str | None]], *, keep: bool = False) -> None:
        """Replace the rows; with ``keep`` the highlight stays on the same index."""
        before = self.highlighted
        pairs = [(safe_text(text), oid) for text, oid in rows]
        self._texts = [text for text, _ in pairs]
        self._marked = None
        self.set_options(Option(_prefixed(text, NO_MARK), id=oid) for text, oid in pairs)
        if pairs:
            index = before if keep and before is not None else 0
            self.highlighted = min(index, len(pairs) - 1)
            self._mark(self.highlighted)

    @property
    def texts(self) -> Sequence[str]:
        return tuple(self._texts)

    def _mark(self, index: int | None) -> None:
        if self._marked is not None and self._marked < len(self._texts):
            self.replace_option_prompt_at_index(
                self._marked, _prefixed(self._texts[self._marked], NO_MARK)
            )
        self._marked = None
        if index is not None and 0 <= index < len(self._texts):
            mark = IDLE_MARK if self._another_list_has_focus() else MARK
            self.replace_option_prompt_at_index(index, _prefixed(self._texts[index], mark))
            self._marked = index

    def _another_list_has_focus(self) -> bool:
        if not self.is_attached:
            return False
        try:
            focused = self.screen.focused
        except Exception:  # not on a screen yet (being composed)
            return False
        return isinstance(focused, OptionList) and focused is not self

    def watch_has_focus(self, has_focus: bool) -> None:
        super().watch_has_focus(has_focus)
        # The focus moved: every marked list on the screen shows ▶ or · again.
        for listing in self.screen.query(MarkedOptionList):
            listing._mark(listing.highlighted)

    def on_mount(self) -> None:
        self._mark(self.highlighted)  # the focus may have been given before it was here

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if highlighted != self._marked:
            self._mark(highlighted)


class MarkedCheckbox(Checkbox):
    """A checkbox whose box reads ``X`` when ticked and stays empty when not."""

    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()
        self.refresh()

    def on_mount(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "


class MarkedButton(Button):
    """A button framed ``▶ label ◀`` while it has the focus."""

    def __init__(self, label: str, *args: object, **kwargs: object) -> None:
        self._plain_label = safe_text(label, lines=False)
        super().__init__(Content(self._plain_label), *args, **kwargs)  # type: ignore[arg-type]

    def on_focus(self) -> None:
        self.label = Content(f"▶ {self._plain_label} ◀")

    def on_blur(self) -> None:
        self.label = Content(self._plain_label)
