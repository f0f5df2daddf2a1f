"""Language, blind rating and theme, remembered on this workstation."""

from __future__ import annotations

from dataclasses import replace

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from bip_talk.settings import Preferences
from bip_talk.ui.screens.base import BaseModal
from bip_talk.ui.widgets.choice import ChoiceField
from bip_talk.ui.widgets.form import field_row
from bip_talk.ui.widgets.marked import MarkedButton, MarkedCheckbox


class SettingsScreen(BaseModal):
    BINDINGS = [
        Binding("ctrl+s", "save", "keys.save", priority=True, id="save"),
        Binding("escape", "cancel", "keys.cancel", id="cancel"),
    ]

    def compose(self) -> ComposeResult:
        prefs, t = self.workstation.preferences, self.t
        with Vertical(classes="dialog"):
            yield Static(t("settings.title"), classes="dialog-title")
            yield field_row(
                t("settings.language"),
                ChoiceField(
                    [("Dansk", "da"), ("English", "en")],
                    prefs.language,
                    title=t("settings.language"),
                    id="language",
                ),
            )
            yield field_row(
                t("settings.theme"),
                ChoiceField(
                    [
                        (t("settings.theme_standard"), "standard"),
                        (t("settings.theme_high_contrast"), "high-contrast"),
                    ],
                    prefs.theme,
                    title=t("settings.theme"),
                    id="theme",
                ),
            )
            yield MarkedCheckbox(t("settings.blind"), value=prefs.blind_rating, id="blind")
            yield Static(t("settings.blind_hint"), classes="dialog-hint")
            yield Static(t("settings.keys_hint", keys=self.keys), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield MarkedButton(t("settings.save"), id="save", variant="primary")
                yield MarkedButton(t("common.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#language", ChoiceField).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        self.after_typing(self._save)  # the letters typed just before Ctrl+S too

    def _save(self) -> None:
        prefs: Preferences = replace(
            self.workstation.preferences,
            language=str(self.query_one("#language", ChoiceField).value),
            blind_rating=self.query_one("#blind", MarkedCheckbox).value,
            theme=str(self.query_one("#theme", ChoiceField).value),
        )
        self.dismiss(prefs)

    def action_cancel(self) -> None:
        self.dismiss(None)
