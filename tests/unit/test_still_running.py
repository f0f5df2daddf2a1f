"""A plan item reviewed as "still running": it stays open, is not suggested again,
comes up for review at the next meeting, and every meeting keeps what its own review
said (the journal of an earlier meeting still says "still running" after the item was
done later). Undo goes back to what the earlier review said. Through the audit trail,
the chart, export and import."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bip_talk.domain import report_facts as facts
from bip_talk.errors import InputError
from bip_talk.i18n import Translator
from bip_talk.services import plan, reports
from bip_talk.services.audit_trail import audit_trail
from bip_talk.services.exchange.export import export_data
from bip_talk.services.exchange.imports import import_data
from bip_talk.store import Store, open_database
from tests.unit.report_data import frozen
from tests.unit.test_plan_service import held as _held


def held(store, pack, citizen_id, cw, on, **kw):
    """A meeting started on its own day (an export keys meetings by their start)."""
    with frozen(f"{on}T10:00:00+00:00"):
        return _held(store, pack, citizen_id, cw, on, **kw)


@pytest.fixture
def cw(store):
    return store.ensure_caseworker("ab", "Anne Berg")


@pytest.fixture
def story(store, pack, cw):
    """A placement agreed in June with no end date; a September meeting in progress."""
    citizen = store.create_citizen(
        "Mette Testesen", caseworker_id=cw.id, target_group="aktivitetsparat"
    )
    first = held(store, pack, citizen.id, cw, "2026-06-01", c_helbred=2, w_helbred=2)
    placement = plan.add_free(
        store,
        pack,
        citizen.id,
        actor=cw.id,
        lang="da",
        kind="virksomhedspraktik",
        title="Praktik i børnehave",
        meeting_id=first.id,
        starts_on="2026-06-08",
    )
    second = held(
        store, pack, citizen.id, cw, "2026-09-01", complete=False, c_helbred=3, w_helbred=3
    )
    return citizen.id, first, second, placement


def _mark(store, cid, item, outcome, meeting, cw):
    return plan.review_item(
        store, cid, item.id, outcome, meeting_id=meeting.id, actor=cw.id, lang="da"
    )


def _kinds(store, pack, cid, day):
    today = date(*day)
    return {s.kind: s.keep_going for s in plan.suggestions_for(store, pack, cid, today=today)}


def test_running_stays_open_and_is_not_suggested_again(store, pack, cw, story):
    cid, _, second, placement = story
    marked = _mark(store, cid, placement, "running", second, cw)
    assert (marked.status, marked.reviewed_in) == ("open", second.id)
    assert plan.review_outcome(marked, second.id) == "running"
    # Still listed in this meeting (the mark can be seen and changed).
    assert [i.id for i in plan.items_to_review(store, cid, second.id)] == [placement.id]
    # The evidence sees it as under way: at most "keep going", never a new placement.
    kinds = _kinds(store, pack, cid, (2026, 9, 1))
    assert kinds.get("virksomhedspraktik", placement.id) == placement.id


def test_partly_closes_it_and_the_placement_is_suggested_anew(store, pack, cw, story):
    """The bug the issue describes: a running placement marked "partly" is closed and
    then suggested again. "Still running" is the answer for a placement that goes on."""
    cid, _, second, placement = story
    _mark(store, cid, placement, "partly", second, cw)
    assert _kinds(store, pack, cid, (2026, 9, 1)).get("virksomhedspraktik", "x") is None


def test_reviewed_again_next_time_and_each_meeting_keeps_its_own_mark(store, pack, cw, story):
    cid, _, second, placement = story
    _mark(store, cid, placement, "running", second, cw)
    store.complete_meeting(second.id, actor=cw.id)
    third = held(store, pack, cid, cw, "2026-12-01", complete=False, c_helbred=4)
    assert [i.id for i in plan.items_to_review(store, cid, third.id)] == [placement.id]
    _mark(store, cid, placement, "done", third, cw)
    store.complete_meeting(third.id, actor=cw.id)

    assert plan.review_marks(store, cid)[placement.id] == {second.id: "running", third.id: "done"}
    # The September journal, written again in December, still says "still running".
    sept = reports.render_report(
        store, pack, cid, fmt="txt", lang="da", audience="caseworker", meeting_id=second.id
    ).text
    dec = reports.render_report(store, pack, cid, fmt="txt", lang="da", audience="caseworker").text
    assert "Praktik i børnehave (virksomhedspraktik): stadig i gang." in sept
    assert "Praktik i børnehave (virksomhedspraktik): udført." in dec
    # The chart's bar runs to the meeting where it was done, not to September.
    meetings = store.meetings_for(cid)
    (span,) = facts.intervention_spans(None, store.plan_items(cid), meetings, facts.date.max)
    assert span.end == facts.date(2026, 12, 1)


def test_a_running_item_has_no_end_on_the_chart(store, pack, cw, story):
    cid, _, second, placement = story
    _mark(store, cid, placement, "running", second, cw)
    meetings = store.meetings_for(cid)
    (span,) = facts.intervention_spans(None, store.plan_items(cid), meetings, facts.date.max)
    assert span.end is None


def test_undo_goes_back_to_the_earlier_review(store, pack, cw, story):
    cid, _, second, placement = story
    _mark(store, cid, placement, "running", second, cw)
    store.complete_meeting(second.id, actor=cw.id)
    third = held(store, pack, cid, cw, "2026-12-01", complete=False)
    _mark(store, cid, placement, "not_done", third, cw)
    back = plan.undo_review(store, cid, placement.id, meeting_id=third.id, actor=cw.id, lang="da")
    # Still running, as September said – not "never reviewed".
    assert (back.status, back.reviewed_in) == ("open", second.id)
    assert plan.review_marks(store, cid)[placement.id] == {second.id: "running"}
    with pytest.raises(InputError, match="ikke fulgt op i denne samtale"):
        plan.undo_review(store, cid, placement.id, meeting_id=third.id, actor=cw.id, lang="da")


def test_changing_the_mark_in_the_same_meeting_then_undo(store, pack, cw, story):
    cid, _, second, placement = story
    _mark(store, cid, placement, "running", second, cw)
    _mark(store, cid, placement, "done", second, cw)
    assert plan.review_marks(store, cid)[placement.id] == {second.id: "done"}
    back = plan.undo_review(store, cid, placement.id, meeting_id=second.id, actor=cw.id, lang="da")
    assert (back.status, back.reviewed_in) == ("open", None)
    assert plan.review_marks(store, cid)[placement.id] == {}


def test_unknown_outcome_lists_running(store, cw, story):
    cid, _, second, placement = story
    with pytest.raises(InputError, match="running"):
        _mark(store, cid, placement, "maybe", second, cw)


@pytest.mark.parametrize("lang", ["da", "en"])
def test_the_audit_trail_says_still_running(store, pack, cw, story, lang):
    cid, _, second, placement = story
    _mark(store, cid, placement, "running", second, cw)
    lines = audit_trail(store, pack, cid, Translator(lang))
    word = {"da": "status: stadig i gang", "en": "status: still running"}[lang]
    assert any(line.new and word in line.new for line in lines)


def test_export_and_import_keep_it_running(store, pack, cw, story, tmp_path: Path):
    cid, _, second, placement = story
    _mark(store, cid, placement, "running", second, cw)
    export_data(store, pack, tmp_path / "out")
    other = Store(open_database(tmp_path / "other.db"))
    try:
        import_data(other, pack, tmp_path / "out")
        (item,) = [i for i in other.plan_items(cid) if i.title == "Praktik i børnehave"]
        assert item.status == "open"
        assert plan.review_outcome(item, item.reviewed_in or -1) == "running"
    finally:
        other.close()


def _rules(store, pack, cid, day):
    today = date(*day)
    return {r for s in plan.suggestions_for(store, pack, cid, today=today) for r in s.rules}


def test_still_running_beats_a_planned_end_that_has_passed(store, pack, cw):
    """The walkthrough's Mette: a placement planned to end in October, reviewed as
    still running in December. It is under way: "keep going", never "nothing
    company-based is running". Without the review, the passed end date decides; and a
    review in a later meeting does not count on a day before it."""
    citizen = store.create_citizen("Rikke Testesen", caseworker_id=cw.id)
    cid = citizen.id
    first = held(store, pack, cid, cw, "2026-06-01", c_helbred=3, w_helbred=3)
    placement = plan.add_free(
        store,
        pack,
        cid,
        actor=cw.id,
        lang="da",
        kind="virksomhedspraktik",
        title="Praktik i et bageri",
        meeting_id=first.id,
        starts_on="2026-06-08",
        ends_on="2026-10-31",
    )
    december = held(store, pack, cid, cw, "2026-12-01", complete=False, c_helbred=4)
    assert "company_based_first" in _rules(store, pack, cid, (2026, 12, 1))

    _mark(store, cid, placement, "running", december, cw)
    assert "company_based_first" not in _rules(store, pack, cid, (2026, 12, 1))
    assert "keep_running" in _rules(store, pack, cid, (2026, 12, 1))
    assert _kinds(store, pack, cid, (2026, 12, 1))["virksomhedspraktik"] == placement.id
    # As of a November day the December review has not happened: the end date decides.
    assert "company_based_first" in _rules(store, pack, cid, (2026, 11, 15))
