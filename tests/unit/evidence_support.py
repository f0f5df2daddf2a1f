"""Builders for evidence-engine tests: synthetic meetings, plan items and assignments."""

from __future__ import annotations

from datetime import date

from bip_talk.domain.entities import Assignment, PlanItem
from bip_talk.domain.evidence import Situation
from bip_talk.domain.meeting_history import Answer, MeetingAnswers

TODAY = date(2026, 11, 24)
IN_2027 = date(2027, 2, 1)  # after the reform's expected main law (1 January 2027)
SIDES = {"c": "citizen", "w": "caseworker"}


def meeting(mid: int, held_on: str, cw: int | None = 1, **answers: object) -> MeetingAnswers:
    """``meeting(1, "2026-09-01", c_helbred=2, w_sb_tro=4, c_kanaler=("internet",))``:
    ``c_`` = citizen, ``w_`` = caseworker; an int is a rating, a tuple chosen options,
    ``None`` "won't answer"."""
    out: dict[tuple[str, str], Answer] = {}
    for key, value in answers.items():
        side, item = key.split("_", 1)
        if value is None:
            answer = Answer(declined=True)
        elif isinstance(value, tuple):
            answer = Answer(choices=value)
        else:
            assert isinstance(value, int)
            answer = Answer(value=value)
        out[(SIDES[side], item)] = answer
    return MeetingAnswers(mid, held_on, cw, out)


def both(**values: int) -> dict[str, int]:
    """The same rating from both sides: ``both(helbred=2)`` -> c_helbred=2, w_helbred=2."""
    return {f"{side}_{k}": v for k, v in values.items() for side in ("c", "w")}


_next_id = iter(range(1000, 100000))


def item(
    kind: str,
    status: str = "open",
    *,
    starts_on: str | None = "2026-10-01",
    ends_on: str | None = None,
    created_at: str = "2026-09-01T10:00:00+00:00",
    reviewed_in: int | None = None,
    due_on: str | None = None,
    meeting_id: int | None = None,
    rule_id: str | None = None,
    item_id: int | None = None,
) -> PlanItem:
    return PlanItem(
        id=item_id if item_id is not None else next(_next_id),
        citizen_id="T-1",
        meeting_id=meeting_id,
        kind=kind,
        title=kind,
        responsible=None,
        due_on=due_on,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
        rule_id=rule_id,
        reason=None,
        decline_reason=None,
        created_at=created_at,
        reviewed_in=reviewed_in,
    )


def assignment(aid: int, caseworker_id: int, started_at: str) -> Assignment:
    return Assignment(aid, "T-1", caseworker_id, started_at, None, None)


def situation(
    *history: MeetingAnswers,
    plan=(),
    assignments=(),
    target_group="aktivitetsparat",
    age_band=None,
    education=None,
    today=TODAY,
    current_meeting=None,
) -> Situation:
    return Situation(
        history=list(history),
        today=today,
        plan=list(plan),
        assignments=list(assignments),
        target_group=target_group,
        age_band=age_band,
        education=education,
        current_meeting=current_meeting,
    )
