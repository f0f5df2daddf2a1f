"""Never an empty list, parallel elements offered as one suggestion, and cautions
beside the suggestions they qualify (first in the caseworker's private view)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bip_talk.domain.evidence import for_caseworker, shared_only, suggest
from bip_talk.domain.evidence_model import STRENGTHS, evidence_of
from tests.unit.evidence_support import both, item, meeting, situation

PRAKTIK = item("virksomhedspraktik", starts_on="2026-10-01")
WELL = {**both(helbred=4, tro_job=4, kendskab=4, samarbejde=4, maal=4, jobsoeg=4), "w_sb_tro": 4}
ALARMS = {"adapt_intensity", "monitor_progress", "keep_faith", "fill_gap", "reflect_belief"}


@pytest.fixture(scope="module")
def evidence(pack):
    return evidence_of(pack)


# -- never empty ------------------------------------------------------------------------

ratings = st.one_of(st.none(), st.integers(1, 5))
INDICATORS = ("helbred", "hverdag", "tro_job", "kendskab", "maal", "jobsoeg", "samarbejde")


@st.composite
def situations(draw):
    meetings = []
    for n, day in enumerate(
        draw(
            st.lists(
                st.sampled_from(["2026-03-01", "2026-06-01", "2026-09-01", "2026-11-20"]),
                unique=True,
                max_size=3,
            )
        ),
        start=1,
    ):
        answers = {}
        for ind in INDICATORS:
            for side in "cw":
                value = draw(ratings)
                if value is not None:
                    answers[f"{side}_{ind}"] = value
        meetings.append(meeting(n, day, cw=draw(st.sampled_from([1, 2])), **answers))
    kinds = [
        "virksomhedspraktik",
        "loentilskud",
        "helbredsindsats",
        "mentor",
        "ingen",
        "vejledning_opkvalificering",
    ]
    plan = [
        item(kind, status, starts_on=start)
        for kind, status, start in draw(
            st.lists(
                st.tuples(
                    st.sampled_from(kinds),
                    st.sampled_from(["open", "done", "declined", "not_done"]),
                    st.sampled_from(["2026-05-01", "2026-10-01", "2027-01-01"]),
                ),
                max_size=3,
            )
        )
    ]
    return situation(
        *meetings,
        plan=plan,
        target_group=draw(st.sampled_from([None, "aktivitetsparat", "jobparat", "uddannelse"])),
        age_band=draw(st.sampled_from([None, "under_30", "age_30_49", "age_50_plus"])),
        education=draw(st.sampled_from([None, "grundskole", "erhvervsfaglig"])),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(s=situations())
def test_the_shared_list_is_never_empty(pack, evidence, s):
    out = suggest(pack, evidence, s)
    assert shared_only(out), s


def test_doing_well_gets_keep_going_and_the_next_step_but_no_alarm(pack, evidence):
    s = situation(
        meeting(1, "2026-08-20", **WELL, c_kanaler=("praktik", "internet")),
        meeting(2, "2026-11-20", **WELL, c_kanaler=("praktik", "internet")),
        plan=[PRAKTIK],
    )
    out = suggest(pack, evidence, s)
    kinds = {e.kind for x in out for e in x.elements}
    assert {"step_up", "jobsoegning_stoette", "loentilskud"} <= kinds
    praktik = next(x for x in out if x.kind == "virksomhedspraktik")
    assert praktik.keep_going == PRAKTIK.id and praktik.rule_id == "keep_running"
    assert not kinds & ALARMS
    assert all(x.strength != "caution" and not x.cautions for x in out)


def test_a_fall_is_not_doing_well(pack, evidence):
    fell = {**WELL, "c_tro_job": 3}
    s = situation(
        meeting(1, "2026-08-20", **WELL), meeting(2, "2026-11-20", **fell), plan=[PRAKTIK]
    )
    assert "step_up" not in {x.kind for x in suggest(pack, evidence, s)}


# -- combinations -----------------------------------------------------------------------


def test_very_low_health_gets_the_combination_at_the_top(pack, evidence):
    s = situation(meeting(1, "2026-10-20", **both(helbred=1, tro_job=3, kendskab=3, maal=3)))
    out = shared_only(suggest(pack, evidence, s))
    top = out[0]
    assert top.kind == "virksomhedspraktik" and top.combined_with == ("helbredsindsats",)
    assert top.strength == "strong"  # ranked by its strongest part
    assert {"company_based_first", "parallel_health"} <= set(top.rules)
    # health never stands alone as a step before the placement
    assert all(x.kind != "helbredsindsats" for x in out)


def test_combination_ranks_by_its_strongest_part(pack, evidence):
    s = situation(meeting(1, "2026-10-20", **both(helbred=2, kendskab=2)))
    top = suggest(pack, evidence, s)[0]
    part = {p.kind: p.strength for p in top.parts}
    assert part == {"helbredsindsats": "moderate", "vejledning_opkvalificering": "moderate"}
    assert top.strength == "strong" and STRENGTHS.index(top.strength) == 0


def test_beside_a_running_placement_health_stands_alone_and_says_so(pack, evidence):
    s = situation(meeting(1, "2026-11-20", **both(helbred=2)), plan=[PRAKTIK])
    out = suggest(pack, evidence, s)
    health = next(x for x in out if x.kind == "helbredsindsats")
    assert health.parts == () and health.with_running == ("virksomhedspraktik",)
    assert health.combined_with == ("virksomhedspraktik",)


def test_a_combination_keeps_going_only_when_every_part_is_open(pack, evidence):
    planned = item("virksomhedspraktik", starts_on="2026-12-15")  # agreed, not started
    s = situation(meeting(1, "2026-11-20", **both(helbred=2, kendskab=3, maal=3)), plan=[planned])
    top = suggest(pack, evidence, s)[0]
    assert top.kind == "virksomhedspraktik" and top.open_item == planned.id
    assert top.combined_with == ("helbredsindsats",) and top.keep_going is None


def test_private_rules_are_never_combined(pack, evidence):
    s = situation(meeting(1, "2026-10-20", **both(helbred=1)))
    for x in suggest(pack, evidence, s):
        assert not x.private or not x.parts
        assert all(not p.private for p in x.parts)


# -- cautions ---------------------------------------------------------------------------


def test_a_caution_stands_beside_what_it_qualifies_and_first_in_private(pack, evidence):
    s = situation(
        meeting(1, "2026-07-01", **both(helbred=1, tro_job=1), w_sb_tro=2, c_jobsoeg=1),
    )
    out = suggest(pack, evidence, s)
    shared = shared_only(out)
    qualified = {x.kind for x in shared if any(c.kind == "adapt_intensity" for c in x.cautions)}
    assert {"virksomhedspraktik", "fill_gap"} <= qualified
    assert all(c.beside is not None for x in shared for c in x.cautions)  # words for the screen
    private = for_caseworker(out)
    assert [x.strength for x in private][:2] == ["caution", "caution"]
    assert private[0].kind == "adapt_intensity"  # the one that qualifies suggestions first
    assert {x.kind for x in private} >= {"adapt_intensity", "keep_faith", "reflect_belief"}


def test_the_lock_in_caution_sits_beside_the_running_placement(pack, evidence):
    s = situation(meeting(1, "2026-11-20", **both(helbred=2, hverdag=2)), plan=[PRAKTIK])
    praktik = next(x for x in suggest(pack, evidence, s) if x.kind == "virksomhedspraktik")
    assert {c.kind for c in praktik.cautions} == {"adapt_intensity", "monitor_progress"}
