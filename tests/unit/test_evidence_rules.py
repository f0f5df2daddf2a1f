"""Every rule in the shipped evidence.toml: one citizen history that triggers it and one
that must not. Then ranking, deduplication and conflicts."""

from __future__ import annotations

import random
from datetime import date

import pytest

from bip_talk.domain.evidence import (
    exclusions,
    facts,
    fires,
    shared_only,
    suggest,
)
from bip_talk.domain.evidence_model import STRENGTHS, EvidenceBase, Rule, evidence_of
from tests.unit.evidence_support import IN_2027, assignment, both, item, meeting, situation

PRAKTIK = item("virksomhedspraktik", starts_on="2026-10-01")
# Every job-linked indicator fine on both sides: the citizen is doing well.
WELL = {**both(helbred=4, tro_job=4, kendskab=4, samarbejde=4, maal=4, jobsoeg=4), "w_sb_tro": 4}


def _cases():
    m = meeting
    return {
        "no_nytte_aktivitetsparat": (
            situation(m(1, "2026-10-01", **both(helbred=3)), target_group="aktivitetsparat"),
            situation(m(1, "2026-10-01", **both(helbred=3)), target_group="jobparat"),
        ),
        "company_based_first": (
            situation(m(1, "2026-10-01", **both(helbred=3))),
            situation(m(1, "2026-10-01", **both(helbred=3)), plan=[PRAKTIK]),
        ),
        "loentilskud_next_step": (
            situation(m(1, "2026-11-20", c_tro_job=4, w_tro_job=5), plan=[PRAKTIK]),
            situation(m(1, "2026-11-20", c_tro_job=4, w_tro_job=3), plan=[PRAKTIK]),
        ),
        "keep_running": (
            situation(m(1, "2026-10-01", **both(helbred=3)), plan=[PRAKTIK]),
            situation(m(1, "2026-10-01", **both(helbred=3))),
        ),
        "next_step_up": (
            situation(m(1, "2026-11-20", **WELL), plan=[PRAKTIK]),
            situation(m(1, "2026-11-20", **{**WELL, "c_helbred": 2}), plan=[PRAKTIK]),
        ),
        "ordinary_job_search": (
            situation(m(1, "2026-11-20", **WELL, c_kanaler=("internet",))),
            situation(m(1, "2026-11-20", **WELL, c_kanaler=("aviser",))),
        ),
        "reform_six_months": (
            situation(m(1, "2027-01-20"), target_group="jobparat", today=IN_2027),
            situation(m(1, "2026-11-20"), target_group="jobparat"),
        ),
        "young_rules_2026": (
            situation(m(1, "2026-11-20"), age_band="under_30"),
            situation(m(1, "2027-01-20"), age_band="under_30", today=IN_2027),
        ),
        "young_rules_2027": (
            situation(m(1, "2027-01-20"), age_band="under_30", today=IN_2027),
            situation(
                m(1, "2027-01-20"), age_band="under_30", education="erhvervsfaglig", today=IN_2027
            ),
        ),
        "parallel_health": (
            situation(m(1, "2026-11-20", c_helbred=2, w_helbred=3)),
            situation(m(1, "2026-11-20", c_helbred=3, w_helbred=3)),
        ),
        "health_dropped": (
            situation(m(1, "2026-08-20", c_helbred=5), m(2, "2026-11-20", c_helbred=3)),
            situation(m(1, "2026-08-20", c_helbred=4), m(2, "2026-11-20", c_helbred=3)),
        ),
        "parallel_upskilling": (
            situation(m(1, "2026-11-20", c_kendskab=2, **both(maal=3), w_realisme=3)),
            situation(m(1, "2026-11-20", **both(kendskab=3, maal=3), w_realisme=3)),
        ),
        "time_without_activity": (
            situation(m(1, "2026-08-01", **both(helbred=3))),
            situation(m(1, "2026-10-15", **both(helbred=3))),
        ),
        "caseworker_change": (
            situation(
                m(1, "2026-06-01"),
                assignments=[
                    assignment(1, 1, "2026-01-05T09:00:00+00:00"),
                    assignment(2, 2, "2026-10-01T09:00:00+00:00"),
                ],
            ),
            situation(
                m(1, "2026-06-01"),
                assignments=[
                    assignment(1, 1, "2026-01-05T09:00:00+00:00"),
                    assignment(2, 2, "2026-03-01T09:00:00+00:00"),
                ],
            ),
        ),
        "search_channels": (
            situation(m(1, "2026-11-20", c_jobsoeg=3, c_kanaler=("aviser", "vikar"))),
            situation(m(1, "2026-11-20", c_jobsoeg=3, c_kanaler=("internet", "aviser"))),
        ),
        "search_via_internship": (
            situation(m(1, "2026-11-20", c_kanaler=("internet",)), plan=[PRAKTIK]),
            situation(m(1, "2026-11-20", c_kanaler=("praktik", "internet")), plan=[PRAKTIK]),
        ),
        "mentor_young": (
            situation(m(1, "2026-11-20", c_maal=2), age_band="under_30"),
            situation(m(1, "2026-11-20", c_maal=2), age_band="age_30_49"),
        ),
        "nytte_young_education_ready": (
            situation(m(1, "2026-11-20"), target_group="uddannelse", age_band="under_30"),
            situation(
                m(1, "2026-11-20"),
                target_group="uddannelse",
                age_band="under_30",
                plan=[item("vejledning_opkvalificering")],
            ),
        ),
        "caution_demanding_activation": (
            situation(m(1, "2026-11-20", c_helbred=4, w_helbred=1)),
            situation(m(1, "2026-11-20", **both(helbred=3))),
        ),
        "monitor_lock_in": (
            situation(m(1, "2026-11-20", **both(hverdag=2, helbred=2)), plan=[PRAKTIK]),
            situation(m(1, "2026-11-20", **both(hverdag=2, helbred=4)), plan=[PRAKTIK]),
        ),
        "belief_reflection": (
            situation(m(1, "2026-11-20", w_sb_tro=3)),
            situation(m(1, "2026-11-20", w_sb_tro=4)),
        ),
        "citizen_low_belief": (
            situation(m(1, "2026-11-20", c_tro_job=1, w_tro_job=3)),
            situation(m(1, "2026-11-20", c_tro_job=2, w_tro_job=1)),
        ),
    }


