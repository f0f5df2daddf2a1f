"""A text to read on the shared screen, in a framed box that scrolls by keys: the rules
and sources behind a suggestion, the closing words on a narrow screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from bip_talk.ui.screens.base import BaseModal
from bip_talk.ui.text import plain


class TextViewScreen(BaseModal):
    BINDINGS = [Binding("escape,enter,q", "close", "keys.close", id="close")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.heading = title
        self.text = text

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog text-view", id="text-view"):
            yield Static(plain(self.heading), classes="dialog-title")
            yield Static(plain(self.text), id="text-view-text")
            yield Static(self.t("planui.text_view_hint", keys=self.keys), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#text-view").focus()  # ↑↓ PgUp PgDn scroll it

    def action_close(self) -> None:
        self.dismiss(None)
