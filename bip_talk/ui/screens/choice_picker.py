"""The open list of a ``ChoiceField``: every choice in a marked list (``▶`` on the
highlighted row); Enter takes it, Esc keeps the value as it was."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static

from bip_talk.ui.screens.base import BaseModal
from bip_talk.ui.text import plain
from bip_talk.ui.widgets.marked import MarkedOptionList


class ChoicePicker(BaseModal):
    BINDINGS = [Binding("escape", "cancel", "keys.cancel", id="cancel")]

    def __init__(self, title: str, labels: list[str], current: int) -> None:
        super().__init__()
        self.heading = title
        self.labels = labels
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog choice-picker"):
            yield Static(plain(self.heading), classes="dialog-title")
            yield MarkedOptionList(*[(label, str(n)) for n, label in enumerate(self.labels)])

    def on_mount(self) -> None:
        options = self.query_one(MarkedOptionList)
        options.highlighted = self.current
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        self.dismiss(None)
