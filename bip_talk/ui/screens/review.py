"""Review: every indicator with both perspectives now and before, the change in words,
the gaps, the trend, and the agenda of up to three topics on top."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Resize
from textual.widgets import Static

from bip_talk.domain.pack import citizen_topics
from bip_talk.presenters.layout import hanging, key_hint
from bip_talk.presenters.review import action_lines, note_lines, review_lines, topic_text
from bip_talk.services.meeting import MeetingSession
from bip_talk.ui.background import in_background
from bip_talk.ui.keymap import key_labels, written_key
from bip_talk.ui.screens.base import BaseScreen
from bip_talk.ui.sizes import SHORT
from bip_talk.ui.text import plain
from bip_talk.ui.widgets.footer import FittingFooter
from bip_talk.ui.widgets.review_table import ReviewTable

if TYPE_CHECKING:
    from bip_talk.services.reports import Saved


class ReviewScreen(BaseScreen):
    CSS_PATH = "review.tcss"
    BINDINGS = [
        Binding("p", "pick_topic", "keys.pick_topic", id="pick-topic"),
        Binding("l", "plan", "keys.plan", id="plan"),
        Binding("f", "finish", "keys.finish", id="finish"),
        # Reports (help and palette list them; left out of the footer to keep it short).
        Binding("j", "copy_journal", "keys.copy_journal", id="copy-journal", show=False),
        Binding("s", "save_reports", "keys.save_citizen_reports", id="save-reports", show=False),
        Binding("escape", "back", "keys.back_to_meeting", id="back"),
        Binding("question_mark,f1", "help", "keys.help", key_display="?", id="help"),
    ]

    def __init__(self, session: MeetingSession) -> None:
        super().__init__()
        self.session = session
        self._width = 0
        self._short = False
        self._agenda = ""
        self._notes = session.shared_notes()  # only what the citizen may read

    def compose(self) -> ComposeResult:
        with Vertical(id="review"):
            yield Static(id="review-title")
            yield Static(id="agenda")
            yield Static(id="agenda-hint")
            yield Static(id="reviewed-actions")
            yield Static(id="review-notes")
            yield ReviewTable(id="review-table")
            yield Static(id="review-legend")
        yield FittingFooter()

    def on_mount(self) -> None:
        c = self.session.citizen
        self.query_one("#review-title", Static).update(
            plain(self.t("review.title", name=c.display_name, id=c.id))
        )
        self.query_one("#agenda-hint", Static).update(self.t("agenda.pick_hint"))
        self._short = self.app.size.height < SHORT
        self.set_class(self._short, "-short")
        self.refresh_review()
        self.query_one(ReviewTable).focus()

    def refresh_review(self) -> None:
        pack, t = self.session.pack, self.t
        topics = self.session.agenda()
        if topics:
            lines = [t("agenda.heading")] + [
                f"  {n}. {topic_text(topic, pack, t)}" for n, topic in enumerate(topics, start=1)
            ]
        else:
            lines = [t("agenda.heading"), f"  {t('agenda.none')}"]
        self._agenda = "\n".join(lines)
        self._fill_width()

    def _fill_width(self) -> None:
        """What is laid out to the width: the actions' lines and the table's columns."""
        s, pack, t = self.session, self.session.pack, self.t
        width = self._width = self.app.size.width
        # A topic's line that wraps goes on under its text, not under "1." or at the edge.
        agenda = hanging(self._agenda, width - 2, extra=0, under_mark=True)
        self.query_one("#agenda", Static).update(plain(agenda))
        legend = key_hint(self.t("review.legend"), width - 2)  # wraps between its phrases
        self.query_one("#review-legend", Static).update(plain(legend))
        actions = self.query_one("#reviewed-actions", Static)
        reviewed = action_lines(
            self.casework.reviewed_items(s),
            [*s.earlier, s.current()],
            pack,
            t,
            width - 2,
            today=s.meeting.held_on,
        )
        actions.update(plain("\n".join(reviewed)))
        actions.display = bool(reviewed)
        # Today's notes: a line each on a short screen, so the table keeps its room.
        most, rows = (2, 1) if self._short else (4, 2)
        save = written_key(
            key_labels(self.app, self, self.workstation.preferences.keymap)["save-reports"]
        )
        noted = note_lines(
            self._notes, pack, t, width - 2, most=most, rows_each=rows, save_key=save
        )
        notes = self.query_one("#review-notes", Static)
        notes.update(plain("\n".join(noted)))
        notes.display = bool(noted)
        self.query_one(ReviewTable).fill(
            pack, review_lines(pack, s.review(), t, shared=True), t, width=width
        )

    def on_resize(self, event: Resize) -> None:
        short = event.size.height < SHORT
        self.set_class(short, "-short")
        if event.size.width != self._width or short != self._short:
            self._width, self._short = event.size.width, short
            self._fill_width()

    def action_pick_topic(self) -> None:
        from bip_talk.ui.screens.pick_topic import PickTopicScreen

        # The citizen's own choice: only topics they answer, in their words.
        choices = [(i.id, i.said(self.t.lang)) for i in citizen_topics(self.session.pack)]

        def chosen(result: str | None) -> None:
            if result is None:
                return
            self.session.choose_priority(result or None)
            self.refresh_review()

        self.app.push_screen(
            PickTopicScreen(choices, self.session.meeting.priority), callback=chosen
        )

    def action_plan(self) -> None:
        from bip_talk.ui.screens.plan import PlanScreen

        def back(result: str | None) -> None:
            if result == "completed":
                self.dismiss("completed")
            else:
                self.refresh_review()

        self.app.push_screen(PlanScreen(self.session), callback=back)

    def action_finish(self) -> None:
        finish_meeting(self, self.session)

    def action_copy_journal(self) -> None:
        """The journal note, without private data, to paste into the case system; built
        beside the meeting like every report."""
        t, casework, session = self.t, self.casework, self.session

        db = self.app.workstation.settings.db_option()

        def copied(text: str) -> str:
            self.app.copy_to_clipboard(text)
            return t("reports.copied", lines=text.count("\n"), id=session.citizen.id, db=db)

        in_background(
            self.app,
            t,
            lambda: casework.journal_note(session),
            group="journal-note",
            busy=None,  # a moment's work: the notice comes with the copy
            still_busy=None,
            done=copied,
            failed=lambda reason: t("reports.copy_failed", reason=reason),
        )

    def action_save_reports(self) -> None:
        """The citizen's summary and HTML report into the data folder's reports/, in a
        worker: rendering a long history must not hold up the meeting."""
        t, casework, session = self.t, self.casework, self.session

        def saved(paths: Saved) -> str:
            return t("reports.saved", summary=paths.summary, html=paths.html)

        in_background(
            self.app,
            t,
            lambda: casework.save_meeting_reports(session),
            group="save-reports",
            busy=t("reports.saving"),
            still_busy=t("reports.still_saving"),
            done=saved,
            failed=lambda reason: t("reports.save_failed", reason=reason),
        )

    def action_back(self) -> None:
        self.dismiss(None)

    def action_help(self) -> None:
        from bip_talk.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen("review"))


def finish_meeting(screen: BaseScreen, session: MeetingSession) -> None:
    """Ask, then mark the meeting complete; the screen is dismissed with "completed"."""
    from bip_talk.ui.screens.confirm import ConfirmScreen

    t = screen.t
    answered, total = session.progress()
    missing = answered < total
    if missing:
        question = t("review.finish_incomplete", missing=total - answered)
    else:
        question = t("review.finish_confirm")

    def confirmed(ok: bool | None) -> None:
        if ok:
            screen.casework.complete_meeting(session)
            screen.notify(t("review.completed"))
            screen.dismiss("completed")

    screen.app.push_screen(ConfirmScreen(question, safe_no=missing), callback=confirmed)