CASES = _cases()


@pytest.fixture(scope="module")
def evidence(pack) -> EvidenceBase:
    found = evidence_of(pack)
    assert found is not None, "the shipped pack must carry evidence.toml"
    return found


def test_every_shipped_rule_has_a_case(evidence):
    assert set(CASES) == {r.id for r in evidence.rules}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_triggers(pack, evidence, rule_id):
    s = CASES[rule_id][0]
    assert fires(pack, evidence, s, facts(pack, evidence, s), evidence.rule(rule_id))


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_does_not_trigger(pack, evidence, rule_id):
    s = CASES[rule_id][1]
    assert not fires(pack, evidence, s, facts(pack, evidence, s), evidence.rule(rule_id))


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_triggered_suggestion_reaches_the_list(pack, evidence, rule_id):
    """A triggered suggest-rule shows up (itself or merged into the same kind) unless
    an exclusion forbids its kind; an untriggered one does not contribute."""
    rule = evidence.rule(rule_id)
    if rule.exclude is not None:
        s = CASES[rule_id][0]
        assert rule.exclude in {e.kind for e in exclusions(pack, evidence, s)}
        return
    s = CASES[rule_id][0]
    hits = [x for x in suggest(pack, evidence, s) if rule_id in x.rules]
    if rule.keep is not None:  # one "keep going" per running intervention of the group
        running = facts(pack, evidence, s).active
        assert hits and all(x.keep_going is not None and x.kind in running for x in hits)
    else:  # itself, or a part of a combination
        assert len(hits) == 1 and rule.suggest in {e.kind for e in hits[0].elements}
    misses = suggest(pack, evidence, CASES[rule_id][1])
    assert all(rule_id not in x.rules for x in misses)


# -- details of the facts the rules read ------------------------------------------------


def test_planned_but_not_started_praktik_is_not_running(pack, evidence):
    later = item("virksomhedspraktik", starts_on="2026-12-15")
    s = situation(meeting(1, "2026-11-20"), plan=[later])
    rule = evidence.rule("company_based_first")
    assert fires(pack, evidence, s, facts(pack, evidence, s), rule)
    top = suggest(pack, evidence, s)
    praktik = next(x for x in top if x.kind == "virksomhedspraktik")
    assert praktik.keep_going == later.id


def test_time_without_activity_counts_from_the_last_end(pack, evidence):
    ended = item("vejledning_opkvalificering", "done", starts_on="2026-06-01", ends_on="2026-09-01")
    s = situation(meeting(1, "2026-05-01"), plan=[ended])
    f = facts(pack, evidence, s)
    assert f.days_without_activity == (s.today - date.fromisoformat("2026-09-01")).days
    running = situation(meeting(1, "2026-05-01"), plan=[PRAKTIK])
    assert facts(pack, evidence, running).days_without_activity == 0


