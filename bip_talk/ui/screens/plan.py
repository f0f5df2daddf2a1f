"""Next steps from the evidence: ranked suggestions, each with why in the citizen's words,
in the order ``bip-talk suggest`` prints them; accept with one key (who and when
proposed, edited afterwards) or with Enter in a dialog first; decline with one key (the
reason afterwards: ``d`` again); a free action; the plan as agreed so far; the
solution-focused closing. The caseworker's own views open on purpose and are headed as
theirs: the evidence behind a suggestion (``i``: figures, caveats, sources) and the
private notes (``v``).

A declined suggestion says so in words and moves below the open ones. At the first
meeting after a change of caseworker, a line above the suggestions says so first."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.widgets import OptionList, Static

from bip_talk.domain.entities import PlanItem
from bip_talk.domain.evidence import Suggestion
from bip_talk.errors import BipTalkError
from bip_talk.i18n import format_date
from bip_talk.presenters.layout import hanging, key_hint
from bip_talk.presenters.plan import (
    PlanListing,
    SuggestionLine,
    heading,
    plan_lines,
    plan_listing,
    rules_text,
)
from bip_talk.services.meeting import MeetingSession
from bip_talk.services.plan import declined_before
from bip_talk.services.prompts import closing_prompt
from bip_talk.ui.screens.base import BaseScreen
from bip_talk.ui.screens.plan_item import PlanItemDialog, ReasonDialog
from bip_talk.ui.text import plain, safe_text
from bip_talk.ui.widgets.footer import FittingFooter
from bip_talk.ui.widgets.marked import MARK, MarkedOptionList

NARROW = 100  # below this width the lists stack and the closing opens on c


def _row_id(line: SuggestionLine) -> str:
    return f"{line.suggestion.rule_id}:{line.suggestion.kind}"


class WrappedRows(MarkedOptionList):
    """A marked list whose rows the screen wraps to its width: a new width lays them
    out again (the screen's own resize comes before the list has its new size)."""

    def on_resize(self, event: Resize) -> None:
        if event.size.width != getattr(self, "_laid_out_for", None):
            self._laid_out_for = event.size.width
            screen = self.screen
            if isinstance(screen, PlanScreen):
                screen.show_lists()


class PlanScreen(BaseScreen):
    CSS_PATH = "plan.tcss"
    BINDINGS = [
        Binding("a", "accept", "keys.accept", id="accept"),
        Binding("d", "decline", "keys.decline_suggestion", id="decline"),
        Binding("i", "rule_text", "keys.rule_text", id="rule-text"),
        Binding("n", "new_item", "keys.new_item", id="new-item"),
        Binding("e", "edit_item", "keys.edit_item", id="edit-item"),
        Binding("c", "closing", "keys.closing", show=False, id="closing"),
        Binding("h", "handover", "keys.handover", show=False, id="handover"),
        # In the hint line ("v kun til dig"); the footer keeps its room for the rest.
        Binding("v", "private", "keys.private", show=False, id="private"),
        Binding("f", "finish", "keys.finish", id="finish"),
        Binding("escape", "back", "keys.back_to_review", id="back"),
        Binding("question_mark,f1", "help", "keys.help", key_display="?", show=False, id="help"),
    ]

    def __init__(self, session: MeetingSession) -> None:
        super().__init__()
        self.session = session
        self.listing = PlanListing((), ())
        self.entries: list[SuggestionLine] = []
        self.open_items: list[PlanItem] = []
        self.closing_text = ""
        self.plan_texts: list[str] = []

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(id="plan"):
            yield Static(id="plan-title", classes="screen-title")
            yield Static(id="plan-warning")
            with Horizontal(id="plan-columns"):
                with Vertical(id="plan-left"):
                    yield WrappedRows(id="suggestions")
                with Vertical(id="plan-right"):
                    yield WrappedRows(id="plan-items")
                    yield Static(t("planui.plan_empty"), id="plan-empty")
                    yield Static(t("planui.closing_heading"), id="closing-heading")
                    with VerticalScroll(id="closing-box"):
                        yield Static(id="closing")
            yield Static(id="plan-hint", classes="hint")
        yield FittingFooter()

    def on_mount(self) -> None:
        c, t = self.session.citizen, self.t
        self.query_one("#plan-title", Static).update(
            plain(t("planui.title", name=c.display_name, id=c.id))
        )
        self.query_one("#suggestions").border_title = t("planui.suggestions_heading")
        self.query_one("#plan-items").border_title = t("planui.plan_heading")
        self.query_one("#plan-empty").border_title = t("planui.plan_heading")
        warning = self.query_one("#plan-warning", Static)
        warning.update(t("planui.new_caseworker"))
        warning.display = self.casework.first_meeting_after_change(c.id)
        self.set_class(self.app.size.width < NARROW, "-narrow")
        self.refresh_plan()
        self.query_one("#suggestions", MarkedOptionList).focus()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW, "-narrow")
        self.show_hint()

    # -- state ---------------------------------------------------------------------------

    def refresh_plan(self, *, follow: str | None = None) -> None:
        """Fill both lists again. The cursor stays on its row, or follows the suggestion
        ``follow`` (a declined one moves down the list)."""
        s, t = self.session, self.t
        items = self.casework.plan_items(s)
        self.listing = plan_listing(
            self.casework.suggestions(s),
            s.pack,
            t,
            self.casework.declined_here(s),
            declined_before(items, s.meeting.id),  # from the items read above
        )
        self.entries = list(self.listing.shared)
        self.open_items = [i for i in items if i.status == "open"]
        self.plan_texts = plan_lines(items, s.meeting.id, t)
        self.show_lists(follow=follow)
        agreed = [i for i in self.open_items if i.meeting_id == s.meeting.id]
        # Read aloud on the shared screen: the topics in the citizen's words.
        topics = [s.pack.indicator(topic.indicator).said(t.lang) for topic in s.agenda()]
        closing = closing_prompt(
            t.lang,
            citizen=s.citizen.display_name,
            topics=topics,
            agreed=agreed,
            next_meeting=self.casework.next_meeting(s).on.isoformat(),
        )
        self.closing_text = closing.text.strip()
        self.query_one("#closing", Static).update(plain(self.closing_text))
        self.show_hint()

    def show_hint(self) -> None:
        """The keys' hint, wrapped between its phrases to the screen's width."""
        t = self.t
        hint = key_hint(t("planui.hint", keys=self.keys), self.app.size.width - 4)
        if not self.entries:
            hint = t("planui.no_suggestions") + "\n" + hint
        self.query_one("#plan-hint", Static).update(plain(hint))

    def _width(self, selector: str, share: float) -> int:
        """The room for a row's text in a list: inside its border, padding and scrollbar
        gutter, less each option's own padding and the cursor mark (an estimate from the
        screen's width before the list's first layout)."""
        rows = self.query_one(selector, MarkedOptionList)
        width = rows.scrollable_content_region.width
        if width <= 0:
            narrow = self.app.size.width < NARROW
            width = int((self.app.size.width - 2) * (1 if narrow else share)) - 5
        option = rows.get_component_styles("option-list--option").padding.width
        return width - option - len(MARK)

    def show_lists(self, *, follow: str | None = None) -> None:
        """The lists' rows wrapped to their width at whole words, each wrapped line under
        its own indent; the cursor stays on its row or follows ``follow``."""
        listing = self.query_one("#suggestions", MarkedOptionList)
        width = self._width("#suggestions", 3 / 5)
        # A blank line after each suggestion keeps them apart.
        listing.show([(hanging(x.text, width) + "\n", _row_id(x)) for x in self.entries], keep=True)
        rows = [_row_id(x) for x in self.entries]
        if follow in rows:
            listing.highlighted = rows.index(follow)
        # An empty plan is a line of text, not a row with a cursor on it.
        plan = self.query_one("#plan-items", MarkedOptionList)
        plan.display = bool(self.open_items)
        self.query_one("#plan-empty").display = not self.open_items
        width = self._width("#plan-items", 2 / 5)
        plan.show(
            [
                (hanging(line, width, extra=0), str(item.id))
                for line, item in zip(self.plan_texts, self.open_items, strict=False)
            ],
            keep=True,
        )

    def _entry(self) -> SuggestionLine | None:
        listing = self.query_one("#suggestions", MarkedOptionList)
        if not self.entries or listing.highlighted is None:
            return None
        return self.entries[min(listing.highlighted, len(self.entries) - 1)]

    def _proposed(self) -> dict[str, str]:
        dates = self.casework.proposed_dates(self.session)
        return {
            "responsible": self.t("planui.default_responsible"),
            "starts_on": dates.starts_on,
            "due_on": dates.due_on,
        }

    # -- actions -------------------------------------------------------------------------

    def _run(self, call: Callable[[], Any], *, follow: str | None = None) -> bool:
        try:
            call()
        except BipTalkError as exc:
            self.notify(safe_text(exc), severity="error", timeout=8, markup=False)
            return False
        self.refresh_plan(follow=follow)
        return True

    def _usable(self) -> SuggestionLine | None:
        """The highlighted suggestion, or a message saying why there is none to act on."""
        entry = self._entry()
        if entry is None:
            self.notify(self.t("planui.no_suggestions"), markup=False)
            return None
        if entry.suggestion.keep_going is not None:
            self.notify(self.t(_kept_note(entry.suggestion)), markup=False)
            return None
        return entry

    def action_accept(self) -> None:
        """One key: agreed with the proposed who and when (edit it in the plan with e)."""
        entry = self._usable()
        if entry is None:
            return
        s, t = self.session, self.t
        chosen = entry.suggestion
        values = self._proposed()
        if self._run(
            lambda: self.casework.accept(s, chosen, title=chosen.title.get(t.lang), **values)
        ):
            self.notify(
                safe_text(
                    t(
                        "planui.accepted_one_key",
                        keys=self.keys,
                        title=heading(chosen, s.pack, t),
                        who=values["responsible"],
                        due=format_date(values["due_on"], t.lang),
                    )
                ),
                markup=False,
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter: on a suggestion, accept it after a look at who and when; on the plan,
        edit the action."""
        event.stop()
        if event.option_list.id == "suggestions":
            self.accept_with_dialog()
        else:
            self.action_edit_item()

    def accept_with_dialog(self) -> None:
        entry = self._usable()
        if entry is None:
            return
        s, t = self.session, self.t
        chosen = entry.suggestion
        values = {"title": chosen.title.get(t.lang), **self._proposed()}
        parts = [p.title.get(t.lang) for p in chosen.parts if p.open_item is None]

        def done(result: dict[str, str] | None) -> None:
            if result is None:
                return
            if self._run(lambda: self.casework.accept(s, chosen, **result)):
                self.notify(safe_text(t("planui.accepted", title=result["title"])), markup=False)

        self.app.push_screen(
            PlanItemDialog(
                t("planui.accept_title"),
                values,
                None,
                parts=t("planui.accept_parts", parts=", ".join(parts)) if parts else "",
            ),
            callback=done,
        )

    def action_decline(self) -> None:
        """One key: declined now; on a suggestion declined already, the reason."""
        entry = self._entry()
        if entry is None:
            self.notify(self.t("planui.no_suggestions"), markup=False)
            return
        s, t = self.session, self.t
        chosen = entry.suggestion
        title = heading(chosen, s.pack, t)
        if entry.declined is not None:

            def given(reason: str | None) -> None:
                if reason is not None:
                    self._run(
                        lambda: self.casework.give_decline_reason(s, chosen, reason),
                        follow=_row_id(entry),
                    )

            self.app.push_screen(
                ReasonDialog(
                    t("planui.decline_title", title=title), entry.declined.decline_reason or ""
                ),
                callback=given,
            )
            return
        if chosen.keep_going is not None:
            self.notify(t(_kept_note(chosen)), markup=False)
            return
        if self._run(lambda: self.casework.decline(s, chosen, None), follow=_row_id(entry)):
            self.notify(safe_text(t("planui.declined_one_key", title=title)), markup=False)

    def action_rule_text(self) -> None:
        """The rules behind the highlighted suggestion – the caseworker's reason with its
        figures, caveats and sources – in the caseworker's private view, never on the
        shared list."""
        from bip_talk.ui.screens.private import PrivateScreen

        entry = self._entry()
        if entry is None:
            self.notify(self.t("planui.no_suggestions"), markup=False)
            return
        s, t = self.session, self.t
        text = rules_text(entry.suggestion, s.pack, t).rstrip("\n")
        about = t("planui.rule_text_title", title=heading(entry.suggestion, s.pack, t))
        self.app.push_screen(PrivateScreen(text, about))

    def action_closing(self) -> None:
        from bip_talk.ui.screens.text_view import TextViewScreen

        self.app.push_screen(TextViewScreen(self.t("planui.closing_heading"), self.closing_text))

    def action_help(self) -> None:
        from bip_talk.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen("plan"))

    def action_handover(self) -> None:
        from bip_talk.ui.screens.handover import HandoverScreen

        self.app.push_screen(HandoverScreen(self.session.citizen.id))

    def action_new_item(self) -> None:
        s, t = self.session, self.t
        kinds = [(name, kind) for kind, name in self.casework.plan_kinds(s)]

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
            self._run(lambda: self.casework.add_plan_item(s, **result))

        self.app.push_screen(
            PlanItemDialog(t("planui.new_title"), self._proposed(), kinds), callback=done
        )

    def action_edit_item(self) -> None:
        s, t = self.session, self.t
        if not self.open_items:
            self.notify(t("planui.plan_empty"), markup=False)
            return
        index = self.query_one("#plan-items", MarkedOptionList).highlighted or 0
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
        """The caseworker's private view: cautions first, then the other private notes."""
        from bip_talk.ui.screens.private import PrivateScreen

        text = "\n\n".join(x.text for x in self.listing.private) or self.t("planui.no_private")
        self.app.push_screen(PrivateScreen(text))

    def action_finish(self) -> None:
        from bip_talk.ui.screens.review import finish_meeting

        finish_meeting(self, self.session)

    def action_back(self) -> None:
        self.dismiss(None)


def _kept_note(s: Suggestion) -> str:
    """The message key when a suggestion's plan item is open already."""
    return "planui.agreed_now_note" if s.agreed_now else "planui.kept_going"
