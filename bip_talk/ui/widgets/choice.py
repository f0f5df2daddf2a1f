"""A chooser whose value and focus read without colour, in place of Textual's Select.

Select's open list marks the highlighted option with colour only, so a plain-text
capture (or a colour-blind citizen) cannot tell which one Enter would take. A
``ChoiceField`` shows its value as text on one line, framed like an input (heavy when
focused) and led by ``▶`` while it has the focus; ``←``/``→`` step through the choices
in place, and Enter, space or a click opens them all in a ``MarkedOptionList``
(``▶`` on the highlighted row)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.binding import Binding
from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from bip_talk.ui.text import safe_text
from bip_talk.ui.widgets.marked import MARK, NO_MARK

OPEN = " ▾"


class ChoiceField(Widget, can_focus=True):
    """One value out of ``choices`` ((label, value) pairs; a value may be None for
    "not recorded"). Read ``value``; ``Changed`` is posted when the user picks one."""

    DEFAULT_CSS = """
    ChoiceField {
        height: 3;
        width: 1fr;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
    }
    ChoiceField:focus { border: heavy $accent; }
    """
    BINDINGS = [
        Binding("enter,space", "open", "keys.choose", show=False, id="choose"),
        Binding("left", "step(-1)", show=False, id="choice-previous"),
        Binding("right", "step(1)", show=False, id="choice-next"),
    ]

    @dataclass
    class Changed(Message):
        field: ChoiceField
        value: str | None

    index: reactive[int] = reactive(0)

    def __init__(
        self,
        choices: Sequence[tuple[str, str | None]],
        value: str | None = None,
        *,
        title: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.choices = [(safe_text(label, lines=False), v) for label, v in choices]
        self.title = title  # the picker's heading
        values = [v for _, v in self.choices]
        self.set_reactive(ChoiceField.index, values.index(value) if value in values else 0)

    @property
    def value(self) -> str | None:
        return self.choices[self.index][1] if self.choices else None

    @property
    def label(self) -> str:
        return self.choices[self.index][0] if self.choices else ""

    def render(self) -> Content:
        return Content((MARK if self.has_focus else NO_MARK) + self.label + OPEN)

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _choose(self, index: int) -> None:
        if index != self.index:
            self.index = index
            self.post_message(self.Changed(self, self.value))
        self.refresh()

    def action_step(self, step: int) -> None:
        if self.choices:
            self._choose((self.index + step) % len(self.choices))

    def action_open(self) -> None:
        from bip_talk.ui.screens.choice_picker import ChoicePicker

        def picked(index: int | None) -> None:
            if index is not None:
                self._choose(index)
            self.focus()

        self.app.push_screen(
            ChoicePicker(self.title, [label for label, _ in self.choices], self.index),
            callback=picked,
        )

    def on_click(self, event: Click) -> None:
        event.stop()
        self.focus()
        self.action_open()
