"""Training mode: the real meeting screens on a throwaway database, with a simulated
citizen answering the citizen's side, feedback after each meeting, and the
calibration drill. Nothing here opens the user's own database."""

from __future__ import annotations

from pathlib import Path

from bip_talk import clock
from bip_talk.services.workstation import Workstation
from bip_talk.ui.app import BipTalkApp

PERSONA_PAUSE = 0.8  # seconds: long enough to see that the citizen "answers"


class TrainingApp(BipTalkApp):
    def __init__(self, workstation: Workstation, rehearsal, report_dir: Path) -> None:
        super().__init__(workstation)
        self.rehearsal = rehearsal
        self.report_dir = report_dir
        self.caseworker = rehearsal.actor
        self.persona_pause = PERSONA_PAUSE

    def apply_preferences(self, prefs) -> None:
        super().apply_preferences(prefs)
        self.title = self.t("training.screen.title")

    def begin(self) -> None:
        from bip_talk.ui.training.screens import TrainingIntroScreen

        def started(result: str | None) -> None:
            if result == "start":
                self.show_meeting()
            else:
                self.exit()

        self.push_screen(TrainingIntroScreen(self.rehearsal), callback=started)

    def on_ready(self) -> None:
        """The pack is already loaded for the rehearsal: nothing to warm up."""

    # -- the meeting ---------------------------------------------------------------------

    def show_meeting(self) -> None:
        from bip_talk.services import plan
        from bip_talk.ui.screens.meeting import MeetingScreen
        from bip_talk.ui.screens.opening import OpeningScreen

        r = self.rehearsal
        self.caseworker = r.actor
        session = r.session
        session.blind_rating = self.workstation.preferences.blind_rating

        def after_meeting(result: str | None) -> None:
            from bip_talk.ui.training.screens import FeedbackScreen

            if result == "completed":
                self.push_screen(
                    FeedbackScreen(r, r.round.checks or []), callback=self._after_feedback
                )
            else:
                # Leaving the meeting with Esc pauses it: back to the introduction.
                self.begin()

        def after_opening(result: str | None) -> None:
            if result == "start":
                self.push_screen(MeetingScreen(session), callback=after_meeting)
            else:
                self.end()

        if plan.items_to_review(r.store, r.citizen_id, session.meeting.id):
            self.push_screen(
                OpeningScreen(session, new_caseworker=r.round.new_caseworker),
                callback=after_opening,
            )
        else:
            after_opening("start")

    def complete_meeting(self, session) -> None:
        # Completes the meeting and scores it; the feedback follows when its screens close.
        self.rehearsal.finish_meeting()

    def _after_feedback(self, result: str | None) -> None:
        if result in ("next", "change"):
            # Close the screens of the finished meeting, then open the next one.
            while len(self.screen_stack) > 1:
                self.pop_screen()
            self.rehearsal.next_meeting(caseworker_changed=result == "change")
            self.show_meeting()
        else:
            self.end()

    def step_shown(self, screen) -> None:
        """The simulated citizen answers the citizen's questions after a short pause."""
        session = screen.session
        side = self.rehearsal.citizen_side
        pending = [i for i in session.items_at(side) if not session.answered(side, i)]
        if not pending or session.meeting.id != self.rehearsal.session.meeting.id:
            return
        screen.show_status(
            self.t("training.screen.thinking", name=self.rehearsal.persona.display_name)
        )
        step = session.step

        def answer() -> None:
            if session.step != step or screen is not self.screen:
                return
            for item in pending:
                if not session.answered(side, item):
                    self.rehearsal.give_answer(item)
            staff = [p for p in session.perspectives_at() if p != side]
            session.go(side=staff[0] if staff else side)
            screen.render_step()

        self.set_timer(self.persona_pause, answer)

    def private_opened(self, indicator: str | None) -> None:
        self.rehearsal.log.open_prompt("belief_reflection", indicator)

    def item_account(self, item) -> str:
        outcome = self.rehearsal.persona_says(item)
        return self.t("training.screen.says", outcome=self.t(f"opening.state_{outcome}"))

    # -- the end -------------------------------------------------------------------------

    def save_training_report(self) -> None:
        r = self.rehearsal
        self.report_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        name = f"bip-talk-training-{r.persona.id}-seed{r.seed}-{clock.today().isoformat()}.md"
        path = r.save_report(self.report_dir / name)
        self.notify(self.t("training.screen.saved", path=path), timeout=10)

    def end(self) -> None:
        self.exit(message=self.t("training.screen.ended"))

    def on_unmount(self) -> None:
        self.rehearsal.close()


class CalibrationApp(BipTalkApp):
    def __init__(self, workstation: Workstation, drill) -> None:
        super().__init__(workstation)
        self.drill = drill

    def apply_preferences(self, prefs) -> None:
        super().apply_preferences(prefs)
        self.title = self.t("training.screen.title")

    def begin(self) -> None:
        from bip_talk.ui.training.screens import CalibrationScreen

        self.push_screen(CalibrationScreen(self.drill))

    def on_ready(self) -> None:
        """The drill loaded the pack already."""
