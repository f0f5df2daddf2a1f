"""The report rules: which meeting, which history, what is private, when the next
meeting is and when interventions ran."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bip_talk.domain import report_facts as facts
from bip_talk.domain.entities import Assignment, Meeting, PlanItem
from bip_talk.domain.evidence_model import evidence_of


def meeting(mid: int, on: str, *, draft: bool = False, cw: int = 1) -> Meeting:
    return Meeting(
        mid,
        "B-TEST01",
        cw,
        "bip",
        "1",
        "draft" if draft else "complete",
        on,
        f"{on}T09:00:00+00:00",
        None if draft else f"{on}T10:00:00+00:00",
        None,
        None,
    )


def item(
    iid: int,
    *,
    kind: str = "other",
    meeting_id: int | None = 1,
    status: str = "open",
    rule_id: str | None = None,
    starts_on=None,
    ends_on=None,
    reviewed_in=None,
    created_at: str = "2026-01-01T10:00:00+00:00",
    title: str = "x",
) -> PlanItem:
    return PlanItem(
        iid,
        "B-TEST01",
        meeting_id,
        kind,
        title,
        None,
        None,
        starts_on,
        ends_on,
        status,
        rule_id,
        None,
        None,
        created_at,
        reviewed_in,
    )


def assignment(aid: int, cw: int, at: str) -> Assignment:
    return Assignment(aid, "B-TEST01", cw, at, None, None)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2026-11-24", 3, "2027-02-24"),
        ("2026-11-30", 3, "2027-02-28"),  # no 30 February: the month's last day
        ("2027-11-30", 3, "2028-02-29"),  # leap year
        ("2026-01-31", 1, "2026-02-28"),
        ("2026-10-15", 3, "2027-01-15"),  # across the year
    ],
)
def test_add_months(start, months, expected):
    assert facts.add_months(date.fromisoformat(start), months) == date.fromisoformat(expected)


def test_pick_meeting_prefers_the_latest_completed_one():
    ms = [meeting(1, "2026-02-01"), meeting(3, "2026-05-01"), meeting(2, "2026-08-01", draft=True)]
    assert facts.pick_meeting(ms).id == 3
    assert facts.pick_meeting(ms, 2).id == 2  # asked for: the draft
    assert facts.pick_meeting(ms, 99) is None


def test_pick_meeting_takes_the_draft_when_that_is_all():
    assert facts.pick_meeting([meeting(7, "2026-02-01", draft=True)]).id == 7
    assert facts.pick_meeting([]) is None


def test_meetings_until_leaves_out_later_meetings_and_other_drafts():
    ms = [
        meeting(1, "2026-02-01"),
        meeting(2, "2026-05-01", draft=True),
        meeting(3, "2026-05-01"),
        meeting(4, "2026-08-01"),
    ]
    assert [m.id for m in facts.meetings_until(ms, ms[2])] == [1, 3]
    assert [m.id for m in facts.meetings_until(ms, ms[1])] == [1, 2]  # the draft itself
    assert [m.id for m in facts.meetings_until(ms, ms[3])] == [1, 3, 4]


def test_private_items_come_from_caseworker_only_rules(pack):
    evidence = evidence_of(pack)
    assert evidence is not None
    # A kind only private rules suggest is private whoever added it.
    assert facts.is_private_item(evidence, item(1, kind="reflect_belief"))
    private_rule = next(r for r in evidence.rules if r.audience == "private")
    assert facts.is_private_item(
        evidence, item(2, kind="virksomhedspraktik", rule_id=private_rule.id)
    )
    # Interventions and free items are done with the citizen.
    assert not facts.is_private_item(evidence, item(3, kind="virksomhedspraktik"))
    assert not facts.is_private_item(evidence, item(4, kind="other"))
    shared_action = next(
        r.suggest
        for r in evidence.rules
        if r.audience == "shared" and r.suggest and evidence.action(r.suggest)
    )
    assert not facts.is_private_item(evidence, item(5, kind=shared_action))
    assert not facts.is_private_item(None, item(6, kind="reflect_belief"))


def test_agreed_in_keeps_what_still_stands():
    items = [
        item(1),
        item(2, status="declined"),
        item(3, status="cancelled"),
        item(4, status="done"),
        item(5, meeting_id=2),
    ]
    assert [i.id for i in facts.agreed_in(items, 1)] == [1, 4]


def test_followed_up_reads_the_review_in_this_meeting():
    ms = [meeting(1, "2026-02-01"), meeting(2, "2026-05-01"), meeting(3, "2026-08-01")]
    items = [
        item(1, meeting_id=1, status="done", reviewed_in=2),
        item(2, meeting_id=1, status="open"),  # never reviewed
        item(3, meeting_id=2, status="partly", reviewed_in=3),  # reviewed later
        item(4, meeting_id=1, status="declined"),
        item(5, meeting_id=2),  # agreed in this meeting: not a follow-up
        item(
            6,
            meeting_id=None,
            created_at="2026-03-01T10:00:00+00:00",
            status="not_done",
            reviewed_in=2,
        ),  # added between meetings
        item(7, meeting_id=1, status="done", reviewed_in=1),  # closed before
    ]
    out = {f.item.id: f.outcome for f in facts.followed_up(items, ms, ms[1])}
    assert out == {1: "done", 2: "not_reviewed", 6: "not_done"}
    # At the third meeting item 3 was reviewed; 1 and 6 were closed earlier.
    out3 = {f.item.id: f.outcome for f in facts.followed_up(items, ms, ms[2])}
    assert out3 == {2: "not_reviewed", 3: "partly", 5: "not_reviewed"}


def test_next_meeting_is_three_months_on_unless_an_item_ends_sooner():
    held = date(2026, 11, 2)
    assert facts.next_meeting(held, []).on == date(2027, 2, 2)
    assert facts.next_meeting(held, []).because is None
    short = item(1, ends_on="2026-12-18")
    shorter = item(2, ends_on="2026-12-11")
    out = facts.next_meeting(held, [short, shorter, item(3, ends_on="2027-06-01")])
    assert (out.on, out.because.id) == (date(2026, 12, 11), 2)
    # Due dates of small tasks and ends beyond three months leave it alone.
    due = replace(item(4), due_on="2026-11-20")
    assert facts.next_meeting(held, [due, item(5, ends_on="2027-06-01")]).on == date(2027, 2, 2)


def test_intervention_spans(pack):
    evidence = evidence_of(pack)
    ms = [meeting(1, "2026-02-01"), meeting(2, "2026-05-01"), meeting(3, "2026-08-01")]
    items = [
        item(
            1,
            kind="virksomhedspraktik",
            meeting_id=1,
            starts_on="2026-02-15",
            ends_on="2026-04-01",
            status="done",
            reviewed_in=2,
        ),
        item(2, kind="mentor", meeting_id=2, status="partly", reviewed_in=3),  # dates from meetings
        item(3, kind="mentor", meeting_id=3),  # still running
        item(4, kind="other", meeting_id=2),  # a task, not an intervention
        item(5, kind="other", meeting_id=2, starts_on="2026-06-01"),  # a free item with a period
        item(6, kind="ingen", meeting_id=2),  # "no intervention" is no activity
        item(7, kind="mentor", meeting_id=2, status="declined"),
        item(8, kind="mentor", meeting_id=9),  # agreed in a meeting the report does not see
    ]
    spans = {
        s.item.id: (s.start, s.end)
        for s in facts.intervention_spans(evidence, items, ms, date(2026, 8, 1))
    }
    assert spans == {
        1: (date(2026, 2, 15), date(2026, 4, 1)),
        2: (date(2026, 5, 1), date(2026, 8, 1)),
        3: (date(2026, 8, 1), None),
        5: (date(2026, 6, 1), None),
    }
    # As of the second meeting, item 2's review (in meeting 3) has not happened yet.
    early = {
        s.item.id: s.end
        for s in facts.intervention_spans(evidence, items, ms[:2], date(2026, 5, 1))
    }
    assert early == {1: date(2026, 4, 1), 2: None}


def test_chart_until_stops_before_the_next_meeting():
    ms = [meeting(1, "2026-02-01"), meeting(2, "2026-05-01")]
    assert facts.chart_until(ms, ms[0]) == date(2026, 4, 30)
    assert facts.chart_until(ms, ms[1]) == date.max
