"""The app: one factory for the CLI and the tests. Screens ask the app to open a
citizen or a meeting; the app owns the casework service (who is signed in, on which
database), the curtain and the settings key.

The citizen may be looking whenever the app is open: start-up names nobody (an
unfinished meeting waits behind F8 on the start screen), and Esc in a meeting leads
to a pause screen for that citizen, never to a list of citizens."""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable, Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import constants
from textual.app import SystemCommand
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.theme import Theme

from bip_talk.errors import UNEXPECTED_EXIT, BipTalkError, BusyError, StoreError
from bip_talk.i18n import Translator
from bip_talk.services.workstation import Workstation
from bip_talk.settings import Preferences, SettingsError
from bip_talk.ui.palette import ScreenActions
from bip_talk.ui.session_guard import SessionGuard
from bip_talk.ui.sizes import SHORT
from bip_talk.ui.text import safe_text
from bip_talk.ui.themes import THEMES

if TYPE_CHECKING:
    from bip_talk.domain.entities import Caseworker
    from bip_talk.services.casework import Casework
    from bip_talk.services.meeting import MeetingSession
    from bip_talk.ui.ahead import ScreenAhead

# Let the first screen paint and take the first keys before the pack loads.
WARM_UP_DELAY = 0.4
# Another bip-talk window opening (or migrating) the same file at the same moment:
# SQLite already waits for its lock; these tries are for whatever is left of the race.
OPEN_ATTEMPTS = 4
OPEN_BACKOFF_S = 0.25


