"""Write a note for the current indicator: shared with the citizen, or private."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Static, TextArea

from bip_talk.ui.screens.base import BaseModal
from bip_talk.user_text import problem


class NoteScreen(BaseModal):
    BINDINGS = [
        Binding("ctrl+s", "save", "keys.save", id="save", priority=True),
        Binding("escape", "cancel", "keys.cancel", id="cancel"),
    ]

    def __init__(self, indicator_name: str) -> None:
        super().__init__()
        self.indicator_name = indicator_name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.t("note.title", name=self.indicator_name), classes="dialog-title")
            yield TextArea(id="note-text")
            yield Checkbox(self.t("note.private"), id="note-private")
            yield Static(self.t("note.hint"), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.t("note.save"), id="save", variant="primary")
                yield Button(self.t("common.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        text = self.query_one(TextArea).text.strip()
        if not text:
            self.notify(self.t("note.empty"), severity="warning")
            return
        if refused := problem(text, "note", self.t.lang):  # CPR, control characters
            self.notify(refused, severity="error")
            return
        self.dismiss((text, self.query_one(Checkbox).value))

    def action_cancel(self) -> None:
        self.dismiss(None)