def test_not_done_item_never_counts_as_activity(pack, evidence):
    never = item("virksomhedspraktik", "not_done", starts_on="2026-06-01", ends_on="2026-10-30")
    s = situation(meeting(1, "2026-05-01"), plan=[never])
    assert (
        facts(pack, evidence, s).days_without_activity
        == (s.today - date.fromisoformat("2026-05-01")).days
    )


def test_ingen_is_not_an_activity(pack, evidence):
    s = situation(meeting(1, "2026-08-01"), plan=[item("ingen", starts_on="2026-08-01")])
    f = facts(pack, evidence, s)
    assert f.active == frozenset() and f.days_without_activity >= 60


def test_caseworker_change_seen_from_meetings(pack, evidence):
    s = situation(meeting(1, "2026-06-01", cw=1), meeting(2, "2026-10-20", cw=2))
    assert fires(pack, evidence, s, facts(pack, evidence, s), evidence.rule("caseworker_change"))
    same = situation(meeting(1, "2026-06-01", cw=1), meeting(2, "2026-10-20", cw=1))
    assert facts(pack, evidence, same).days_since_caseworker_change is None


def test_not_searching_on_the_scale_counts(pack, evidence):
    s = situation(meeting(1, "2026-11-20", c_jobsoeg=1))
    assert fires(pack, evidence, s, facts(pack, evidence, s), evidence.rule("search_channels"))


def test_latest_meeting_decides_about_searching(pack, evidence):
    s = situation(
        meeting(1, "2026-08-20", c_kanaler=("soeger_ikke",)),
        meeting(2, "2026-11-20", c_jobsoeg=4, c_kanaler=("internet",)),
    )
    assert not facts(pack, evidence, s).not_searching


def test_won_t_answer_channels_triggers_nothing(pack, evidence):
    s = situation(meeting(1, "2026-11-20", c_kanaler=("vil_ikke_svare",)), plan=[PRAKTIK])
    f = facts(pack, evidence, s)
    for rid in ("search_channels", "search_via_internship"):
        assert not fires(pack, evidence, s, f, evidence.rule(rid))


def test_what_this_meeting_agreed_is_agreed_today_not_running(pack, evidence):
    """A placement agreed a minute ago at the meeting in progress is not "already
    running": no "you are in a placement but have not asked there", no "keep going" –
    its suggestion says it was agreed today. One agreed at the meeting before runs."""
    now = meeting(2, "2026-11-20", c_kanaler=("internet",))
    today = item("virksomhedspraktik", starts_on="2026-11-20", meeting_id=2)
    s = situation(meeting(1, "2026-08-20"), now, plan=[today], current_meeting=2)
    f = facts(pack, evidence, s)
    assert "virksomhedspraktik" not in f.active and f.agreed_now == {today.id}
    assert not fires(pack, evidence, s, f, evidence.rule("search_via_internship"))
    placement = [x for x in suggest(pack, evidence, s) if x.kind == "virksomhedspraktik"]
    assert placement and all(x.agreed_now and x.keep_going == today.id for x in placement)
    # The same item from the meeting before (no meeting in progress, or another one).
    for current in (None, 3):
        earlier = situation(meeting(1, "2026-08-20"), now, plan=[today], current_meeting=current)
        f = facts(pack, evidence, earlier)
        assert "virksomhedspraktik" in f.active and not f.agreed_now
        assert fires(pack, evidence, earlier, f, evidence.rule("search_via_internship"))
        kept = [x for x in suggest(pack, evidence, earlier) if x.kind == "virksomhedspraktik"]
        assert not any(x.agreed_now for x in kept)


def test_an_activity_agreed_today_answers_months_without_one(pack, evidence):
    """Months without activity ask for one to be agreed now; once it is, the rule is
    answered – though the activity has not begun."""
    rule = evidence.rule("time_without_activity")
    idle = meeting(1, "2026-08-01", **both(helbred=3))
    now = meeting(2, "2026-11-20", **both(helbred=3))
    before = situation(idle, now, current_meeting=2)
    assert fires(pack, evidence, before, facts(pack, evidence, before), rule)
    agreed = item("virksomhedspraktik", starts_on="2026-11-20", meeting_id=2)
    after = situation(idle, now, plan=[agreed], current_meeting=2)
    f = facts(pack, evidence, after)
    assert not f.active and f.days_without_activity == 0
    assert not fires(pack, evidence, after, f, rule)


def test_declined_rating_falls_back_to_the_last_known(pack, evidence):
    s = situation(meeting(1, "2026-08-20", c_helbred=2), meeting(2, "2026-11-20", c_helbred=None))
    assert fires(pack, evidence, s, facts(pack, evidence, s), evidence.rule("parallel_health"))


