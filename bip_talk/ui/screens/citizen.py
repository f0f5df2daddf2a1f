"""One citizen: who they are, their caseworker, their meetings, and the latest review.
Shows nothing about any other citizen, so it is safe on the shared screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static

from bip_talk.domain.change import build_review
from bip_talk.i18n import format_date
from bip_talk.presenters.review import review_lines
from bip_talk.ui.screens.base import BaseScreen
from bip_talk.ui.widgets.review_table import ReviewTable


class CitizenScreen(BaseScreen):
    CSS_PATH = "citizen.tcss"
    BINDINGS = [
        Binding("m", "meeting", "keys.meeting", id="meeting"),
        Binding("a", "reassign", "keys.reassign", id="reassign"),
        Binding("h", "handover", "keys.handover", id="handover"),
        Binding("escape", "back", "keys.back", id="back"),
        Binding("question_mark", "help", "keys.help", key_display="?", id="help"),
    ]

    def __init__(self, citizen_id: str) -> None:
        super().__init__()
        self.citizen_id = citizen_id

    def compose(self) -> ComposeResult:
        with Vertical(id="citizen"):
            yield Static(id="citizen-head")
            yield Static(id="citizen-meetings")
            yield ReviewTable(id="citizen-review")
        yield Footer()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown: one place fills it.
        self.refresh_view()

    def refresh_view(self) -> None:
        pack, t = self.casework.pack, self.t
        overview = self.casework.citizen_overview(self.citizen_id)
        citizen, cw, done, draft = (
            overview.citizen,
            overview.caseworker,
            overview.completed,
            overview.draft,
        )
        group = next(
            (
                g.name.get(t.lang)
                for g in pack.manifest.target_groups
                if g.id == citizen.target_group
            ),
            "–",
        )
        self.query_one("#citizen-head", Static).update(
            t(
                "citizen.head",
                name=citizen.display_name,
                id=citizen.id,
                group=group,
                caseworker=f"{cw.name} ({cw.initials})" if cw else "–",
            )
        )
        lines = [t("citizen.meetings", count=len(done))]
        if done:
            lines.append(t("citizen.last_meeting", date=format_date(done[-1].held_on, t.lang)))
        if draft:
            lines.append(t("citizen.has_draft", date=format_date(draft.started_at, t.lang)))
        lines.append(t("citizen.start_hint_resume" if draft else "citizen.start_hint"))
        self.query_one("#citizen-meetings", Static).update("\n".join(lines))
        table = self.query_one(ReviewTable)
        history = overview.history
        table.display = bool(history)
        if history:
            table.fill(pack, review_lines(pack, build_review(pack, history), t, shared=True), t)

    def action_meeting(self) -> None:
        self.app.open_meeting(self.citizen_id)

    def action_reassign(self) -> None:
        from bip_talk.ui.screens.reassign import ReassignScreen

        def done(result: tuple[str, str] | None) -> None:
            if result:
                initials, name = result
                target = self.casework.reassign(self.citizen_id, initials, name)
                self.notify(self.t("citizen.reassigned", initials=target.initials))
                self.refresh_view()

        self.app.push_screen(ReassignScreen(), callback=done)

    def action_handover(self) -> None:
        from bip_talk.ui.screens.handover import HandoverScreen

        self.app.push_screen(HandoverScreen(self.citizen_id))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_help(self) -> None:
        from bip_talk.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen("citizen"))
