"""Who is at the keyboard: name and initials, remembered on this workstation."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from bip_talk.ui.screens.base import BaseModal
from bip_talk.user_text import problem

INITIALS = re.compile(r"^[A-Za-zÆØÅæøå0-9]{2,6}$")


class SignInScreen(BaseModal):
    BINDINGS = [Binding("escape", "cancel", "keys.cancel", id="cancel")]

    def __init__(self, first_run: bool) -> None:
        super().__init__()
        self.first_run = first_run

    def compose(self) -> ComposeResult:
        prefs = self.workstation.preferences
        with Vertical(classes="dialog"):
            yield Static(
                self.t("sign_in.title" if self.first_run else "sign_in.switch_title"),
                classes="dialog-title",
            )
            yield Static(self.t("sign_in.intro"), classes="dialog-hint")
            yield Static(self.t("sign_in.name_label"))
            yield Input(value="" if not self.first_run else prefs.caseworker_name, id="name")
            yield Static(self.t("sign_in.initials_label"))
            yield Input(id="initials", max_length=6)
            yield Static(id="error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("sign_in.ok"), id="ok", variant="primary")
                if not self.first_run:
                    yield Button(self.t("common.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "name":
            self.query_one("#initials", Input).focus()
        else:
            self._done()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._done()
        else:
            self.action_cancel()

    def _done(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        initials = self.query_one("#initials", Input).value.strip()
        error = self.query_one("#error", Static)
        if not name:
            error.update(self.t("sign_in.name_missing"))
            return
        if not INITIALS.match(initials):
            error.update(self.t("sign_in.initials_invalid"))
            return
        if refused := problem(name, "caseworker_name", self.t.lang):  # CPR, control chars
            error.update(refused)
            return
        self.dismiss((name, initials))

    def action_cancel(self) -> None:
        if not self.first_run:
            self.dismiss(None)
