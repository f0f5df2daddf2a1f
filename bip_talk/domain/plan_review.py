"""Pairs a plan item with how the indicators it addresses moved while it ran: from
the meeting where it was agreed to the meeting where it was reviewed. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bip_talk.domain.change import NO_CHANGE, Change, compare, indicator_score
from bip_talk.domain.entities import PlanItem
from bip_talk.domain.evidence_model import EvidenceBase
from bip_talk.domain.meeting_history import MeetingAnswers
from bip_talk.domain.pack import Pack, is_private_indicator


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
    known = {i.id for i in pack.indicators}
    out: list[IndicatorMove] = []
    for ind in indicators:
        if ind not in known or (not include_private and is_private_indicator(pack, ind)):
            continue
        for pid in pack.indicator_perspectives(ind):
            before = indicator_score(pack, before_m, pid, ind) if before_m else None
            now = indicator_score(pack, now_m, pid, ind) if now_m else None
            change = compare(now, before, pack.thresholds) if now is not None else NO_CHANGE
            out.append(
                IndicatorMove(
                    ind, pid, before.value if before else None, now.value if now else None, change
                )
            )
    return out
