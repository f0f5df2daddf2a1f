"""Training screens: the persona's introduction, the meeting screen with the simulated
citizen, the feedback after each rehearsed meeting, and the calibration drill."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import OptionList, Static

from bip_talk import clock
from bip_talk.domain.training.feedback import Check
from bip_talk.errors import BipTalkError, InputError
from bip_talk.i18n import Translator, format_date
from bip_talk.presenters.layout import hanging, key_hint
from bip_talk.services.meeting import MeetingSession
from bip_talk.services.training.calibration_drill import Drill, Task
from bip_talk.services.training.rehearsal import Rehearsal
from bip_talk.ui.background import in_background
from bip_talk.ui.messages import PrivateOpened, StepShown
from bip_talk.ui.screens.base import BaseModal, BaseScreen
from bip_talk.ui.screens.meeting import MeetingScreen
from bip_talk.ui.text import plain, safe_text
from bip_talk.ui.widgets.footer import FittingFooter
from bip_talk.ui.widgets.marked import MarkedOptionList


class TrainingIntroScreen(BaseScreen):
    BINDINGS = [
        Binding("enter", "start", "keys.start", id="start"),
        Binding("escape,q", "end", "keys.end_training", id="end"),
    ]

    def __init__(self, rehearsal: Rehearsal) -> None:
        super().__init__()
        self.rehearsal = rehearsal

    def compose(self) -> ComposeResult:
        r, t = self.rehearsal, self.t
        name = r.persona.display_name
        with VerticalScroll(id="training-intro"):
            yield Static(plain(t("training.screen.intro_title", name=name)), classes="screen-title")
            yield Static(plain(r.notice), classes="dialog-error")
            yield Static(plain(r.persona.story.get(t.lang)), id="persona-story")
            yield Static(t("training.screen.seed", seed=r.seed), classes="hint")
            yield Static(plain(t("training.screen.intro_keys", name=name)), classes="hint")
        yield FittingFooter()

    def action_start(self) -> None:
        self.dismiss("start")

    def action_end(self) -> None:
        end_or_save(self)


def save_report(rehearsal: Rehearsal, folder: Path, t: Translator) -> Path:
    """The trainee's Markdown report in ``folder`` (made if needed)."""
    name = (
        f"bip-talk-training-{rehearsal.persona.id}-seed{rehearsal.seed}-"
        f"{clock.today().isoformat()}.md"
    )
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(t("reports.out_unwritable", path=folder, reason=reason)) from None
    return rehearsal.save_report(folder / name)


def end_or_save(screen: BaseScreen) -> None:
    """End the rehearsal; after a held meeting whose report is not saved, first offer
    to save it (saved, ended without it, or back to the rehearsal)."""
    from bip_talk.ui.training.app import TrainingApp

    app = screen.app
    if not isinstance(app, TrainingApp) or app.unsaved_meetings <= 0:
        screen.dismiss("end")
        return

    def chosen(answer: str | None) -> None:
        if answer == "save":
            try:
                path = save_report(app.rehearsal, app.report_dir, screen.t)
            except BipTalkError as exc:
                screen.notify(safe_text(exc), severity="error", markup=False)
                return
            app.saved_rounds += app.unsaved_meetings
            screen.notify(safe_text(screen.t("training.screen.saved", path=path)), markup=False)
            screen.dismiss("end")
        elif answer == "end":
            screen.dismiss("end")

    app.push_screen(SaveBeforeEndScreen(), callback=chosen)


