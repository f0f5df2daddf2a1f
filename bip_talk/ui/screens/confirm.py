"""A yes/no question."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from bip_talk.ui.screens.base import BaseModal
from bip_talk.ui.text import plain
from bip_talk.ui.widgets.marked import MarkedButton


class ConfirmScreen(BaseModal):
    BINDINGS = [
        Binding("j,y", "answer(True)", "keys.yes", id="yes"),
        Binding("n,escape", "answer(False)", "keys.no", id="no"),
    ]

    def __init__(self, question: str, *, safe_no: bool = False) -> None:
        """``safe_no``: "No" has the focus, so Enter does not do the risky thing (finish a
        meeting with answers missing); j / y still says yes."""
        super().__init__()
        self.question = question
        self.safe_no = safe_no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(plain(self.question), classes="dialog-title")
            yield Static(self.t("common.yes_no_hint"), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield MarkedButton(self.t("common.yes"), id="yes", variant="primary")
                yield MarkedButton(self.t("common.no"), id="no")

    def on_mount(self) -> None:
        self.query_one("#no" if self.safe_no else "#yes", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)
