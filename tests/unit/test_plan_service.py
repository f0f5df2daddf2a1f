"""The plan loop against a real (temporary) database: suggestions, accept, decline,
edit, free items, the action review at the next meeting and its pairing with change."""

from __future__ import annotations

from datetime import date

import pytest

from bip_talk.domain.meeting_history import Answer
from bip_talk.errors import InputError
from bip_talk.services import plan

TODAY = date(2026, 11, 24)


def held(store, pack, citizen_id, cw, on, *, complete=True, **answers):
    """A meeting with answers: ``c_helbred=2`` citizen, ``w_sb_tro=3`` caseworker."""
    m = store.start_meeting(citizen_id, cw.id, pack.id, pack.version, held_on=on)
    for key, value in answers.items():
        side, item_id = key.split("_", 1)
        perspective = {"c": "citizen", "w": "caseworker"}[side]
        answer = Answer(choices=value) if isinstance(value, tuple) else Answer(value=value)
        store.record_answer(m.id, perspective, item_id, answer, actor=cw.id, citizen_id=citizen_id)
    if complete:
        store.complete_meeting(m.id, actor=cw.id)
    return m


@pytest.fixture
def cw(store):
    return store.ensure_caseworker("ab", "Anne Berg")


@pytest.fixture
def citizen(store, cw):
    return store.create_citizen(
        "Mette Testesen", caseworker_id=cw.id, target_group="aktivitetsparat"
    )


def _top(store, pack, citizen, **kw):
    return plan.suggestions_for(store, pack, citizen.id, today=TODAY, **kw)


def _element(out, kind):
    """The suggestion of ``kind``, alone or as a part of a combination (one plan item)."""
    return next(e for s in out for e in s.elements if e.kind == kind)


def test_suggestions_come_from_the_stored_history(store, pack, cw, citizen):
    held(store, pack, citizen.id, cw, "2026-07-01", c_helbred=2, w_helbred=2, w_sb_tro=2)
    out = _top(store, pack, citizen)
    assert out[0].kind == "virksomhedspraktik"
    assert "reflect_belief" in {s.kind for s in out}
    assert "reflect_belief" not in {s.kind for s in _top(store, pack, citizen, shared=True)}
    assert "nytteindsats" not in {s.kind for s in out}


def test_accept_makes_an_open_plan_item_with_rule_and_reason(store, pack, cw, citizen):
    m = held(store, pack, citizen.id, cw, "2026-11-20", c_helbred=3)
    first = _top(store, pack, citizen)[0]
    accepted = plan.accept(
        store,
        citizen.id,
        first,
        actor=cw.id,
        lang="da",
        meeting_id=m.id,
        responsible="Borger",
        due_on="2026-12-15",
        starts_on="2026-12-01",
    )
    assert accepted.status == "open" and accepted.kind == "virksomhedspraktik"
    assert accepted.rule_id == "company_based_first" and accepted.reason.startswith(
        "Der kører ikke"
    )
    assert accepted.title == "Virksomhedspraktik" and accepted.responsible == "Borger"
    assert (accepted.due_on, accepted.starts_on, accepted.meeting_id) == (
        "2026-12-15",
        "2026-12-01",
        m.id,
    )
    assert [a.action for a in store.audit_for(citizen.id) if a.entity == "plan_item"] == ["create"]
    # Now open in the plan: suggested again only as "keep going", and accepting that
    # does not create a second item.
    again = next(s for s in _top(store, pack, citizen) if s.kind == "virksomhedspraktik")
    assert again.keep_going == accepted.id
    same = plan.accept(store, citizen.id, again, actor=cw.id, lang="da")
    assert same.id == accepted.id and len(store.plan_items(citizen.id)) == 1