def test_no_history_fires_only_what_needs_no_answers(pack, evidence):
    s = situation()
    f = facts(pack, evidence, s)
    fired = {r.id for r in evidence.rules if fires(pack, evidence, s, f, r)}
    assert fired == {"no_nytte_aktivitetsparat", "company_based_first"}


# -- ranking and conflicts -------------------------------------------------------------


def _with_rule(evidence: EvidenceBase, **fields) -> EvidenceBase:
    base = {
        "reason": {"da": "Test", "en": "Test"},
        "said": {"da": "Test", "en": "Test"},
        "sources": ["test"],
        "evidence": "inferred",
    }
    rule = Rule.model_validate({**base, **fields})
    return evidence.model_copy(update={"rules": [*evidence.rules, rule]})


def test_exclusion_beats_any_suggestion(pack, evidence):
    pushy = _with_rule(
        evidence,
        id="pushy_nytte",
        when=[{"no_active": "any"}],
        suggest="nytteindsats",
        strength="strong",
    )
    aktiv = situation(meeting(1, "2026-11-20"), target_group="aktivitetsparat")
    assert "nytteindsats" not in {s.kind for s in suggest(pack, pushy, aktiv)}
    jobparat = situation(meeting(1, "2026-11-20"), target_group="jobparat")
    assert "nytteindsats" in {s.kind for s in suggest(pack, pushy, jobparat)}


def test_exclusion_holds_even_when_intervention_claims_to_fit(pack, evidence):
    """The exclusion rule is hard: widening nytteindsats's target groups does not undo it."""
    widened = [
        i.model_copy(update={"target_groups": []}) if i.id == "nytteindsats" else i
        for i in evidence.interventions
    ]
    pushy = _with_rule(
        evidence.model_copy(update={"interventions": widened}),
        id="pushy",
        when=[{"no_active": "any"}],
        suggest="nytteindsats",
        strength="strong",
    )
    s = situation(meeting(1, "2026-11-20"), target_group="aktivitetsparat")
    assert "nytteindsats" not in {x.kind for x in suggest(pack, pushy, s)}
    found = [e for e in exclusions(pack, pushy, s) if e.kind == "nytteindsats"]
    assert found[0].rule_id == "no_nytte_aktivitetsparat"


def test_unknown_target_group_gets_only_what_fits_everyone(pack, evidence):
    pushy = _with_rule(
        evidence, id="pushy", when=[{"no_active": "any"}], suggest="nytteindsats", strength="strong"
    )
    s = situation(meeting(1, "2026-11-20"), target_group=None)
    kinds = {x.kind for x in suggest(pack, pushy, s)}
    assert "nytteindsats" not in kinds and "virksomhedspraktik" in kinds


def test_same_kind_is_suggested_once_with_the_other_rules_listed(pack, evidence):
    s = situation(
        meeting(1, "2026-08-20", **both(helbred=4)), meeting(2, "2026-11-20", **both(helbred=2))
    )
    out = suggest(pack, evidence, s)
    health = [e for x in out for e in x.elements if e.kind == "helbredsindsats"]
    assert len(health) == 1
    assert {health[0].rule_id, *health[0].also} == {"parallel_health", "health_dropped"}


def test_open_item_becomes_keep_going_and_ranks_after_new(pack, evidence):
    open_health = item("helbredsindsats", starts_on="2026-10-01")
    plan = [open_health, PRAKTIK]  # beside a running placement health stands alone
    s = situation(meeting(1, "2026-11-20", **both(helbred=2, kendskab=2)), plan=plan)
    out = suggest(pack, evidence, s)
    health = next(x for x in out if x.kind == "helbredsindsats")
    assert health.keep_going == open_health.id
    moderate = [x for x in out if x.strength == "moderate"]
    new = [x for x in moderate if x.keep_going is None]
    assert new and all(moderate.index(x) < moderate.index(health) for x in new)


def test_a_running_support_is_offered_alongside_a_new_placement(pack, evidence):
    """Long upskilling with nothing company-based: keep it, but next to a placement."""
    course = item("vejledning_opkvalificering", starts_on="2026-03-01")
    s = situation(meeting(1, "2026-11-20", **both(kendskab=2, helbred=3)), plan=[course])
    top = suggest(pack, evidence, s)[0]
    assert top.kind == "virksomhedspraktik" and top.combined_with == ("vejledning_opkvalificering",)
    assert top.parts[0].open_item == course.id and top.keep_going is None


def test_strength_orders_the_list(pack, evidence):
    s = situation(meeting(1, "2026-07-01", **both(helbred=2, kendskab=2, tro_job=1), w_sb_tro=2))
    out = suggest(pack, evidence, s)
    ranks = [STRENGTHS.index(x.strength) for x in out]
    assert ranks == sorted(ranks) and len(set(ranks)) == 3


