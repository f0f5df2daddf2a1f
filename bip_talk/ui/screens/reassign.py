"""Move the citizen to another caseworker (an explicit, recorded action)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from bip_talk.ui.screens.base import BaseModal
from bip_talk.ui.screens.sign_in import INITIALS
from bip_talk.user_text import problem


class ReassignScreen(BaseModal):
    BINDINGS = [Binding("escape", "cancel", "keys.cancel", id="cancel")]

    def compose(self) -> ComposeResult:
        known = ", ".join(c.initials for c in self.casework.caseworkers())
        with Vertical(classes="dialog"):
            yield Static(self.t("reassign.title"), classes="dialog-title")
            yield Static(self.t("reassign.warning"), classes="dialog-hint")
            yield Static(self.t("reassign.initials_label", known=known))
            yield Input(id="initials", max_length=6)
            yield Static(self.t("reassign.name_label"))
            yield Input(id="name")
            yield Static(id="error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("reassign.ok"), id="ok", variant="primary")
                yield Button(self.t("common.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#initials", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._done()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._done()

    def _done(self) -> None:
        initials = self.query_one("#initials", Input).value.strip().upper()
        name = self.query_one("#name", Input).value.strip()
        if not INITIALS.match(initials):
            self.query_one("#error", Static).update(self.t("sign_in.initials_invalid"))
            return
        if refused := problem(name, "caseworker_name", self.t.lang):  # CPR, control chars
            self.query_one("#error", Static).update(refused)
            return
        # No name: a known caseworker keeps theirs, a new one is named by the initials.
        self.dismiss((initials, name))

    def action_cancel(self) -> None:
        self.dismiss(None)