def test_accepted_at_the_meeting_in_progress_reads_as_agreed_today(store, pack, cw, citizen):
    """The engine reads the unfinished meeting as the current one: what it agreed is
    "agreed today", not "already running" (and so not a placement to ask for a job at);
    once that meeting is complete, the next one sees it running."""
    held(store, pack, citizen.id, cw, "2026-08-20", c_helbred=3, w_helbred=3)
    now = held(store, pack, citizen.id, cw, "2026-11-20", complete=False, c_kanaler=("internet",))
    first = next(s for s in _top(store, pack, citizen) if s.kind == "virksomhedspraktik")
    accepted = plan.accept(
        store, citizen.id, first, actor=cw.id, lang="da", meeting_id=now.id, starts_on="2026-11-20"
    )
    out = _top(store, pack, citizen)
    placement = [s for s in out if s.kind == "virksomhedspraktik"]
    assert placement and all(s.agreed_now and s.keep_going == accepted.id for s in placement)
    assert "ask_internship_company" not in {s.kind for s in out}
    store.complete_meeting(now.id, actor=cw.id)
    later = plan.suggestions_for(store, pack, citizen.id, today=date(2027, 1, 10))
    assert "ask_internship_company" in {s.kind for s in later}
    assert not any(s.agreed_now for s in later)


def test_accept_in_english_and_with_own_title(store, pack, cw, citizen):
    held(store, pack, citizen.id, cw, "2026-11-20", c_helbred=2)
    health = _element(_top(store, pack, citizen), "helbredsindsats")
    item = plan.accept(
        store, citizen.id, health, actor=cw.id, lang="en", title="  Physio twice a week "
    )
    assert item.title == "Physio twice a week" and item.reason.startswith("Health is a big issue")


def test_private_suggestion_cannot_enter_the_plan(store, pack, cw, citizen):
    held(store, pack, citizen.id, cw, "2026-11-20", w_sb_tro=1)
    private = next(s for s in _top(store, pack, citizen) if s.private)
    with pytest.raises(InputError, match="kun til dig"):
        plan.accept(store, citizen.id, private, actor=cw.id, lang="da")
    assert store.plan_items(citizen.id) == []


def test_bad_dates_are_refused_and_nothing_is_saved(store, pack, cw, citizen):
    held(store, pack, citizen.id, cw, "2026-11-20")
    first = _top(store, pack, citizen)[0]
    with pytest.raises(InputError, match="due_on: '15/12' is not a date"):
        plan.accept(store, citizen.id, first, actor=cw.id, lang="en", due_on="15/12")
    with pytest.raises(InputError, match="før startdatoen"):
        plan.accept(
            store,
            citizen.id,
            first,
            actor=cw.id,
            lang="da",
            starts_on="2026-12-10",
            ends_on="2026-12-01",
        )
    assert store.plan_items(citizen.id) == []


def test_decline_is_kept_with_its_reason(store, pack, cw, citizen):
    m = held(store, pack, citizen.id, cw, "2026-11-20", c_maal=2)
    upskilling = _element(_top(store, pack, citizen), "vejledning_opkvalificering")
    item = plan.decline(
        store,
        citizen.id,
        upskilling,
        actor=cw.id,
        lang="da",
        meeting_id=m.id,
        reason="Har prøvet kursus to gange",
    )
    assert item.status == "declined" and item.decline_reason == "Har prøvet kursus to gange"
    assert item.rule_id == "parallel_upskilling"
    # A declined item is not "in the plan": the suggestion stays a new suggestion.
    again = _element(_top(store, pack, citizen), "vejledning_opkvalificering")
    assert again.keep_going is None


def test_accepting_a_combination_agrees_every_part_at_once(store, pack, cw, citizen):
    m = held(store, pack, citizen.id, cw, "2026-11-20", c_helbred=1, w_helbred=2)
    top = _top(store, pack, citizen)[0]
    assert top.kind == "virksomhedspraktik" and top.combined_with == ("helbredsindsats",)
    lead = plan.accept(
        store, citizen.id, top, actor=cw.id, lang="da", meeting_id=m.id, due_on="2027-02-20"
    )
    items = [i for i in store.plan_items(citizen.id) if i.status == "open"]
    assert [(i.kind, i.rule_id) for i in items] == [
        ("virksomhedspraktik", "company_based_first"),
        ("helbredsindsats", "parallel_health"),
    ]
    assert lead.id == items[0].id and {i.due_on for i in items} == {"2027-02-20"}
    assert items[1].title == "Helbredsindsats"  # each part keeps its own name


