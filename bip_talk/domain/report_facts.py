"""The rules behind the reports: which meeting a report is about, which history it sees,
which plan items are the caseworker's own, when the next meeting is and when
interventions ran (where the caseworker changed: domain.caseworker_change). Pure:
records in, plain values out.
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bip_talk.domain.dates import parse_day  # noqa: F401 - used as facts.parse_day
from bip_talk.domain.entities import Meeting, PlanItem
from bip_talk.domain.evidence_model import EvidenceBase
from bip_talk.domain.plan_review import CLOSED, review_mark

# BIP measures about every third month (research/bip-facts.md; PRODUCT.md).
MONTHS_TO_NEXT = 3
# Plan items that were agreed (or were under way) – not turned down, not withdrawn.
LIVE_STATUSES = ("open", "done", "partly", "not_done")


def add_months(day: date, months: int) -> date:
    """Same day of the month ``months`` later; the 31st becomes the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


# -- the meeting and its history --------------------------------------------------------


def _order(m: Meeting) -> tuple[str, int]:
    return (m.held_on, m.id)


def pick_meeting(meetings: Sequence[Meeting], meeting_id: int | None = None) -> Meeting | None:
    """The asked meeting; by default the latest completed one, or the draft when the
    citizen has nothing else. None: not found (or no meetings at all)."""
    if meeting_id is not None:
        return next((m for m in meetings if m.id == meeting_id), None)
    done = [m for m in meetings if not m.is_draft]
    pool = done or list(meetings)
    return max(pool, key=_order) if pool else None


def meetings_until(meetings: Sequence[Meeting], meeting: Meeting) -> list[Meeting]:
    """What the report sees: completed meetings up to and including ``meeting`` (which
    may itself be a draft), oldest first. Later meetings and other drafts are left out."""
    out = [
        m
        for m in meetings
        if m.id == meeting.id or (not m.is_draft and _order(m) <= _order(meeting))
    ]
    return sorted(out, key=_order)


def next_held(meetings: Sequence[Meeting], meeting: Meeting) -> Meeting | None:
    later = [m for m in meetings if not m.is_draft and _order(m) > _order(meeting)]
    return min(later, key=_order) if later else None


# -- privacy ------------------------------------------------------------------------------


def is_private_item(evidence: EvidenceBase | None, item: PlanItem) -> bool:
    """A plan item that came from a caseworker-only rule, or whose kind only such rules
    suggest (e.g. "reflect on your own belief in a job"): never in the citizen's copy."""
    if evidence is None:
        return False
    rule = evidence.rule(item.rule_id) if item.rule_id else None
    if rule is not None and rule.audience == "private":
        return True
    if evidence.action(item.kind) is None:
        return False  # interventions and free items are things done with the citizen
    suggesting = [r for r in evidence.rules if r.suggest == item.kind]
    return bool(suggesting) and all(r.audience == "private" for r in suggesting)


# -- plan items in time ---------------------------------------------------------------------


def agreed_in(items: Sequence[PlanItem], meeting_id: int) -> list[PlanItem]:
    """What was agreed in the meeting: items created in it and still standing."""
    return [i for i in items if i.meeting_id == meeting_id and i.status in LIVE_STATUSES]


@dataclass(frozen=True, slots=True)
class Followed:
    item: PlanItem
    outcome: str  # done | partly | not_done | running | not_reviewed


def followed_up(
    items: Sequence[PlanItem],
    meetings: Sequence[Meeting],
    meeting: Meeting,
    marks: Mapping[int, Mapping[int, str]] | None = None,
) -> list[Followed]:
    """Items agreed before ``meeting`` that were still open when it began: reviewed in it
    (done / partly / not done / still running) or not reviewed there (``not_reviewed``).
    ``marks``: what each meeting's review said per item (``plan_review.review_marks``);
    without it only the item's latest review is known."""
    order = {m.id: _order(m) for m in meetings}
    here = _order(meeting)
    out = []
    for item in items:
        if item.status not in LIVE_STATUSES or item.meeting_id == meeting.id:
            continue
        agreed = order.get(item.meeting_id) if item.meeting_id is not None else None
        if agreed is None:
            created = (item.created_at or "")[:10]
            if not created or created > meeting.held_on:
                continue
        elif agreed >= here:
            continue
        said = dict(marks.get(item.id, {})) if marks is not None else {}
        latest = review_mark(item, item.reviewed_in)
        if latest is not None and item.reviewed_in is not None:
            said[item.reviewed_in] = latest
        if meeting.id in said:
            out.append(Followed(item, said[meeting.id]))
            continue
        closed_before = any(
            mark in CLOSED and order.get(m, here) < here for m, mark in said.items()
        )
        if not closed_before:
            out.append(Followed(item, "not_reviewed"))
    return out


@dataclass(frozen=True, slots=True)
class NextMeeting:
    on: date
    because: PlanItem | None  # the agreed item whose end brings the meeting forward


def next_meeting(held_on: date, agreed: Sequence[PlanItem]) -> NextMeeting:
    """About three months after this meeting. An item agreed now that ends sooner (a
    six-week internship, say) brings it forward to that end date, so the item is
    followed up when it ends. Due dates of small tasks do not move the meeting."""
    default = add_months(held_on, MONTHS_TO_NEXT)
    ends = [
        (end, item)
        for item in agreed
        if (end := parse_day(item.ends_on)) is not None and held_on < end < default
    ]
    if ends:
        end, item = min(ends, key=lambda e: (e[0], e[1].id))
        return NextMeeting(end, item)
    return NextMeeting(default, None)


@dataclass(frozen=True, slots=True)
class Span:
    item: PlanItem
    start: date
    end: date | None  # None: still running


def is_intervention(evidence: EvidenceBase | None, item: PlanItem) -> bool:
    """An activity from the pack's interventions (not "no intervention"), or any item
    given a start date (a free item that runs over time)."""
    if item.starts_on:
        return True
    found = evidence.intervention(item.kind) if evidence is not None else None
    return found is not None and found.activity


def intervention_spans(
    evidence: EvidenceBase | None,
    items: Sequence[PlanItem],
    meetings: Sequence[Meeting],
    until: date,
) -> list[Span]:
    """When each intervention ran: from its start date (or the meeting it was agreed in)
    to its end date (or the meeting it was reviewed in). ``meetings``: those the report
    sees; items agreed in other meetings, or starting after ``until``, are left out."""
    held = {m.id: parse_day(m.held_on) for m in meetings}
    out = []
    for item in items:
        if item.status not in LIVE_STATUSES or not is_intervention(evidence, item):
            continue
        if item.meeting_id is not None and item.meeting_id not in held:
            continue
        start = (
            parse_day(item.starts_on)
            or held.get(item.meeting_id or -1)
            or parse_day(item.created_at)
        )
        if start is None or start > until:
            continue
        end = parse_day(item.ends_on)
        if end is None and item.reviewed_in is not None and item.status in CLOSED:
            end = held.get(item.reviewed_in)  # still running: no end yet
        if end is not None and end < start:
            end = start
        out.append(Span(item, start, end))
    return sorted(out, key=lambda s: (s.start, s.item.id))


def chart_until(meetings: Sequence[Meeting], meeting: Meeting) -> date:
    """Events after the report's meeting still show up to the day before the next held
    meeting (a new caseworker since the last meeting matters); none beyond."""
    later = next_held(meetings, meeting)
    if later is None:
        return date.max
    day = parse_day(later.held_on)
    return (day - timedelta(days=1)) if day else date.max
