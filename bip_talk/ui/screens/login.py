"""Personal accounts in the app: the login screen (a database with accounts), the lock
after the idle time (the same account's password again; everything behind it hidden,
the meeting kept as it was), and the page a role without citizen data lands on.

All three are full screens, not dialogs: nothing of the screen below shows through.
The app's session guard (``ui/session_guard.py``) decides when each appears.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from bip_talk.domain.access import allowed
from bip_talk.errors import LoginRefused
from bip_talk.ui.screens.base import BaseScreen
from bip_talk.ui.text import plain
from bip_talk.ui.widgets.marked import MarkedButton

if TYPE_CHECKING:
    from bip_talk.services.casework import Casework


class InitialsInput(Input):
    """Enter moves on to the password field. Keys typed right after it (a fast typist,
    a password manager, a browser sending the lot at once) are already queued for this
    field when the focus moves: they are handed on to the password field, where they
    were meant to go, until this field has the focus again."""

    moved_on = False

    def _on_focus(self, event: events.Focus) -> None:
        # Input's own handler runs after this one (Textual calls each class's in the MRO).
        self.moved_on = False

    async def _on_key(self, event: events.Key) -> None:
        # Ctrl+J is an Enter typed while the app was starting (the terminal still turned
        # Return into a newline then): it moves on the same way.
        enter = event.key in ("enter", "ctrl+j")
        if enter and not self.moved_on:
            # Here, not as a binding: a binding runs only once the key has bubbled up,
            # after the keys queued behind it have already landed in this field.
            event.stop()
            event.prevent_default()
            self.moved_on = True
            self.screen.focus_next()
            return
        if not self.moved_on:
            return  # Input's own handler runs next (Textual calls each class's in the MRO)
        event.stop()
        event.prevent_default()
        password = self.screen.query_one("#login-password", Input)
        if enter:
            await password.action_submit()
        elif event.key == "backspace":
            password.action_delete_left()
        elif event.is_printable and event.character:
            password.insert_text_at_cursor(event.character)


class LoginScreen(BaseScreen):
    """Initials and password. Dismissed with the logged-in casework."""

    CSS_PATH = "login.tcss"
    BINDINGS = [Binding("escape", "cancel", "keys.cancel", show=False, id="cancel")]

    def __init__(self, *, can_cancel: bool = False) -> None:
        super().__init__()
        self.can_cancel = can_cancel
        self.waiting_for_database = False  # a try before the database opened: retried

    def compose(self) -> ComposeResult:
        with Vertical(id="login", classes="dialog"):
            yield Static(self.t("login.title"), classes="dialog-title")
            yield Static(self.t("login.intro"), classes="dialog-hint")
            yield Static(self.t("login.initials_label"))
            yield InitialsInput(id="login-initials", max_length=12)
            yield Static(self.t("login.password_label"))
            yield Input(id="login-password", password=True, max_length=256)
            yield Static(id="login-error", classes="dialog-error")
            yield MarkedButton(self.t("login.ok"), id="login-ok", variant="primary")

    def on_mount(self) -> None:
        # At once (Screen.set_focus): keys typed while the screen was set up go there.
        self.set_focus(self.query_one("#login-initials", Input))

    def on_key(self, event: events.Key) -> None:
        """Ctrl+J in the password field: an Enter typed before the app took the terminal."""
        if event.key == "ctrl+j" and self.focused is self.query_one("#login-password", Input):
            event.stop()
            self.try_login()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.try_login()  # the password field (the initials field moves on by itself)

    def on_button_pressed(self, event: MarkedButton.Pressed) -> None:
        if event.button.id == "login-ok":
            self.try_login()

    def try_login(self) -> None:
        initials = self.query_one("#login-initials", Input).value.strip()
        password_box = self.query_one("#login-password", Input)
        error = self.query_one("#login-error", Static)
        if not initials or not password_box.value:
            error.update(self.t("login.missing"))
            return
        door = self.app.login_door
        if door is None:  # the database is still opening (a moment after the page loads)
            error.update(self.t("login.opening"))
            self.waiting_for_database = True  # the app tries again once it is open
            return
        self.waiting_for_database = False
        error.update("")
        password, password_box.value = password_box.value, ""
        try:
            casework = door.log_in(initials, password)
        except LoginRefused as exc:
            error.update(plain(exc.message))
            password_box.focus()
            return
        self.dismiss(casework)

    def action_cancel(self) -> None:
        if self.can_cancel:
            self.dismiss(None)


class LockScreen(BaseScreen):
    """Shown after the idle time: hides everything; the same account's password (or
    Ctrl+Q, which ends the session) is the only way on."""

    CSS_PATH = "login.tcss"

    def __init__(self, casework: Casework) -> None:
        super().__init__()
        self.locked_casework = casework

    def compose(self) -> ComposeResult:
        account = self.locked_casework.account
        who = f"{account.name} ({account.initials})" if account else ""
        with Vertical(id="lock", classes="dialog"):
            yield Static(self.t("login.locked_title"), classes="dialog-title")
            yield Static(plain(self.t("login.locked_intro", who=who)), classes="dialog-hint")
            yield Static(self.t("login.password_label"))
            yield Input(id="lock-password", password=True, max_length=256)
            yield Static(id="lock-error", classes="dialog-error")
            yield MarkedButton(self.t("login.unlock"), id="lock-ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#lock-password", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.try_unlock()

    def on_button_pressed(self, event: MarkedButton.Pressed) -> None:
        if event.button.id == "lock-ok":
            self.try_unlock()

    def try_unlock(self) -> None:
        box = self.query_one("#lock-password", Input)
        password, box.value = box.value, ""
        if not password:
            return
        try:
            self.locked_casework.confirm_password(password)
        except LoginRefused as exc:
            self.query_one("#lock-error", Static).update(plain(exc.message))
            return
        self.dismiss(True)


class RoleScreen(BaseScreen):
    """Where a role without access to citizens lands: what it may do, and where; no
    citizen's name or data."""

    CSS_PATH = "login.tcss"
    BINDINGS = [
        Binding("s", "stats", "keys.stats", id="stats"),
        Binding("f3", "switch_user", "keys.switch_user", id="switch-user"),
    ]

    def __init__(self, refusal: str) -> None:
        super().__init__()
        self.refusal = refusal

    def compose(self) -> ComposeResult:
        from textual.widgets import Footer

        casework = self.casework
        account = casework.account
        role = casework.role or "caseworker"
        with Vertical(id="role"):
            if account:
                yield Static(
                    plain(
                        self.t(
                            "login.role_who",
                            name=account.name,
                            initials=account.initials,
                            role=self.t(f"access.role.{role}"),
                        )
                    ),
                    classes="screen-title",
                )
            yield Static(plain(self.refusal), id="role-refusal", classes="hint")
            yield Static(self.t(f"login.role_can.{role}"), id="role-can")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stats":  # the key only for the roles that may see the tables
            return allowed(self.casework.role, "stats")
        return True

    def action_stats(self) -> None:
        from bip_talk.ui.screens.stats import StatsScreen

        self.app.push_screen(StatsScreen())

    def action_switch_user(self) -> None:
        self.app.switch_user()