def test_a_planned_lead_is_not_added_again_with_its_new_part(store, pack, cw, citizen):
    m = held(store, pack, citizen.id, cw, "2026-11-20", c_helbred=2)
    planned = plan.add_free(
        store,
        pack,
        citizen.id,
        actor=cw.id,
        lang="da",
        kind="virksomhedspraktik",
        title="Praktik fra januar",
        starts_on="2027-01-04",
    )
    top = _top(store, pack, citizen)[0]
    assert top.open_item == planned.id and top.keep_going is None
    lead = plan.accept(store, citizen.id, top, actor=cw.id, lang="da", meeting_id=m.id)
    assert lead.id == planned.id
    kinds = sorted(i.kind for i in store.plan_items(citizen.id))
    assert kinds == ["helbredsindsats", "virksomhedspraktik"]


def test_declining_a_combination_keeps_every_part_declined(store, pack, cw, citizen):
    m = held(store, pack, citizen.id, cw, "2026-11-20", c_helbred=1, c_kendskab=2)
    top = _top(store, pack, citizen)[0]
    plan.decline(store, citizen.id, top, actor=cw.id, lang="en", meeting_id=m.id, reason="not now")
    declined = store.plan_items(citizen.id)
    assert {i.kind for i in declined} == {
        "virksomhedspraktik",
        "helbredsindsats",
        "vejledning_opkvalificering",
    }
    assert {(i.status, i.decline_reason) for i in declined} == {("declined", "not now")}


def test_the_meeting_day_decides_which_rules_apply(store, pack, cw):
    young = store.create_citizen(
        "Ung Testesen", caseworker_id=cw.id, target_group="jobparat", birth_year=2001
    )
    held(store, pack, young.id, cw, "2026-12-10", complete=False)  # a draft: its day counts
    kinds = {e.kind for s in plan.suggestions_for(store, pack, young.id) for e in s.elements}
    assert "young_rules_now" in kinds and "job_goal_six_months" not in kinds
    on_2027 = plan.suggestions_for(store, pack, young.id, today=date(2027, 2, 1))
    kinds = {e.kind for s in on_2027 for e in s.elements}
    assert {"young_same_rules", "job_goal_six_months"} <= kinds
    assert plan.meeting_day(store, young.id) == date(2026, 12, 10)


def test_the_citizen_facts_feed_the_age_rules(store, pack, cw):
    young = store.create_citizen(
        "Ung Testesen", caseworker_id=cw.id, target_group="uddannelse", birth_year=2002
    )
    held(store, pack, young.id, cw, "2026-11-20", c_maal=2)

    def kinds():
        return {e.kind for s in _top(store, pack, young) for e in s.elements}

    assert "mentor" in kinds()
    store.update_citizen(young.id, actor=cw.id, education="erhvervsfaglig")
    assert "mentor" not in kinds()
    store.update_citizen(young.id, actor=cw.id, education=None, birth_year=1980)
    assert "mentor" not in kinds()


def test_edit_changes_and_audits(store, pack, cw, citizen):
    item = plan.add_free(
        store,
        pack,
        citizen.id,
        actor=cw.id,
        lang="da",
        kind="mentor",
        title="Mentor fra Café Hjertet",
        due_on="2026-12-01",
    )
    changed = plan.edit(
        store,
        pack,
        citizen.id,
        item.id,
        actor=cw.id,
        lang="da",
        responsible=" Sagsbehandler ",
        due_on="2027-01-15",
    )
    assert changed.responsible == "Sagsbehandler" and changed.due_on == "2027-01-15"
    audit = [a for a in store.audit_for(citizen.id) if a.entity == "plan_item"]
    assert [a.action for a in audit] == ["create", "change"]
    assert "2026-12-01" in audit[-1].old and "2027-01-15" in audit[-1].new
    with pytest.raises(InputError, match="status"):
        plan.edit(store, pack, citizen.id, item.id, actor=cw.id, lang="en", status="done")
    with pytest.raises(InputError, match="title"):
        plan.edit(store, pack, citizen.id, item.id, actor=cw.id, lang="en", title="   ")
    with pytest.raises(InputError, match="not a date"):
        plan.edit(store, pack, citizen.id, item.id, actor=cw.id, lang="en", starts_on="soon")


