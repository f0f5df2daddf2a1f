"""Hand-written citizen stories: the top suggestion, and nothing that contradicts the
evidence (nytteindsats for aktivitetsparate, private text on the shared screen, a
staircase instead of parallel activities, anything excluded)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bip_talk.domain.evidence import Situation, exclusions, facts, shared_only, suggest
from bip_talk.domain.evidence_model import evidence_of
from tests.unit.evidence_support import assignment, both, item, meeting, situation


@dataclass(frozen=True)
class Story:
    name: str
    situation: Situation
    top: str  # kind of the first suggestion in the caseworker's full list
    shared_top: str | None  # kind of the first one on the shared screen
    present: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()


STORIES = [
    Story(
        # 42, aktivitetsparat; back pain, no activity since the spring; doubts herself.
        "mette_no_activity_low_health",
        situation(
            meeting(1, "2026-04-10", **both(helbred=2, tro_job=2, kendskab=3, maal=3), w_sb_tro=2),
            meeting(
                2,
                "2026-07-15",
                **both(helbred=2, tro_job=2, kendskab=3, maal=2),
                w_sb_tro=2,
                c_jobsoeg=1,
                c_kanaler=("soeger_ikke",),
            ),
            plan=[item("helbredsindsats", "done", starts_on="2026-04-15", ends_on="2026-06-30")],
            age_band="age_30_49",
        ),
        top="virksomhedspraktik",
        shared_top="virksomhedspraktik",
        present=(
            "fill_gap",
            "helbredsindsats",
            "vejledning_opkvalificering",
            "jobsoegning_stoette",
            "reflect_belief",
            "adapt_intensity",
        ),
        absent=("nytteindsats", "mentor"),
    ),
    Story(
        # 24, uddannelsesrettet; no goal yet, few people around him.
        "jonas_young_no_goal",
        situation(
            meeting(
                1,
                "2026-11-10",
                **both(helbred=4, maal=2, netvaerk=2, kendskab=3, tro_job=3),
                w_sb_tro=3,
                c_kanaler=("netvaerk",),
            ),
            target_group="uddannelse",
            age_band="under_30",
        ),
        top="virksomhedspraktik",
        shared_top="virksomhedspraktik",
        present=("mentor", "vejledning_opkvalificering", "nytteindsats", "jobsoegning_stoette"),
        absent=("helbredsindsats", "fill_gap"),
    ),
    Story(
        # 51, aktivitetsparat; in a placement for two months, believes in a job, but
        # only reads the newspaper for jobs.
        "ahmed_in_praktik_weak_channels",
        situation(
            meeting(1, "2026-08-20", **both(helbred=3, tro_job=3, jobsoeg=2), w_sb_tro=3),
            meeting(
                2,
                "2026-11-18",
                **both(helbred=4, tro_job=4, jobsoeg=2, samarbejde=4),
                w_sb_tro=4,
                c_kanaler=("aviser",),
            ),
            plan=[item("virksomhedspraktik", starts_on="2026-09-15", meeting_id=1)],
            age_band="age_50_plus",
        ),
        top="jobsoegning_stoette",
        shared_top="jobsoegning_stoette",
        present=("ask_internship_company", "loentilskud"),
        absent=("virksomhedspraktik", "fill_gap", "nytteindsats", "reflect_belief"),
    ),
    Story(
        # 35, aktivitetsparat; got a new caseworker last month, placement running.
        "lise_new_caseworker",
        situation(
            meeting(
                1,
                "2026-06-01",
                cw=1,
                **both(helbred=3, tro_job=3, maal=3, kendskab=3),
                w_sb_tro=4,
                c_kanaler=("praktik",),
            ),
            meeting(
                2,
                "2026-11-20",
                cw=2,
                **both(helbred=3, tro_job=3, maal=3, kendskab=3),
                w_sb_tro=4,
                c_kanaler=("praktik", "internet"),
            ),
            plan=[item("virksomhedspraktik", starts_on="2026-06-10", meeting_id=1)],
            assignments=[
                assignment(1, 1, "2026-01-05T09:00:00+00:00"),
                assignment(2, 2, "2026-10-20T09:00:00+00:00"),
            ],
        ),
        top="handover",
        shared_top="step_up",  # doing well in the placement: the next step up
        present=("virksomhedspraktik", "jobsoegning_stoette"),  # keep going, ordinary search
        absent=("virksomhedspraktik", "nytteindsats", "fill_gap"),
    ),
    Story(
        # 45, aktivitetsparat; health fell clearly, a health element is already running
        # alongside the placement: keep going, take care with demands.
        "kim_health_dropped_already_helped",
        situation(
            meeting(
                1,
                "2026-08-20",
                **both(helbred=4, hverdag=3, kendskab=4, maal=4),
                w_sb_tro=4,
                c_kanaler=("praktik",),
            ),
            meeting(
                2,
                "2026-11-20",
                **both(helbred=2, hverdag=3, kendskab=4, maal=4),
                w_sb_tro=4,
                c_kanaler=("praktik",),
            ),
            plan=[
                item("virksomhedspraktik", starts_on="2026-08-25", meeting_id=1),
                item("helbredsindsats", starts_on="2026-10-01", meeting_id=1),
            ],
        ),
        top="helbredsindsats",
        shared_top="helbredsindsats",
        present=("adapt_intensity",),
        absent=("virksomhedspraktik", "monitor_progress", "vejledning_opkvalificering"),
    ),
    Story(
        # 38, jobparat; doing well on every indicator, but nothing has happened for 3 months.
        "sara_jobready_idle",
        situation(
            meeting(
                1,
                "2026-08-25",
                **both(helbred=4, tro_job=4, kendskab=4, maal=4, jobsoeg=4),
                w_sb_tro=4,
                c_kanaler=("internet", "netvaerk"),
            ),
            target_group="jobparat",
            age_band="age_30_49",
        ),
        top="virksomhedspraktik",
        shared_top="virksomhedspraktik",
        present=("fill_gap", "jobsoegning_stoette"),  # ordinary job search: it goes well
        absent=("nytteindsats", "helbredsindsats", "reflect_belief", "adapt_intensity"),
    ),
    Story(
        # 27, aktivitetsparat; has lost faith, and the caseworker doubts too.
        "peter_lost_faith",
        situation(
            meeting(
                1,
                "2026-11-15",
                **both(helbred=3, tro_job=1, maal=2, hverdag=2),
                w_sb_tro=2,
                c_jobsoeg=2,
                c_kanaler=("uopfordret",),
            ),
            age_band="under_30",
        ),
        top="virksomhedspraktik",
        shared_top="virksomhedspraktik",
        present=("mentor", "reflect_belief", "keep_faith", "jobsoegning_stoette"),
        absent=("nytteindsats",),
    ),
    Story(
        # Target group not recorded yet: only what fits every group is suggested.
        "unknown_group_first_meeting",
        situation(
            meeting(1, "2026-11-24", **both(helbred=3, kendskab=2)),
            target_group=None,
            age_band="under_30",
        ),
        top="virksomhedspraktik",
        shared_top="virksomhedspraktik",
        present=("vejledning_opkvalificering",),
        absent=("nytteindsats",),
    ),
]


@pytest.fixture(scope="module")
def evidence(pack):
    return evidence_of(pack)


@pytest.mark.parametrize("story", STORIES, ids=lambda s: s.name)
def test_story_top_suggestion(pack, evidence, story):
    out = suggest(pack, evidence, story.situation)
    assert out, story.name
    assert out[0].kind == story.top, [x.kind for x in out]
    shared = shared_only(out)
    assert (shared[0].kind if shared else None) == story.shared_top
    kinds = {e.kind for x in out for e in x.elements}
    assert set(story.present) <= kinds, kinds
    # Absent = never offered as something new ("keep going" what runs is fine).
    new = {e.kind for x in out for e in x.elements if e.open_item is None}
    assert not set(story.absent) & new, new


@pytest.mark.parametrize("story", STORIES, ids=lambda s: s.name)
def test_story_never_contradicts_the_evidence(pack, evidence, story):
    s = story.situation
    out = suggest(pack, evidence, s)
    kinds = [e.kind for x in out for e in x.elements]

    # Never nytteindsats for an aktivitetsparat citizen (or one of unknown group).
    if s.target_group in ("aktivitetsparat", None):
        assert "nytteindsats" not in kinds
    # Nothing excluded slips through.
    assert not {e.kind for e in exclusions(pack, evidence, s)} & set(kinds)
    # Nothing private on the shared screen, and the private reflections are private.
    assert all(x.audience == "shared" for x in shared_only(out))
    for x in out:
        if x.kind in ("reflect_belief", "keep_faith", "handover", "adapt_intensity"):
            assert x.private
    # One suggestion per kind and audience, parts of combinations included.
    pairs = [(e.kind, x.audience) for x in out for e in x.elements]
    assert len(set(pairs)) == len(pairs)
    # Parallel, not a staircase: health or upskilling is never proposed as the first step
    # while nothing company-based runs.
    f = facts(pack, evidence, s)
    if not any(evidence.matches(k, "company_based") for k in f.active):
        support = [
            i
            for i, x in enumerate(out)
            if x.kind in ("helbredsindsats", "vejledning_opkvalificering")
        ]
        company = [
            i
            for i, x in enumerate(out)
            if evidence.intervention(x.kind) and evidence.intervention(x.kind).company_based
        ]
        if support:
            assert company and company[0] < support[0]
    # Every suggestion explains itself in both languages and names its source.
    for x in out:
        assert x.reason.da and x.reason.en and x.sources
