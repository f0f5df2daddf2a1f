"""For the caseworker's eyes only: the reflection on their own belief in a job, the
evidence notes marked private, the evidence behind a suggestion. Opened on purpose by a
key, headed "Kun for dig som sagsbehandler" with a reminder to turn the screen; Esc
returns to the shared screen it came from."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from bip_talk.ui.screens.base import BaseModal
from bip_talk.ui.text import plain


class PrivateScreen(BaseModal):
    BINDINGS = [Binding("escape,enter", "close", "keys.close", id="close")]

    def __init__(self, text: str, about: str = "") -> None:
        """``about``: what the view holds (a line under the heading), if more than notes."""
        super().__init__()
        self.text = text
        self.about = about

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog private", id="private-view"):
            yield Static(self.t("private.title"), classes="dialog-title")
            yield Static(self.t("private.warning"), classes="dialog-error")
            if self.about:
                yield Static(plain(self.about), classes="dialog-title")
            yield Static(plain(self.text), id="private-text")

    def on_mount(self) -> None:
        self.query_one("#private-view").focus()  # ↑↓ PgUp PgDn scroll it

    def action_close(self) -> None:
        self.dismiss(None)
