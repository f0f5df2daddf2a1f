"""The app: one factory for the CLI and the tests. Screens ask the app to open a
citizen or a meeting; the app owns who is signed in and the curtain."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from bip_talk.domain.entities import Caseworker
from bip_talk.errors import BipTalkError
from bip_talk.i18n import Translator, format_date
from bip_talk.services.workstation import Workstation
from bip_talk.settings import Preferences
from bip_talk.ui.bindings import translate_bindings
from bip_talk.ui.screens.curtain import CurtainScreen
from bip_talk.ui.themes import THEMES

# Let the first screen paint and take the first keys before the pack loads.
WARM_UP_DELAY = 0.4


class BipTalkApp(App):
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
        self.is_demo = demo
        self.t: Translator = workstation.t
        self.caseworker: Caseworker | None = None
        self.animation_level = "none"

    # -- start-up ------------------------------------------------------------------------

    def on_mount(self) -> None:
        translate_bindings(self, self.t)
        for theme in THEMES.values():
            self.register_theme(theme)
        self.apply_preferences(self.workstation.preferences)
        self.begin()

    def begin(self) -> None:
        """The first screen at once; the database opens beside it in a worker (its
        library alone takes ~90 ms to import). Training and calibration start elsewhere."""
        if self.workstation.preferences.has_user:
            self._start()
        else:
            from bip_talk.ui.screens.sign_in import SignInScreen

            self.push_screen(SignInScreen(first_run=True), callback=self._signed_in)

    def _open_store(self) -> None:
        try:
            self.workstation.store
        except BipTalkError as exc:
            # Same plain message and exit code as `bip-talk doctor` would give.
            self.call_from_thread(self.exit, exc, exc.exit_code)
            return
        self.call_from_thread(self._store_ready)

    def _store_ready(self) -> None:
        if self.workstation.preferences.has_user and self.caseworker is None:
            self.caseworker = self.workstation.current_caseworker()
            refresh = getattr(self.screen, "store_ready", None)
            if refresh:
                refresh()
            self.offer_resume()

    def on_ready(self) -> None:
        # After the first paint: open the database beside the screen (the list fills in
        # a moment later), then the pack — so the first meeting opens at once. A broken
        # database or pack ends the app with the same plain message the CLI gives.
        if not self.workstation.store_is_open:
            self.call_after_refresh(
                self.run_worker, self._open_store, thread=True, group="open-store"
            )
        self.set_timer(
            WARM_UP_DELAY, lambda: self.run_worker(self._warm_pack, thread=True, group="warm-up")
        )

    def _warm_pack(self) -> None:
        try:
            self.workstation.pack
        except BipTalkError as exc:
            self.call_from_thread(self.exit, exc, 2)

    def apply_preferences(self, prefs: Preferences) -> None:
        self.theme = THEMES.get(prefs.theme, THEMES["standard"]).name
        self.title = self.t("app.title_demo") if self.is_demo else self.t("app.title")

    def _signed_in(self, result: tuple[str, str] | None) -> None:
        if result is None:
            return
        name, initials = result
        self.caseworker = self.workstation.sign_in(name, initials)
        if len(self.screen_stack) <= 1:
            self._start()
        else:
            self.notify(self.t("app.switched_user", name=self.caseworker.name))
            refresh = getattr(self.screen, "refresh_who", None)
            if refresh:
                refresh()

    def _start(self) -> None:
        from bip_talk.ui.screens.citizens import CitizensScreen

        self.push_screen(CitizensScreen())
        if self.workstation.store_is_open:
            self.caseworker = self.caseworker or self.workstation.current_caseworker()
            self.offer_resume()

    def offer_resume(self) -> None:
        """Offer to resume the newest unfinished meeting of the signed-in caseworker."""
        from bip_talk.ui.screens.confirm import ConfirmScreen

        assert self.caseworker is not None
        drafts = self.workstation.store.drafts(self.caseworker.id)
        if not drafts:
            return
        draft = drafts[0]
        citizen = self.workstation.store.citizen(draft.citizen_id)
        question = self.t(
            "app.resume_question",
            name=citizen.display_name,
            date=format_date(draft.started_at, self.t.lang),
        )

        def answer(ok: bool | None) -> None:
            if ok:
                self.open_meeting(draft.citizen_id)

        self.push_screen(ConfirmScreen(question), callback=answer)

    # -- navigation used by screens ------------------------------------------------------

    def open_citizen(self, citizen_id: str) -> None:
        from bip_talk.ui.screens.citizen import CitizenScreen

        self.push_screen(CitizenScreen(citizen_id))

    def open_meeting(self, citizen_id: str) -> None:
        """Handover first if the caseworker changed, then the opening (last actions), then
        the questions. A resumed meeting that has answers goes straight to the questions."""
        from bip_talk.services.handover import needs_handover

        store = self.workstation.store
        if needs_handover(store, citizen_id) and store.draft_meeting(citizen_id) is None:
            from bip_talk.ui.screens.handover import HandoverScreen

            self.push_screen(
                HandoverScreen(citizen_id),
                callback=lambda _: self._open_session(citizen_id, new_caseworker=True),
            )
        else:
            self._open_session(citizen_id)

    def _open_session(self, citizen_id: str, *, new_caseworker: bool = False) -> None:
        from bip_talk.services import plan
        from bip_talk.services.meeting import MeetingSession
        from bip_talk.ui.screens.meeting import MeetingScreen
        from bip_talk.ui.screens.opening import OpeningScreen

        assert self.caseworker is not None
        session = MeetingSession.open(
            self.workstation.store, self.workstation.pack, citizen_id, self.caseworker
        )
        session.blind_rating = self.workstation.preferences.blind_rating
        unreviewed = [
            i
            for i in plan.items_to_review(session.store, citizen_id, session.meeting.id)
            if i.status == "open"
        ]
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
        translate_bindings(self, self.t)
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
        self.caseworker = self.workstation.current_caseworker()
        self._restart_in(self.t.lang)

    # -- hooks the training app fills in ----------------------------------------------

    def complete_meeting(self, session) -> None:
        session.complete()

    def step_shown(self, screen) -> None:
        """Called when the meeting shows a new indicator."""

    def private_opened(self, indicator: str | None) -> None:
        """Called when the caseworker opens the private reflection."""

    def item_account(self, item) -> str:
        """What the citizen says about an agreed action (a simulated citizen answers)."""
        return ""

    # -- always available ----------------------------------------------------------------

    def action_curtain(self) -> None:
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
        local variables. Show the plain catalog message; details only when debugging."""
        if os.environ.get("BIP_TALK_DEBUG"):
            super()._fatal_error()
            return
        self.bell()
        kind = type(self._exception).__name__ if self._exception else "Error"
        self._exit_renderables.append(self.t("cli.unexpected", kind=kind))
        self._close_messages_no_wait()

    def on_unmount(self) -> None:
        self.workstation.close()


def make_app(workstation: Workstation, *, demo: bool = False) -> BipTalkApp:
    return BipTalkApp(workstation, demo=demo)