class SaveBeforeEndScreen(BaseModal):
    """Save the report before the rehearsal ends? Three answers, Esc goes back."""

    BINDINGS = [Binding("escape", "back", "keys.back", id="back")]

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(classes="dialog"):
            yield Static(t("training.screen.save_before_end"), classes="dialog-title")
            yield MarkedOptionList(
                (t("training.screen.save_and_end"), "save"),
                (t("training.screen.end_unsaved"), "end"),
                (t("training.screen.back_to_rehearsal"), "back"),
                id="save-choices",
            )
            yield Static(t("training.screen.save_before_end_hint"), classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(MarkedOptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_back(self) -> None:
        self.dismiss("back")


class RehearsalMeetingScreen(MeetingScreen):
    """The real meeting screen; the simulated citizen answers the citizen's questions
    after a short pause, and the trainee can mark a step as talked about (``t``)."""

    BINDINGS = [Binding("t", "discussed", "keys.discussed", id="discussed")]

    def __init__(self, session: MeetingSession, rehearsal: Rehearsal, *, pause: float) -> None:
        super().__init__(session)
        self.rehearsal = rehearsal
        self.pause = pause

    def on_step_shown(self, message: StepShown) -> None:
        session, r = self.session, self.rehearsal
        side = r.citizen_side
        pending = [i for i in session.items_at(side) if not session.answered(side, i)]
        if not pending or session.meeting.id != r.session.meeting.id:
            return
        self.show_status(self.t("training.screen.thinking", name=r.persona.display_name))
        step = message.step

        def answer() -> None:
            if session.step != step or self.app.screen is not self:
                return
            for item in pending:
                if not session.answered(side, item):
                    r.give_answer(item)
            staff = [p for p in session.perspectives_at() if p != side]
            session.go(side=staff[0] if staff else side)
            self.render_step()

        self.set_timer(self.pause, answer)

    def on_private_opened(self, message: PrivateOpened) -> None:
        self.rehearsal.log.open_prompt("belief_reflection", message.indicator)

    def action_discussed(self) -> None:
        self.rehearsal.log.discussed.add(self.session.step_id)
        self.notify(self.t("training.screen.discussed"))


class FeedbackScreen(BaseScreen):
    DEFAULT_CSS = "#feedback-text { padding: 0 1; }"  # in line with the title and hints
    BINDINGS = [
        Binding("n", "next(False)", "keys.next_meeting", id="next"),
        Binding("c", "next(True)", "keys.next_meeting_change", id="next-change"),
        Binding("s", "save", "keys.save_report", id="save"),
        Binding("q,escape", "end", "keys.end_training", id="end"),
    ]

    def __init__(self, rehearsal: Rehearsal, checks: list[Check], report_dir: Path) -> None:
        super().__init__()
        self.rehearsal = rehearsal
        self.checks = checks
        self.report_dir = report_dir

    def compose(self) -> ComposeResult:
        from bip_talk.services.training.report import describe

        r, t = self.rehearsal, self.t
        marks = {"passed": "✓", "failed": "✗", "not_applicable": "–"}
        lines = []
        for check in self.checks:
            text = describe(check, r.pack, r.evidence, t)
            lines.append(f"{marks.get(check.status, '?')} {text.title} – {text.status}")
            lines.append(f"    {text.reason}")
            lines.append("")
        self._feedback = "\n".join(lines)
        with Vertical(id="feedback"):
            yield Static(
                t(
                    "training.screen.feedback_title",
                    number=r.round.number,
                    date=format_date(r.round.held_on, t.lang),
                ),
                classes="screen-title",
            )
            yield Static(t("training.screen.feedback_intro"), classes="hint")
            with VerticalScroll(id="feedback-body"):
                yield Static(id="feedback-text")
            yield Static(id="feedback-keys", classes="hint")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.show_feedback()

    def on_resize(self) -> None:
        self.show_feedback()

    def show_feedback(self) -> None:
        """Each check wrapped to the width: its title's line goes on under the title,
        its reason's under the reason (never at the edge; room left for the scroll bar)."""
        width = self.app.size.width
        text = hanging(self._feedback, width - 4, extra=0, under_mark=True)
        self.query_one("#feedback-text", Static).update(plain(text))
        keys = key_hint(self.t("training.screen.feedback_keys"), width - 2)
        self.query_one("#feedback-keys", Static).update(plain(keys))

    def action_next(self, caseworker_changed: bool) -> None:
        self.dismiss("change" if caseworker_changed else "next")

    def action_save(self) -> None:
        """The trainee's Markdown report, in a worker like every save from a screen."""
        from bip_talk.ui.training.app import TrainingApp

        r, t, folder = self.rehearsal, self.t, self.report_dir
        app = self.app

        def saved(path: Path) -> str:
            if isinstance(app, TrainingApp):
                app.saved_rounds = sum(1 for x in r.rounds if x.finished)
            return t("training.screen.saved", path=path)

        in_background(
            self.app,
            t,
            lambda: save_report(r, folder, t),
            group="save-training-report",
            busy=t("training.screen.saving"),
            still_busy=t("reports.still_saving"),
            done=saved,
            failed=lambda reason: t("reports.save_failed", reason=reason),
        )

    def action_end(self) -> None:
        end_or_save(self)


class CalibrationScreen(BaseScreen):
    """Rate each short case on the indicators it has a reference for; then see the
    reference and the reasoning; at the end, agreement framed as learning."""

    BINDINGS = [
        *[
            Binding(
                str(d), f"rate({d})", "keys.rate", show=d == 1, key_display="1–5", id=f"rate-{d}"
            )
            for d in range(1, 6)
        ],
        Binding("enter", "next", "keys.next", id="next"),
        Binding("q,escape", "end", "keys.end_training", id="end"),
    ]

    def __init__(self, drill: Drill) -> None:
        super().__init__()
        self.drill = drill
        self.case = 0
        self.task_index = 0
        self.revealed = False
        self.finished = False

    def compose(self) -> ComposeResult:
        with Vertical(id="calibration"):
            yield Static(id="case-title", classes="screen-title")
            with VerticalScroll(id="case-body"):
                yield Static(id="case-text")
                yield Static(id="case-task")
                yield Static(id="case-reveal")
            yield Static(id="case-hint", classes="hint")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.show_case()

    def _tasks(self) -> list[Task]:
        from bip_talk.services.training.calibration_drill import tasks

        return tasks(self.drill.pack, [self.drill.order[self.case]])

    def show_case(self) -> None:
        t, drill = self.t, self.drill
        if self.finished:
            self.query_one("#case-title", Static).update(t("training.screen.drill_summary_title"))
            self.query_one("#case-text", Static).update(plain("\n".join(drill.summary())))
            self.query_one("#case-task", Static).update("")
            self.query_one("#case-reveal", Static).update("")
            self.query_one("#case-hint", Static).update(t("training.screen.drill_done"))
            return
        vignette = drill.order[self.case]
        self.query_one("#case-title", Static).update(
            plain(
                t(
                    "training.screen.drill_title",
                    number=self.case + 1,
                    total=len(drill.order),
                    title=vignette.title.get(t.lang),
                )
            )
        )
        self.query_one("#case-text", Static).update(
            plain((drill.intro + "\n\n" if self.case == 0 else "") + vignette.text.get(t.lang))
        )
        tasks = self._tasks()
        if not self.revealed:
            task = tasks[self.task_index]
            name = drill.pack.indicator(task.indicator).name.get(t.lang)
            labels = [f"  {n} {drill.label(task.indicator, n)}" for n in range(1, 6)]
            self.query_one("#case-task", Static).update(
                plain("\n".join([t("training.screen.drill_rate", indicator=name), *labels]))
            )
            self.query_one("#case-reveal", Static).update("")
            self.query_one("#case-hint", Static).update("")
        else:
            self.query_one("#case-task", Static).update("")
            self.query_one("#case-reveal", Static).update(
                plain("\n".join(drill.reveal(vignette.id)))
            )
            self.query_one("#case-hint", Static).update(t("training.screen.drill_next"))

    def action_rate(self, value: int) -> None:
        if self.revealed or self.finished:
            return
        vignette = self.drill.order[self.case]
        task = self._tasks()[self.task_index]
        self.drill.rate(vignette.id, task.indicator, value)
        if self.task_index + 1 < len(self._tasks()):
            self.task_index += 1
        else:
            self.revealed = True
        self.show_case()

    def action_next(self) -> None:
        if self.finished:
            self.action_end()
            return
        if not self.revealed:
            return
        if self.case + 1 < len(self.drill.order):
            self.case += 1
            self.task_index = 0
            self.revealed = False
        else:
            self.finished = True
        self.show_case()

    def action_end(self) -> None:
        self.app.exit()
