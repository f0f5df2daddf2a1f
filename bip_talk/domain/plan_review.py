"""Pairs a plan item with how the indicators it addresses moved while it ran: from
the meeting where it was agreed to the meeting where it was reviewed; and what each
review said about an item, meeting by meeting. Pure.

A review marks an item done, partly, not done or still running. The first three close
it; "still running" keeps it open (``status = "open"`` with ``reviewed_in`` set), so
the evidence engine goes on counting it as under way and never suggests it again, and
the next meeting reviews it once more."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bip_talk.domain.change import MISSING, NO_CHANGE, Change, compare, meeting_scores
from bip_talk.domain.entities import AuditEntry, PlanItem
from bip_talk.domain.evidence_model import EvidenceBase
from bip_talk.domain.meeting_history import MeetingAnswers
from bip_talk.domain.pack import Pack, is_private_indicator

# What a review can say. The closed ones end the item; RUNNING keeps it open.
CLOSED = ("done", "partly", "not_done")
RUNNING = "running"
MARKS = (*CLOSED, RUNNING)


def review_mark(item: PlanItem, meeting_id: int | None) -> str | None:
    """What the review in ``meeting_id`` said about the item, from the item as it is
    now; None when it was not (or no longer is) reviewed there."""
    if meeting_id is None or item.reviewed_in != meeting_id:
        return None
    if item.status == "open":
        return RUNNING
    return item.status if item.status in CLOSED else None


def _decode(raw: str | None) -> dict[str, Any]:
    try:
        value = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def review_marks(
    items: Sequence[PlanItem],
    audit: Sequence[AuditEntry],
    order: Mapping[int, tuple[str, int]],
) -> dict[int, dict[int, str]]:
    """Per plan item, what each meeting's review said: ``{item: {meeting: mark}}``.

    An item reviewed "still running" in one meeting and done in the next holds only the
    last review in its own row; the audit trail keeps the earlier one. Replayed in
    order: a mark moving to a later meeting keeps the earlier mark, a mark taken back
    (to nothing, or to an earlier meeting) removes it. ``order``: each meeting's place
    in time (held_on, id). The item as stored has the last word for its own meeting:
    histories imported or generated without audit rows still give that one."""

    def rank(meeting: int) -> tuple[str, int]:
        return order.get(meeting, ("", meeting))

    ids = {i.id for i in items}
    out: dict[int, dict[int, str]] = {i: {} for i in ids}
    for entry in audit:
        if entry.entity != "plan_item" or entry.action != "change":
            continue
        try:
            item_id = int(entry.entity_key or "")
        except ValueError:
            continue
        new = _decode(entry.new)
        if item_id not in ids or "reviewed_in" not in new:
            continue
        before, after = _decode(entry.old).get("reviewed_in"), new.get("reviewed_in")
        marks = out[item_id]
        if before is not None and after != before and (after is None or rank(after) < rank(before)):
            marks.pop(before, None)
        if after is not None:
            status = new.get("status", "open")
            marks[after] = RUNNING if status == "open" else str(status)
    for item in items:
        mark = review_mark(item, item.reviewed_in)
        if mark is not None and item.reviewed_in is not None:
            out[item.id][item.reviewed_in] = mark
    return out


def before_review(
    marks: Mapping[int, str], meeting_id: int, order: Mapping[int, tuple[str, int]]
) -> tuple[str, int | None]:
    """The (status, reviewed_in) to go back to when the review in ``meeting_id`` is
    undone: still running from an earlier review, or plainly open."""
    here = order.get(meeting_id, ("", meeting_id))
    earlier = [m for m in marks if m != meeting_id and order.get(m, ("", m)) < here]
    if earlier:
        last = max(earlier, key=lambda m: order.get(m, ("", m)))
        if marks[last] == RUNNING:
            return "open", last
    return "open", None


@dataclass(frozen=True, slots=True)
class IndicatorMove:
    indicator: str
    perspective: str
    before: float | None
    now: float | None
    change: Change


def addressed_by(evidence: EvidenceBase | None, item: PlanItem) -> tuple[str, ...]:
    """The indicators a plan item works on: its rule's, else its intervention type's."""
    if evidence is None:
        return ()
    rule = evidence.rule(item.rule_id) if item.rule_id else None
    if rule is not None and rule.addresses:
        return tuple(rule.addresses)
    intervention = evidence.intervention(item.kind)
    return tuple(intervention.addresses) if intervention else ()


def baseline_meeting(item: PlanItem, history: Sequence[MeetingAnswers]) -> int | None:
    """The meeting the item was agreed in; for an item added between meetings, the
    last meeting held on or before the day it was created."""
    ids = {m.meeting_id for m in history}
    if item.meeting_id in ids:
        return item.meeting_id
    created = (item.created_at or "")[:10]
    earlier = [m for m in history if m.held_on <= created]
    return max(earlier, key=lambda m: (m.held_on, m.meeting_id)).meeting_id if earlier else None


def moves(
    pack: Pack,
    indicators: Sequence[str],
    history: Sequence[MeetingAnswers],
    before_meeting: int | None,
    now_meeting: int | None,
    *,
    include_private: bool = False,
) -> list[IndicatorMove]:
    """Per indicator and perspective: the score at ``before_meeting`` and at
    ``now_meeting``, and the change labelled by the pack's thresholds."""
    by_id = {m.meeting_id: m for m in history}
    before_m = by_id.get(before_meeting) if before_meeting is not None else None
    now_m = by_id.get(now_meeting) if now_meeting is not None else None
    # Each meeting scored once, not once per indicator and perspective.
    before_s = meeting_scores(pack, before_m) if before_m else None
    now_s = meeting_scores(pack, now_m) if now_m else None
    known = {i.id for i in pack.indicators}
    out: list[IndicatorMove] = []
    for ind in indicators:
        if ind not in known or (not include_private and is_private_indicator(pack, ind)):
            continue
        for pid in pack.indicator_perspectives(ind):
            before = before_s.get((pid, ind), MISSING) if before_s is not None else None
            now = now_s.get((pid, ind), MISSING) if now_s is not None else None
            change = compare(now, before, pack.thresholds) if now is not None else NO_CHANGE
            out.append(
                IndicatorMove(
                    ind, pid, before.value if before else None, now.value if now else None, change
                )
            )
    return out
