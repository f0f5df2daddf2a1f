"""Keys for the current screen, in words, from the catalog."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from bip_talk.ui.screens.base import BaseModal


class HelpScreen(BaseModal):
    BINDINGS = [Binding("escape,question_mark,q", "close", "keys.close", id="close")]

    def __init__(self, topic: str) -> None:
        super().__init__()
        self.topic = topic

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help"):
            yield Static(self.t(f"help.{self.topic}_title"), classes="dialog-title")
            yield Static(self.t(f"help.{self.topic}"), id="help-text")
            yield Static(self.t("help.always"), classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
