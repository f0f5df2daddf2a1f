"""Training mode: the real meeting screens on a throwaway database, with a simulated
citizen answering the citizen's side, feedback after each meeting, and the
calibration drill. Nothing here opens the user's own database."""

from __future__ import annotations

from pathlib import Path

from bip_talk.domain.entities import PlanItem
from bip_talk.services.training.calibration_drill import Drill
from bip_talk.services.training.rehearsal import Rehearsal
from bip_talk.services.workstation import Workstation
from bip_talk.settings import Preferences
from bip_talk.ui.app import BipTalkApp

PERSONA_PAUSE = 0.8  # seconds: long enough to see that the citizen "answers"


class TrainingApp(BipTalkApp):
    def __init__(self, workstation: Workstation, rehearsal: Rehearsal, report_dir: Path) -> None:
        super().__init__(workstation)
        self.rehearsal = rehearsal
        self.report_dir = report_dir
        self._casework = workstation.open().acting_as(rehearsal.actor)
        self.persona_pause = PERSONA_PAUSE
        self.saved_rounds = 0  # finished meetings in the report saved last

    def apply_preferences(self, prefs: Preferences) -> None:
        super().apply_preferences(prefs)
        self.title = self.t("training.screen.title")

    def begin(self) -> None:
        from bip_talk.ui.training.screens import TrainingIntroScreen

        def started(result: str | None) -> None:
            if result == "start":
                self.show_meeting()
            else:
                self.end()

        self.push_screen(TrainingIntroScreen(self.rehearsal), callback=started)

    @property
    def unsaved_meetings(self) -> int:
        """Meetings held since the report was last saved (the end offers to save it)."""
        return sum(1 for r in self.rehearsal.rounds if r.finished) - self.saved_rounds

    def on_ready(self) -> None:
        """The pack is already loaded for the rehearsal: nothing to warm up."""

    # -- the meeting ---------------------------------------------------------------------

    def show_meeting(self) -> None:
        from bip_talk.ui.screens.opening import OpeningScreen
        from bip_talk.ui.training.screens import RehearsalMeetingScreen

        r = self.rehearsal
        # After a change of caseworker the trainee plays the new one.
        self._casework = self.casework.acting_as(r.actor)
        session = r.session
        session.blind_rating = self.workstation.preferences.blind_rating

        def after_meeting(result: str | None) -> None:
            from bip_talk.ui.training.screens import FeedbackScreen

            if result == "completed":
                # The screens completed the meeting; now it is scored.
                checks = r.finish_meeting()
                self.push_screen(
                    FeedbackScreen(r, checks, self.report_dir), callback=self._after_feedback
                )
            else:
                # Leaving the meeting with Esc pauses it: back to the introduction.
                self.begin()

        def after_opening(result: str | None) -> None:
            if result == "start":
                self.push_screen(
                    RehearsalMeetingScreen(session, r, pause=self.persona_pause),
                    callback=after_meeting,
                )
            else:
                self.end()

        def opening(handed_over: bool = False) -> None:
            # As the real app: the opening words first, unless the meeting is under way
            # with nothing left to review.
            unreviewed = [
                i
                for i in self.casework.items_to_review(session)
                if self.casework.review_outcome(session, i) is None
            ]
            if unreviewed or not session.answers:
                self.push_screen(
                    OpeningScreen(
                        session,
                        new_caseworker=r.round.new_caseworker or handed_over,
                        account=self._account,
                    ),
                    callback=after_opening,
                )
            else:
                after_opening("start")

        # As in the real app: after a change of caseworker the opening says so, and the
        # handover opens on the caseworker's key (h), never by itself.
        opening(handed_over=self.casework.needs_handover(session.citizen.id))

    def _account(self, item: PlanItem) -> str:
        """The simulated citizen's own account of an agreed action."""
        outcome = self.rehearsal.persona_says(item)
        return self.t("training.screen.says", outcome=self.t(f"opening.state_{outcome}"))

    def _after_feedback(self, result: str | None) -> None:
        if result in ("next", "change"):
            # Close the screens of the finished meeting, then open the next one.
            while len(self.screen_stack) > 1:
                self.pop_screen()
            self.rehearsal.next_meeting(caseworker_changed=result == "change")
            self.show_meeting()
        else:
            self.end()

    # -- the end -------------------------------------------------------------------------

    def end(self) -> None:
        self.exit(message=self.t("training.screen.ended"))

    def quit_question(self, answered: int, total: int) -> str:
        """A rehearsal lives in a temporary database: quitting ends it for good."""
        return self.t("training.screen.quit_question")

    def on_unmount(self) -> None:
        self.rehearsal.close()


class CalibrationApp(BipTalkApp):
    def __init__(self, workstation: Workstation, drill: Drill) -> None:
        super().__init__(workstation)
        self.drill = drill

    def apply_preferences(self, prefs: Preferences) -> None:
        super().apply_preferences(prefs)
        self.title = self.t("training.screen.title")

    def begin(self) -> None:
        from bip_talk.ui.training.screens import CalibrationScreen

        self.push_screen(CalibrationScreen(self.drill))

    def on_ready(self) -> None:
        """The drill loaded the pack already."""
