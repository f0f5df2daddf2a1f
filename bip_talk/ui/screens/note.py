"""Write a note for the current indicator: shared with the citizen, or private; or
correct the shared note already written on it in this meeting."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static, TextArea

from bip_talk.presenters.layout import cut_at_word
from bip_talk.ui.screens.base import BaseModal
from bip_talk.ui.text import plain
from bip_talk.ui.widgets.marked import MarkedButton, MarkedCheckbox
from bip_talk.user_text import problem


class NoteScreen(BaseModal):
    BINDINGS = [
        Binding("ctrl+s", "save", "keys.save", id="save", priority=True),
        # Ctrl+R: "ret" – TextArea keeps Ctrl+E (end of line) and the other editing keys.
        Binding("ctrl+r", "correct", "keys.correct_note", id="correct-note", priority=True),
        Binding("escape", "cancel", "keys.cancel", id="cancel"),
    ]

    def __init__(self, indicator_name: str, earlier: str = "") -> None:
        super().__init__()
        self.indicator_name = indicator_name
        # The shared note saved on this topic today ("" for none): shown, and Ctrl+R
        # opens it to correct instead of writing a new one.
        self.earlier = earlier
        self.correcting = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                plain(self.t("note.title", name=self.indicator_name)),
                id="note-title",
                classes="dialog-title",
            )
            if self.earlier:
                shown = cut_at_word(" ".join(self.earlier.split()), 140)  # two lines at most
                yield Static(plain(self.t("note.earlier", text=shown)), id="note-earlier")
            yield TextArea(id="note-text")
            yield MarkedCheckbox(self.t("note.private"), id="note-private")
            yield Static(id="error", classes="dialog-error")
            yield Static(self.t("note.hint"), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield MarkedButton(self.t("note.save"), id="save", variant="primary")
                yield MarkedButton(self.t("common.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        self.query_one(TextArea).focus()

    def action_correct(self) -> None:
        """The saved note in the field, to correct (or to tick private)."""
        if not self.earlier or self.correcting:
            return
        self.correcting = True
        self.query_one("#note-title", Static).update(
            plain(self.t("note.title_edit", name=self.indicator_name))
        )
        self.query_one("#note-earlier", Static).display = False
        area = self.query_one(TextArea)
        area.text = self.earlier
        area.focus()
        area.move_cursor(area.document.end)  # go on writing where the note ends

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.action_cancel()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if self.query_one("#error", Static).display and self._problem() is None:
            self._say(None)

    def _problem(self) -> str | None:
        text = self.query_one(TextArea).text.strip()
        if not text:
            return self.t("note.empty")
        return problem(text, "note", self.t.lang)  # CPR, control characters

    def _say(self, message: str | None) -> None:
        error = self.query_one("#error", Static)
        error.update(plain(message or ""))
        error.display = bool(message)

    def action_save(self) -> None:
        self.after_typing(self._save)  # the letters typed just before Ctrl+S too

    def _save(self) -> None:
        if refused := self._problem():
            self._say(refused)
            self.query_one(TextArea).focus()
            return
        text = self.query_one(TextArea).text.strip()
        self.dismiss((text, self.query_one(MarkedCheckbox).value, self.correcting))

    def action_cancel(self) -> None:
        self.dismiss(None)