def test_more_pressing_indicators_rank_first_within_a_strength(pack, evidence):
    # upskilling addresses three low job-linked indicators, health one: upskilling
    # comes first although its rule stands later in the file.
    s = situation(
        meeting(1, "2026-11-20", **both(helbred=2, kendskab=1, maal=2), w_realisme=2),
        plan=[PRAKTIK],
    )
    moderate = [x.kind for x in suggest(pack, evidence, s) if x.strength == "moderate"]
    assert moderate.index("vejledning_opkvalificering") < moderate.index("helbredsindsats")


def test_rule_order_breaks_full_ties(pack, evidence):
    s = situation(meeting(1, "2026-11-20", **both(helbred=2, kendskab=3)), plan=[PRAKTIK])
    note = Rule.model_validate(
        {
            "id": "zz_health_note",
            "when": [{"indicator": "helbred", "at_most": 2}],
            "suggest": "monitor_progress",
            "strength": "caution",
            "addresses": ["helbred"],
            "reason": {"da": "Test"},
            "said": {"da": "Test"},
            "sources": ["test"],
            "evidence": "inferred",
        }
    )
    after = evidence.model_copy(update={"rules": [*evidence.rules, note]})
    before = evidence.model_copy(update={"rules": [note, *evidence.rules]})
    caution = [x.rule_id for x in suggest(pack, after, s) if x.strength == "caution"]
    assert caution == ["caution_demanding_activation", "zz_health_note"]
    caution = [x.rule_id for x in suggest(pack, before, s) if x.strength == "caution"]
    assert caution == ["zz_health_note", "caution_demanding_activation"]


def test_suggestions_are_deterministic_whatever_the_input_order(pack, evidence):
    plan = [PRAKTIK, item("helbredsindsats"), item("mentor", "done", ends_on="2026-09-01")]
    history = [
        meeting(1, "2026-05-20", **both(helbred=3, maal=2)),
        meeting(2, "2026-08-20", **both(helbred=2, maal=2), c_kanaler=("aviser",)),
        meeting(3, "2026-11-20", **both(helbred=2, maal=3), w_sb_tro=2),
    ]
    first = suggest(pack, evidence, situation(*history, plan=plan, age_band="under_30"))
    rng = random.Random(7)
    for _ in range(5):
        rng.shuffle(plan)
        rng.shuffle(history)
        again = suggest(pack, evidence, situation(*history, plan=plan, age_band="under_30"))
        assert again == first


def test_private_rules_never_reach_the_shared_list(pack, evidence):
    s = situation(
        meeting(1, "2026-06-01", cw=1, **both(helbred=1, tro_job=1), w_sb_tro=1),
        meeting(2, "2026-11-01", cw=2, **both(helbred=1, tro_job=1), w_sb_tro=1),
    )
    everything = suggest(pack, evidence, s)
    private = {x.rule_id for x in everything if x.private}
    assert {"belief_reflection", "caseworker_change", "citizen_low_belief"} <= private
    assert all(not x.private for x in shared_only(everything))


def test_private_rule_does_not_hide_a_shared_one_of_the_same_kind(pack, evidence):
    ev = _with_rule(
        evidence,
        id="private_praktik",
        when=[{"no_active": "company_based"}],
        suggest="virksomhedspraktik",
        strength="strong",
        audience="private",
    )
    s = situation(meeting(1, "2026-11-20"))
    praktik = [x for x in suggest(pack, ev, s) if x.kind == "virksomhedspraktik"]
    assert {x.audience for x in praktik} == {"shared", "private"}
    assert [x.rule_id for x in shared_only(praktik)] == ["company_based_first"]


def test_shipped_rules_are_complete(evidence):
    for rule in evidence.rules:
        assert rule.reason.da and rule.reason.en, rule.id
        assert rule.sources and all(evidence.source(s) for s in rule.sources), rule.id
    for entry in [*evidence.interventions, *evidence.actions]:
        assert entry.name.da and entry.name.en, entry.id


def test_unverified_figures_are_flagged(evidence):
    """The 3.6–6.8 pp figure is only in the seed slides: in a caveat, never in a reason."""
    for rule in evidence.rules:
        for text in (rule.reason.da, rule.reason.en):
            assert "3,6" not in text and "3.6" not in text, rule.id
    praktik = evidence.rule("company_based_first")
    assert praktik.caveat is not None and "3,6" in praktik.caveat.da
    assert evidence.rule("belief_reflection").caveat is not None