def test_add_free_checks_kind_and_title(store, pack, cw, citizen):
    other = plan.add_free(
        store,
        pack,
        citizen.id,
        actor=cw.id,
        lang="da",
        kind="other",
        title="Søg 3 job på Jobnet om ugen",
        responsible="Borger",
    )
    assert other.kind == "other" and other.rule_id is None and other.status == "open"
    with pytest.raises(InputError, match="unknown type 'yoga'"):
        plan.add_free(store, pack, citizen.id, actor=cw.id, lang="en", kind="yoga", title="x")
    with pytest.raises(InputError, match="no title"):
        plan.add_free(store, pack, citizen.id, actor=cw.id, lang="en", kind="mentor", title="  ")


def test_free_nytteindsats_for_aktivitetsparat_gets_a_warning(store, pack, cw, citizen):
    warnings = plan.warnings_for_kind(store, pack, citizen.id, "nytteindsats", today=TODAY)
    assert [w.rule_id for w in warnings] == ["no_nytte_aktivitetsparat"]
    assert plan.warnings_for_kind(store, pack, citizen.id, "mentor", today=TODAY) == []


def test_items_of_another_citizen_are_refused(store, pack, cw, citizen):
    other = store.create_citizen("Ole Andersen", caseworker_id=cw.id)
    item = plan.add_free(
        store, pack, other.id, actor=cw.id, lang="da", kind="mentor", title="Mentor"
    )
    with pytest.raises(InputError, match="another citizen"):
        plan.edit(store, pack, citizen.id, item.id, actor=cw.id, lang="en", title="x")


def test_the_next_meeting_reviews_open_items(store, pack, cw, citizen):
    first = held(
        store,
        pack,
        citizen.id,
        cw,
        "2026-08-20",
        **{"c_helbred": 2, "w_helbred": 2, "c_tro_job": 2, "w_tro_job": 2},
    )
    praktik = plan.add_free(
        store,
        pack,
        citizen.id,
        actor=cw.id,
        lang="da",
        kind="virksomhedspraktik",
        title="Praktik i Netto",
        meeting_id=first.id,
    )
    health = plan.add_free(
        store,
        pack,
        citizen.id,
        actor=cw.id,
        lang="da",
        kind="helbredsindsats",
        title="Fysioterapi",
        meeting_id=first.id,
    )
    second = held(
        store,
        pack,
        citizen.id,
        cw,
        "2026-11-20",
        complete=False,
        c_helbred=4,
        w_helbred=3,
        c_tro_job=4,
        w_tro_job=2,
    )
    new_here = plan.add_free(
        store,
        pack,
        citizen.id,
        actor=cw.id,
        lang="da",
        kind="mentor",
        title="Mentor",
        meeting_id=second.id,
    )

    todo = plan.items_to_review(store, citizen.id, second.id)
    assert [i.id for i in todo] == [praktik.id, health.id]  # not the item agreed today

    done = plan.review_item(
        store, citizen.id, praktik.id, "done", meeting_id=second.id, actor=cw.id, lang="da"
    )
    assert (done.status, done.reviewed_in) == ("done", second.id)
    plan.review_item(
        store, citizen.id, health.id, "not_done", meeting_id=second.id, actor=cw.id, lang="da"
    )
    # The choice can be changed in the same meeting, and stays listed.
    plan.review_item(
        store, citizen.id, health.id, "partly", meeting_id=second.id, actor=cw.id, lang="da"
    )
    assert [i.status for i in plan.items_to_review(store, citizen.id, second.id)] == [
        "done",
        "partly",
    ]
    with pytest.raises(InputError, match="maybe"):
        plan.review_item(
            store, citizen.id, health.id, "maybe", meeting_id=second.id, actor=cw.id, lang="en"
        )
    assert new_here.status == "open"

    paired = {r.item.id: r for r in plan.reviewed_in_meeting(store, pack, citizen.id, second.id)}
    assert set(paired) == {praktik.id, health.id}
    praktik_moves = {(m.indicator, m.perspective): m for m in paired[praktik.id].moves}
    assert praktik_moves[("helbred", "citizen")].change.direction == "up"
    assert praktik_moves[("helbred", "citizen")].change.level == "clear"
    assert praktik_moves[("tro_job", "caseworker")].change.direction == "same"
    assert not any(m.indicator == "sb_tro" for m in paired[praktik.id].moves)  # private
    assert paired[praktik.id].outcome == "done" and paired[health.id].outcome == "partly"
    health_moves = {m.indicator for m in paired[health.id].moves}
    assert health_moves == {"helbred", "hverdag"}  # what a health intervention addresses


