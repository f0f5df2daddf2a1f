"""The plan loop: suggestions from the evidence, accepted or declined into plan items,
edited, reviewed at the next meeting (done / partly / not done / still running) and
paired with how the indicators they address moved.

Every change goes through ``Store`` and so leaves an audit row. A declined suggestion
is kept as a ``declined`` plan item: the audit shows what was offered and why it was
turned down.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from bip_talk import clock
from bip_talk.domain import report_facts as facts
from bip_talk.domain.dates import parse_day, read_day
from bip_talk.domain.entities import Citizen, Meeting, PlanItem, unfinished
from bip_talk.domain.evidence import (
    Exclusion,
    Situation,
    Suggestion,
    exclusions,
    shared_only,
    suggest,
)
from bip_talk.domain.evidence_model import EvidenceBase, evidence_of
from bip_talk.domain.meeting_history import MeetingAnswers
from bip_talk.domain.pack import Pack
from bip_talk.domain.plan_review import (
    CLOSED,
    MARKS,
    RUNNING,
    IndicatorMove,
    addressed_by,
    baseline_meeting,
    before_review,
    moves,
    review_mark,
)
from bip_talk.domain.plan_review import review_marks as replay_marks
from bip_talk.errors import InputError, NotFoundError
from bip_talk.i18n import Translator
from bip_talk.store import Store

if TYPE_CHECKING:
    from bip_talk.services.meeting import MeetingSession

# What a review closes an item with; "running" (RUNNING) is a review that keeps it open.
OUTCOMES = CLOSED
REVIEW_MARKS = MARKS
# A plan item that is not one of the pack's intervention or action types.
FREE_KIND = "other"
EDITABLE = ("title", "responsible", "due_on", "starts_on", "ends_on", "kind")
DATE_FIELDS = ("due_on", "starts_on", "ends_on")


# -- suggestions -----------------------------------------------------------------------


def require_citizen(store: Store, citizen_id: str, lang: str) -> Citizen:
    """The citizen, or a ``NotFoundError`` that says which id is unknown and what to do."""
    try:
        return store.citizen(citizen_id)
    except NotFoundError:
        raise NotFoundError(_t(lang)("plan.unknown_citizen", id=citizen_id)) from None


def meeting_day(store: Store, citizen_id: str) -> date:
    """The day the suggestions are for: the citizen's unfinished meeting's date, else
    today (the next meeting would be held today)."""
    return _day_of(store.draft_meeting(citizen_id))


def _day_of(draft: Meeting | None) -> date:
    return date.fromisoformat(draft.held_on[:10]) if draft else clock.today()


def build_situation(
    store: Store,
    citizen_id: str,
    *,
    today: date | None = None,
    age_band: str | None = None,
    evidence: EvidenceBase | None = None,
) -> Situation:
    """Everything the engine reads, from the store. The citizen's unfinished meeting,
    if any, counts as the current one (its answers are the newest). The age band comes
    from the citizen's birth year on the day (``age_band`` overrides it: training)."""
    meetings = store.meetings_for(citizen_id)
    draft = unfinished(meetings)
    return _situation(
        store,
        store.citizen(citizen_id),
        today or _day_of(draft),
        store.answered(meetings),
        draft,
        evidence,
        age_band,
    )


def session_situation(store: Store, session: MeetingSession) -> Situation:
    """The situation at the session's meeting, from what the session holds already (the
    citizen, the earlier meetings' answers, its own as they stand): only the plan and
    the assignments are read. The same as ``build_situation`` for its citizen and day."""
    meeting = session.meeting
    draft = meeting if meeting.is_draft else None
    return _situation(
        store,
        session.citizen,
        _day_of(draft),
        [*session.earlier, session.current()],
        draft,
        evidence_of(session.pack),
    )


def _situation(
    store: Store,
    citizen: Citizen,
    day: date,
    history: Sequence[MeetingAnswers],
    draft: Meeting | None,
    evidence: EvidenceBase | None,
    age_band: str | None = None,
) -> Situation:
    """The situation of ``citizen`` on ``day``: the plan and the assignments read here."""
    if age_band is None and evidence is not None:
        age_band = evidence.age_band_of(citizen.birth_year, day)
    return Situation(
        history=history,
        today=day,
        plan=store.plan_items(citizen.id),
        assignments=store.assignments(citizen.id),
        target_group=citizen.target_group,
        age_band=age_band,
        education=citizen.education,
        current_meeting=draft.id if draft else None,
    )


