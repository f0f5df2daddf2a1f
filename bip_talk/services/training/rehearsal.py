"""A rehearsal: the trainee holds BIP meetings with a persona from ``personas.toml``,
three months apart, and gets a checklist after each.

Isolation: a rehearsal never opens the real database. ``Rehearsal.start`` takes a
``Settings`` only for the pack folder and the language, makes a private temporary
folder (``bip-talk-training-*`` in the system's temp directory), keeps its own
database there and deletes the folder on ``close``. Nothing is written to the data
directory; the only file that outlives a rehearsal is the report, where the caller
asks for it.

The flow, for a screen or a script:
    r = Rehearsal.start(settings, "kontant_helbred", seed=7)
    r.persona_answers() / r.give_answer(item) / r.answer_all()  the persona's side
    r.session                                   MeetingSession: the trainee's side
    r.log                                       RehearsalLog: the screen fills it
    r.suggestions(), r.choose_plan([...], parallel=True)        the plan
    r.finish_meeting()  -> checks;  r.next_meeting()  (+3 months);  r.save_report(path)
    r.close()
The same seed gives the same persona answers for the same plans, on every machine.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from bip_talk import clock
from bip_talk.domain import report_facts as facts
from bip_talk.domain.dates import parse_day
from bip_talk.domain.entities import Caseworker, PlanItem
from bip_talk.domain.evidence import Exclusion, Suggestion
from bip_talk.domain.evidence import exclusions as evidence_exclusions
from bip_talk.domain.evidence_model import EvidenceBase, evidence_of
from bip_talk.domain.meeting_history import Answer
from bip_talk.domain.pack import Item, Pack
from bip_talk.domain.training.feedback import Check, RehearsalLog, checklist
from bip_talk.domain.training.personas import Persona, PersonaBook, personas_of
from bip_talk.domain.training.simulation import (
    Levels,
    Meeting,
    PlanChoice,
    Quarter,
    advance,
    history_plans,
    meeting,
    outcome,
    start_levels,
)
from bip_talk.errors import InputError
from bip_talk.i18n import DEFAULT_LANGUAGE, Translator
from bip_talk.packs import load_pack
from bip_talk.services import plan as plan_service
from bip_talk.services.meeting import MeetingSession
from bip_talk.services.training.report import ReportMeeting, kind_name, markdown, write_report
from bip_talk.services.workstation import Workstation
from bip_talk.settings import Preferences, Settings
from bip_talk.store import Store, open_database

QUARTER_MONTHS = facts.MONTHS_TO_NEXT  # the next meeting is three months on
TEMP_PREFIX = "bip-talk-training-"
TRAINEE_INITIALS = "KUR"


@dataclass
class Round:
    """One rehearsed meeting."""

    number: int  # 1, 2, … within the rehearsal
    meeting_id: int
    held_on: str
    new_caseworker: bool
    log: RehearsalLog = field(default_factory=RehearsalLog)
    checks: list[Check] | None = None  # set when the meeting is finished

    @property
    def finished(self) -> bool:
        return self.checks is not None


def choose_persona(book: PersonaBook, persona_id: str | None, t: Translator) -> Persona:
    if persona_id is None:
        return book.personas[0]
    found = book.persona(persona_id)
    if found is None:
        known = ", ".join(p.id for p in book.personas)
        raise InputError(t("training.unknown_persona", id=persona_id, known=known))
    return found


class Rehearsal:
    def __init__(
        self,
        pack: Pack,
        book: PersonaBook,
        persona: Persona,
        store: Store,
        folder: Path,
        *,
        seed: int | str,
        lang: str,
        start_on: date,
        pack_dir: Path | None = None,
    ) -> None:
        self.pack = pack
        self.pack_dir = pack_dir  # where the pack came from (None: the shipped one)
        self.book = book
        self.persona = persona
        self.evidence: EvidenceBase | None = evidence_of(pack)
        self.store = store
        self.folder = folder
        self.seed = seed
        self.lang = lang
        self.t = Translator(lang)
        self.start_on = start_on
        self.citizen_side = next(p.id for p in pack.perspectives if p.respondent == "citizen")
        self.rounds: list[Round] = []
        self.quarter = 0  # 0 = the first rehearsed meeting; earlier meetings are negative
        self.levels: Levels = start_levels(persona)
        self.before: Quarter | None = None  # the quarter that led to the current meeting
        self.sim: Meeting | None = None  # the persona's answers at the current meeting
        self._prev_sim: Meeting | None = None
        self._new_caseworkers = 0
        # Who the trainee is in the meeting: the signed-in caseworker when known.
        self.trainee_who = (self.t("training.trainee_name"), TRAINEE_INITIALS)
        self.citizen_id = ""
        self.trainee: Caseworker
        self.actor: Caseworker
        self.session: MeetingSession

    # -- starting ------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        settings: Settings,
        persona_id: str | None = None,
        *,
        seed: int | str = 1,
        lang: str | None = None,
        start_on: date | None = None,
        trainee: tuple[str, str] | None = None,
    ) -> Rehearsal:
        """Open a throwaway database, build the persona's earlier meetings and open the
        first rehearsed meeting. ``settings.db_path`` is never used. ``trainee``: the
        signed-in caseworker's name and initials, whom the trainee plays (else
        "Kursist", KUR)."""
        lang = lang or settings.language or DEFAULT_LANGUAGE
        t = Translator(lang)
        pack = load_pack(settings.pack, lang)
        book = personas_of(pack)
        if book is None:
            raise InputError(t("training.no_personas", pack=pack.id))
        persona = choose_persona(book, persona_id, t)
        folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX))
        try:
            db = open_database(folder / "training.db", lang=lang)
            # Throwaway: no need to wait for the disk on every answer.
            db.execute("PRAGMA synchronous = OFF")
            store = Store(db)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        rehearsal = cls(
            pack,
            book,
            persona,
            store,
            folder,
            seed=seed,
            lang=lang,
            start_on=start_on or clock.today(),
            pack_dir=settings.pack_dir,
        )
        if trainee is not None and trainee[1]:
            rehearsal.trainee_who = (trainee[0] or trainee[1], trainee[1].upper())
        try:
            rehearsal._begin()
        except BaseException:
            rehearsal.close()
            raise
        return rehearsal

    def _date(self, quarter: int) -> str:
        """The simulated calendar: the persona's earlier meetings three months apart
        before the first rehearsed one. Later meetings are held on the date the meeting
        before proposed (``plan.next_meeting``), as the real app proposes it."""
        return facts.add_months(self.start_on, QUARTER_MONTHS * quarter).isoformat()

    def _holders(self, plans: Sequence[tuple[PlanChoice, bool]]) -> list[Caseworker]:
        """Who held each earlier meeting: the trainee back to the latest change, then
        made-up earlier caseworkers."""
        index = [0]
        for _, changed in plans:
            index.append(index[-1] + (1 if changed else 0))
        final = index[-1]  # the rehearsal's own meetings: the trainee
        out = []
        for n in index[:-1]:
            if n == final:
                out.append(self.trainee)
            else:
                out.append(
                    self.store.ensure_caseworker(
                        f"TS{n + 1}", self.t("training.earlier_caseworker", n=n + 1)
                    )
                )
        return out

    def _begin(self) -> None:
        name, initials = self.trainee_who
        self.trainee = self.store.ensure_caseworker(initials, name)
        plans = history_plans(self.persona)
        holders = self._holders(plans)
        first = holders[0] if holders else self.trainee
        rng = random.Random(f"{self.seed}/{self.persona.id}/citizen")
        citizen = self.store.create_citizen(
            self.persona.display_name,
            caseworker_id=first.id,
            target_group=self.persona.target_group,
            rng=rng,
        )
        self.citizen_id = citizen.id
        n = len(plans)
        for q, ((plan, changed), holder) in enumerate(zip(plans, holders, strict=True)):
            quarter = q - n
            session = self._open(holder, quarter)
            sim = meeting(
                self.pack,
                self.book,
                self.persona,
                self.levels,
                quarter=quarter,
                seed=self.seed,
                before=self.before,
                previous=self._prev_sim,
            )
            self._review_open_items(session, holder, plan.kinds)
            for pid, sheet in sim.answers.items():
                self._record(session, pid, sheet)
            self._agree(session, holder, plan)
            session.complete()
            self.before = advance(
                self.pack,
                self.book,
                self.persona,
                self.levels,
                plan,
                caseworker_changed=changed,
                quarter=quarter,
                seed=self.seed,
            )
            self.levels = self.before.levels
            self._prev_sim = sim
        self.actor = self.trainee
        new = bool(plans) and plans[-1][1]
        self._start_round(new_caseworker=new)

    # -- store helpers -------------------------------------------------------------------

    def _open(self, actor: Caseworker, quarter: int, held_on: str | None = None) -> MeetingSession:
        day = held_on or self._date(quarter)
        # Moved on the simulated calendar, before the meeting: a change of caseworker is
        # read from when the assignment started (domain.caseworker_change).
        self.store.assign(
            self.citizen_id, actor.id, actor=actor.id, reason="training", at=f"{day}T08:00:00+00:00"
        )
        self.store.start_meeting(
            self.citizen_id, actor.id, self.pack.id, self.pack.version, held_on=day
        )
        return MeetingSession.open(self.store, self.pack, self.citizen_id, actor)

    def _record(
        self, session: MeetingSession, perspective: str, sheet: Mapping[str, Answer]
    ) -> None:
        for item in self.pack.items(perspective):
            answer = sheet.get(item.id)
            if answer is not None:
                self._record_one(session, perspective, item, answer)

    @staticmethod
    def _record_one(session: MeetingSession, perspective: str, item: Item, answer: Answer) -> None:
        if answer.declined:
            session.decline(perspective, item.id)
        elif item.type == "scale" and answer.value is not None:
            session.rate(perspective, item.id, answer.value)
        elif item.type == "multi":
            current = session.answer(perspective, item.id)
            for option in current.choices if current else ():
                session.toggle_choice(perspective, item, option)  # start from a clean slate
            for option in answer.choices:
                session.toggle_choice(perspective, item, option)
        elif answer.text:
            session.set_text(perspective, item.id, answer.text)

    def _review_open_items(
        self, session: MeetingSession, actor: Caseworker, going_on: Sequence[str] = ()
    ) -> None:
        """Earlier meetings: what the persona did with last time's agreements. What the
        persona's story has going on into the next quarter (``going_on``) is still
        running: it stays open instead of being closed and agreed again."""
        for item in plan_service.items_to_review(self.store, self.citizen_id, session.meeting.id):
            running = item.kind in going_on
            said = (
                outcome(self.book, item.kind, self.before, still_running=running)
                if self.before
                else "done"
            )
            plan_service.review_item(
                self.store,
                self.citizen_id,
                item.id,
                said,
                meeting_id=session.meeting.id,
                actor=actor.id,
                lang=self.lang,
            )

    def _agree(
        self,
        session: MeetingSession,
        actor: Caseworker,
        plan: PlanChoice,
    ) -> list[PlanItem]:
        """Plan items for ``plan``; a staircase starts the company-based element when the
        others end, at the next meeting."""
        held = date.fromisoformat(session.meeting.held_on)
        nxt = facts.add_months(held, QUARTER_MONTHS)
        company = [k for k in plan.kinds if k in self.book.company_based]
        staircase = not plan.parallel and company and len(company) < len(plan.kinds)
        open_kinds = {i.kind for i in self.store.plan_items(self.citizen_id) if i.status == "open"}
        out = []
        for kind in dict.fromkeys(plan.kinds):
            if kind in open_kinds:
                continue  # already running: keep going
            starts, ends = held, None
            if staircase:
                if kind in company:
                    starts = nxt
                else:
                    ends = nxt  # ends on the next meeting's day: it does not move it
            out.append(
                self.store.add_plan_item(
                    self.citizen_id,
                    actor=actor.id,
                    meeting_id=session.meeting.id,
                    kind=kind,
                    title=kind_name(self.evidence, kind, self.lang),
                    starts_on=starts.isoformat(),
                    ends_on=ends.isoformat() if ends else None,
                )
            )
        return out

    # -- the current meeting -------------------------------------------------------------

    def _start_round(self, *, new_caseworker: bool, held_on: str | None = None) -> None:
        self.session = self._open(self.actor, self.quarter, held_on)
        self.sim = meeting(
            self.pack,
            self.book,
            self.persona,
            self.levels,
            quarter=self.quarter,
            seed=self.seed,
            before=self.before,
            previous=self._prev_sim,
            perspectives=[self.citizen_side],
        )
        to_review = plan_service.items_to_review(
            self.store, self.citizen_id, self.session.meeting.id
        )
        log = RehearsalLog(actions_to_review={i.id: i.kind for i in to_review})
        self.rounds.append(
            Round(
                len(self.rounds) + 1,
                self.session.meeting.id,
                self.session.meeting.held_on,
                new_caseworker,
                log,
            )
        )

    @property
    def round(self) -> Round:
        return self.rounds[-1]

    @property
    def log(self) -> RehearsalLog:
        return self.round.log

    @property
    def notice(self) -> str:
        """Say it on screen: this is practice, in a throwaway database."""
        return self.t("training.notice")

    def persona_answers(self) -> list[tuple[Item, Answer]]:
        """The persona's answers at this meeting, in the order the meeting asks them."""
        assert self.sim is not None
        sheet = self.sim.answers.get(self.citizen_side, {})
        out = []
        for step in self.pack.steps():
            for item in self.pack.step_items(self.citizen_side, step):
                if item.id in sheet:
                    out.append((item, sheet[item.id]))
        return out

    def give_answer(self, item: Item) -> Answer:
        """Record the persona's answer to one item (a screen shows a short pause first)."""
        assert self.sim is not None
        answer = self.sim.answers[self.citizen_side][item.id]
        self._record_one(self.session, self.citizen_side, item, answer)
        return answer

    def answer_all(self) -> None:
        for item, _ in self.persona_answers():
            self.give_answer(item)

    def persona_says(self, item: PlanItem) -> str:
        """done / partly / not_done / running: the persona's account of an agreed
        activity. A company-based placement without an end (or ending after today) is
        still running: placements go on for months."""
        if self.before is None:
            return "not_done"
        ends = parse_day(item.ends_on)
        running = item.kind in self.book.company_based and (ends is None or ends > self._today())
        return outcome(self.book, item.kind, self.before, still_running=running)

    def review_action(self, item_id: int, result: str) -> PlanItem:
        reviewed = plan_service.review_item(
            self.store,
            self.citizen_id,
            item_id,
            result,
            meeting_id=self.session.meeting.id,
            actor=self.actor.id,
            lang=self.lang,
        )
        self.log.actions_reviewed.add(item_id)
        return reviewed

    def _today(self) -> date:
        return date.fromisoformat(self.session.meeting.held_on)

    def suggestions(self) -> list[Suggestion]:
        """What the evidence suggests now; the first list shown is kept in the log as the
        suggestions the trainee had at hand."""
        found = plan_service.suggestions_for(
            self.store,
            self.pack,
            self.citizen_id,
            today=self._today(),
            age_band=self.persona.age_band,
        )
        if not self.log.suggestions:
            self.log.suggestions = tuple(found)
        return found

    def exclusions(self) -> list[Exclusion]:
        """What the evidence advises against for this persona now."""
        if self.evidence is None:
            return []
        situation = plan_service.build_situation(
            self.store, self.citizen_id, today=self._today(), age_band=self.persona.age_band
        )
        return evidence_exclusions(self.pack, self.evidence, situation)

    def choose_plan(self, kinds: Iterable[str], *, parallel: bool = True) -> list[PlanItem]:
        """Agree activities for the next quarter (the plan screen can do the same through
        services.plan); kinds already open keep going."""
        if not self.log.suggestions:
            self.suggestions()
        kinds = tuple(kinds)
        known = [plan_service.FREE_KIND]
        if self.evidence is not None:
            known += [i.id for i in self.evidence.interventions]
        for kind in kinds:
            if kind not in known:
                raise InputError(self.t("plan.unknown_kind", kind=kind, known=", ".join(known)))
        self.log.parallel = parallel
        return self._agree(self.session, self.actor, PlanChoice(kinds, parallel))

    def _is_activity(self, kind: str) -> bool:
        if kind == plan_service.FREE_KIND:
            return True
        intervention = self.evidence.intervention(kind) if self.evidence else None
        if intervention is not None:
            return intervention.activity
        return self.evidence is None and kind in {k for e in self.book.effects for k in e.kinds}

    def plan_choice(self) -> PlanChoice:
        """The activities that run from this meeting to the next, read from the plan
        items; a company-based item that starts only at the next meeting while others
        run makes it a staircase."""
        held = self._today()
        nxt = facts.add_months(held, QUARTER_MONTHS)
        running: list[str] = []
        waiting: list[str] = []
        for item in self.store.plan_items(self.citizen_id):
            if item.status != "open" or not self._is_activity(item.kind):
                continue
            starts = parse_day(item.starts_on) or held
            ends = parse_day(item.ends_on)
            if ends is not None and ends <= held:
                continue  # over by this meeting
            if starts >= nxt:
                if item.kind in self.book.company_based:
                    waiting.append(item.kind)
                continue
            running.append(item.kind)
        if waiting and running:
            return PlanChoice(tuple(dict.fromkeys(running + waiting)), parallel=False)
        return PlanChoice(tuple(dict.fromkeys(running)), parallel=True)

    def _sync_log(self) -> None:
        """Fill what the store already knows: notes per indicator, the actions reviewed,
        the caseworker's own belief rating, the plan and what the evidence advised against."""
        log, s = self.log, self.session
        counted: dict[str, int] = {}
        for note in s.notes(include_private=True):
            if note.indicator:
                counted[note.indicator] = counted.get(note.indicator, 0) + 1
        for indicator, n in counted.items():
            log.notes[indicator] = max(log.notes.get(indicator, 0), n)
        log.actions_reviewed |= {
            i.id for i in self.store.plan_items(self.citizen_id) if i.reviewed_in == s.meeting.id
        }
        for p in self.pack.perspectives:
            for item in self.pack.items(p.id):
                answer = s.answer(p.id, item.id) if item.private else None
                if answer is not None and answer.value is not None:
                    log.belief_rating = answer.value
        choice = self.plan_choice()
        open_kinds = [i.kind for i in self.store.plan_items(self.citizen_id) if i.status == "open"]
        log.plan = tuple(dict.fromkeys([*choice.kinds, *open_kinds]))
        log.parallel = choice.parallel
        if not log.suggestions:
            log.suggestions = tuple(self.suggestions())
        if not log.exclusions:
            log.exclusions = tuple(self.exclusions())

    def finish_meeting(self) -> list[Check]:
        """Complete the meeting (unless the screens did) and compute its checklist (once)."""
        if self.round.finished:
            assert self.round.checks is not None
            return self.round.checks
        self._sync_log()
        if self.session.meeting.is_draft:
            self.session.complete()
        self.round.checks = checklist(self.session.review(), self.log, evidence=self.evidence)
        return self.round.checks

    def next_meeting(self, *, caseworker_changed: bool = False) -> MeetingSession:
        """Three months on: the persona's levels follow the plan that ran (and a change of
        caseworker, if the trainer chose one: the trainee then plays the new caseworker)."""
        self.finish_meeting()
        finished = self.session.meeting.id
        plan = self.plan_choice()
        self.before = advance(
            self.pack,
            self.book,
            self.persona,
            self.levels,
            plan,
            caseworker_changed=caseworker_changed,
            quarter=self.quarter,
            seed=self.seed,
        )
        self.levels = self.before.levels
        self._prev_sim = self.sim
        self.quarter += 1
        if caseworker_changed:
            self._new_caseworkers += 1
            n = self._new_caseworkers
            self.actor = self.store.ensure_caseworker(
                f"{self.trainee_who[1]}{n + 1}", self.t("training.trainee_new", n=n)
            )
        held_on = plan_service.next_meeting(self.store, self.pack, self.citizen_id, finished).on
        self._start_round(new_caseworker=caseworker_changed, held_on=held_on.isoformat())
        return self.session

    def workstation(self, preferences: Preferences) -> Workstation:
        """A workstation over this rehearsal's throwaway database and pack, signed in as
        the trainee; settings changed during practice stay in the throwaway folder."""
        practice = Settings(
            data_dir=self.folder,
            db_path=self.folder / "training.db",
            pack_dir=self.pack_dir,
            prefs_path=self.folder / "settings.toml",
            language=self.lang,
        )
        trainee = replace(
            preferences,
            caseworker_name=self.actor.name,
            caseworker_initials=self.actor.initials,
            language=self.lang,
        )
        return Workstation.around(practice, trainee, store=self.store, pack=self.pack)

    # -- the report and the end ----------------------------------------------------------

    def report(self, lang: str | None = None) -> str:
        t = Translator(lang or self.lang)
        meetings = [
            ReportMeeting(
                r.number,
                r.held_on,
                r.new_caseworker,
                r.log.plan,
                r.log.parallel,
                tuple(r.checks or ()),
            )
            for r in self.rounds
            if r.finished
        ]
        return markdown(
            self.pack,
            self.evidence,
            t,
            persona=self.persona.display_name,
            seed=self.seed,
            today=clock.today().isoformat(),
            meetings=meetings,
        )

    def save_report(self, path: Path, lang: str | None = None) -> Path:
        """The Markdown report the trainee keeps, at ``path`` (never in the data folder
        unless the caller says so)."""
        return write_report(Path(path), self.report(lang), Translator(lang or self.lang))

    def close(self) -> None:
        """Close the throwaway database and delete its folder."""
        try:
            self.store.close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Rehearsal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
