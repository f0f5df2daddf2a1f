"""The citizen picks the one topic that matters most to them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from bip_talk.ui.screens.base import BaseModal
from bip_talk.ui.text import plain

NO_CHOICE = "__none__"


class PickTopicScreen(BaseModal):
    BINDINGS = [Binding("escape", "cancel", "keys.cancel", id="cancel")]

    def __init__(self, choices: list[tuple[str, str]], current: str | None) -> None:
        super().__init__()
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.t("agenda.pick_title"), classes="dialog-title")
            options = [Option(plain(name), id=ind) for ind, name in self.choices]
            options.append(Option(self.t("agenda.pick_none"), id=NO_CHOICE))
            yield OptionList(*options, id="topics")

    def on_mount(self) -> None:
        topics = self.query_one(OptionList)
        ids = [c[0] for c in self.choices]
        topics.highlighted = ids.index(self.current) if self.current in ids else 0
        topics.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        chosen = event.option.id
        self.dismiss("" if chosen == NO_CHOICE else chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