def suggestions_in(store: Store, session: MeetingSession) -> list[Suggestion]:
    """Ranked suggestions at the session's meeting (``suggestions_for`` without reading
    again what the session holds)."""
    evidence = evidence_of(session.pack)
    if evidence is None:
        return []
    return suggest(session.pack, evidence, session_situation(store, session))


def suggestions_for(
    store: Store,
    pack: Pack,
    citizen_id: str,
    *,
    shared: bool = False,
    today: date | None = None,
    age_band: str | None = None,
) -> list[Suggestion]:
    """Ranked suggestions for the citizen on the meeting's day (``today`` overrides);
    ``shared=True`` leaves out everything private (for the citizen's screen). A pack
    without evidence.toml suggests nothing."""
    evidence = evidence_of(pack)
    if evidence is None:
        return []
    situation = build_situation(
        store, citizen_id, today=today, age_band=age_band, evidence=evidence
    )
    out = suggest(pack, evidence, situation)
    return shared_only(out) if shared else out


def warnings_for_kind(
    store: Store,
    pack: Pack,
    citizen_id: str,
    kind: str,
    *,
    today: date | None = None,
) -> list[Exclusion]:
    """Why the evidence advises against ``kind`` for this citizen (e.g. nytteindsats for
    an aktivitetsparat citizen). The caseworker decides; the screen should ask first."""
    evidence = evidence_of(pack)
    if evidence is None:
        return []
    situation = build_situation(store, citizen_id, today=today, evidence=evidence)
    return [e for e in exclusions(pack, evidence, situation) if e.kind == kind]


# -- checks ----------------------------------------------------------------------------


def _t(lang: str) -> Translator:
    return Translator(lang)


def _check_dates(fields: dict[str, Any], lang: str) -> None:
    for name in DATE_FIELDS:
        value = fields.get(name)
        if value in (None, ""):
            fields[name] = None
            continue
        day = read_day(str(value))  # dd.mm.åååå as shown, or ÅÅÅÅ-MM-DD
        if day is None:
            raise InputError(_t(lang)("plan.bad_date", field=name, value=value))
        fields[name] = day.isoformat()
    starts, ends = fields.get("starts_on"), fields.get("ends_on")
    if starts and ends and ends < starts:
        raise InputError(_t(lang)("plan.ends_before_start", starts=starts, ends=ends))


def _check_kind(evidence: EvidenceBase | None, kind: str, lang: str) -> None:
    if kind == FREE_KIND:
        return
    if evidence is None or evidence.name(kind) is None:
        known = [FREE_KIND]
        if evidence is not None:
            known += [i.id for i in evidence.interventions] + [a.id for a in evidence.actions]
        raise InputError(_t(lang)("plan.unknown_kind", kind=kind, known=", ".join(known)))


def _clean_title(title: str | None, lang: str) -> str:
    text = (title or "").strip()
    if not text:
        raise InputError(_t(lang)("plan.empty_title"))
    return text


def _own(store: Store, citizen_id: str, item_id: int, lang: str) -> PlanItem:
    item = store.plan_item(item_id)
    if item.citizen_id != citizen_id:
        raise InputError(_t(lang)("plan.other_citizen", item=item_id))
    return item


# -- accept, decline, edit, add --------------------------------------------------------


def accept(
    store: Store,
    citizen_id: str,
    suggestion: Suggestion,
    *,
    actor: int,
    lang: str,
    meeting_id: int | None = None,
    responsible: str | None = None,
    due_on: str | None = None,
    starts_on: str | None = None,
    ends_on: str | None = None,
    title: str | None = None,
) -> PlanItem:
    """The suggestion becomes an open plan item carrying its rule and reason; each part
    of a combination becomes one more, with the same who and dates (they run at the same
    time). What is already open is not added again. Returns the lead's item (the one
    already open, for "keep going"); ``title`` names the lead."""
    if suggestion.private:
        raise InputError(_t(lang)("plan.private_suggestion"))
    fields: dict[str, Any] = {"due_on": due_on, "starts_on": starts_on, "ends_on": ends_on}
    _check_dates(fields, lang)
    who = (responsible or "").strip() or None
    lead: PlanItem | None = None
    for n, element in enumerate(suggestion.elements):
        if element.open_item is not None:
            item = _own(store, citizen_id, element.open_item, lang)
        else:
            name = (title if n == 0 else None) or element.title.get(lang)
            item = store.add_plan_item(
                citizen_id,
                actor=actor,
                meeting_id=meeting_id,
                kind=element.kind,
                title=_clean_title(name, lang),
                responsible=who,
                rule_id=element.rule_id,
                reason=element.reason.get(lang),
                **fields,
            )
        lead = lead or item
    assert lead is not None  # a suggestion has at least itself as an element
    return lead


