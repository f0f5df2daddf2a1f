"""Write a note for the current indicator: shared with the citizen, or private; or
correct the shared note already written on it in this meeting."""

from __future__ import annotations

import sys
import time

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static, TextArea

from bip_talk.presenters.layout import cut_at_word
from bip_talk.ui.keymap import binding_keys, key_labels, written_key
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

    def __init__(
        self,
        indicator_name: str,
        earlier: str = "",
        *,
        private_step: bool = False,
        typed_after: float | None = None,
    ):
        super().__init__()
        self.indicator_name = indicator_name
        # The shared note saved on this topic in this meeting ("" for none): shown, and
        # Ctrl+R opens it to correct instead of writing a new one.
        self.earlier = earlier
        self.correcting = False
        # The caseworker's own rating: a note there is private, whatever is ticked.
        self.private_step = private_step
        self._early: list[str] = []  # letters typed before the dialog was mounted
        # On the clock Textual stamps events with: a key stamped after the one that opened
        # the note (``typed_after``) and before the note was made went to the screen below.
        self.typed_after = typed_after
        self.opened_at = (time.perf_counter if sys.platform == "win32" else time.monotonic)()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                plain(self.t("note.title", name=self.indicator_name)),
                id="note-title",
                classes="dialog-title",
            )
            if self.earlier:
                shown = cut_at_word(" ".join(self.earlier.split()), 140)  # two lines at most
                key = self._key("correct-note")
                yield Static(plain(self.t("note.earlier", text=shown, keys=key)), id="note-earlier")
            yield TextArea(id="note-text")
            private = MarkedCheckbox(self.t("note.private"), self.private_step, id="note-private")
            private.disabled = self.private_step
            yield private
            if self.private_step:
                yield Static(self.t("note.private_step"), classes="dialog-hint")
            yield Static(id="error", classes="dialog-error")
            yield Static(self.t("note.hint", keys=self.keys), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield MarkedButton(self.t("note.save"), id="save", variant="primary")
                yield MarkedButton(self.t("common.cancel"), id="cancel")

    def _key(self, binding_id: str) -> str:
        """The binding's key as the user has it (the keymap may have moved it)."""
        keys = key_labels(self.app, self, self.workstation.preferences.keymap)
        return written_key(keys[binding_id])

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        # At once (Screen.set_focus; Widget.focus() would wait behind keys already typed).
        self.set_focus(self.query_one(TextArea))
        self.take_typed("")  # what came before the field was there

    def take_early_key(self, event: events.Key) -> None:
        """A letter typed before this dialog was open, or before its field had the
        focus, that no widget took (BipTalkApp.on_key): into the note, in order."""
        after = self.typed_after
        early = (after is not None and after < event.time < self.opened_at) or (
            self.is_mounted and self.focused is None
        )
        if not early:
            return
        if event.is_printable and event.character:
            event.stop()
            self.take_typed(event.character)
        elif event.key in binding_keys(self, self.workstation.preferences.keymap, "save"):
            event.stop()  # Ctrl+S in the same burst: it went below with the letters
            self.action_save()

    def take_typed(self, text: str) -> None:
        """Letters typed before this dialog was on the screen, in the order typed."""
        self._early.append(text)
        if self.is_mounted:
            early, self._early = "".join(self._early), []
            self.query_one(TextArea).insert(early)

    # -- correcting the saved note ----------------------------------------------------------

    def action_correct(self) -> None:
        """The saved note in the field, to correct (or to tick private). Never over what
        was typed: that would be lost, or a private thought would join a shared note."""
        if not self.earlier or self.correcting:
            return
        area = self.query_one(TextArea)
        if area.text.strip():
            self._say(self.t("note.correct_after_typing", keys=self._key("save")))
            return
        self.correcting = True
        self.query_one("#note-title", Static).update(
            plain(self.t("note.title_edit", name=self.indicator_name))
        )
        self.query_one("#note-earlier", Static).display = False
        self.query_one(MarkedCheckbox).value = False  # it is shared until ticked
        area.replace(self.earlier, (0, 0), area.document.end)  # Ctrl+Z takes it back
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
        private = self.private_step or self.query_one(MarkedCheckbox).value
        self.dismiss((text, private, self.correcting))

    def action_cancel(self) -> None:
        """Esc: with words in the field (a new note, or a change to the saved one) it
        asks first – Esc is also the meeting's pause key, pressed in a hurry."""
        self.after_typing(self._cancel)

    def _cancel(self) -> None:
        text = self.query_one(TextArea).text.strip()
        if not text or text == (self.earlier.strip() if self.correcting else ""):
            self.dismiss(None)
            return
        from bip_talk.ui.screens.confirm import ConfirmScreen

        def answered(drop: bool | None) -> None:
            if drop:
                self.dismiss(None)
            else:
                self.query_one(TextArea).focus()

        self.app.push_screen(
            ConfirmScreen(self.t("note.drop_question"), safe_no=True), callback=answered
        )
