"""The rehearsal runner: the persona's history in the throwaway database, answers
recorded through MeetingSession, "next meeting" three months on with answers that
follow the plan, reproducible with a seed, feedback for scripted rehearsals and the
report the trainee keeps."""

from __future__ import annotations

from datetime import date

import pytest

from bip_talk.domain.report_facts import add_months
from bip_talk.errors import InputError
from bip_talk.services import plan as plan_service
from bip_talk.services.training.rehearsal import Rehearsal
from bip_talk.settings import Settings

START = date(2026, 11, 24)


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


def _start(settings, persona, seed=7, **kw) -> Rehearsal:
    return Rehearsal.start(settings, persona, seed=seed, lang="en", start_on=START, **kw)


def test_history_is_built_with_earlier_caseworkers(settings):
    with _start(settings, "sagsbehandlerskift") as r:
        meetings = r.store.meetings_for(r.citizen_id)
        assert [m.held_on for m in meetings] == [
            add_months(START, -3 * k).isoformat() for k in (3, 2, 1, 0)
        ]
        assert [m.status for m in meetings] == ["complete"] * 3 + ["draft"]
        holders = [m.caseworker_id for m in meetings]
        assert holders[0] == holders[1] != holders[2] != holders[3] == r.trainee.id
        assert r.round.new_caseworker
        # Both sides answered the earlier meetings.
        history = r.store.history(r.citizen_id)
        assert history[0].get("caseworker", "sb_tro") is not None
        assert history[0].get("citizen", "helbred") is not None
        # The evidence sees the change: the handover is suggested (privately).
        kinds = {s.kind for s in r.suggestions()}
        assert "handover" in kinds


def test_a_persona_without_history_starts_fresh(settings):
    with _start(settings, "hoej_selvvurdering") as r:
        assert len(r.store.meetings_for(r.citizen_id)) == 1
        assert r.log.actions_to_review == {}
        assert not r.round.new_caseworker


def test_last_plan_is_there_to_review(settings):
    with _start(settings, "i_praktik") as r:
        kinds = sorted(r.log.actions_to_review.values())
        assert kinds == ["helbredsindsats", "virksomhedspraktik"]
        says = {
            r.store.plan_item(i).kind: r.persona_says(r.store.plan_item(i))
            for i in r.log.actions_to_review
        }
        # Sara's placement still runs (her story): she says so, and it is not "done".
        assert says == {"virksomhedspraktik": "running", "helbredsindsats": "done"}


def test_what_ran_on_in_the_history_was_reviewed_as_still_running(settings):
    """i_praktik had a placement in both quarters before the rehearsal: one placement
    that went on (reviewed "still running" and kept open), not two agreed one after the
    other."""
    with _start(settings, "i_praktik") as r:
        items = [i for i in r.store.plan_items(r.citizen_id) if i.kind == "virksomhedspraktik"]
        assert len(items) == 1 and items[0].status == "open"
        earlier = [m for m in r.store.meetings_for(r.citizen_id) if not m.is_draft]
        assert plan_service.review_outcome(items[0], earlier[-1].id) == "running"
        kinds = {s.kind: s.keep_going for s in r.suggestions()}
        assert kinds.get("virksomhedspraktik", items[0].id) == items[0].id  # never anew


def test_dates_follow_the_simulated_calendar(settings, monkeypatch):
    """The app proposes start, due and next-meeting dates from the meeting's own day:
    in training the simulated one, whatever today is."""
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", "2031-03-03T09:00:00+00:00")
    with _start(settings, "kontant_helbred", seed=2) as r:
        meeting = r.session.meeting
        assert meeting.held_on == START.isoformat()
        proposed = plan_service.proposed_dates(r.store, r.pack, r.citizen_id, meeting.id)
        nxt = plan_service.next_meeting(r.store, r.pack, r.citizen_id, meeting.id)
        assert proposed.starts_on == START.isoformat()
        assert proposed.due_on == nxt.on.isoformat() == add_months(START, 3).isoformat()
        r.answer_all()
        r.choose_plan(["virksomhedspraktik"])
        r.next_meeting()
        # The next rehearsed meeting is held on the date the last one proposed.
        assert r.session.meeting.held_on == nxt.on.isoformat()


def test_answers_go_through_the_meeting_session(settings):
    with _start(settings, "nyankommet_sprog") as r:
        shown = r.persona_answers()
        assert [i.id for i, _ in shown] == [
            i.id for step in r.pack.steps() for i in r.pack.step_items("citizen", step)
        ]
        first_item, first_answer = shown[0]
        assert r.give_answer(first_item) == first_answer
        r.answer_all()
        stored = r.store.history(r.citizen_id)[-1]
        for item, answer in shown:
            saved = stored.get("citizen", item.id)
            assert saved is not None
            if item.type == "scale":
                assert (saved.value, saved.declined) == (answer.value, answer.declined)
            else:
                assert saved.choices == answer.choices
        assert r.session.step_done("citizen", 0)


def test_same_seed_same_rehearsal(settings):
    def run(seed):
        with _start(settings, "kontant_helbred", seed=seed) as r:
            first = r.persona_answers()
            r.answer_all()
            r.choose_plan(["virksomhedspraktik", "helbredsindsats"])
            r.next_meeting()
            return first, r.persona_answers(), r.citizen_id

    assert run(3) == run(3)
    assert run(3) != run(4)


