"""One definition of a change of caseworker (domain.caseworker_change): a new
assignment to someone else. A meeting held by a stand-in is none; only a history with
no assignments at all falls back on who held the meetings."""

from __future__ import annotations

from datetime import date

from bip_talk.domain import caseworker_change as cc
from bip_talk.domain.entities import Assignment
from tests.unit.test_report_facts import assignment, meeting


def test_changes_come_from_the_assignments():
    assignments = [
        assignment(1, 1, "2026-01-10T09:00:00+00:00"),
        assignment(2, 2, "2026-06-15T09:00:00+00:00"),
    ]
    ms = [
        meeting(1, "2026-02-01", cw=1),
        meeting(2, "2026-05-01", cw=1),
        meeting(3, "2026-08-01", cw=2),
        meeting(4, "2026-11-01", cw=3),  # a stand-in: the case stays with 2
    ]
    out = [(c.on, c.caseworker_id) for c in cc.caseworker_changes(assignments, ms)]
    assert out == [(date(2026, 6, 15), 2)]
    assert cc.caseworker_changes(assignments, ms, until=date(2026, 6, 1)) == []
    # One assignment, one caseworker: no change, whoever held the meetings.
    assert cc.caseworker_changes(assignments[:1], ms) == []


def test_without_assignments_the_meetings_decide():
    ms = [meeting(1, "2026-02-01", cw=1), meeting(2, "2026-05-01", cw=1)]
    ms.append(meeting(3, "2026-08-01", cw=2))
    out = [(c.on, c.caseworker_id) for c in cc.caseworker_changes([], ms)]
    assert out == [(date(2026, 8, 1), 2)]


def test_a_stand_in_is_not_a_change_before_or_after_their_meeting():
    """The walkthrough: KK (3) holds a meeting for KJO's (2) citizen. Neither KK's
    meeting nor KJO's next one is the first after a change."""
    assignments = [assignment(1, 2, "2026-03-15T08:00:00+00:00")]
    before = [meeting(1, "2026-09-23", cw=2)]
    assert not cc.changed_since_last_meeting(assignments, before)
    after = [*before, meeting(2, "2026-12-02", cw=3)]
    assert cc.previous_caseworker(assignments, after) == 2
    assert not cc.changed_since_last_meeting(assignments, after)


def test_a_reassignment_after_the_last_meeting_is_a_change():
    assignments = [assignment(1, 1, "2026-01-10T09:00:00+00:00")]
    ms = [meeting(1, "2026-05-01", cw=1)]
    moved = [*assignments, assignment(2, 2, "2026-05-01T10:00:00+00:00")]  # same second
    moved[0] = Assignment(1, "B-TEST01", 1, "2026-01-10T09:00:00+00:00", "2026-05-01", None)
    assert cc.current_caseworker(moved) == 2
    assert cc.previous_caseworker(moved, ms) == 1
    assert cc.changed_since_last_meeting(moved, ms)
    # No meeting yet: nothing to hand over.
    assert not cc.changed_since_last_meeting(moved, [])


def test_the_first_assignment_holds_from_the_start():
    """An assignment made when the history was imported (after every meeting) is whose
    case it was all along: no change. Without assignments, who held the meeting."""
    ms = [meeting(1, "2026-05-01", cw=1)]
    assignments = [assignment(1, 2, "2026-11-01T09:00:00+00:00")]
    assert cc.previous_caseworker(assignments, ms) == 2
    assert not cc.changed_since_last_meeting(assignments, ms)
    assert cc.previous_caseworker([], ms) == 1
    assert not cc.changed_since_last_meeting([], ms)  # no caseworker now: nothing to hand over


def test_a_stand_in_meeting_everywhere_the_same(store, pack):
    """The walkthrough's Mette: the case is KJO's; KK holds today's meeting. The
    journal note says nothing about a take-over, no handover comes first (neither for
    KK's meeting nor for KJO's next one), the evidence sees no change; then the case is
    moved to KK, and every place says so."""
    from bip_talk import clock
    from bip_talk.services import handover, plan, reports
    from tests.unit.test_plan_service import held

    # Today's meeting is held today: the assignments below are stamped with the real
    # clock, and the rules read them as of the meeting's day (a fixed date went stale).
    day = clock.today()

    kjo = store.ensure_caseworker("KJO", "Kasper J. Opdigtrup")
    kk = store.ensure_caseworker("KK", "Kim Krog")
    citizen = store.create_citizen("Mette Testesen", caseworker_id=kjo.id)
    cid = citizen.id
    held(store, pack, cid, kjo, "2026-09-23", c_helbred=3, w_helbred=3)
    assert not handover.needs_handover(store, cid)
    stand_in = held(store, pack, cid, kk, day.isoformat(), c_helbred=4, w_helbred=4)

    def note() -> str:
        return reports.render_report(
            store, pack, cid, fmt="txt", lang="da", audience="caseworker"
        ).text

    def rules() -> set[str]:
        return {r for s in plan.suggestions_for(store, pack, cid, today=day) for r in s.rules}

    assert "Sagsbehandlerskift" not in note() and "overtaget" not in note()
    assert not handover.needs_handover(store, cid)
    h = handover.build_handover(store, pack, cid)
    assert not h.changed and h.current.id == h.previous.id == kjo.id
    assert "caseworker_change" not in rules()

    # Moved to KK, who held the last meeting: a change (the rules see it), but KK knows
    # the citizen, so no handover and no "I am new on your case".
    store.assign(cid, kk.id, actor=kk.id, reason="ny fordeling")
    assert "caseworker_change" in rules()
    assert not handover.needs_handover(store, cid)
    assert stand_in.caseworker_id == kk.id
    # Moved on to BN, who has never met the citizen: the handover comes first.
    bn = store.ensure_caseworker("BN", "Bo Nielsen")
    store.assign(cid, bn.id, actor=kk.id, reason="ny fordeling")
    assert handover.needs_handover(store, cid)
    h = handover.build_handover(store, pack, cid)
    # Whose case it was at the last meeting: KJO (the move to KK came after it).
    assert h.changed and (h.previous.id, h.current.id) == (kjo.id, bn.id)