def test_the_review_lists_every_action_from_last_time_marked_or_not(store, pack, cw, citizen):
    """The overview's "Aftaler fra sidst" once showed only the actions marked in the
    opening: one left unmarked vanished from it. Now every action the opening lists is
    there, the unmarked one without a mark – also one marked "still running" in an
    earlier meeting, until this meeting marks it."""
    first = held(store, pack, citizen.id, cw, "2026-08-20", c_helbred=2, w_helbred=2)
    praktik, health = (
        plan.add_free(
            store,
            pack,
            citizen.id,
            actor=cw.id,
            lang="da",
            kind=kind,
            title=title,
            meeting_id=first.id,
        )
        for kind, title in (("virksomhedspraktik", "Praktik"), ("helbredsindsats", "Fysioterapi"))
    )
    second = held(store, pack, citizen.id, cw, "2026-10-01", complete=False, c_helbred=3)
    plan.review_item(
        store, citizen.id, praktik.id, "running", meeting_id=second.id, actor=cw.id, lang="da"
    )
    listed = plan.reviewed_in_meeting(store, pack, citizen.id, second.id)
    assert [(r.item.id, r.outcome) for r in listed] == [(praktik.id, "running"), (health.id, None)]
    store.complete_meeting(second.id, actor=cw.id)

    third = held(store, pack, citizen.id, cw, "2026-11-20", complete=False, c_helbred=4)
    listed = plan.reviewed_in_meeting(store, pack, citizen.id, third.id)
    assert [(r.item.id, r.outcome) for r in listed] == [(praktik.id, None), (health.id, None)]
    plan.review_item(
        store, citizen.id, health.id, "done", meeting_id=third.id, actor=cw.id, lang="da"
    )
    listed = plan.reviewed_in_meeting(store, pack, citizen.id, third.id)
    assert [(r.item.id, r.outcome) for r in listed] == [(praktik.id, None), (health.id, "done")]


def test_partly_done_item_can_be_carried_forward(store, pack, cw, citizen):
    first = held(store, pack, citizen.id, cw, "2026-08-20")
    item = plan.add_free(
        store,
        pack,
        citizen.id,
        actor=cw.id,
        lang="da",
        kind="jobsoegning_stoette",
        title="Søg via Jobnet",
        responsible="Borger",
        meeting_id=first.id,
    )
    second = held(store, pack, citizen.id, cw, "2026-11-20", complete=False)
    plan.review_item(
        store, citizen.id, item.id, "partly", meeting_id=second.id, actor=cw.id, lang="da"
    )
    again = plan.carry_forward(
        store,
        citizen.id,
        item.id,
        meeting_id=second.id,
        actor=cw.id,
        lang="da",
        due_on="2027-01-10",
    )
    assert again.id != item.id and again.status == "open" and again.meeting_id == second.id
    assert (again.title, again.responsible, again.due_on) == (
        "Søg via Jobnet",
        "Borger",
        "2027-01-10",
    )
    back = plan.undo_review(
        store, citizen.id, item.id, meeting_id=second.id, actor=cw.id, lang="da"
    )
    assert back.status == "open" and back.reviewed_in is None