def test_next_meeting_is_three_months_on_and_follows_the_plan(settings):
    def after(kinds, parallel=True):
        with _start(settings, "kontant_helbred", seed=2) as r:
            r.answer_all()
            for item_id in r.log.actions_to_review:
                r.review_action(item_id, "done")  # last time's health course is over
            r.choose_plan(kinds, parallel=parallel)
            held = date.fromisoformat(r.session.meeting.held_on)
            r.next_meeting()
            now = date.fromisoformat(r.session.meeting.held_on)
            assert now == add_months(held, 3)
            return r.levels["citizen"], r.before

    both, q_both = after(["virksomhedspraktik", "helbredsindsats"])
    nothing, q_none = after([])
    stair, q_stair = after(["virksomhedspraktik", "helbredsindsats"], parallel=False)
    assert q_both.running == ("virksomhedspraktik", "helbredsindsats")
    assert q_none.running == () and "passivity" in [a.effect for a in q_none.applied]
    assert q_stair.running == ("helbredsindsats",)
    assert all(both[i] > nothing[i] for i in both)
    assert both["helbred"] > stair["helbred"] > nothing["helbred"]


def test_a_caseworker_change_makes_the_trainee_the_new_caseworker(settings):
    with _start(settings, "i_praktik") as r:
        r.answer_all()
        first_actor = r.actor
        r.next_meeting(caseworker_changed=True)
        assert r.actor.id != first_actor.id and r.round.new_caseworker
        assert r.session.meeting.caseworker_id == r.actor.id
        assert "caseworker_change" in [a.effect for a in r.before.applied]
        assert "handover" in {s.kind for s in r.suggestions()}


def test_unknown_plan_kind_is_refused(settings):
    with _start(settings, "i_praktik") as r, pytest.raises(InputError, match="unknown type"):
        r.choose_plan(["praktikk"])


# -- scripted rehearsals and their feedback ------------------------------------------------


def _good_meeting(r: Rehearsal) -> None:
    """A trainee who does what the checklist asks."""
    r.answer_all()
    for item_id in list(r.log.actions_to_review):
        item = r.store.plan_item(item_id)
        r.review_action(item_id, r.persona_says(item))
    for item in r.pack.items("caseworker"):
        if item.type == "scale":
            r.session.rate("caseworker", item.id, round(r.levels["caseworker"][item.indicator]))
    for row in r.session.review().rows:
        if row.private:
            r.log.open_prompt("belief_reflection", row.indicator)
        elif row.moved or row.disagree:
            r.log.open_prompt("gap" if row.disagree else "moved_up", row.indicator)
    r.suggestions()
    r.choose_plan(["virksomhedspraktik", "helbredsindsats"])


def test_a_good_rehearsal_passes_every_applicable_check(settings):
    with _start(settings, "i_praktik") as r:
        for _ in range(3):
            _good_meeting(r)
            checks = r.finish_meeting()
            assert all(c.status != "failed" for c in checks), checks
            assert {c.id for c in checks if c.passed} >= {
                "job_oriented_element",
                "belief_reflected",
                "no_contra_evidence",
            }
            r.next_meeting()
        assert len(r.rounds) == 4


def test_a_careless_rehearsal_fails_with_reasons(settings):
    with _start(settings, "i_praktik") as r:
        r.answer_all()
        r.session.rate("caseworker", "sb_tro", 2)  # rated, never reflected on
        r.suggestions()
        for item_id in list(r.log.actions_to_review):  # ends what ran, without asking
            plan_service.cancel(r.store, r.citizen_id, item_id, actor=r.actor.id, lang="en")
        r.choose_plan(["nytteindsats"])
        checks = {c.id: c for c in r.finish_meeting()}
    assert checks["last_actions_reviewed"].status == "failed"
    assert set(checks["last_actions_reviewed"].kinds) == {"virksomhedspraktik", "helbredsindsats"}
    assert checks["job_oriented_element"].status == "failed"
    assert checks["belief_reflected"].reason == "not_reflected"
    assert checks["no_contra_evidence"].status == "failed"
    assert checks["no_contra_evidence"].kinds == ("nytteindsats",)


def test_notes_and_belief_come_from_the_meeting_itself(settings):
    with _start(settings, "kontant_helbred") as r:
        r.answer_all()
        moved = [row.indicator for row in r.session.review().rows if row.moved and not row.private]
        for indicator in moved:
            r.session.add_note("Synthetic note", private=False, indicator=indicator)
        r.session.rate("caseworker", "sb_tro", 3)
        checks = {c.id: c for c in r.finish_meeting()}
        assert all(r.log.notes[i] == 1 for i in moved)
        assert r.log.belief_rating == 3
    assert checks["moved_followed_up"].status in ("passed", "not_applicable")


# -- the report ------------------------------------------------------------------------------


def test_report_in_both_languages(settings, tmp_path):
    with _start(settings, "ingen_tro", seed=42) as r:
        r.answer_all()
        r.choose_plan(["virksomhedspraktik"])
        r.finish_meeting()
        r.next_meeting()
        r.answer_all()
        r.finish_meeting()
        en = r.save_report(tmp_path / "en.md").read_text(encoding="utf-8")
        da = r.save_report(tmp_path / "da.md", lang="da").read_text(encoding="utf-8")
        with pytest.raises(InputError, match="does not exist"):
            r.save_report(tmp_path / "missing" / "r.md")
    assert "# Training report: Preben Simulund" in en
    assert "42" in en and "## Meeting 2" in en and "Last agreements reviewed" in en
    assert "Planen" not in en
    assert "# Træningsrapport" in da and "## Møde 1" in da and "Virksomhedspraktik" in da
    assert "Synthetic" not in en  # no notes, no answers: only the checklist
