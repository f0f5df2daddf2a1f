"""The app's side of personal accounts, as one mixin of ``BipTalkApp``: the login
screen when the database has accounts, the screen a role without citizen data lands
on, and the lock after the idle time.

The app calls three hooks (``guard_begin``, ``guard_database_ready``,
``guard_switch_user``) and asks ``guard_refuses_demo``; everything else is here.

The idle lock watches real input (keys, clicks, wheel, paste): after ``idle_seconds``
without any, a full screen covers everything — the meeting stays as it was beneath it
— until the same account's password is given again. Notifications that arrive while
locked wait until the unlock (a toast could name a citizen). A served session that
nobody logs in to ends after the same idle time (its process is freed).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import App

from bip_talk.errors import AccessRefused, BipTalkError

if TYPE_CHECKING:
    from bip_talk.domain.access import Channel
    from bip_talk.services.casework import Casework

_ACTIVITY = (
    events.Key,
    events.MouseDown,
    events.MouseScrollDown,
    events.MouseScrollUp,
    events.Paste,
)


class SessionGuard(App[BipTalkError | None]):
    # Set by ``bip-talk serve-session`` for a browser tab; the settings give the rest.
    channel: Channel = "app"
    login_required = False  # show the login screen at once (served: always accounts)
    idle_seconds: float = 600.0

    _casework: Casework | None

    def _guard_init(self) -> None:
        if getattr(self, "_guard_ready", False):
            return
        self._guard_ready = True
        self.login_door: Casework | None = None  # the casework before anyone logs in
        self._last_input = time.monotonic()
        self._locked = False
        self._held_notes: list[tuple[str, dict[str, Any]]] = []
        self._idle_timer: Any = None

    @property
    def is_locked(self) -> bool:
        return getattr(self, "_locked", False)

    # -- hooks the app calls -------------------------------------------------------------

    def guard_begin(self) -> bool:
        """At start-up: True if the login screen took the first screen (served)."""
        self._guard_init()
        idle = getattr(getattr(self, "workstation", None), "settings", None)
        if idle is not None and not self.login_required:
            self.idle_seconds = idle.idle_minutes * 60
        if not self.login_required:
            return False
        self._watch_idle()
        self._show_login()
        return True

    def guard_database_ready(self, casework: Casework) -> bool:
        """The database opened: True if it has accounts and the login screen owns the
        session (the casework is kept only as the door to log in through)."""
        self._guard_init()
        casework = casework.via(self.channel)
        if not casework.has_accounts():
            if self.login_required:  # a served session never runs without a login
                self.exit(AccessRefused(casework.t("access.login_needed")), 5)
                return True
            return False
        self.login_door = casework
        if not self.login_required:
            self._watch_idle()
            self._show_login()
        else:
            from bip_talk.ui.screens.login import LoginScreen

            screen = self.screen
            if isinstance(screen, LoginScreen) and screen.waiting_for_database:
                screen.try_login()  # typed before the database was open
        return True

    def guard_switch_user(self) -> bool:
        """F3 on a database with accounts: log in as someone else (True: handled)."""
        self._guard_init()
        if self.login_door is None:
            return False
        self._show_login(can_cancel=True)
        return True

    def guard_refuses_demo(self) -> bool:
        """The demo database has no accounts: a logged-in session must not switch to it
        (it would leave the login and the lock behind)."""
        self._guard_init()
        if self.login_door is None:
            return False
        self.notify(self.t("login.no_demo"), severity="warning")  # type: ignore[attr-defined]
        return True

    # -- logging in ----------------------------------------------------------------------

    def _show_login(self, *, can_cancel: bool = False) -> None:
        """The login screen alone on the stack: no screen below it reads data while it
        shows, or when it closes (a resumed citizen list would search as the new user)."""
        from bip_talk.ui.screens.login import LoginScreen

        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(LoginScreen(can_cancel=can_cancel), callback=self._logged_in)

    def _logged_in(self, casework: Casework | None) -> None:
        from bip_talk.ui.messages import CaseworkChanged
        from bip_talk.ui.screens.login import RoleScreen

        if casework is None:  # switching user, cancelled: the same user goes on
            casework = self._casework
            if casework is None:
                self._show_login()
                return
        self._casework = casework
        self._last_input = time.monotonic()
        try:
            casework.require("search")  # the citizen list: caseworkers only (logged if not)
        except AccessRefused as refused:
            self.push_screen(RoleScreen(refused.message))
            return
        self._start()  # type: ignore[attr-defined]
        self.screen.post_message(CaseworkChanged())

    # -- the idle lock -------------------------------------------------------------------

    def _watch_idle(self) -> None:
        if self._idle_timer is None:
            every = max(0.25, min(self.idle_seconds / 4, 15.0))
            self._idle_timer = self.set_interval(every, self._check_idle)

    def _check_idle(self) -> None:
        if self._locked or time.monotonic() - self._last_input < self.idle_seconds:
            return
        if self._casework is None or self._casework.account is None:
            if self.login_required:
                self.exit()  # nobody logged in to this browser tab: free its process
            return
        self.lock()

    def lock(self) -> None:
        from bip_talk.ui.screens.login import LockScreen

        casework = self._casework
        if casework is None or casework.account is None or self._locked:
            return
        self._locked = True
        self.clear_notifications()
        casework.note_locked(True)
        self.push_screen(LockScreen(casework), callback=self._unlocked)

    def _unlocked(self, _: object) -> None:
        self._locked = False
        self._last_input = time.monotonic()
        if self._casework is not None:
            self._casework.note_locked(False)
        held, self._held_notes = self._held_notes, []
        for message, kwargs in held:
            self.notify(message, **kwargs)

    def notify(self, message: str, **kwargs: Any) -> None:
        if self.is_locked:
            self._held_notes.append((message, kwargs))
            return
        super().notify(message, **kwargs)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, _ACTIVITY) and getattr(self, "_guard_ready", False):
            self._last_input = time.monotonic()
        await super().on_event(event)
