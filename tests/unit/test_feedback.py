"""The checklist after a rehearsed meeting: each item passing, failing and (where it
can) not applying, for scripted rehearsals; the words name the indicators concerned."""

from __future__ import annotations

from datetime import date

import pytest

from bip_talk.domain.change import build_review
from bip_talk.domain.evidence import exclusions, suggest
from bip_talk.domain.evidence_model import evidence_of
from bip_talk.domain.training.feedback import CHECKS, RehearsalLog, checklist, passed_count
from bip_talk.i18n import Translator
from bip_talk.services.training.report import describe
from tests.unit.evidence_support import meeting, situation

QUIET = [
    meeting(1, "2026-08-20", c_helbred=3, w_helbred=3),
    meeting(2, "2026-11-20", c_helbred=3, w_helbred=3),
]


@pytest.fixture(scope="module")
def evidence(pack):
    return evidence_of(pack)


def _check(pack, evidence, history, log, name, **kw):
    checks = checklist(build_review(pack, history), log, evidence=evidence, **kw)
    assert [c.id for c in checks] == list(CHECKS)
    return next(c for c in checks if c.id == name)


# -- last actions reviewed ---------------------------------------------------------------


def test_last_actions(pack, evidence):
    name = "last_actions_reviewed"
    log = RehearsalLog()
    assert _check(pack, evidence, QUIET, log, name).status == "not_applicable"
    log = RehearsalLog(actions_to_review={7: "virksomhedspraktik", 8: "mentor"})
    log.actions_reviewed.add(7)
    failed = _check(pack, evidence, QUIET, log, name)
    assert failed.status == "failed" and failed.kinds == ("mentor",)
    log.actions_reviewed.add(8)
    passed = _check(pack, evidence, QUIET, log, name)
    assert passed.status == "passed" and passed.kinds == ("virksomhedspraktik", "mentor")


# -- moved indicators followed up --------------------------------------------------------

MOVED = [
    meeting(1, "2026-08-20", c_helbred=2, c_tro_job=3, c_kendskab=2, w_sb_tro=1),
    meeting(2, "2026-11-20", c_helbred=3, c_tro_job=1, c_kendskab=2, w_sb_tro=4),
]


def test_moved_indicators_must_be_followed_up(pack, evidence):
    name = "moved_followed_up"
    assert _check(pack, evidence, QUIET, RehearsalLog(), name).status == "not_applicable"
    failed = _check(pack, evidence, MOVED, RehearsalLog(), name)
    # helbred one step up, tro_job two down; the private belief item never counts here.
    assert failed.status == "failed" and failed.indicators == ("helbred", "tro_job")
    log = RehearsalLog()
    log.open_prompt("moved_down", "tro_job")
    assert _check(pack, evidence, MOVED, log, name).indicators == ("helbred",)
    log.add_note("helbred")
    passed = _check(pack, evidence, MOVED, log, name)
    assert passed.status == "passed" and passed.indicators == ("helbred", "tro_job")


def test_marking_as_discussed_counts_as_follow_up(pack, evidence):
    log = RehearsalLog(discussed={"helbred", "tro_job"})
    assert _check(pack, evidence, MOVED, log, "moved_followed_up").passed


def test_only_clear_moves_when_asked(pack, evidence):
    failed = _check(pack, evidence, MOVED, RehearsalLog(), "moved_followed_up", moved="clear")
    assert failed.indicators == ("tro_job",)


# -- perspective gaps discussed ----------------------------------------------------------

GAP = [meeting(1, "2026-11-20", c_kendskab=5, w_kendskab=2, c_maal=3, w_maal=2, w_sb_tro=3)]


def test_gaps_must_be_discussed(pack, evidence):
    name = "gaps_discussed"
    assert _check(pack, evidence, QUIET, RehearsalLog(), name).status == "not_applicable"
    failed = _check(pack, evidence, GAP, RehearsalLog(), name)
    assert failed.status == "failed" and failed.indicators == ("kendskab",)  # maal: one step only
    log = RehearsalLog()
    log.open_prompt("gap", "kendskab")
    assert _check(pack, evidence, GAP, log, name).passed


# -- a job-oriented element in the plan --------------------------------------------------


