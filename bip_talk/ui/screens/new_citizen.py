"""Create a citizen: a display name and a target group. The app gives a pseudonymous
id; a CPR number is refused."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Select, Static

from bip_talk.ui.screens.base import BaseModal
from bip_talk.user_text import problem


class NewCitizenScreen(BaseModal):
    BINDINGS = [Binding("escape", "cancel", "keys.cancel", id="cancel")]

    def compose(self) -> ComposeResult:
        groups = [
            (g.name.get(self.t.lang), g.id) for g in self.casework.pack.manifest.target_groups
        ]
        with Vertical(classes="dialog"):
            yield Static(self.t("new_citizen.title"), classes="dialog-title")
            yield Static(self.t("new_citizen.name_label"))
            yield Input(id="name", placeholder=self.t("new_citizen.name_placeholder"))
            yield Static(self.t("new_citizen.group_label"))
            yield Select(
                groups, id="group", allow_blank=True, prompt=self.t("new_citizen.group_prompt")
            )
            yield Static(self.t("new_citizen.hint"), classes="dialog-hint")
            yield Static(id="error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("new_citizen.create"), id="create", variant="primary")
                yield Button(self.t("common.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._create()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "create":
            self._create()
        else:
            self.action_cancel()

    def _create(self) -> None:
        name = self.query_one("#name", Input).value.strip()
        error = self.query_one("#error", Static)
        if not name:
            error.update(self.t("new_citizen.name_missing"))
            return
        if refused := problem(name, "display_name", self.t.lang):  # CPR, control characters
            error.update(refused)
            return
        group = self.query_one("#group", Select).value
        citizen = self.casework.create_citizen(
            name, target_group=group if isinstance(group, str) else None
        )
        self.notify(self.t("new_citizen.created", name=citizen.display_name, id=citizen.id))
        self.dismiss(citizen.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
