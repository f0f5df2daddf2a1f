"""A screen built while the one before it is being read.

Pushing a screen makes Textual compose it, mount and style its widgets and lay them
out, all before the key that asked for it shows anything: for the meeting's
questions that was most of the opening's ``Enter``. A caseworker reads the opening
(last time's actions, the opening words) for seconds first, so the app builds the
questions' screen then, behind the opening, and ``Enter`` only has to show it.

The screen is registered with the app as ``push_screen`` registers it (``_register``:
Textual's own first step, not public; Textual is pinned and ``tests/ui/test_ahead.py``
fails if that step changes), which composes and mounts it without showing it; then it
is laid out at the terminal's size. ``push_screen`` later finds it running and only
shows it. A screen not taken is removed – once it is mounted, never halfway (its
widgets would be gone under its own ``on_mount``), and before the app closes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.app import App
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import AwaitMount

# After the screen before it has painted and taken its first keys: the build takes
# about a tenth of a second of CPU, and should not hold up that first paint.
AHEAD_DELAY = 0.15
SETTLE_PASSES = 4  # layouts at most, until its widgets ask for none
SETTLE_PAUSE = 0.02  # seconds for its widgets to take their sizes between them
MOUNT_WAIT = 2.0  # seconds at most for a screen being built to finish, when closing


class ScreenAhead:
    """At most one screen built ahead, for one purpose (``key``)."""

    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._timer: Timer | None = None
        self._screen: Screen[Any] | None = None  # built or being built, not yet taken
        self._key: object = None
        self._building: Screen[Any] | None = None  # registered, not yet mounted
        self._dropped: set[Screen[Any]] = set()  # to remove once they are mounted
        self._closing = False  # the app is closing: build nothing more

    @property
    def screen(self) -> Screen[Any] | None:
        """The screen built (or being built) ahead, if any."""
        return self._screen

    def build(self, key: object, make: Callable[[], Screen[Any]]) -> None:
        """Build ``make()`` a moment from now, for ``key`` (what ``take`` asks with)."""
        self.drop()
        self._key = key
        self._timer = self.app.set_timer(AHEAD_DELAY, lambda: self._start(make))

    async def _start(self, make: Callable[[], Screen[Any]]) -> None:
        self._timer = None
        if self._closing or not self.app.is_running:
            return
        screen = make()
        self._screen = self._building = screen
        # Its style sheet first, as push_screen reads it: styled once, as it will be.
        from bip_talk.ui import warm  # with jinja2: never at start-up

        warm.load_sheets(self.app, warm.css_paths(type(screen)))
        try:
            # Composes and mounts it in its own task; nothing is shown.
            await AwaitMount(screen, self.app._register(self.app, screen))
        finally:
            self._building = None
        if screen in self._dropped:
            self._dropped.discard(screen)
            if not self._closing:  # closing: close() removes it
                await screen.remove()
            return
        await self._lay_out(screen)

    async def _lay_out(self, screen: Screen[Any]) -> None:
        """Lay it out at the terminal's size, so showing it is only a paint (a resize
        before then lays it out again when it is shown). Its widgets answer their first
        sizes with changes that ask for another layout (the meeting fits its panes to
        the width): a few passes, until none is asked for. Then every widget is drawn
        once, so the first paint finds their lines ready."""
        for _ in range(SETTLE_PASSES):
            if not self._waiting(screen):
                return
            screen._refresh_layout(self.app.size)
            screen._layout_required = False
            await asyncio.sleep(SETTLE_PAUSE)
            if not screen._layout_required:
                break
        if self._waiting(screen):
            screen._compositor.render_update(full=True)

    def _waiting(self, screen: Screen[Any]) -> bool:
        """Still ours, not shown, the app still running."""
        return (
            screen is self._screen
            and screen.is_attached
            and not screen.is_current
            and self.app.is_running
        )

    def take(self, key: object) -> Screen[Any] | None:
        """The screen built for ``key``, now the caller's to push; None if there is none
        (not built yet, or for something else: that one is dropped)."""
        screen = self._screen if self._key == key else None
        if screen is None:
            self.drop()
            return None
        self._screen, self._key = None, None
        return screen

    def drop(self) -> None:
        """Forget what was built or about to be; a built screen is removed (one still
        being built as soon as it is mounted)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        screen, self._screen, self._key = self._screen, None, None
        if screen is None:
            return
        if screen is self._building:
            self._dropped.add(screen)
        elif screen.is_attached:
            screen.remove()

    async def close(self) -> None:
        """Before the app closes its screens: nothing left built ahead or building (Textual
        would close a screen that is in no stack while it is still being built)."""
        self._closing = True
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        screen, self._screen, self._key = self._screen, None, None
        waited = 0.0
        while screen is not None and screen is self._building and waited < MOUNT_WAIT:
            await asyncio.sleep(SETTLE_PAUSE)
            waited += SETTLE_PAUSE
        if screen is not None and screen.is_attached:
            await screen.remove()
