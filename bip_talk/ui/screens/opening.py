"""The meeting opens by looking back: the opening words, and each action agreed last
time marked done / partly / not done / still running (the review later shows them
beside the moves).

The cursor (``▶``) moves only with ``↑``/``↓``: marking an action leaves it where it
is, so the next key lands on the action the caseworker sees marked. ``0`` takes this
meeting's mark back."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.events import Resize
from textual.widgets import Static

from bip_talk.domain.entities import PlanItem
from bip_talk.errors import BipTalkError
from bip_talk.i18n import format_date
from bip_talk.presenters.layout import hanging, key_hint
from bip_talk.presenters.review import note_lines
from bip_talk.services.meeting import MeetingSession
from bip_talk.services.prompts import opening_prompt
from bip_talk.ui.screens.base import BaseScreen
from bip_talk.ui.sizes import SHORT
from bip_talk.ui.text import plain, safe_text
from bip_talk.ui.widgets.footer import FittingFooter
from bip_talk.ui.widgets.marked import MarkedOptionList

# The keys and what they record (services.plan.REVIEW_MARKS).
OUTCOME_KEYS = {"1": "done", "2": "partly", "3": "not_done", "4": "running"}
STATES = ("open", "overdue", "done", "partly", "not_done", "running")


class OpeningScreen(BaseScreen):
    CSS_PATH = "opening.tcss"
    BINDINGS = [
        Binding("1", "outcome('done')", "keys.outcome_done", id="outcome-done"),
        Binding("2", "outcome('partly')", "keys.outcome_partly", id="outcome-partly"),
        Binding("3", "outcome('not_done')", "keys.outcome_not_done", id="outcome-not-done"),
        Binding("4", "outcome('running')", "keys.outcome_running", id="outcome-running"),
        Binding("0", "undo", "keys.outcome_undo", id="outcome-undo"),
        Binding(
            "enter,right",
            "start",
            "keys.start_questions",
            key_display="→",
            priority=True,
            id="start-questions",
        ),
        Binding("escape", "leave", "keys.leave", id="leave"),
        # The caseworker's briefing after a change of caseworker: on purpose only.
        Binding("h", "handover", "keys.handover", show=False, id="handover"),
        Binding("question_mark,f1", "help", "keys.help", key_display="?", show=False, id="help"),
    ]

    def __init__(
        self,
        session: MeetingSession,
        *,
        new_caseworker: bool = False,
        account: Callable[[PlanItem], str] | None = None,
    ) -> None:
        """``account``: what the citizen says about an action, shown beside it (in a
        rehearsal the simulated citizen answers)."""
        super().__init__()
        self.session = session
        self.new_caseworker = new_caseworker
        self.account = account
        self.items: list[PlanItem] = []
        self._words = ""
        self._notes = session.last_meeting_notes()

    def compose(self) -> ComposeResult:
        with Vertical(id="opening"):
            yield Static(id="opening-title", classes="screen-title")
            with VerticalScroll(id="opening-words"):
                yield Static(id="opening-prompt")
                yield Static(id="opening-notes")
            yield Static(id="actions-heading")
            yield MarkedOptionList(id="actions")
            yield Static(id="opening-hint", classes="hint")
        yield FittingFooter()

    def on_mount(self) -> None:
        s, t = self.session, self.t
        self.query_one("#opening-title", Static).update(
            plain(t("opening.title", name=s.citizen.display_name, id=s.citizen.id))
        )
        self.refresh_items()
        actions = [i for i in self.items if self._mark(i) is None]
        last = s.earlier[-1].held_on if s.earlier else None
        prompt = opening_prompt(
            t.lang,
            citizen=s.citizen.display_name,
            last_held_on=last,
            actions=actions or self.items,
            # "I am new on your case" only from the one the case moved to; anyone else
            # holding the meeting is a stand-in.
            new_caseworker=self.new_caseworker and self.casework.is_assigned_to_me(s.citizen.id),
            met_before=any(m.caseworker_id == s.actor.id for m in s.earlier),
            held_on=s.meeting.held_on,
        )
        self._words = prompt.text.strip()
        self.show_words()
        self.query_one(MarkedOptionList).focus()

    def show_words(self) -> None:
        """The opening words wrapped to the width: an action's line ("- …") goes on
        under its text, never at the edge (room left for the scroll bar)."""
        width = self.app.size.width - 4
        words = hanging(self._words, width, extra=0, under_mark=True)
        self.query_one("#opening-prompt", Static).update(plain(words))
        # Last time's shared notes, to pick up the thread (never a private one).
        s, t = self.session, self.t
        short = self.app.size.height < SHORT
        recalled = note_lines(
            self._notes,
            s.pack,
            t,
            width,
            most=3,
            rows_each=1 if short else 2,  # the words' box holds 12 lines
            heading=t("opening.notes_heading", date=format_date(s.earlier[-1].held_on, t.lang))
            if s.earlier
            else None,
            more="opening.notes_more",
        )
        notes = self.query_one("#opening-notes", Static)
        notes.update(plain("\n".join(recalled)))
        notes.display = bool(recalled)

    # -- the list ------------------------------------------------------------------------

    def _mark(self, item: PlanItem) -> str | None:
        """What this meeting's review said (done / partly / not_done / running)."""
        return self.casework.review_outcome(self.session, item)

    def refresh_items(self) -> None:
        """Fill the list again; the cursor stays on the same row."""
        t = self.t
        self.items = self.casework.items_to_review(self.session)
        listing = self.query_one(MarkedOptionList)
        listing.show([(self._line(i), str(i.id)) for i in self.items], keep=True)
        self._wrapped_for = self.app.size.width
        self.refresh_bindings()
        listing.display = bool(self.items)
        # With nothing to review the words above have said so ("Der blev ikke lavet
        # faste aftaler sidst", or the welcome at a first meeting): no second line.
        heading = self.query_one("#actions-heading", Static)
        heading.update(t("opening.actions_heading") if self.items else "")
        heading.display = bool(self.items)
        keys = self.keys
        hint = t("opening.hint" if self.items else "opening.hint_none", keys=keys)
        if self.new_caseworker:
            hint += " · " + t("opening.handover_hint", keys=keys)
        self.query_one("#opening-hint", Static).update(key_hint(hint, self.app.size.width - 4))

    def action_help(self) -> None:
        from bip_talk.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen("opening"))

    def action_handover(self) -> None:
        from bip_talk.ui.screens.handover import HandoverScreen

        self.app.push_screen(HandoverScreen(self.session.citizen.id))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # No actions from last time: the footer offers no marks to give.
        if action in ("outcome", "undo"):
            return bool(self.items)
        return True

    def _line(self, item: PlanItem) -> str:
        t = self.t
        width = max(len(t(f"opening.state_{s}")) for s in STATES)
        # Not yet marked and due before today's meeting: said in the list too, not only
        # in the opening words above it.
        unmarked = "overdue" if item.overdue_on(self.session.meeting.held_on) else "open"
        state = t(f"opening.state_{self._mark(item) or unmarked}").ljust(width)
        who = f" – {item.responsible}" if item.responsible else ""
        account = self.account(item) if self.account else ""
        line = f"{state}  {item.title}{who}" + (f"   {account}" if account else "")
        # Wrapped under the action's title, not under the mark (border, padding, ▶, gutter).
        return hanging(line, self.app.size.width - 10, extra=width + 2)

    def on_resize(self, event: Resize) -> None:
        if getattr(self, "_wrapped_for", None) not in (None, event.size.width):
            self.refresh_items()
            self.show_words()

    def _current(self) -> PlanItem | None:
        listing = self.query_one(MarkedOptionList)
        if not self.items or listing.highlighted is None:
            return None
        return self.items[listing.highlighted]

    # -- marking -------------------------------------------------------------------------

    def action_outcome(self, outcome: str) -> None:
        item = self._current()
        if item is None:
            self.notify(self.t("opening.nothing_to_mark"), markup=False)
            return
        try:
            self.casework.review_item(self.session, item.id, outcome)
        except BipTalkError as exc:
            self.notify(safe_text(exc), severity="error", markup=False)
            return
        self.refresh_items()

    def action_undo(self) -> None:
        item = self._current()
        if item is None or self._mark(item) is None:
            self.notify(self.t("opening.nothing_to_undo"), markup=False)
            return
        try:
            self.casework.undo_review(self.session, item.id)
        except BipTalkError as exc:
            self.notify(safe_text(exc), severity="error", markup=False)
            return
        self.refresh_items()

    def action_start(self) -> None:
        self.dismiss("start")

    def action_leave(self) -> None:
        self.dismiss("leave")
