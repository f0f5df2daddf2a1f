"""Review: every indicator with both perspectives now and before, the change in words,
the gaps, the trend, and the agenda of up to three topics on top."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static

from bip_talk.domain.pack import is_private_indicator
from bip_talk.services.meeting import MeetingSession
from bip_talk.services.review_view import review_lines, topic_text
from bip_talk.ui.screens.base import BaseScreen
from bip_talk.ui.widgets.review_table import ReviewTable


class ReviewScreen(BaseScreen):
    BINDINGS = [
        Binding("p", "pick_topic", "keys.pick_topic", id="pick-topic"),
        Binding("f", "finish", "keys.finish", id="finish"),
        Binding("escape", "back", "keys.back_to_meeting", id="back"),
        Binding("question_mark", "help", "keys.help", key_display="?", id="help"),
    ]

    def __init__(self, session: MeetingSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(id="review"):
            yield Static(id="review-title")
            yield Static(id="agenda")
            yield ReviewTable(id="review-table")
            yield Static(id="review-legend")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        c = self.session.citizen
        self.query_one("#review-title", Static).update(
            self.t("review.title", name=c.display_name, id=c.id))
        self.query_one("#review-legend", Static).update(self.t("review.legend"))
        self.refresh_review()
        self.query_one(ReviewTable).focus()

    def refresh_review(self) -> None:
        pack, t = self.session.pack, self.t
        review = self.session.review()
        topics = self.session.agenda()
        if topics:
            lines = [t("agenda.heading")] + [
                f"  {n}. {topic_text(topic, pack, t)}" for n, topic in enumerate(topics, start=1)
            ]
        else:
            lines = [t("agenda.heading"), f"  {t('agenda.none')}"]
        lines.append(t("agenda.pick_hint"))
        self.query_one("#agenda", Static).update("\n".join(lines))
        self.query_one(ReviewTable).fill(pack, review_lines(pack, review, t, shared=True), t)

    def action_pick_topic(self) -> None:
        from bip_talk.ui.screens.pick_topic import PickTopicScreen

        pack = self.session.pack
        choices = [
            (i.id, i.name.get(self.t.lang)) for i in pack.indicators
            if i.id in pack.steps() and not is_private_indicator(pack, i.id)
        ]

        def chosen(result: str | None) -> None:
            if result is None:
                return
            self.session.choose_priority(result or None)
            self.refresh_review()

        self.app.push_screen(PickTopicScreen(choices, self.session.meeting.priority), callback=chosen)

    def action_finish(self) -> None:
        from bip_talk.ui.screens.confirm import ConfirmScreen

        answered, total = self.session.progress()
        if answered < total:
            question = self.t("review.finish_incomplete", missing=total - answered)
        else:
            question = self.t("review.finish_confirm")

        def confirmed(ok: bool | None) -> None:
            if ok:
                self.session.complete()
                self.notify(self.t("review.completed"))
                self.dismiss("completed")

        self.app.push_screen(ConfirmScreen(question), callback=confirmed)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_help(self) -> None:
        from bip_talk.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen("review"))
