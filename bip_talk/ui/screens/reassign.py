"""Move the citizen to another caseworker (an explicit, recorded action)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from bip_talk.ui.screens.base import BaseModal
from bip_talk.ui.screens.sign_in import INITIALS
from bip_talk.ui.text import plain
from bip_talk.ui.widgets.form import field_row
from bip_talk.ui.widgets.marked import MarkedButton
from bip_talk.user_text import problem


class ReassignScreen(BaseModal):
    BINDINGS = [Binding("escape", "cancel", "keys.cancel", id="cancel")]

    def compose(self) -> ComposeResult:
        t = self.t
        known = ", ".join(c.initials for c in self.casework.caseworkers())
        with Vertical(classes="dialog"):
            yield Static(t("reassign.title"), classes="dialog-title")
            yield Static(t("reassign.warning"))
            yield field_row(t("reassign.initials_label"), Input(id="initials", max_length=6))
            yield Static(plain(t("reassign.known", known=known or "–")), classes="dialog-hint")
            yield field_row(t("reassign.name_label"), Input(id="name"), hint=t("reassign.if_new"))
            yield Static(id="error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield MarkedButton(t("reassign.ok"), id="ok", variant="primary")
                yield MarkedButton(t("common.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one("#initials", Input).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._done()
        else:
            self.action_cancel()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._done()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.query_one("#error", Static).display and self._problem() is None:
            self._say(None)

    def _problem(self) -> str | None:
        initials = self.query_one("#initials", Input).value.strip()
        if not INITIALS.match(initials):
            return self.t("sign_in.initials_invalid")
        name = self.query_one("#name", Input).value.strip()
        return problem(name, "caseworker_name", self.t.lang)  # CPR, control characters

    def _say(self, message: str | None) -> None:
        error = self.query_one("#error", Static)
        error.update(plain(message or ""))
        error.display = bool(message)

    def _done(self) -> None:
        if refused := self._problem():
            self._say(refused)
            return
        initials = self.query_one("#initials", Input).value.strip().upper()
        name = self.query_one("#name", Input).value.strip()
        # No name: a known caseworker keeps theirs, a new one is named by the initials.
        self.dismiss((initials, name))

    def action_cancel(self) -> None:
        self.dismiss(None)