def test_plan_needs_something_company_based(pack, evidence):
    name = "job_oriented_element"
    failed = _check(pack, evidence, QUIET, RehearsalLog(plan=("helbredsindsats",)), name)
    assert failed.status == "failed"
    assert set(failed.kinds) == {"virksomhedspraktik", "loentilskud"}
    assert _check(pack, evidence, QUIET, RehearsalLog(plan=()), name).status == "failed"
    log = RehearsalLog(plan=("helbredsindsats", "loentilskud"))
    passed = _check(pack, evidence, QUIET, log, name)
    assert passed.passed and passed.kinds == ("loentilskud",)
    unknown = _check(pack, None, QUIET, RehearsalLog(plan=("loentilskud",)), name)
    assert unknown.status == "not_applicable"


# -- the caseworker's own belief ---------------------------------------------------------


def test_own_belief_rated_and_reflected(pack, evidence):
    name = "belief_reflected"
    not_rated = _check(pack, evidence, QUIET, RehearsalLog(), name)
    assert not_rated.status == "failed" and not_rated.reason == "not_rated"
    assert not_rated.indicators == ("sb_tro",)
    rated = [meeting(1, "2026-11-20", c_helbred=3, w_sb_tro=2)]
    not_reflected = _check(pack, evidence, rated, RehearsalLog(), name)
    assert not_reflected.status == "failed" and not_reflected.reason == "not_reflected"
    log = RehearsalLog()
    log.open_prompt("belief_reflection", "sb_tro")
    assert _check(pack, evidence, rated, log, name).passed
    # The rating the screen logged counts even before the review has it.
    logged = RehearsalLog(belief_rating=4, belief_reflection_opened=True)
    assert _check(pack, evidence, QUIET, logged, name).passed


# -- nothing against the evidence --------------------------------------------------------


def test_no_suggestion_against_the_evidence(pack, evidence):
    name = "no_contra_evidence"
    s = situation(*QUIET, target_group="aktivitetsparat", today=date(2026, 11, 20))
    against = tuple(exclusions(pack, evidence, s))
    assert "nytteindsats" in {e.kind for e in against}
    log = RehearsalLog(
        plan=("nytteindsats", "mentor"),
        exclusions=against,
        suggestions=tuple(suggest(pack, evidence, s)),
    )
    failed = _check(pack, evidence, QUIET, log, name)
    assert failed.status == "failed" and failed.kinds == ("nytteindsats",)
    assert failed.rules == ("no_nytte_aktivitetsparat",)
    fine = RehearsalLog(plan=("virksomhedspraktik",), exclusions=against)
    assert _check(pack, evidence, QUIET, fine, name).passed


# -- words -------------------------------------------------------------------------------


def test_reasons_name_the_indicators_in_both_languages(pack, evidence):
    check = _check(pack, evidence, MOVED, RehearsalLog(), "moved_followed_up")
    da = describe(check, pack, evidence, Translator("da"))
    en = describe(check, pack, evidence, Translator("en"))
    assert "Helbredsmestring og Tro på at klare et job" in da.reason
    assert "Coping with health and Belief in managing a job" in en.reason
    assert da.status == "Ikke nået" and en.title == "Changes followed up"


def test_contra_reason_quotes_the_evidence(pack, evidence):
    s = situation(*QUIET, target_group="aktivitetsparat")
    log = RehearsalLog(plan=("nytteindsats",), exclusions=tuple(exclusions(pack, evidence, s)))
    check = _check(pack, evidence, QUIET, log, "no_contra_evidence")
    text = describe(check, pack, evidence, Translator("en")).reason
    assert "Public-benefit work" in text
    assert evidence.rule("no_nytte_aktivitetsparat").reason.en in text


def test_every_reason_has_words(pack, evidence):
    for lang in ("da", "en"):
        t = Translator(lang)
        for check_id in CHECKS:
            assert t.has(f"training.check.{check_id}.title")


def test_count_leaves_out_what_does_not_apply(pack, evidence):
    checks = checklist(
        build_review(pack, QUIET), RehearsalLog(plan=("virksomhedspraktik",)), evidence=evidence
    )
    passed, applicable = passed_count(checks)
    # Not applicable: actions, moves, gaps. Passed: job element, no contra. Failed: belief.
    assert (passed, applicable) == (2, 3)