class BipTalkApp(SessionGuard):  # SessionGuard: login, roles and the idle lock
    # Absolute, so subclasses defined elsewhere (probes, training) find it too.
    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "bip-talk"
    # The palette's one source: the screen's actions, by word or key, in our language.
    COMMANDS = {ScreenActions}
    BINDINGS = [
        Binding("f12", "curtain", "keys.curtain", priority=True, id="curtain"),
        # Every screen; in the help and the palette, left out of each footer.
        Binding("f4", "settings", "keys.settings", show=False, priority=True, id="settings"),
        Binding("ctrl+q", "quit", "keys.quit", priority=True, id="quit"),
        Binding(
            "ctrl+p",
            "command_palette",
            "keys.palette",
            show=False,
            priority=True,
            tooltip="keys.palette",
            id="palette",
        ),
    ]

    def __init__(self, workstation: Workstation, *, demo: bool = False) -> None:
        super().__init__()
        self.workstation = workstation
        # settings.toml is read before anything shows; a bad one is asked about first.
        self.settings_problem: BipTalkError | None = workstation.open_preferences()
        self.is_demo = demo
        self.t: Translator = workstation.t
        self._casework: Casework | None = None
        self.animation_level = "none"
        self._theme_before_start(workstation.preferences)

    # -- the casework service --------------------------------------------------------------

    @property
    def database_open(self) -> bool:
        return self._casework is not None

    @property
    def casework(self) -> Casework:
        """The use cases, bound to the signed-in caseworker. Screens past the citizen
        list only exist once the database is open."""
        if self._casework is None:
            raise RuntimeError("the database is not open yet")
        return self._casework

    @property
    def caseworker(self) -> Caseworker | None:
        return self._casework.actor if self._casework else None

    # -- start-up ------------------------------------------------------------------------

    def _theme_before_start(self, prefs: Preferences) -> None:
        """Our theme is in place before the style sheets are first parsed: set once
        the app runs, Textual parses every style sheet twice more (about 15 ms each)."""
        for theme in THEMES.values():
            self.register_theme(theme)
        default_dark = self.current_theme.dark
        self.set_reactive(BipTalkApp.theme, _theme_of(prefs).name)
        if self.current_theme.dark != default_dark:
            # Textual's colour filter was made for a dark theme: let the watcher set it.
            self.set_reactive(BipTalkApp.theme, constants.DEFAULT_THEME)
            return
        self.set_class(True, f"-theme-{self.theme}", update=False)
        self.stylesheet.set_variables(self.get_css_variables())

    def on_key(self, event: Any) -> None:
        """A letter no one took, offered to the screen on top when it asks for such
        letters (the note: typed in one burst with the key that opened it, they were
        handed to the screen below before it opened)."""
        take = getattr(self.screen, "take_early_key", None)
        if take is not None:
            take(event)

    def on_mount(self) -> None:
        self._apply_keymap()
        self.apply_preferences(self.workstation.preferences)
        self.check_settings(then=self.begin)

    def _apply_keymap(self) -> None:
        keymap = self.workstation.preferences.keymap
        if not keymap:  # nothing to check or load: start-up stays as it was
            return
        from bip_talk.ui.keymap import apply_keymap, keymap_problems

        file = self.workstation.settings.preferences_file
        problems = keymap_problems(keymap, file, self.t)
        if problems:
            if self.settings_problem is None:
                self.settings_problem = SettingsError("\n".join(problems))
            self.workstation.use_default_preferences()
        else:
            apply_keymap(self, keymap)

    def check_settings(self, then: Callable[[], None]) -> None:
        """A settings.toml that cannot be used: say what is wrong and offer to start with
        the defaults, keeping the file as settings.toml.bad; "no" ends the app with the
        message and exit 2, the file untouched. The database opens only after "yes"."""
        problem = self.settings_problem
        if problem is None:
            then()
            return
        from bip_talk.ui.screens.confirm import ConfirmScreen

        file = self.workstation.settings.preferences_file

        def answer(ok: bool | None) -> None:
            if not ok:
                self.exit(problem, problem.exit_code)
                return
            try:
                kept = self.workstation.set_aside_preferences()
            except OSError as exc:
                reason = exc.strerror or type(exc).__name__
                failed = SettingsError(self.t("app.settings_not_moved", file=file, reason=reason))
                self.exit(failed, failed.exit_code)
                return
            self.settings_problem = None  # no keymap was applied: defaults from here on
            self.apply_preferences(self.workstation.preferences)
            self.notify(safe_text(self.t("app.settings_kept", path=kept)), markup=False)
            then()
            self._open_database_soon()

        question = self.t("app.settings_bad", problem=problem.message, bad=f"{file.name}.bad")
        self.push_screen(ConfirmScreen(question), callback=answer)  # shown as plain text

    def begin(self) -> None:
        """The first screen at once; the database opens beside it in a worker (its
        library alone takes ~90 ms to import). Training and calibration start elsewhere."""
        if self.guard_begin():
            return
        if self.workstation.preferences.has_user:
            self._start()
        else:
            from bip_talk.ui.screens.sign_in import SignInScreen

            self.push_screen(SignInScreen(first_run=True), callback=self._signed_in)

    def _open_database(self) -> None:
        try:
            casework = self.open_retrying(lambda: self.workstation.open(sign_in=True))
        except BipTalkError as exc:
            # Same plain message and exit code as `bip-talk doctor` would give.
            self.call_from_thread(self.exit, exc, exc.exit_code)
            return
        self.call_from_thread(self._database_ready, casework)

    def open_retrying(self, open_it: Callable[[], Casework]) -> Casework:
        """Open the database, trying again while another window holds it (two windows
        started at once); anything else that goes wrong becomes a plain message
        (a ``BipTalkError``), never a failed worker with a traceback."""
        for attempt in range(OPEN_ATTEMPTS):
            try:
                return open_it()
            except BusyError:
                if attempt == OPEN_ATTEMPTS - 1:
                    raise
            except BipTalkError:
                raise
            except Exception as exc:  # a race the store did not foresee: once more
                if attempt == OPEN_ATTEMPTS - 1:
                    if os.environ.get("BIP_TALK_DEBUG"):
                        raise
                    raise StoreError(
                        self.t(
                            "app.open_failed",
                            path=self.workstation.database_path,
                            kind=type(exc).__name__,
                        )
                    ) from exc
            time.sleep(OPEN_BACKOFF_S * (attempt + 1))
        raise AssertionError("unreachable")

    def _database_ready(self, casework: Casework) -> None:
        if self._casework is not None:
            return  # signing in opened it first
        if self.guard_database_ready(casework):
            return  # personal accounts: the login screen takes over
        self._casework = casework
        if casework.actor is not None:
            self.screen.post_message(_casework_changed())

    def on_ready(self) -> None:
        # After the first paint: open the database beside the screen (the list fills in
        # a moment later), then the pack — so the first meeting opens at once. A broken
        # database or pack ends the app with the same plain message the CLI gives.
        if self.settings_problem is None:  # else: once the question is answered
            self._open_database_soon()
        self.set_timer(
            WARM_UP_DELAY, lambda: self.run_worker(self._warm_pack, thread=True, group="warm-up")
        )
        # Then what the first meeting's first key needs (ui/warm.py), still before it.
        self.set_timer(WARM_UP_DELAY * 2, self._warm_screens)

    def _warm_screens(self) -> None:
        from bip_talk.ui import warm

        warm.warm_styles(self)
        lang = self.t.lang
        self.run_worker(lambda: warm.warm_prompts(lang), thread=True, group="warm-up")

    def _open_database_soon(self) -> None:
        if self.workstation.is_open:
            self._database_ready(self.workstation.open(sign_in=True))
        else:
            self.call_after_refresh(
                self.run_worker, self._open_database, thread=True, group="open-store"
            )

    def _warm_pack(self) -> None:
        try:
            _ = self.workstation.pack  # loaded once, then cached
        except BipTalkError as exc:
            self.call_from_thread(self.exit, exc, 2)

    def apply_preferences(self, prefs: Preferences) -> None:
        self.theme = _theme_of(prefs).name  # unchanged: no new parse
        self.title = self.t("app.title_demo") if self.is_demo else self.t("app.title")

    def _signed_in(self, result: tuple[str, str] | None) -> None:
        if result is None:
            return
        name, initials = result
        try:
            casework = self.open_retrying(
                lambda: self.workstation.sign_in(name, initials).in_language(self.t.lang)
            )
        except BipTalkError as exc:
            self.exit(exc, exc.exit_code)
            return
        self._casework = casework
        if len(self.screen_stack) <= 1:
            self._start()
        else:
            assert casework.actor is not None
            self.notify(
                safe_text(self.t("app.switched_user", name=casework.actor.name)), markup=False
            )
            self.screen.post_message(_casework_changed())

    def _start(self) -> None:
        """The start screen, naming nobody: an unfinished meeting is counted there and
        listed on F8, never offered by name before the caseworker acts."""
        from bip_talk.ui.screens.citizens import CitizensScreen

        self.push_screen(CitizensScreen())

    # -- navigation used by screens ------------------------------------------------------

    def open_citizen(self, citizen_id: str) -> None:
        from bip_talk.ui.screens.citizen import CitizenScreen

        self.push_screen(CitizenScreen(citizen_id))

    def resume_meeting(self, citizen_id: str) -> None:
        """An unfinished meeting from the start screen: over the citizen's own screen, so
        leaving it lands there and not on a list of citizens."""
        self.open_citizen(citizen_id)
        self.open_meeting(citizen_id)

    def open_meeting(self, citizen_id: str) -> None:
        """The opening (last actions), then the questions. A resumed meeting that has
        answers goes straight to the questions. After a change of caseworker the opening
        says so in the citizen's words; the handover is the caseworker's briefing and
        opens only on their key (``h`` on the citizen's screen or in the opening), never
        by itself in front of the citizen."""
        casework = self.casework
        session = casework.open_meeting(
            citizen_id, blind_rating=self.workstation.preferences.blind_rating
        )
        unreviewed = [i for i in casework.items_to_review(session) if i.status == "open"]
        if session.answers and not unreviewed:
            self.show_questions(session)
            return
        self._show_opening(session, new_caseworker=session.handover_due)

    def _show_opening(self, session: MeetingSession, *, new_caseworker: bool) -> None:
        """The opening. Esc there ("leave") shows the pause screen, as in the questions;
        resuming comes back to the opening."""
        from bip_talk.ui.screens.opening import OpeningScreen

        def after_opening(result: str | None) -> None:
            if result == "start":
                self.show_questions(session)
                return
            self.ahead.drop()  # not going on to the questions now
            if result == "leave":
                self.pause_meeting(
                    session,
                    resume=lambda: self._show_opening(session, new_caseworker=new_caseworker),
                )

        self.push_screen(
            OpeningScreen(session, new_caseworker=new_caseworker), callback=after_opening
        )
        # While the opening is read, the questions are built behind it: Enter only shows them.
        from bip_talk.ui.screens.meeting import MeetingScreen

        self.ahead.build((session, self.t.lang), lambda: MeetingScreen(session))

    async def _shutdown(self) -> None:
        # A screen built ahead is in no stack: gone before Textual closes the rest, so it
        # is never closed halfway through being built (Textual's own step, private; the
        # one way in for both a quit and the end of a test run; tests/ui/test_ahead.py).
        if "ahead" in self.__dict__:  # built only once a meeting was opened
            await self.ahead.close()
        await super()._shutdown()

    @cached_property
    def ahead(self) -> ScreenAhead:
        """The questions' screen, built while the opening is read (ui/ahead.py)."""
        from bip_talk.ui.ahead import ScreenAhead  # not before a meeting: start-up

        return ScreenAhead(self)

    def show_questions(self, session: MeetingSession) -> None:
        """The questions. Esc there ("left") shows the pause screen for this citizen."""
        from bip_talk.ui.screens.meeting import MeetingScreen

        def after(result: str | None) -> None:
            if result == "left":
                self.pause_meeting(session)
            else:
                self._language_after_meeting()

        screen = self.ahead.take((session, self.t.lang)) or MeetingScreen(session)
        self.push_screen(screen, callback=after)

    def pause_meeting(
        self, session: MeetingSession, *, resume: Callable[[], None] | None = None
    ) -> None:
        """The neutral pause screen: resume (the questions again, where they were),
        finish, or leave for another day (asked first; lands on the citizen's screen)."""
        from bip_talk.ui.screens.pause import RESUME, PauseScreen

        def after(result: str | None) -> None:
            if result == RESUME:
                (resume or (lambda: self.show_questions(session)))()
            else:
                self._language_after_meeting()

        # The pause screen says that everything is saved; the meeting's own notice of it
        # would only lie over the next screen (it is still on its way: clear after it).
        self.call_later(self.clear_notifications)
        self.push_screen(PauseScreen(session), callback=after)

    def notify(self, message: str, **kwargs: Any) -> None:
        """On a short screen one notice at a time, the newest: stacked, they would lie
        over the caseworker's pane (three at 80×24 cover half of it)."""
        if self.size.height < SHORT:
            self.clear_notifications()
        super().notify(message, **kwargs)

    def switch_user(self) -> None:
        if self.guard_switch_user():
            return
        from bip_talk.ui.screens.sign_in import SignInScreen

        self.push_screen(SignInScreen(first_run=False), callback=self._signed_in)

    def action_settings(self) -> None:
        from bip_talk.ui.screens.curtain import CurtainScreen
        from bip_talk.ui.screens.settings import SettingsScreen

        if not isinstance(self.screen, (SettingsScreen, CurtainScreen)):
            self.open_settings()

    def open_settings(self) -> None:
        from bip_talk.ui.screens.settings import SettingsScreen

        def saved(prefs: Preferences | None) -> None:
            if prefs is None:
                return
            self.workstation.save_preferences(prefs)
            self.apply_preferences(prefs)
            if prefs.language == self.t.lang:
                return
            if self._meeting_open():
                # Rebuilding the screens now would close the meeting's dialogs.
                self.notify(Translator(prefs.language)("app.language_after_meeting"))
            else:
                self._restart_in(prefs.language)

        self.push_screen(SettingsScreen(), callback=saved)

    def _meeting_open(self) -> bool:
        return any(hasattr(screen, "session") for screen in self.screen_stack)

    def _language_after_meeting(self) -> None:
        """A language chosen during the meeting takes effect once it is left."""
        wanted = self.workstation.preferences.language
        if wanted != self.t.lang and not self._meeting_open():
            self._restart_in(wanted)

    def _restart_in(self, lang: str) -> None:
        """Every screen again in ``lang``: the start screen, and over it the citizen who
        was open (the caseworker stays with the citizen beside them)."""
        from bip_talk.ui.screens.citizen import CitizenScreen
        from bip_talk.ui.screens.citizens import CitizensScreen

        self.t = Translator(lang)
        if self._casework is not None:
            self._casework = self._casework.in_language(self.t.lang)
        self.apply_preferences(self.workstation.preferences)
        citizen = next(
            (s.citizen_id for s in reversed(self.screen_stack) if isinstance(s, CitizenScreen)),
            None,
        )
        while len(self.screen_stack) > 1:
            self.pop_screen()
        if not self.workstation.preferences.has_user:
            self.begin()  # still signing in: ask again, in the new language
            return
        desk = CitizensScreen()
        self.push_screen(desk)
        if citizen is not None:
            desk.blank_on_return()
            self.open_citizen(citizen)

    def switch_to_demo(self) -> None:
        if self.is_demo or self.guard_refuses_demo():
            return
        from bip_talk.services.synthetic.demo import ensure_demo_database

        settings = self.workstation.settings
        path = ensure_demo_database(settings, reset=False)
        self.workstation.close()
        self.workstation = Workstation(settings.with_database(path), self.workstation.preferences)
        self.is_demo = True
        self._casework = self.workstation.open(sign_in=True)
        self._restart_in(self.t.lang)

    # -- always available ----------------------------------------------------------------

    async def action_quit(self) -> None:
        """Ctrl+Q in a meeting asks first: every answer is saved, but a key pressed by
        mistake would end the meeting mid-sentence. Ctrl+Q again (or j) quits."""
        from bip_talk.services.meeting import MeetingSession
        from bip_talk.ui.screens.confirm import ConfirmScreen

        sessions = [
            s
            for screen in self.screen_stack
            if isinstance(s := getattr(screen, "session", None), MeetingSession)
        ]
        if not sessions or self._asking_to_quit:
            self.exit()
            return
        answered, total = sessions[-1].progress()
        self._asking_to_quit = True

        def answered_(yes: bool | None) -> None:
            self._asking_to_quit = False
            if yes:
                self.exit()

        self.push_screen(ConfirmScreen(self.quit_question(answered, total)), callback=answered_)

    _asking_to_quit = False

    def quit_question(self, answered: int, total: int) -> str:
        """What Ctrl+Q asks in a meeting. No name: it may show over the curtain (F12)."""
        return self.t("app.quit_meeting", answered=answered, total=total)

    def action_curtain(self) -> None:
        from bip_talk.ui.screens.curtain import CurtainScreen

        if isinstance(self.screen, CurtainScreen):
            self.pop_screen()
        else:
            self.push_screen(CurtainScreen())

    def action_command_palette(self) -> None:
        """Textual's palette, with our words in its search field ("Søg efter en handling…")."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(
                CommandPalette(placeholder=self.t("app.palette_search"), id="--command-palette")
            )

    def get_key_display(self, binding: Binding) -> str:
        """Function keys as the screens' own words and the help write them: F6, not f6."""
        return re.sub(r"\bf(\d{1,2})\b", r"F\1", super().get_key_display(binding))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of the current screen, in the user's language, plus theme and quit."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            key = self.get_key_display(binding)  # as the footer writes it: F5, ^p
            yield SystemCommand(
                binding.description,
                f"{self.t('app.key')}: {key}",
                lambda node=active.node, action=binding.action: self.run_action(action, node),
            )
        yield SystemCommand(self.t("app.theme"), self.t("app.theme_help"), self.action_change_theme)

    def _fatal_error(self) -> None:
        """A crash must not print answers, notes or names: Textual's own report shows
        local variables. Show the plain catalog message with the kind of error, and end
        with UNEXPECTED_EXIT (70); the full report only when debugging.

        No public hook exists for this: Textual (8.2.8) calls this private method from
        inside the ``except`` block of every unhandled error, so ``sys.exc_info()`` holds
        the error (Textual's own report reads it the same way). The rest is public API
        (``exit``, ``panic``). Pinned by tests/ui/test_crash_privacy.py and
        tests/e2e/test_crash_exit.py: both fail if an upgrade stops calling it."""
        error = sys.exc_info()[1]
        message = self.t("cli.unexpected", kind=type(error).__name__ if error else "Error")
        if os.environ.get("BIP_TALK_DEBUG"):
            super()._fatal_error()
            self.exit(None, UNEXPECTED_EXIT, message)
            return
        self.bell()
        self.exit(None, UNEXPECTED_EXIT, message)
        self.panic()  # stop at once, as Textual's own handler does

    def on_unmount(self) -> None:
        self.workstation.close()


def _casework_changed() -> Message:
    # Imported when first needed, after the first screen: start-up does not wait for it.
    from bip_talk.ui.messages import CaseworkChanged

    return CaseworkChanged()


def _theme_of(prefs: Preferences) -> Theme:
    return THEMES.get(prefs.theme, THEMES["standard"])


def make_app(workstation: Workstation, *, demo: bool = False) -> BipTalkApp:
    return BipTalkApp(workstation, demo=demo)


def run_to_end(app: BipTalkApp) -> None:
    """Run the app in the terminal. The ``BipTalkError`` it ended with is raised (the CLI
    prints it with its exit code); a crash exits with UNEXPECTED_EXIT, never 0 (the app
    has printed the short message already, never a traceback)."""
    result = app.run()
    if isinstance(result, BipTalkError):
        raise result
    if app.return_code:
        raise SystemExit(UNEXPECTED_EXIT)
