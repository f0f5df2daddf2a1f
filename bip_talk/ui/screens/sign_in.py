"""Who is at the keyboard: name and initials, remembered on this workstation."""

from __future__ import annotations

import re

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from bip_talk.ui.screens.base import BaseModal
from bip_talk.ui.text import plain
from bip_talk.ui.widgets.form import field_row
from bip_talk.ui.widgets.marked import MarkedButton
from bip_talk.user_text import problem

INITIALS = re.compile(r"^[A-Za-zÆØÅæøå0-9]{2,6}$")


class SignInScreen(BaseModal):
    BINDINGS = [
        Binding("escape", "cancel", "keys.cancel", id="cancel"),
        # Enter moves to the next field on the screen, before the next key is read: keys
        # typed fast after it (as a terminal multiplexer sends them) land in the next field.
        # Ctrl+J too: an Enter typed while the app was still starting reaches it as a
        # newline (the terminal turns Return into one until the app takes it over).
        Binding("enter,ctrl+j", "enter", show=False, priority=True, id="sign-in-enter"),
    ]

    def __init__(self, first_run: bool) -> None:
        super().__init__()
        self.first_run = first_run
        self._error_field: str | None = None  # the field the message is about
        self._early: list[str] = []  # keys typed before a field had the focus

    def compose(self) -> ComposeResult:
        prefs, t = self.workstation.preferences, self.t
        with Vertical(classes="dialog"):
            yield Static(
                t("sign_in.title" if self.first_run else "sign_in.switch_title"),
                classes="dialog-title",
            )
            yield Static(t("sign_in.intro"))
            yield field_row(
                t("sign_in.name_label"),
                Input(
                    value="" if not self.first_run else prefs.caseworker_name,
                    id="name",
                    select_on_focus=False,
                ),
            )
            yield field_row(
                t("sign_in.initials_label"),
                Input(id="initials", max_length=6, select_on_focus=False),
                hint=t("sign_in.initials_hint"),
            )
            yield Static(id="error", classes="dialog-error")
            yield Static(
                t("sign_in.quit_hint" if self.first_run else "sign_in.cancel_hint", keys=self.keys),
                classes="dialog-hint",
            )
            with Horizontal(classes="dialog-buttons"):
                yield MarkedButton(t("sign_in.ok"), id="ok", variant="primary")
                if not self.first_run:
                    yield MarkedButton(t("common.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#error", Static).display = False
        # At once (Screen.set_focus; Widget.focus() would wait behind keys already typed).
        self.set_focus(self.query_one("#name", Input))
        self._take_early()

    # -- keys typed while the screen is set up ------------------------------------------

    def _forward_event(self, event: events.Event) -> None:
        """The app hands a key to the screen itself while no field has the focus yet
        (typed while the app was starting: tmux sends a whole burst at once). Left in
        the screen's queue it would be handled after later keys the app has already
        given to a field; taken here, in the order typed, it goes where typing starts.
        (Screen._forward_event: Textual's private hook, pinned by a test.)"""
        if isinstance(event, events.Key) and self.focused is None:
            if event.is_printable and event.character:
                event.stop()
                self._early.append(event.character)
                self._take_early()
                return
        super()._forward_event(event)

    def _take_early(self) -> None:
        """Keys (and Enters) typed before the fields existed, into the name field and on."""
        if not self.is_mounted or not self._early:
            return
        early, self._early = self._early, []
        if self.focused is None:
            self.set_focus(self.query_one("#name", Input))
        for char in early:
            field = self.focused if isinstance(self.focused, Input) else None
            if char == "\n":
                self.action_enter()
            elif field is not None:
                field.insert_text_at_cursor(char)

    # -- checks ----------------------------------------------------------------------------

    def _name_problem(self) -> str | None:
        name = self.query_one("#name", Input).value.strip()
        if not name:
            return self.t("sign_in.name_missing")
        return problem(name, "caseworker_name", self.t.lang)  # CPR, control characters

    def _initials_problem(self) -> str | None:
        initials = self.query_one("#initials", Input).value.strip()
        return None if INITIALS.match(initials) else self.t("sign_in.initials_invalid")

    def _say(self, message: str | None, field: str | None = None) -> None:
        error = self.query_one("#error", Static)
        error.update(plain(message or ""))
        error.display = bool(message)
        self._error_field = field
        if field:
            self.set_focus(self.query_one(f"#{field}", Input))

    def on_input_changed(self, event: Input.Changed) -> None:
        """The message goes as soon as the field it was about is right."""
        field = self._error_field
        if field is not None and field == event.input.id:
            check = self._name_problem if field == "name" else self._initials_problem
            if check() is None:
                self._say(None)

    # -- keys ------------------------------------------------------------------------------

    def action_enter(self) -> None:
        if not self.is_mounted or self._early:  # after the keys typed before it
            self._early.append("\n")
            self._take_early()
            return
        focused = self.focused or self.query_one("#name", Input)  # none yet: typing starts there
        if isinstance(focused, Button):
            focused.press()
        elif focused.id == "name":
            # On to the initials at once (Screen.set_focus; Widget.focus() would wait
            # behind the keys already on their way). The name field may not have taken
            # its own keys yet, so it is checked after them, from its queue.
            self.set_focus(self.query_one("#initials", Input))
            focused.call_later(self._check_name)
        else:
            # Done once both fields have taken the keys typed before this Enter: each
            # field handles its own queue, and the name's may still hold some.
            self.query_one("#name", Input).call_later(focused.call_later, self._done)

    def _check_name(self) -> None:
        """After Enter in the name field: an empty or refused name takes the cursor back."""
        if refused := self._name_problem():
            self._say(refused, "name")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # Enter is the screen's (action_enter); a click on a button is not
        self._done()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._done()
        else:
            self.action_cancel()

    def _done(self) -> None:
        if refused := self._name_problem():
            self._say(refused, "name")
            return
        if refused := self._initials_problem():
            self._say(refused, "initials")
            return
        name = self.query_one("#name", Input).value.strip()
        initials = self.query_one("#initials", Input).value.strip()
        self.dismiss((name, initials))

    def action_cancel(self) -> None:
        if not self.first_run:
            self.dismiss(None)
