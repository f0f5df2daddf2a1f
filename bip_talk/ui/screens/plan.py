"""Next steps from the evidence: ranked suggestions with their reasons and sources;
accept, decline (with a reason), add a free one, edit; the plan as agreed so far; the
solution-focused closing. Private suggestions are only behind `v`."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from bip_talk import clock
from bip_talk.domain.entities import PlanItem
from bip_talk.domain.evidence import Suggestion
from bip_talk.domain.evidence_model import evidence_of
from bip_talk.errors import BipTalkError
from bip_talk.presenters.plan import plan_lines, suggestion_text
from bip_talk.services import plan
from bip_talk.services.meeting import MeetingSession
from bip_talk.services.prompts import closing_prompt
from bip_talk.ui.screens.base import BaseScreen
from bip_talk.ui.screens.plan_item import PlanItemDialog, ReasonDialog
from bip_talk.ui.text import plain, safe_text

NEXT_MEETING_DAYS = 91  # BIP: a measurement about every 3 months


class PlanScreen(BaseScreen):
    CSS_PATH = "plan.tcss"
    BINDINGS = [
        Binding("a", "accept", "keys.accept", id="accept"),
        Binding("d", "decline", "keys.decline_suggestion", id="decline"),
        Binding("n", "new_item", "keys.new_item", id="new-item"),
        Binding("e", "edit_item", "keys.edit_item", id="edit-item"),
        Binding("v", "private", "keys.private", id="private"),
        Binding("f", "finish", "keys.finish", id="finish"),
        Binding("escape", "back", "keys.back_to_review", id="back"),
    ]

    def __init__(self, session: MeetingSession) -> None:
        super().__init__()
        self.session = session
        self.suggestions: list[Suggestion] = []
        self.open_items: list[PlanItem] = []
        self.private_count = 0

    def compose(self) -> ComposeResult:
        with Vertical(id="plan"):
            yield Static(id="plan-title", classes="screen-title")
            with Horizontal(id="plan-columns"):
                with Vertical(id="plan-left"):
                    yield Static(self.t("planui.suggestions_heading"), classes="section-title")
                    yield OptionList(id="suggestions")
                with Vertical(id="plan-right"):
                    yield Static(self.t("planui.plan_heading"), classes="section-title")
                    yield OptionList(id="plan-items")
                    yield Static(self.t("planui.closing_heading"), classes="section-title")
                    with VerticalScroll(id="closing-box"):
                        yield Static(id="closing")
            yield Static(id="plan-hint", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        c = self.session.citizen
        self.query_one("#plan-title", Static).update(
            plain(self.t("planui.title", name=c.display_name, id=c.id))
        )
        self.refresh_plan()
        self.query_one("#suggestions", OptionList).focus()

    # -- state ---------------------------------------------------------------------------

    def _all_suggestions(self) -> list[Suggestion]:
        return self.casework.suggestions(self.session)

    def refresh_plan(self) -> None:
        s, t = self.session, self.t
        everything = self._all_suggestions()
        self.private_count = sum(1 for x in everything if x.private)
        self.suggestions = [x for x in everything if not x.private]
        listing = self.query_one("#suggestions", OptionList)
        keep = listing.highlighted or 0
        listing.clear_options()
        options: list[Option | None] = []
        for x in self.suggestions:
            if options:
                options.append(None)  # a separator line between suggestions
            options.append(Option(plain(suggestion_text(x, s.pack, t)), id=f"{x.rule_id}:{x.kind}"))
        listing.add_options(options)
        if self.suggestions:
            listing.highlighted = min(keep, len(self.suggestions) - 1)
        items = self.casework.plan_items(s)
        self.open_items = [i for i in items if i.status == "open"]
        agreed_list = self.query_one("#plan-items", OptionList)
        keep_item = agreed_list.highlighted or 0
        agreed_list.clear_options()
        agreed_list.add_options(
            [Option(plain(line)) for line in plan_lines(items, s.meeting.id, t)]
        )
        if self.open_items:
            agreed_list.highlighted = min(keep_item, len(self.open_items) - 1)
        agreed = [i for i in self.open_items if i.meeting_id == s.meeting.id]
        topics = [s.pack.indicator(topic.indicator).name.get(t.lang) for topic in s.agenda()]
        next_meeting = (clock.today() + timedelta(days=NEXT_MEETING_DAYS)).isoformat()
        closing = closing_prompt(
            t.lang,
            citizen=s.citizen.display_name,
            topics=topics,
            agreed=agreed,
            next_meeting=next_meeting,
        )
        self.query_one("#closing", Static).update(plain(closing.text.strip()))
        hint = t("planui.hint")
        if self.private_count:
            hint += "  " + t("planui.private_hint", count=self.private_count)
        if not self.suggestions:
            hint = t("planui.no_suggestions") + "  " + hint
        self.query_one("#plan-hint", Static).update(plain(hint))

    def _highlighted(self) -> Suggestion | None:
        listing = self.query_one("#suggestions", OptionList)
        if not self.suggestions or listing.highlighted is None:
            return None
        return self.suggestions[listing.highlighted]

    def _default_due(self) -> str:
        return (clock.today() + timedelta(days=NEXT_MEETING_DAYS)).isoformat()

    # -- actions -------------------------------------------------------------------------

    def _run(self, call: Callable[[], Any]) -> bool:
        try:
            call()
        except BipTalkError as exc:
            self.notify(safe_text(exc), severity="error", timeout=8, markup=False)
            return False
        self.refresh_plan()
        return True

    def action_accept(self) -> None:
        chosen = self._highlighted()
        if chosen is None:
            return
        s, t = self.session, self.t
        if chosen.keep_going is not None:
            self.notify(t("planui.kept_going"))
            return
        values = {
            "title": chosen.title.get(t.lang),
            "responsible": t("planui.default_responsible"),
            "starts_on": clock.today().isoformat(),
            "due_on": self._default_due(),
        }

        def done(result: dict[str, str] | None) -> None:
            if result is None:
                return
            if self._run(
                lambda: self.casework.accept(
                    s,
                    chosen,
                    responsible=result["responsible"],
                    due_on=result["due_on"],
                    starts_on=result["starts_on"],
                    title=result["title"],
                )
            ):
                self.notify(safe_text(t("planui.accepted", title=result["title"])), markup=False)

        self.app.push_screen(PlanItemDialog(t("planui.accept_title"), values, None), callback=done)

    def action_decline(self) -> None:
        chosen = self._highlighted()
        if chosen is None:
            return
        s, t = self.session, self.t

        def done(reason: str | None) -> None:
            if reason is None:
                return
            if self._run(lambda: self.casework.decline(s, chosen, reason)):
                self.notify(
                    safe_text(t("planui.declined", title=chosen.title.get(t.lang))), markup=False
                )

        self.app.push_screen(
            ReasonDialog(t("planui.decline_title", title=chosen.title.get(t.lang))), callback=done
        )

    def _kinds(self) -> list[tuple[str, str]]:
        evidence = evidence_of(self.session.pack)
        lang = self.t.lang
        kinds = [(i.name.get(lang), i.id) for i in evidence.interventions] if evidence else []
        kinds += [(a.name.get(lang), a.id) for a in evidence.actions] if evidence else []
        return kinds + [(self.t("planui.kind_other"), plan.FREE_KIND)]

    def action_new_item(self) -> None:
        s, t = self.session, self.t
        values = {
            "responsible": t("planui.default_responsible"),
            "starts_on": clock.today().isoformat(),
            "due_on": self._default_due(),
        }

        def done(result: dict[str, str] | None) -> None:
            if result is None:
                return
            warnings = self.casework.warnings_for_kind(s, result["kind"])
            if warnings:
                reasons = " ".join(w.reason.get(t.lang) for w in warnings if w.reason)
                self.notify(
                    safe_text(t("planui.against_evidence", reasons=reasons or "–")),
                    severity="warning",
                    timeout=12,
                    markup=False,
                )
            self._run(
                lambda: self.casework.add_plan_item(
                    s,
                    kind=result["kind"],
                    title=result["title"],
                    responsible=result["responsible"],
                    due_on=result["due_on"],
                    starts_on=result["starts_on"],
                )
            )

        self.app.push_screen(
            PlanItemDialog(t("planui.new_title"), values, self._kinds()), callback=done
        )

    def action_edit_item(self) -> None:
        s, t = self.session, self.t
        agreed_list = self.query_one("#plan-items", OptionList)
        if not self.open_items:
            self.notify(t("planui.plan_empty"))
            return
        index = agreed_list.highlighted if agreed_list.highlighted is not None else 0
        item = self.open_items[min(index, len(self.open_items) - 1)]
        values = {
            "title": item.title,
            "responsible": item.responsible or "",
            "starts_on": item.starts_on or "",
            "due_on": item.due_on or "",
        }

        def done(result: dict[str, str] | None) -> None:
            if result is None:
                return
            self._run(lambda: self.casework.edit_plan_item(s, item.id, **result))

        self.app.push_screen(
            PlanItemDialog(t("planui.edit_title", title=item.title), values, None), callback=done
        )

    def action_private(self) -> None:
        from bip_talk.ui.screens.private import PrivateScreen

        s, t = self.session, self.t
        private = [x for x in self._all_suggestions() if x.private]
        text = "\n\n".join(suggestion_text(x, s.pack, t) for x in private) or t("planui.no_private")
        self.app.push_screen(PrivateScreen(text))

    def action_finish(self) -> None:
        from bip_talk.ui.screens.review import finish_meeting

        finish_meeting(self, self.session)

    def action_back(self) -> None:
        self.dismiss(None)
