"""For the caseworker's eyes only: the reflection on their own belief in a job and the
evidence notes marked private. Opened on purpose, with a reminder to turn the screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from bip_talk.ui.screens.base import BaseModal
from bip_talk.ui.text import plain


class PrivateScreen(BaseModal):
    BINDINGS = [Binding("escape,enter", "close", "keys.close", id="close")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog private"):
            yield Static(self.t("private.title"), classes="dialog-title")
            yield Static(self.t("private.warning"), classes="dialog-error")
            yield Static(plain(self.text), id="private-text")

    def action_close(self) -> None:
        self.dismiss(None)
