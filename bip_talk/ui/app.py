"""The app: one factory for the CLI and the tests. Screens ask the app to open a
citizen or a meeting; the app owns the casework service (who is signed in, on which
database) and the curtain."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.markup import escape as markup_escape
from textual.screen import Screen

from bip_talk.domain.entities import Caseworker
from bip_talk.errors import UNEXPECTED_EXIT, BipTalkError
from bip_talk.i18n import Translator, format_date
from bip_talk.services.workstation import Workstation
from bip_talk.settings import Preferences, SettingsError
from bip_talk.ui.messages import CaseworkChanged
from bip_talk.ui.themes import THEMES

if TYPE_CHECKING:
    from bip_talk.services.casework import Casework

# Let the first screen paint and take the first keys before the pack loads.
WARM_UP_DELAY = 0.4


class BipTalkApp(App[BipTalkError | None]):
    # Absolute, so subclasses defined elsewhere (probes, training) find it too.
    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "bip-talk"
    BINDINGS = [
        Binding("f12", "curtain", "keys.curtain", priority=True, id="curtain"),
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

    def on_mount(self) -> None:
        for theme in THEMES.values():
            self.register_theme(theme)
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
            self.notify(markup_escape(self.t("app.settings_kept", path=kept)))
            then()
            self._open_database_soon()

        question = self.t("app.settings_bad", problem=problem.message, bad=f"{file.name}.bad")
        self.push_screen(ConfirmScreen(markup_escape(question)), callback=answer)

    def begin(self) -> None:
        """The first screen at once; the database opens beside it in a worker (its
        library alone takes ~90 ms to import). Training and calibration start elsewhere."""
        if self.workstation.preferences.has_user:
            self._start()
        else:
            from bip_talk.ui.screens.sign_in import SignInScreen

            self.push_screen(SignInScreen(first_run=True), callback=self._signed_in)

    def _open_database(self) -> None:
        try:
            casework = self.workstation.open(sign_in=True)
        except BipTalkError as exc:
            # Same plain message and exit code as `bip-talk doctor` would give.
            self.call_from_thread(self.exit, exc, exc.exit_code)
            return
        self.call_from_thread(self._database_ready, casework)

    def _database_ready(self, casework: Casework) -> None:
        if self._casework is not None:
            return  # signing in opened it first
        self._casework = casework
        if casework.actor is not None:
            self.screen.post_message(CaseworkChanged())
            self.offer_resume()

    def on_ready(self) -> None:
        # After the first paint: open the database beside the screen (the list fills in
        # a moment later), then the pack — so the first meeting opens at once. A broken
        # database or pack ends the app with the same plain message the CLI gives.
        if self.settings_problem is None:  # else: once the question is answered
            self._open_database_soon()
        self.set_timer(
            WARM_UP_DELAY, lambda: self.run_worker(self._warm_pack, thread=True, group="warm-up")
        )

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
        self.theme = THEMES.get(prefs.theme, THEMES["standard"]).name
        self.title = self.t("app.title_demo") if self.is_demo else self.t("app.title")

    def _signed_in(self, result: tuple[str, str] | None) -> None:
        if result is None:
            return
        name, initials = result
        casework = self.workstation.sign_in(name, initials).in_language(self.t.lang)
        self._casework = casework
        if len(self.screen_stack) <= 1:
            self._start()
        else:
            assert casework.actor is not None
            self.notify(self.t("app.switched_user", name=casework.actor.name))
            self.screen.post_message(CaseworkChanged())

    def _start(self) -> None:
        from bip_talk.ui.screens.citizens import CitizensScreen

        self.push_screen(CitizensScreen())
        if self.caseworker is not None:
            self.offer_resume()

    def offer_resume(self) -> None:
        """Offer to resume the newest unfinished meeting of the signed-in caseworker."""
        from bip_talk.ui.screens.confirm import ConfirmScreen

        resumable = self.casework.resumable()
        if resumable is None:
            return
        question = self.t(
            "app.resume_question",
            name=resumable.citizen.display_name,
            date=format_date(resumable.meeting.started_at, self.t.lang),
        )

        def answer(ok: bool | None) -> None:
            if ok:
                self.open_meeting(resumable.citizen.id)

        self.push_screen(ConfirmScreen(question), callback=answer)

    # -- navigation used by screens ------------------------------------------------------

    def open_citizen(self, citizen_id: str) -> None:
        from bip_talk.ui.screens.citizen import CitizenScreen

        self.push_screen(CitizenScreen(citizen_id))

    def open_meeting(self, citizen_id: str) -> None:
        """Handover first if the caseworker changed, then the opening (last actions), then
        the questions. A resumed meeting that has answers goes straight to the questions."""
        if self.casework.needs_handover(citizen_id):
            from bip_talk.ui.screens.handover import HandoverScreen

            self.push_screen(
                HandoverScreen(citizen_id),
                callback=lambda _: self._open_session(citizen_id, new_caseworker=True),
            )
        else:
            self._open_session(citizen_id)

    def _open_session(self, citizen_id: str, *, new_caseworker: bool = False) -> None:
        from bip_talk.ui.screens.meeting import MeetingScreen
        from bip_talk.ui.screens.opening import OpeningScreen

        casework = self.casework
        session = casework.open_meeting(
            citizen_id, blind_rating=self.workstation.preferences.blind_rating
        )
        unreviewed = [i for i in casework.items_to_review(session) if i.status == "open"]
        if session.answers and not unreviewed:
            self.push_screen(MeetingScreen(session))
            return

        def after_opening(result: str | None) -> None:
            if result == "start":
                self.push_screen(MeetingScreen(session))

        self.push_screen(
            OpeningScreen(session, new_caseworker=new_caseworker), callback=after_opening
        )

    def switch_user(self) -> None:
        from bip_talk.ui.screens.sign_in import SignInScreen

        self.push_screen(SignInScreen(first_run=False), callback=self._signed_in)

    def open_settings(self) -> None:
        from bip_talk.ui.screens.settings import SettingsScreen

        def saved(prefs: Preferences | None) -> None:
            if prefs is None:
                return
            language_changed = prefs.language != self.workstation.preferences.language
            self.workstation.save_preferences(prefs)
            self.apply_preferences(prefs)
            if language_changed:
                self._restart_in(prefs.language)

        self.push_screen(SettingsScreen(), callback=saved)

    def _restart_in(self, lang: str) -> None:
        from bip_talk.ui.screens.citizens import CitizensScreen

        self.t = Translator(lang)
        if self._casework is not None:
            self._casework = self._casework.in_language(self.t.lang)
        self.apply_preferences(self.workstation.preferences)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(CitizensScreen())

    def switch_to_demo(self) -> None:
        if self.is_demo:
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

    def action_curtain(self) -> None:
        from bip_talk.ui.screens.curtain import CurtainScreen

        if isinstance(self.screen, CurtainScreen):
            self.pop_screen()
        else:
            self.push_screen(CurtainScreen())

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action of the current screen, in the user's language, plus theme and quit."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.description or binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            key = binding.key_display or binding.key
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
