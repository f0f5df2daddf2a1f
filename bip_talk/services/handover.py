"""Handover: when a citizen's caseworker changes, the new caseworker gets the history,
what was tried and how the indicators moved, the citizen's own priorities and shared
notes, and the open plan items – so the citizen does not start from scratch (BIP: a
change cuts the job chance by 22 %).

Private notes stay with their author. The previous caseworker's private belief rating
is left out by default: the new caseworker forms their own (caseworker belief is itself
one of the strongest predictors, and a borrowed pessimism should not carry over).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bip_talk.domain.caseworker_change import (
    changed_since_last_meeting,
    current_caseworker,
    previous_caseworker,
)
from bip_talk.domain.change import build_review
from bip_talk.domain.entities import Caseworker, Citizen, Meeting, Note, PlanItem
from bip_talk.domain.pack import Pack
from bip_talk.services.plan import OUTCOMES, ReviewedItem, paired_with_change
from bip_talk.store import Store


@dataclass(frozen=True, slots=True)
class Point:
    meeting_id: int
    held_on: str
    value: float | None


@dataclass(frozen=True, slots=True)
class IndicatorHistory:
    indicator: str
    job_linked: bool
    series: dict[str, tuple[Point, ...]]  # perspective -> one point per completed meeting


@dataclass(frozen=True, slots=True)
class Priority:
    meeting_id: int
    held_on: str
    indicator: str


@dataclass(frozen=True, slots=True)
class Handover:
    citizen: Citizen
    current: Caseworker | None  # the caseworker the citizen is assigned to now
    previous: Caseworker | None  # whose case it was at the last completed meeting
    changed: bool  # current differs from previous: show the handover first
    meetings: tuple[Meeting, ...]  # completed, oldest first
    history: tuple[IndicatorHistory, ...]
    tried: tuple[ReviewedItem, ...]  # reviewed items with how their indicators moved
    declined: tuple[PlanItem, ...]  # suggestions turned down, with the reason given
    open_items: tuple[PlanItem, ...]
    priorities: tuple[Priority, ...]  # the citizen's own choice of topic, per meeting
    notes: tuple[Note, ...]  # shared notes only


def _completed(
    store: Store, citizen_id: str, meetings: Sequence[Meeting] | None = None
) -> list[Meeting]:
    """The citizen's completed meetings, from ``meetings`` if the caller has read them."""
    read = store.meetings_for(citizen_id) if meetings is None else meetings
    return [m for m in read if not m.is_draft]


def needs_handover(
    store: Store, citizen_id: str, meetings: Sequence[Meeting] | None = None
) -> bool:
    """True when the case has moved to another caseworker since the last completed
    meeting (domain.caseworker_change; a meeting held by a stand-in moves nothing).
    ``meetings``: the citizen's meetings, when the caller has just read them."""
    completed = _completed(store, citizen_id, meetings)
    return changed_since_last_meeting(store.assignments(citizen_id), completed)


def build_handover(
    store: Store,
    pack: Pack,
    citizen_id: str,
    *,
    include_private: bool = False,
) -> Handover:
    """Everything the handover view shows. Works at any time, not only after a change."""
    citizen = store.citizen(citizen_id)
    meetings = _completed(store, citizen_id)
    ids = {m.id for m in meetings}
    history = store.history(citizen_id, include_drafts=False)
    review = build_review(pack, history)
    held = {m.id: m.held_on for m in meetings}

    rows = []
    for row in review.rows:
        if row.private and not include_private:
            continue
        series = {
            pid: tuple(
                Point(m.meeting_id, m.held_on, v)
                for m, v in zip(review.meetings, p.series, strict=True)
            )
            for pid, p in row.perspectives.items()
        }
        rows.append(IndicatorHistory(row.indicator, row.job_linked, series))

    items = store.plan_items(citizen_id)
    reviewed = [i for i in items if i.status in OUTCOMES]
    assignments = store.assignments(citizen_id)
    current_id = current_caseworker(assignments)
    previous_id = previous_caseworker(assignments, meetings)
    return Handover(
        citizen=citizen,
        current=store.caseworker(current_id) if current_id is not None else None,
        previous=store.caseworker(previous_id) if previous_id is not None else None,
        changed=changed_since_last_meeting(assignments, meetings),
        meetings=tuple(meetings),
        history=tuple(rows),
        tried=tuple(paired_with_change(pack, reviewed, history, include_private=include_private)),
        declined=tuple(i for i in items if i.status == "declined"),
        open_items=tuple(i for i in items if i.status == "open"),
        priorities=tuple(
            Priority(m.id, held[m.id], m.priority) for m in meetings if m.priority and m.id in ids
        ),
        notes=tuple(store.notes([m.id for m in meetings], include_private=False)),
    )