def test_reviewed_item_no_longer_counts_as_running(store, pack, cw, citizen):
    first = held(store, pack, citizen.id, cw, "2026-06-01")
    item = plan.add_free(
        store,
        pack,
        citizen.id,
        actor=cw.id,
        lang="da",
        kind="virksomhedspraktik",
        title="Praktik",
        meeting_id=first.id,
        starts_on="2026-06-05",
        ends_on="2026-08-31",
    )
    second = held(store, pack, citizen.id, cw, "2026-09-01")
    plan.review_item(
        store, citizen.id, item.id, "done", meeting_id=second.id, actor=cw.id, lang="da"
    )
    kinds = {s.kind for s in _top(store, pack, citizen)}
    assert {"virksomhedspraktik", "fill_gap"} <= kinds  # ended in August: 85 days idle


def test_a_suggestion_declined_at_an_earlier_meeting_says_when_and_why(store, pack, cw, citizen):
    from bip_talk.i18n import Translator
    from bip_talk.presenters.plan import plan_listing
    from tests.unit.report_data import frozen

    with frozen("2026-09-01T10:00:00+00:00"):
        first = held(store, pack, citizen.id, cw, "2026-09-01", c_maal=2, complete=False)
        upskilling = _element(_top(store, pack, citizen), "vejledning_opkvalificering")
        plan.decline(
            store,
            citizen.id,
            upskilling,
            actor=cw.id,
            lang="da",
            meeting_id=first.id,
            reason="Har prøvet kursus to gange",
        )
        store.complete_meeting(first.id, actor=cw.id)
    now = held(store, pack, citizen.id, cw, "2026-11-20", c_maal=2, complete=False)
    items = store.plan_items(citizen.id)
    earlier = [i for i in items if i.status == "declined" and i.meeting_id != now.id]
    t = Translator("da")
    listing = plan_listing(_top(store, pack, citizen), pack, t, (), earlier)
    said = "✗ Vejledning og opkvalificering blev afvist 01.09.2026: Har prøvet kursus to gange"
    texts = [x.text for x in listing.shared if "Vejledning" in x.text or "vejledning" in x.text]
    assert texts and all(said in x for x in texts)
    assert all(said in x.detail for x in listing.shared if x.text in texts)
    others = [x.text for x in listing.shared if x.text not in texts]
    assert not any("afvist" in x for x in others)
    # Without earlier declines, nothing is said.
    plain = plan_listing(_top(store, pack, citizen), pack, t)
    assert not any("blev afvist" in x.text for x in plain.shared)


@pytest.mark.parametrize(
    "story",
    [
        {"c_helbred": 1, "w_helbred": 2},
        {"c_maal": 2, "w_sb_tro": 2},
        {"c_jobsoeg": 4, "c_kanaler": ("praktik",), "w_helbred": 4},
        {},
    ],
)
def test_suggestions_from_the_session_are_those_read_from_the_store(store, pack, cw, story):
    """The plan screen's suggestions come from what the session holds (suggestions_in);
    they are exactly what reading everything again gives (suggestions_for)."""
    from bip_talk.services.meeting import MeetingSession

    citizen = store.create_citizen(
        "Mette Testesen", caseworker_id=cw.id, target_group="aktivitetsparat", birth_year=2001
    )
    held(store, pack, citizen.id, cw, "2026-08-01", c_helbred=3, w_helbred=3)
    now = held(store, pack, citizen.id, cw, "2026-11-20", complete=False, **story)
    session = MeetingSession.open(store, pack, citizen.id, cw)
    assert session.meeting.id == now.id
    first = plan.suggestions_for(store, pack, citizen.id)
    assert plan.suggestions_in(store, session) == first
    if first:  # and after something is agreed at this meeting
        plan.accept(store, citizen.id, first[0], actor=cw.id, lang="da", meeting_id=now.id)
        assert plan.suggestions_in(store, session) == plan.suggestions_for(store, pack, citizen.id)