def decline(
    store: Store,
    citizen_id: str,
    suggestion: Suggestion,
    *,
    actor: int,
    lang: str,
    meeting_id: int | None = None,
    reason: str | None = None,
) -> PlanItem:
    """Kept as ``declined`` plan items (one per part of a combination) so the audit and
    the handover show what was offered. Returns the lead's."""
    items = [
        store.add_plan_item(
            citizen_id,
            actor=actor,
            meeting_id=meeting_id,
            kind=element.kind,
            title=element.title.get(lang),
            rule_id=element.rule_id,
            reason=element.reason.get(lang),
            status="declined",
            decline_reason=(reason or "").strip() or None,
        )
        for element in suggestion.elements
    ]
    return items[0]


def declined_before(items: Sequence[PlanItem], meeting_id: int | None) -> list[PlanItem]:
    """Of the citizen's plan ``items``, the suggestions turned down at meetings other than
    ``meeting_id`` (the one under way; None: every meeting)."""
    return [i for i in items if i.status == "declined" and i.meeting_id != meeting_id]


def declined_in(store: Store, citizen_id: str, meeting_id: int) -> list[PlanItem]:
    """The suggestions turned down in this meeting (one item per part of a combination)."""
    return [
        i
        for i in store.plan_items(citizen_id)
        if i.status == "declined" and i.meeting_id == meeting_id
    ]


def give_decline_reason(
    store: Store,
    citizen_id: str,
    suggestion: Suggestion,
    reason: str | None,
    *,
    meeting_id: int,
    actor: int,
    lang: str,
) -> list[PlanItem]:
    """Why a suggestion declined in this meeting was turned down, added afterwards: on
    every part it was declined as, in one transaction."""
    kinds = {(e.rule_id, e.kind) for e in suggestion.elements}
    found = [i for i in declined_in(store, citizen_id, meeting_id) if (i.rule_id, i.kind) in kinds]
    if not found:
        raise InputError(_t(lang)("plan.not_declined_here", title=suggestion.title.get(lang)))
    text = (reason or "").strip() or None
    with store.db.atomic():
        return [store.update_plan_item(i.id, actor=actor, decline_reason=text) for i in found]


def free_kinds(store: Store, pack: Pack, meeting_id: int, lang: str) -> list[tuple[str, str]]:
    """The types a free plan item may have, as (id, name): the interventions and actions
    valid on the meeting's day that the citizen may see – never an action that only
    caseworker-only rules suggest (a reflection on the caseworker's own belief) – then
    ``other``."""
    evidence = evidence_of(pack)
    out: list[tuple[str, str]] = []
    if evidence is not None:
        day = held_day(store, meeting_id)
        out += [(i.id, i.name.get(lang)) for i in evidence.interventions if i.valid_on(day)]
        for action in evidence.actions:
            suggesting = [r for r in evidence.rules if r.suggest == action.id]
            if suggesting and all(r.audience == "private" for r in suggesting):
                continue
            if suggesting and not any(r.valid_on(day) for r in suggesting):
                continue  # e.g. a rule of the old law, no longer in force
            out.append((action.id, action.name.get(lang)))
    return [*out, (FREE_KIND, _t(lang)("planui.kind_other"))]


