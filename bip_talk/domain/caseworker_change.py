"""What a change of caseworker is: one definition for the opening words, the handover,
the plan's warning, the evidence rules, the journal note and the report's chart (the
statistics in store/bip_stats read the same from SQL: an assignment after the first).

The assignments say who the citizen's caseworker is. A change is an assignment to
another caseworker than the one before. A meeting held by someone else while the case
stays with its caseworker (a stand-in) is not a change. Only a history with no
assignments at all (imported without them) falls back on the meetings: a meeting held
by someone else than the meeting before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Protocol

from bip_talk.domain.dates import parse_day
from bip_talk.domain.entities import Assignment, Meeting


class Held(Protocol):
    """A meeting as far as a change is concerned (a Meeting or a MeetingAnswers)."""

    @property
    def held_on(self) -> str: ...

    @property
    def caseworker_id(self) -> int | None: ...


@dataclass(frozen=True, slots=True)
class CaseworkerChange:
    on: date
    caseworker_id: int


def _ordered(assignments: Sequence[Assignment]) -> list[Assignment]:
    return sorted(assignments, key=lambda a: (a.started_at, a.id))


def caseworker_changes(
    assignments: Sequence[Assignment],
    meetings: Sequence[Held],
    *,
    until: date | None = None,
) -> list[CaseworkerChange]:
    """Every change of caseworker, oldest first. ``until``: leave out later changes."""
    out: list[CaseworkerChange] = []
    ordered = _ordered(assignments)
    if ordered:
        for before, after in zip(ordered, ordered[1:], strict=False):
            day = parse_day(after.started_at)
            if day is not None and after.caseworker_id != before.caseworker_id:
                out.append(CaseworkerChange(day, after.caseworker_id))
    else:
        held = sorted(
            (m for m in meetings if m.caseworker_id is not None and parse_day(m.held_on)),
            key=lambda m: m.held_on[:10],
        )
        for earlier, later in zip(held, held[1:], strict=False):
            day = parse_day(later.held_on)
            if later.caseworker_id != earlier.caseworker_id and day and later.caseworker_id:
                out.append(CaseworkerChange(day, later.caseworker_id))
    if until is not None:
        out = [c for c in out if c.on <= until]
    return out


def _moment(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _before(a: Assignment, meeting: Meeting) -> bool:
    """The assignment was made before the meeting ended: on an earlier day than the
    meeting was held, or on its day before it ended. The day decides first (a meeting's
    timestamps are when it was recorded; ``held_on`` is the day it was held); made in
    the same second as the meeting ended counts as after it (moved right after it)."""
    day, held = parse_day(a.started_at), parse_day(meeting.held_on)
    if day is None or held is None:
        return False
    if day != held:
        return day < held
    start = _moment(a.started_at)
    end = _moment(meeting.completed_at) or _moment(meeting.started_at)
    return start is not None and end is not None and start < end


def assigned_at(assignments: Sequence[Assignment], meeting: Meeting) -> int | None:
    """The caseworker the citizen was assigned to when the meeting was held (whoever
    held it); None without assignments. The first assignment holds from the start (a
    case has a caseworker before its first meeting, also when the history was imported
    later)."""
    ordered = _ordered(assignments)
    if not ordered:
        return None
    who = ordered[0].caseworker_id
    for a in ordered[1:]:
        if _before(a, meeting):
            who = a.caseworker_id
    return who


def previous_caseworker(
    assignments: Sequence[Assignment], meetings: Sequence[Meeting]
) -> int | None:
    """Whose case it was at the last completed meeting: the caseworker assigned then, or,
    in a history without assignments, the one who held it. None: no completed meeting."""
    done = sorted((m for m in meetings if not m.is_draft), key=lambda m: (m.held_on, m.id))
    if not done:
        return None
    last = done[-1]
    assigned = assigned_at(assignments, last)
    return assigned if assigned is not None else last.caseworker_id


def current_caseworker(assignments: Sequence[Assignment]) -> int | None:
    """The caseworker the citizen is assigned to now (the latest open assignment)."""
    open_ = [a for a in _ordered(assignments) if a.ended_at is None]
    return open_[-1].caseworker_id if open_ else None


def changed_since_last_meeting(
    assignments: Sequence[Assignment], meetings: Sequence[Meeting]
) -> bool:
    """The citizen's caseworker now is not whose case it was at the last completed
    meeting, and did not hold that meeting either (a stand-in the case then moved to
    knows it): the handover comes first and the opening says "I am new on your case"."""
    done = [m for m in meetings if not m.is_draft]
    current, previous = current_caseworker(assignments), previous_caseworker(assignments, done)
    if current is None or previous is None or current == previous:
        return False
    last = max(done, key=lambda m: (m.held_on, m.id))
    return last.caseworker_id != current
