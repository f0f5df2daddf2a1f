"""Language, blind rating and theme, remembered on this workstation."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Select, Static

from bip_talk.settings import Preferences
from bip_talk.ui.screens.base import BaseModal


class SettingsScreen(BaseModal):
    BINDINGS = [Binding("escape", "cancel", "keys.cancel", id="cancel")]

    def compose(self) -> ComposeResult:
        prefs = self.workstation.preferences
        with Vertical(classes="dialog"):
            yield Static(self.t("settings.title"), classes="dialog-title")
            yield Static(self.t("settings.language"))
            yield Select(
                [("Dansk", "da"), ("English", "en")],
                value=prefs.language,
                allow_blank=False,
                id="language",
            )
            yield Checkbox(self.t("settings.blind"), value=prefs.blind_rating, id="blind")
            yield Static(self.t("settings.blind_hint"), classes="dialog-hint")
            yield Static(self.t("settings.theme"))
            yield Select(
                [
                    (self.t("settings.theme_standard"), "standard"),
                    (self.t("settings.theme_high_contrast"), "high-contrast"),
                ],
                value=prefs.theme,
                allow_blank=False,
                id="theme",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("settings.save"), id="save", variant="primary")
                yield Button(self.t("common.cancel"), id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            prefs: Preferences = replace(
                self.workstation.preferences,
                language=str(self.query_one("#language", Select).value),
                blind_rating=self.query_one("#blind", Checkbox).value,
                theme=str(self.query_one("#theme", Select).value),
            )
            self.dismiss(prefs)
        else:
            self.action_cancel()

    def action_cancel(self) -> None:
        self.dismiss(None)
