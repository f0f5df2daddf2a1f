"""The citizen picks the one topic that matters most to them (▶ marks the row Enter
takes; the topic chosen before is marked ★ and highlighted)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static

from bip_talk.ui.screens.base import BaseModal
from bip_talk.ui.widgets.marked import MarkedOptionList

NO_CHOICE = "__none__"
CHOSEN = "★ "


class PickTopicScreen(BaseModal):
    BINDINGS = [Binding("escape", "cancel", "keys.cancel", id="cancel")]

    def __init__(self, choices: list[tuple[str, str]], current: str | None) -> None:
        super().__init__()
        self.choices = choices
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.t("agenda.pick_title"), classes="dialog-title")
            rows = [
                ((CHOSEN if ind == self.current else "") + name, ind) for ind, name in self.choices
            ]
            rows.append((self.t("agenda.pick_none"), NO_CHOICE))
            yield MarkedOptionList(*rows, id="topics")
            yield Static(self.t("agenda.pick_keys"), classes="dialog-hint")

    def on_mount(self) -> None:
        topics = self.query_one(MarkedOptionList)
        ids = [c[0] for c in self.choices]
        topics.highlighted = ids.index(self.current) if self.current in ids else 0
        topics.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        chosen = event.option.id
        self.dismiss("" if chosen == NO_CHOICE else chosen)

    def action_cancel(self) -> None:
        self.dismiss(None)