def add_free(
    store: Store,
    pack: Pack,
    citizen_id: str,
    *,
    actor: int,
    lang: str,
    kind: str,
    title: str,
    meeting_id: int | None = None,
    responsible: str | None = None,
    due_on: str | None = None,
    starts_on: str | None = None,
    ends_on: str | None = None,
) -> PlanItem:
    """An intervention or action the caseworker and citizen chose themselves (no rule).
    ``kind`` is one of the pack's types or ``other``."""
    _check_kind(evidence_of(pack), kind, lang)
    fields: dict[str, Any] = {"due_on": due_on, "starts_on": starts_on, "ends_on": ends_on}
    _check_dates(fields, lang)
    return store.add_plan_item(
        citizen_id,
        actor=actor,
        meeting_id=meeting_id,
        kind=kind,
        title=_clean_title(title, lang),
        responsible=(responsible or "").strip() or None,
        **fields,
    )


def edit(
    store: Store,
    pack: Pack,
    citizen_id: str,
    item_id: int,
    *,
    actor: int,
    lang: str,
    **changes: Any,
) -> PlanItem:
    """Change what was agreed: title, who, dates, type."""
    item = _own(store, citizen_id, item_id, lang)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise InputError(
            _t(lang)("plan.not_editable", fields=", ".join(unknown), known=", ".join(EDITABLE))
        )
    fields = dict(changes)
    if "title" in fields:
        fields["title"] = _clean_title(fields["title"], lang)
    if "responsible" in fields:
        fields["responsible"] = (fields["responsible"] or "").strip() or None
    if "kind" in fields:
        _check_kind(evidence_of(pack), fields["kind"], lang)
    dates = {k: fields.get(k, getattr(item, k)) for k in DATE_FIELDS}
    _check_dates(dates, lang)
    fields.update({k: v for k, v in dates.items() if k in fields})
    return store.update_plan_item(item_id, actor=actor, **fields)


def cancel(store: Store, citizen_id: str, item_id: int, *, actor: int, lang: str) -> PlanItem:
    _own(store, citizen_id, item_id, lang)
    return store.update_plan_item(item_id, actor=actor, status="cancelled")


# -- the action review at the next meeting ---------------------------------------------


def items_to_review(store: Store, citizen_id: str, meeting_id: int) -> list[PlanItem]:
    """Open items agreed before this meeting (those still running from an earlier review
    included), plus those already reviewed in it (so a choice can be seen and changed),
    in the order they were agreed."""
    return [
        i
        for i in store.plan_items(citizen_id)
        if (i.status == "open" and i.meeting_id != meeting_id) or i.reviewed_in == meeting_id
    ]


def review_outcome(item: PlanItem, meeting_id: int) -> str | None:
    """done / partly / not_done / running as reviewed in ``meeting_id``; None: not yet."""
    return review_mark(item, meeting_id)


def _meeting_order(store: Store, citizen_id: str) -> dict[int, tuple[str, int]]:
    return {m.id: (m.held_on, m.id) for m in store.meetings_for(citizen_id)}


def review_marks(store: Store, citizen_id: str) -> dict[int, dict[int, str]]:
    """Per plan item, what each meeting's review said (``{item: {meeting: mark}}``),
    earlier reviews of an item that was still running included."""
    return replay_marks(
        store.plan_items(citizen_id),
        store.audit_for(citizen_id),
        _meeting_order(store, citizen_id),
    )


def review_item(
    store: Store,
    citizen_id: str,
    item_id: int,
    outcome: str,
    *,
    meeting_id: int,
    actor: int,
    lang: str,
) -> PlanItem:
    """Record done / partly / not_done / running for an item, in this meeting. Running
    keeps the item open: it is still under way, is not suggested again and comes up for
    review at the next meeting too."""
    if outcome not in REVIEW_MARKS:
        raise InputError(_t(lang)("plan.bad_outcome", value=outcome, known=", ".join(REVIEW_MARKS)))
    item = _own(store, citizen_id, item_id, lang)
    if item.status != "open" and item.reviewed_in != meeting_id:
        raise InputError(_t(lang)("plan.not_open", item=item_id, status=item.status))
    status = "open" if outcome == RUNNING else outcome
    return store.update_plan_item(item_id, actor=actor, status=status, reviewed_in=meeting_id)


def undo_review(
    store: Store,
    citizen_id: str,
    item_id: int,
    *,
    meeting_id: int,
    actor: int,
    lang: str,
) -> PlanItem:
    """Take back this meeting's review of an item: it is as it was before the meeting
    (open, or still running as an earlier meeting's review said)."""
    item = _own(store, citizen_id, item_id, lang)
    if item.reviewed_in != meeting_id:
        raise InputError(_t(lang)("plan.not_reviewed_here", item=item_id))
    marks = review_marks(store, citizen_id).get(item_id, {})
    status, reviewed_in = before_review(marks, meeting_id, _meeting_order(store, citizen_id))
    return store.update_plan_item(item_id, actor=actor, status=status, reviewed_in=reviewed_in)


