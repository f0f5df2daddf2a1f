"""Casework: the use cases the screens and the commands call, bound to one open
database, the pack, the language and the caseworker who is signed in.

``Workstation.open()`` gives one; nothing else in ``ui/`` or ``commands/`` reaches the
store. Each method is one user action: one call, and where it writes, one transaction.

The one door
------------
Every method that reads or changes a citizen's data gets the store from ``_reach``,
and nothing else in this class touches ``self._store`` (``tests/unit/test_seams.py``
checks it). The door checks the role and writes the access log
(``services/access.py``): on a database with personal accounts nobody passes without
logging in, each purpose is open to the roles ``domain/access.ALLOWED`` names, a
refusal raises ``AccessRefused`` and is logged, and every view of one citizen's data is
logged (who, when, what). A new use case that passes the door is covered by both.

A ``MeetingSession`` is handed out through the door once (``open_meeting``); the
answers, notes and position it writes during the meeting are the meeting itself.
Everything else a meeting's screens do (its plan, its review of last time's actions,
its reports) comes back through this class, so it passes the door again; what it
writes is recorded for the meeting's caseworker (``session.actor``: whoever opened it).

Threads: the report methods only read, and may run in a worker thread beside the
meeting (SQLite and Python's sqlite3 share one connection safely, threadsafety 3).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bip_talk import clock
from bip_talk.domain.access import AccessEntry, Account, Channel, Purpose, Role
from bip_talk.domain.entities import (
    Caseworker,
    Citizen,
    CitizenScope,
    CitizenSummary,
    Meeting,
    PlanItem,
    unfinished,
)
from bip_talk.domain.meeting_history import MeetingAnswers
from bip_talk.i18n import Translator

# The use cases import their services when first called: the plan and the meeting pull
# in the evidence engine and pydantic (~120 ms), which the first screen does not need.
if TYPE_CHECKING:
    from bip_talk.domain.evidence import Exclusion, Suggestion
    from bip_talk.domain.outcomes import Outcome
    from bip_talk.domain.pack import Pack
    from bip_talk.domain.report_facts import NextMeeting
    from bip_talk.services.access import Principal
    from bip_talk.services.audit_trail import TrailLine
    from bip_talk.services.exchange.export import ExportResult
    from bip_talk.services.exchange.imports import ImportResult
    from bip_talk.services.gdpr import AccessFiles, Erasure
    from bip_talk.services.handover import Handover
    from bip_talk.services.meeting import MeetingSession
    from bip_talk.services.plan import ProposedDates, ReviewedItem
    from bip_talk.services.reports import Audience, Rendered, Saved
    from bip_talk.services.stats import StatsView
    from bip_talk.store import Store

R = TypeVar("R")

__all__ = ["Casework", "CitizenOverview", "Purpose"]


@dataclass(frozen=True, slots=True)
class CitizenOverview:
    """What the citizen screen shows: nothing about any other citizen."""

    citizen: Citizen
    caseworker: Caseworker | None  # the current one
    completed: list[Meeting]  # oldest first
    draft: Meeting | None
    history: list[MeetingAnswers]  # answers of the completed meetings
    handover_due: bool = False  # a new caseworker who has not met the citizen yet


class Casework:
    def __init__(
        self,
        store: Store,
        pack: Callable[[], Pack],
        lang: str,
        actor: Caseworker | None,
        *,
        reports_folder: Path,
        principal: Principal | None = None,
    ) -> None:
        from bip_talk.services.access import Principal

        self._store = store
        self._pack = pack  # loaded on first use: the first screen does not need it
        self.lang = lang
        self.actor = actor
        self.reports_folder = reports_folder
        self.principal = principal or Principal()

    # -- the door ------------------------------------------------------------------------

    def _reach(self, citizen_id: str | None, purpose: Purpose, *, change: bool = False) -> Store:
        """The only way to the store. ``citizen_id`` is None for actions over many
        citizens (search, export, import) or none (the list of caseworkers).

        Refuses (AccessRefused, logged) what the principal's role may not do, and logs
        the view of ``citizen_id``'s data (see the module docstring)."""
        from bip_talk.services.access import door_of

        door_of(self._store).admit(
            self.principal, self.actor, citizen_id, purpose, change=change, t=self.t
        )
        return self._store

    def _door(self, store: Store) -> Any:
        from bip_talk.services.access import door_of

        return door_of(store)

    # -- who acts ------------------------------------------------------------------------

    @property
    def pack(self) -> Pack:
        return self._pack()

    @property
    def t(self) -> Translator:
        return Translator(self.lang)

    def _rebound(
        self,
        *,
        lang: str | None = None,
        actor: Caseworker | None = None,
        principal: Principal | None = None,
    ) -> Casework:
        return Casework(
            self._store,
            self._pack,
            lang or self.lang,
            actor or self.actor,
            reports_folder=self.reports_folder,
            principal=principal or self.principal,
        )

    def signed_in(self, initials: str, name: str) -> Casework:
        """The same casework for the caseworker with these initials; their row is added
        (or their name updated) as they sign in."""
        store = self._reach(None, "caseworkers", change=True)
        return self._rebound(actor=store.ensure_caseworker(initials, name))

    def acting_as(self, caseworker: Caseworker) -> Casework:
        """For a caseworker whose row exists already (a training rehearsal's trainee)."""
        return self._rebound(actor=caseworker)

    def in_language(self, lang: str) -> Casework:
        return self._rebound(lang=lang)

    def _signed_in(self) -> Caseworker:
        if self.actor is None:  # the app signs in before any screen can act
            raise RuntimeError("nobody is signed in")
        return self.actor

    @property
    def actor_id(self) -> int | None:
        """Who acts, for the audit rows of a command; None when nobody is signed in."""
        return self.actor.id if self.actor else None

    def caseworkers(self) -> list[Caseworker]:
        return self._reach(None, "caseworkers").caseworkers()

    def find_caseworker(self, initials: str) -> Caseworker | None:
        return self._reach(None, "caseworkers").caseworker_by_initials(initials)

    # -- accounts, roles and the access log -----------------------------------------------

    @property
    def role(self) -> Role | None:
        """The logged-in account's role; None on a database without accounts."""
        return self.principal.role

    @property
    def account(self) -> Account | None:
        return self.principal.account

    def has_accounts(self) -> bool:
        """True once the database has a personal account: then nobody acts without
        logging in, and the initials sign-in is not offered."""
        return self._reach(None, "login").accounts.has_accounts()

    def via(self, channel: Channel) -> Casework:
        """The same casework, logged as coming from ``channel`` (app, web, cli)."""
        from bip_talk.services.access import Principal

        return self._rebound(principal=Principal(self.principal.account, channel))

    def log_in(self, initials: str, password: str) -> Casework:
        """The casework of the account with these initials, or LoginRefused (logged;
        after too many wrong passwords the account waits, ``wait_s`` says how long)."""
        from bip_talk.services import accounts
        from bip_talk.services.access import Principal

        store = self._reach(None, "login")
        account = accounts.login(
            store,
            self._door(store),
            initials,
            password,
            channel=self.principal.channel,
            t=self.t,
        )
        return self._rebound(
            actor=Caseworker(account.caseworker_id, account.initials, account.name),
            principal=Principal(account, self.principal.channel),
        )

    def confirm_password(self, password: str) -> None:
        """The logged-in account's password again (unlocking after the idle time):
        LoginRefused if wrong, counted like a login."""
        from bip_talk.services import accounts

        store = self._reach(None, "login")
        account = self.principal.account
        if account is None:
            raise RuntimeError("nobody is logged in")
        accounts.check_password(
            store, self._door(store), account, password, channel=self.principal.channel, t=self.t
        )

    def note_locked(self, locked: bool) -> None:
        """The access log records when the app locked itself and was unlocked."""
        store = self._reach(None, "login")
        self._door(store).record(self.principal, self.actor, "lock" if locked else "unlock")

    def require(self, purpose: Purpose) -> None:
        """Refuse (AccessRefused, logged) unless the role may act for ``purpose``: for
        commands whose work does not otherwise pass the door (``bip-talk train``)."""
        self._reach(None, purpose)

    def accounts(self) -> list[Account]:
        return self._reach(None, "accounts").accounts.accounts()

    def add_account(self, initials: str, name: str, role: str, password: str) -> Account:
        """A new personal account. The first one of a database must be an admin; after
        it, only an admin adds accounts."""
        from bip_talk.services import accounts

        store = self._reach(None, "accounts", change=True)
        account = accounts.add_account(store, initials, name, role, password, self.t)
        self._account_event(store, f"add {account.initials} {account.role}")
        return account

    def reset_password(self, initials: str, password: str) -> Account:
        """A new password; it also ends a wait after too many wrong passwords."""
        from bip_talk.services import accounts

        store = self._reach(None, "accounts", change=True)
        account = accounts.reset_password(store, initials, password, self.t)
        self._account_event(store, f"password {account.initials}")
        return account

    def set_account_active(self, initials: str, active: bool) -> Account:
        """Disable (or enable again) an account: a disabled one cannot log in, and its
        open sessions are refused at their next step. Nothing is deleted."""
        from bip_talk.services import accounts

        store = self._reach(None, "accounts", change=True)
        account = accounts.set_active(store, initials, active, self.t)
        self._account_event(store, f"{'enable' if active else 'disable'} {account.initials}")
        return account

    def _account_event(self, store: Store, detail: str) -> None:
        self._door(store).record(self.principal, self.actor, "account", "accounts", detail=detail)

    def access_log(
        self,
        *,
        citizen_id: str | None = None,
        initials: str | None = None,
        since: str | None = None,
    ) -> list[AccessEntry]:
        """The access log, oldest first; ``citizen_id`` filled in for citizens the
        database still holds (the log itself keeps only a keyed pseudonym)."""
        import dataclasses

        log = self._reach(None, "access-log").access_log
        ref = log.ref(citizen_id.strip().upper()) if citizen_id else None
        entries = log.entries(citizen_ref=ref, initials=initials, since=since)
        known = log.known_refs()
        return [dataclasses.replace(e, citizen_id=known.get(e.citizen_ref or "")) for e in entries]

    def delete_access_log_before(self, cutoff: str) -> int:
        """Delete log rows older than ``cutoff`` (ISO date or time); rows younger than
        180 days stay whatever is asked (the table's trigger refuses them)."""
        return self._reach(None, "access-log", change=True).access_log.delete_older_than(cutoff)

    # -- citizens ------------------------------------------------------------------------

    def search_citizens(
        self, text: str = "", *, limit: int = 50, offset: int = 0, scope: CitizenScope = "all"
    ) -> list[CitizenSummary]:
        """A page of citizens by name: everyone matching ``text`` (``scope="all"``), or
        within the signed-in caseworker's caseload, today's meetings or unfinished
        meetings (nothing when nobody is signed in)."""
        if scope != "all" and self.actor is None:
            return []
        return self._reach(None, "search").search_citizens(
            text,
            limit=limit,
            offset=offset,
            scope=scope,
            caseworker_id=self.actor.id if self.actor else None,
            day=clock.today().isoformat(),
        )

    def unfinished_count(self) -> int:
        """How many meetings the signed-in caseworker has left unfinished: the start
        screen says so (a number, never a name) and lists them on a key."""
        if self.actor is None:
            return 0
        return self._reach(None, "meeting").count_drafts(self.actor.id)

    def create_citizen(
        self,
        display_name: str,
        target_group: str | None = None,
        *,
        birth_year: int | str | None = None,
        education: str | None = None,
    ) -> Citizen:
        """A new citizen, assigned to the signed-in caseworker; the facts the evidence
        rules read (birth year, education) checked against the pack."""
        from bip_talk.services import citizen_facts

        store = self._reach(None, "create", change=True)
        return citizen_facts.create_citizen(
            store,
            self.pack,
            display_name,
            caseworker_id=self._signed_in().id,
            lang=self.lang,
            target_group=target_group,
            birth_year=birth_year,
            education=education,
        )

    def edit_citizen(self, citizen_id: str, **changes: Any) -> Citizen:
        """Change some of the citizen's facts (name, target group, birth year,
        education); each change is audited with its old value."""
        from bip_talk.services import citizen_facts

        store = self._reach(citizen_id, "edit", change=True)
        return citizen_facts.edit_citizen(
            store, self.pack, citizen_id, actor=self.actor_id, lang=self.lang, **changes
        )

    def citizen(self, citizen_id: str) -> Citizen:
        return self._reach(citizen_id, "overview").citizen(citizen_id)

    def is_assigned_to_me(self, citizen_id: str) -> bool:
        """The signed-in caseworker is the citizen's caseworker (not a stand-in)."""
        assignment = self._reach(citizen_id, "overview").current_assignment(citizen_id)
        return (
            self.actor is not None
            and assignment is not None
            and (assignment.caseworker_id == self.actor.id)
        )

    def citizen_overview(self, citizen_id: str) -> CitizenOverview:
        store = self._reach(citizen_id, "overview")
        citizen = store.citizen(citizen_id)
        assignment = store.current_assignment(citizen_id)
        meetings = store.meetings_for(citizen_id)  # read once for all four below
        completed = [m for m in meetings if not m.is_draft]
        return CitizenOverview(
            citizen=citizen,
            caseworker=store.caseworker(assignment.caseworker_id) if assignment else None,
            completed=completed,
            draft=unfinished(meetings),
            history=store.answered(completed),
            handover_due=handover_is_due(store, citizen_id, meetings),
        )

    def reassign(self, citizen_id: str, initials: str, name: str = "") -> Caseworker:
        """Move the citizen to the caseworker with these initials (added if new, under
        ``name`` or their initials): one recorded action, one transaction."""
        store = self._reach(citizen_id, "reassign", change=True)
        return store.reassign(
            citizen_id, initials, name, actor=self._signed_in().id, reason="reassigned"
        )

    # -- meetings ------------------------------------------------------------------------

    def needs_handover(self, citizen_id: str) -> bool:
        """A meeting with a citizen whose last meeting someone else held: show the
        handover first – also when the meeting was opened before (a draft that has no
        answers yet: the conversation has not begun). A conversation under way resumes
        without it."""
        return handover_is_due(self._reach(citizen_id, "handover"), citizen_id)

    def first_meeting_after_change(self, citizen_id: str) -> bool:
        """The current caseworker did not hold the citizen's last meeting: the plan screen
        puts the caseworker-change warning before its suggestions."""
        from bip_talk.services.handover import needs_handover

        return needs_handover(self._reach(citizen_id, "plan"), citizen_id)

    def handover(self, citizen_id: str) -> Handover:
        from bip_talk.services.handover import build_handover

        return build_handover(self._reach(citizen_id, "handover"), self.pack, citizen_id)

    def open_meeting(self, citizen_id: str, *, blind_rating: bool = True) -> MeetingSession:
        """Resume the citizen's unfinished meeting, or start one held by the signed-in
        caseworker."""
        from bip_talk.services.meeting import MeetingSession

        actor = self._signed_in()
        store = self._reach(citizen_id, "meeting", change=True)
        # Asked under the meeting's own entry in the access log: a separate handover
        # check would log (and sync) a second row for every meeting started.
        meetings = store.meetings_for(citizen_id)  # read once for both
        handover_due = handover_is_due(store, citizen_id, meetings)
        session = MeetingSession.open(store, self.pack, citizen_id, actor, meetings)
        session.blind_rating = blind_rating
        session.handover_due = handover_due
        return session

    def complete_meeting(self, session: MeetingSession) -> None:
        self._reach(session.citizen.id, "meeting", change=True)
        session.complete()

    # -- last time's actions, in this meeting --------------------------------------------

    def items_to_review(self, session: MeetingSession) -> list[PlanItem]:
        from bip_talk.services import plan

        store = self._reach(session.citizen.id, "plan")
        return plan.items_to_review(store, session.citizen.id, session.meeting.id)

    def review_item(self, session: MeetingSession, item_id: int, outcome: str) -> PlanItem:
        from bip_talk.services import plan

        store = self._reach(session.citizen.id, "plan", change=True)
        return plan.review_item(
            store,
            session.citizen.id,
            item_id,
            outcome,
            meeting_id=session.meeting.id,
            actor=session.actor.id,
            lang=self.lang,
        )

    def undo_review(self, session: MeetingSession, item_id: int) -> PlanItem:
        from bip_talk.services import plan

        store = self._reach(session.citizen.id, "plan", change=True)
        return plan.undo_review(
            store,
            session.citizen.id,
            item_id,
            meeting_id=session.meeting.id,
            actor=session.actor.id,
            lang=self.lang,
        )

    def reviewed_items(self, session: MeetingSession) -> list[ReviewedItem]:
        from bip_talk.services import plan

        store = self._reach(session.citizen.id, "plan")
        return plan.reviewed_in_meeting(store, self.pack, session.citizen.id, session.meeting.id)

    def review_outcome(self, session: MeetingSession, item: PlanItem) -> str | None:
        """done / partly / not_done / running as this meeting's review said; None: not
        reviewed here yet."""
        from bip_talk.services import plan

        self._reach(session.citizen.id, "plan")
        return plan.review_outcome(item, session.meeting.id)

    # -- dates the meeting proposes ------------------------------------------------------

    def next_meeting(self, session: MeetingSession) -> NextMeeting:
        """The next meeting's date (and what brings it forward): the one date the plan
        screen's closing, the journal note and the citizen's summary all show."""
        from bip_talk.services import plan

        store = self._reach(session.citizen.id, "plan")
        return plan.next_meeting(store, self.pack, session.citizen.id, session.meeting.id)

    def proposed_dates(self, session: MeetingSession) -> ProposedDates:
        """What a new plan item is prefilled with: from the meeting's day (in training the
        simulated one), due by the next meeting."""
        from bip_talk.services import plan

        store = self._reach(session.citizen.id, "plan")
        return plan.proposed_dates(store, self.pack, session.citizen.id, session.meeting.id)

    # -- the plan ------------------------------------------------------------------------

    def plan_items(self, session: MeetingSession) -> list[PlanItem]:
        return self._reach(session.citizen.id, "plan").plan_items(session.citizen.id)

    def suggestions(self, session: MeetingSession) -> list[Suggestion]:
        """Every suggestion, private ones included: the screen keeps those behind a key."""
        from bip_talk.services import plan

        store = self._reach(session.citizen.id, "plan")
        return plan.suggestions_in(store, session)

    def suggestions_on(
        self, citizen_id: str, day: date | None = None
    ) -> tuple[Citizen, date, list[Suggestion]]:
        """What the plan screen would suggest for this citizen on ``day`` (default: the
        day of their unfinished meeting, else today), for ``bip-talk suggest``."""
        from bip_talk.services import plan

        store = self._reach(citizen_id, "plan")
        citizen = plan.require_citizen(store, citizen_id, self.lang)
        day = day or plan.meeting_day(store, citizen.id)
        return citizen, day, plan.suggestions_for(store, self.pack, citizen.id, today=day)

    def declined_here(self, session: MeetingSession) -> list[PlanItem]:
        """The suggestions turned down in this meeting (the plan screen lists them last)."""
        from bip_talk.services import plan

        store = self._reach(session.citizen.id, "plan")
        return plan.declined_in(store, session.citizen.id, session.meeting.id)

    def declined_in_draft(self, citizen_id: str) -> list[PlanItem]:
        """What the plan screen of the citizen's unfinished meeting shows as declined, for
        ``bip-talk suggest`` (nothing without an unfinished meeting)."""
        from bip_talk.services import plan

        store = self._reach(citizen_id, "plan")
        draft = store.draft_meeting(citizen_id)
        return plan.declined_in(store, citizen_id, draft.id) if draft else []

    def declined_before_draft(self, citizen_id: str) -> list[PlanItem]:
        """The suggestions turned down at meetings before the unfinished one (or at any
        meeting, without one): the plan screen says so under each, ``bip-talk suggest``
        too."""
        from bip_talk.services import plan

        store = self._reach(citizen_id, "plan")
        draft = store.draft_meeting(citizen_id)
        return plan.declined_before(store.plan_items(citizen_id), draft.id if draft else None)

    def give_decline_reason(
        self, session: MeetingSession, suggestion: Suggestion, reason: str | None
    ) -> list[PlanItem]:
        """Why a suggestion declined in this meeting was turned down, given afterwards."""
        from bip_talk.services import plan

        store = self._reach(session.citizen.id, "plan", change=True)
        return plan.give_decline_reason(
            store,
            session.citizen.id,
            suggestion,
            reason,
            meeting_id=session.meeting.id,
            actor=session.actor.id,
            lang=self.lang,
        )

    def plan_kinds(self, session: MeetingSession) -> list[tuple[str, str]]:
        """(id, name) of the types a free action may have at this meeting: valid on its
        day, and never a caseworker-only action type."""
        from bip_talk.services import plan

        store = self._reach(session.citizen.id, "plan")
        return plan.free_kinds(store, self.pack, session.meeting.id, self.lang)

    def warnings_for_kind(self, session: MeetingSession, kind: str) -> list[Exclusion]:
        from bip_talk.services import plan

        store = self._reach(session.citizen.id, "plan")
        return plan.warnings_for_kind(store, self.pack, session.citizen.id, kind)

    def accept(self, session: MeetingSession, suggestion: Suggestion, **fields: Any) -> PlanItem:
        """``fields``: title, responsible, due_on, starts_on, ends_on (see plan.accept)."""
        from bip_talk.services import plan

        store = self._reach(session.citizen.id, "plan", change=True)
        return plan.accept(
            store,
            session.citizen.id,
            suggestion,
            actor=session.actor.id,
            lang=self.lang,
            meeting_id=session.meeting.id,
            **fields,
        )

    def decline(
        self, session: MeetingSession, suggestion: Suggestion, reason: str | None
    ) -> PlanItem:
        from bip_talk.services import plan

        store = self._reach(session.citizen.id, "plan", change=True)
        return plan.decline(
            store,
            session.citizen.id,
            suggestion,
            actor=session.actor.id,
            lang=self.lang,
            meeting_id=session.meeting.id,
            reason=reason,
        )

    def add_plan_item(
        self, session: MeetingSession, *, kind: str, title: str, **fields: Any
    ) -> PlanItem:
        """``fields``: responsible, due_on, starts_on, ends_on (see plan.add_free)."""
        from bip_talk.services import plan

        store = self._reach(session.citizen.id, "plan", change=True)
        return plan.add_free(
            store,
            self.pack,
            session.citizen.id,
            actor=session.actor.id,
            lang=self.lang,
            kind=kind,
            title=title,
            meeting_id=session.meeting.id,
            **fields,
        )

    def edit_plan_item(self, session: MeetingSession, item_id: int, **changes: Any) -> PlanItem:
        from bip_talk.services import plan

        store = self._reach(session.citizen.id, "plan", change=True)
        return plan.edit(
            store,
            self.pack,
            session.citizen.id,
            item_id,
            actor=session.actor.id,
            lang=self.lang,
            **changes,
        )

    # -- reports -------------------------------------------------------------------------

    def journal_note(self, session: MeetingSession) -> str:
        """The journal note of this meeting, without private data."""
        from bip_talk.services.reports import meeting_journal

        store = self._reach(session.citizen.id, "report")
        return meeting_journal(store, self.pack, session.citizen.id, session.meeting.id, self.lang)

    def save_meeting_reports(self, session: MeetingSession) -> Saved:
        """The citizen's summary and HTML report into the data folder's reports/. Reads
        only: safe to run in a worker thread beside the meeting."""
        from bip_talk.services.reports import save_meeting_reports

        store = self._reach(session.citizen.id, "report")
        return save_meeting_reports(
            store,
            self.pack,
            session.citizen.id,
            session.meeting.id,
            self.reports_folder,
            self.lang,
        )

    def render_report(
        self,
        citizen_id: str,
        *,
        fmt: str,
        audience: Audience,
        lang: str | None = None,
        meeting_id: int | None = None,
        include_private: bool = False,
    ) -> Rendered:
        from bip_talk.services.reports import render_report

        return render_report(
            self._reach(citizen_id, "report"),
            self.pack,
            citizen_id,
            fmt=fmt,
            lang=lang or self.lang,
            audience=audience,
            meeting_id=meeting_id,
            include_private=include_private,
        )

    def write_report(
        self,
        citizen_id: str,
        rendered: Rendered,
        path: Path,
        t: Translator | None = None,
        *,
        replace: bool = False,
    ) -> Path:
        """A report into a file of the user's choice, recorded first: an erasure of the
        citizen lists it (``services.copies``). A file that may not be written over is
        refused before that record."""
        from bip_talk.services.copies import record
        from bip_talk.services.out_file import check_out_file, write_private

        check_out_file(path, t or self.t, replace=replace)
        record(
            self._reach(citizen_id, "report", change=True),
            path,
            citizen_id=citizen_id,
            kind="report",
        )
        return write_private(path, rendered.text, t or self.t, replace=replace)

    def leniently(
        self, read: Callable[[], R], purpose: Purpose, citizen_id: str | None = None
    ) -> tuple[R, list[str]]:
        """Run a read of this casework; a text cell that is not UTF-8 is read with
        replacement characters, and each such cell comes back as a line to show."""
        from bip_talk.services.lenient_read import read_leniently

        return read_leniently(self._reach(citizen_id, purpose), self.t, read)

    # -- outcomes: what happened to the citizen ------------------------------------------
    # (The choices and their words need no data: ``services.outcomes.outcome_kinds``.)

    def outcomes(self, citizen_id: str) -> list[Outcome]:
        """The citizen's outcomes, oldest first."""
        from bip_talk.services.outcomes import citizen_outcomes

        return citizen_outcomes(self._reach(citizen_id, "outcome"), citizen_id, self.t)

    def record_outcome(self, citizen_id: str, kind: str, occurred_on: str | date) -> Outcome:
        """Record what happened (a kind of ``outcome_kinds``, on a day up to today),
        noted as recorded by the signed-in caseworker; audited."""
        from bip_talk.services.outcomes import record_outcome

        store = self._reach(citizen_id, "outcome", change=True)
        return record_outcome(store, citizen_id, kind, occurred_on, actor=self.actor_id, t=self.t)

    def edit_outcome(
        self,
        citizen_id: str,
        outcome_id: int,
        *,
        kind: str | None = None,
        occurred_on: str | date | None = None,
    ) -> Outcome:
        """Correct the kind, the date or both; the earlier values go to the audit trail."""
        from bip_talk.services.outcomes import edit_outcome

        store = self._reach(citizen_id, "outcome", change=True)
        return edit_outcome(
            store,
            outcome_id,
            citizen_id=citizen_id,
            kind=kind,
            occurred_on=occurred_on,
            actor=self.actor_id,
            t=self.t,
        )

    def delete_outcome(self, citizen_id: str, outcome_id: int) -> Outcome:
        """Remove an outcome recorded by mistake (kept in the audit trail)."""
        from bip_talk.services.outcomes import delete_outcome

        store = self._reach(citizen_id, "outcome", change=True)
        return delete_outcome(
            store, outcome_id, citizen_id=citizen_id, actor=self.actor_id, t=self.t
        )

    # -- the job centre's own BIP results --------------------------------------------------

    def stats(self, *, fmt: str, date_from: str | None = None, date_to: str | None = None) -> str:
        """The BIP tables on this database (text, json or html): counts over all
        citizens, no names or ids. When accounts come, only team leads and admins."""
        from bip_talk.services.stats import render_stats

        return render_stats(
            self._reach(None, "stats"),
            self.pack,
            fmt=fmt,
            lang=self.lang,
            date_from=date_from,
            date_to=date_to,
        )

    def stats_view(self, *, date_from: str | None = None, date_to: str | None = None) -> StatsView:
        """The same tables for a screen (``services.stats.stats_text`` at its width)."""
        from bip_talk.services.stats import stats_view

        return stats_view(
            self._reach(None, "stats"),
            self.pack,
            lang=self.lang,
            date_from=date_from,
            date_to=date_to,
        )

    # -- the citizen's rights ------------------------------------------------------------

    def audit_trail(self, citizen_id: str, t: Translator | None = None) -> list[TrailLine]:
        from bip_talk.services.audit_trail import audit_trail

        store = self._reach(citizen_id, "audit")
        return audit_trail(store, self.pack, citizen_id, t or self.t)

    def access_data(self, citizen_id: str, t: Translator | None = None) -> dict[str, Any]:
        from bip_talk.services.gdpr import access_data

        return access_data(self._reach(citizen_id, "access"), self.pack, citizen_id, t or self.t)

    def write_access(
        self, citizen_id: str, folder: Path, t: Translator | None = None
    ) -> AccessFiles:
        from bip_talk.services.gdpr import write_access

        store = self._reach(citizen_id, "access")
        return write_access(store, self.pack, citizen_id, folder, t or self.t)

    def erase(self, citizen_id: str, t: Translator | None = None) -> Erasure:
        from bip_talk.services.gdpr import erase

        store = self._reach(citizen_id, "erase", change=True)
        return erase(
            store, citizen_id, actor=self.actor_id, t=t or self.t, own_folder=self.reports_folder
        )

    def compact(self) -> bool:
        from bip_talk.services.gdpr import compact

        return compact(self._reach(None, "compact", change=True))

    # -- export and import ---------------------------------------------------------------

    def export(
        self, folder: Path, *, fmt: str, pseudonymize: bool, t: Translator | None = None
    ) -> ExportResult:
        from bip_talk.services.exchange.export import export_data

        purpose: Purpose = "export-pseudonymised" if pseudonymize else "export"
        store = self._reach(None, purpose)
        # Every citizen in the export is logged first: an export that cannot be logged
        # is not written.
        self._door(store).record(self.principal, self.actor, "view", purpose, store.citizen_ids())
        return export_data(
            store, self.pack, folder, fmt=fmt, pseudonymize=pseudonymize, t=t or self.t
        )

    def import_from(
        self, source: Path, *, allow_items: Iterable[str] = (), t: Translator | None = None
    ) -> ImportResult:
        from bip_talk.services.exchange.imports import import_data

        store = self._reach(None, "import", change=True)
        return import_data(
            store, self.pack, source, allow_items=allow_items, t=t or self.t, actor=self.actor_id
        )


def handover_is_due(
    store: Store, citizen_id: str, meetings: Sequence[Meeting] | None = None
) -> bool:
    """The caseworker changed since the citizen's last meeting and the conversation has
    not begun (no meeting, or a draft without answers): the handover is due.
    ``meetings``: the citizen's meetings, when the caller has just read them."""
    from bip_talk.services.handover import needs_handover

    if meetings is None:
        meetings = store.meetings_for(citizen_id)
    if not needs_handover(store, citizen_id, meetings):
        return False
    draft = unfinished(meetings)
    return draft is None or not store.answers([draft.id]).get(draft.id)
