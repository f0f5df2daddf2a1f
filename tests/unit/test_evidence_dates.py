"""Rules, interventions and target groups that hold only for a period: the engine reads
the meeting's date. And the citizen facts the rules need (age band, education)."""

from __future__ import annotations

from datetime import date

import pytest

from bip_talk.domain.evidence import facts, fires, holds, suggest
from bip_talk.domain.evidence_model import Predicate, evidence_of
from tests.unit.evidence_support import IN_2027, TODAY, both, meeting, situation


@pytest.fixture(scope="module")
def evidence(pack):
    return evidence_of(pack)


def _kinds(out) -> set[str]:
    return {e.kind for x in out for e in x.elements}


def test_a_rule_fires_only_inside_its_period(pack, evidence):
    rule = evidence.rule("reform_six_months")
    assert rule.valid_from == date(2027, 1, 1) and rule.valid_until is None
    for day, expected in ((date(2026, 12, 31), False), (date(2027, 1, 1), True)):
        s = situation(meeting(1, "2026-12-20"), target_group="jobparat", today=day)
        assert fires(pack, evidence, s, facts(pack, evidence, s), rule) is expected


def test_the_under_30_rules_change_on_the_reform_date(pack, evidence):
    young = {"age_band": "under_30", "education": "grundskole"}
    before = suggest(pack, evidence, situation(meeting(1, "2026-11-20"), **young))
    after = suggest(pack, evidence, situation(meeting(1, "2027-01-20"), **young, today=IN_2027))
    assert "young_rules_now" in _kinds(before) and "young_same_rules" not in _kinds(before)
    assert "young_same_rules" in _kinds(after) and "young_rules_now" not in _kinds(after)
    assert all(x.private for x in [*before, *after] if x.kind.startswith("young_"))
    frame = next(x for x in after if x.kind == "young_same_rules")
    assert frame.strength == "frame" and "reform_agreement_2025" in frame.sources


def test_the_six_month_goal_is_shared_from_2027_for_jobparat(pack, evidence):
    s = situation(meeting(1, "2027-01-20"), target_group="jobparat", today=IN_2027)
    goal = next(x for x in suggest(pack, evidence, s) if x.kind == "job_goal_six_months")
    assert not goal.private
    s = situation(meeting(1, "2027-01-20"), target_group="aktivitetsparat", today=IN_2027)
    assert "job_goal_six_months" not in _kinds(suggest(pack, evidence, s))


def test_an_intervention_outside_its_period_is_never_suggested(pack, evidence):
    ended = [
        i.model_copy(update={"valid_until": date(2026, 12, 31)})
        if i.id == "virksomhedspraktik"
        else i
        for i in evidence.interventions
    ]
    dated = evidence.model_copy(update={"interventions": ended})
    s2026 = situation(meeting(1, "2026-11-20"))
    s2027 = situation(meeting(1, "2027-01-20"), today=IN_2027)
    assert "virksomhedspraktik" in _kinds(suggest(pack, dated, s2026))
    assert "virksomhedspraktik" not in _kinds(suggest(pack, dated, s2027))


def test_a_target_group_outside_its_period_counts_as_unknown(pack, evidence):
    groups = [
        g.model_copy(update={"valid_until": date(2026, 12, 31)}) if g.id == "aktivitetsparat" else g
        for g in pack.manifest.target_groups
    ]
    dated = pack.model_copy(
        update={"manifest": pack.manifest.model_copy(update={"target_groups": groups})}
    )
    s2026 = situation(meeting(1, "2026-11-20"), target_group="aktivitetsparat")
    s2027 = situation(meeting(1, "2027-01-20"), target_group="aktivitetsparat", today=IN_2027)
    assert facts(dated, evidence, s2026).target_group == "aktivitetsparat"
    assert facts(dated, evidence, s2027).target_group is None
    rule = evidence.rule("no_nytte_aktivitetsparat")
    assert not fires(dated, evidence, s2027, facts(dated, evidence, s2027), rule)
    # unknown group: still only what fits every group, so no nytteindsats either way
    assert "nytteindsats" not in _kinds(suggest(dated, evidence, s2027))


def test_age_band_from_birth_year_on_the_meeting_day(evidence):
    assert evidence.age_band_of(None, TODAY) is None
    assert evidence.age_band_of(1997, date(2026, 6, 1)) == "under_30"  # turns 29
    assert evidence.age_band_of(1997, date(2027, 6, 1)) == "age_30_49"  # turns 30
    assert evidence.age_band_of(1976, date(2026, 6, 1)) == "age_50_plus"


def test_mentor_is_for_young_people_without_a_vocational_qualification(pack, evidence):
    low = meeting(1, "2026-11-20", **both(maal=2, helbred=4))
    rule = evidence.rule("mentor_young")
    for education, expected in (
        (None, True),  # not recorded: the caseworker decides
        ("grundskole", True),
        ("gymnasial", True),
        ("erhvervsfaglig", False),
        ("lang_videregaaende", False),
    ):
        s = situation(low, age_band="under_30", education=education)
        assert fires(pack, evidence, s, facts(pack, evidence, s), rule) is expected, education


def test_education_predicate_by_level(pack, evidence):
    p = Predicate.model_validate({"education": "gymnasial"})
    s = situation(meeting(1, "2026-11-20"), education="gymnasial")
    assert holds(pack, evidence, s, facts(pack, evidence, s), p)
    s = situation(meeting(1, "2026-11-20"), education=None)
    assert not holds(pack, evidence, s, facts(pack, evidence, s), p)