def carry_forward(
    store: Store,
    citizen_id: str,
    item_id: int,
    *,
    meeting_id: int,
    actor: int,
    lang: str,
    due_on: str | None = None,
) -> PlanItem:
    """Continue a partly done (or not done) item as a new open one from this meeting."""
    old = _own(store, citizen_id, item_id, lang)
    fields: dict[str, Any] = {"due_on": due_on, "starts_on": None, "ends_on": None}
    _check_dates(fields, lang)
    return store.add_plan_item(
        citizen_id,
        actor=actor,
        meeting_id=meeting_id,
        kind=old.kind,
        title=old.title,
        responsible=old.responsible,
        rule_id=old.rule_id,
        reason=old.reason,
        **fields,
    )


# -- dates the meeting proposes ---------------------------------------------------------


def held_day(store: Store, meeting_id: int) -> date:
    """The day the meeting is held on (in training: the simulated day), not today."""
    return parse_day(store.meeting(meeting_id).held_on) or clock.today()


def next_meeting(store: Store, pack: Pack, citizen_id: str, meeting_id: int) -> facts.NextMeeting:
    """The next meeting after ``meeting_id``: the one date every screen and report shows.
    About three months on, brought forward when something agreed in the meeting ends
    sooner. Caseworker-only items never move it (it is shown to the citizen)."""
    evidence = evidence_of(pack)
    agreed = [
        i
        for i in facts.agreed_in(store.plan_items(citizen_id), meeting_id)
        if not facts.is_private_item(evidence, i)
    ]
    return facts.next_meeting(held_day(store, meeting_id), agreed)


@dataclass(frozen=True, slots=True)
class ProposedDates:
    """What a new plan item is prefilled with: it starts on the meeting's day and is due
    by the next meeting."""

    starts_on: str
    due_on: str


def proposed_dates(store: Store, pack: Pack, citizen_id: str, meeting_id: int) -> ProposedDates:
    return ProposedDates(
        starts_on=held_day(store, meeting_id).isoformat(),
        due_on=next_meeting(store, pack, citizen_id, meeting_id).on.isoformat(),
    )


@dataclass(frozen=True, slots=True)
class ReviewedItem:
    item: PlanItem
    outcome: str | None  # done | partly | not_done | running; None while not reviewed
    moves: tuple[IndicatorMove, ...]


def paired_with_change(
    pack: Pack,
    items: Sequence[PlanItem],
    history: Sequence[MeetingAnswers],
    *,
    include_private: bool = False,
) -> list[ReviewedItem]:
    """Each item next to how its addressed indicators moved from the meeting it was
    agreed in to the meeting it was reviewed in (or the latest meeting while open)."""
    evidence = evidence_of(pack)
    ordered = sorted(history, key=lambda m: (m.held_on, m.meeting_id))
    latest = ordered[-1].meeting_id if ordered else None
    out = []
    for item in items:
        to = item.reviewed_in if item.reviewed_in is not None else latest
        start = baseline_meeting(item, ordered)
        found = (
            moves(
                pack,
                addressed_by(evidence, item),
                ordered,
                start,
                to,
                include_private=include_private,
            )
            if start != to
            else []
        )
        out.append(ReviewedItem(item, review_mark(item, item.reviewed_in), tuple(found)))
    return out


def reviewed_in_meeting(
    store: Store,
    pack: Pack,
    citizen_id: str,
    meeting_id: int,
    *,
    include_private: bool = False,
) -> list[ReviewedItem]:
    """For the review screen: the actions the opening reviews, with their indicator moves
    – each marked here with its mark, the rest unmarked, so the overview lists every
    action from last time and not only the ones marked (one still running from an
    earlier review counts as unmarked until this meeting marks it)."""
    items = [
        i if i.reviewed_in == meeting_id else replace(i, reviewed_in=None)
        for i in items_to_review(store, citizen_id, meeting_id)
    ]
    return paired_with_change(
        pack, items, store.history(citizen_id), include_private=include_private
    )
