"""The synthetic cohort: deterministic, valid for the pack, and close to the published
BIP figures (bip-results-presentation.txt) on a cohort of 2,000 citizens."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bip_talk.domain.ids import PATTERN, looks_like_cpr
from bip_talk.domain.pack import Questionnaire
from bip_talk.domain.synthetic.cohort import (
    CHANNEL_SHARES,
    COMPANY_KINDS,
    KINDS,
    CohortModel,
)
from bip_talk.domain.synthetic.cohort_figures import cohort_stats
from bip_talk.services.synthetic.seed import seed_database

COHORT = 2000
TABLES = ("caseworkers", "citizens", "assignments", "meetings", "answers", "plan_items")


@pytest.fixture(scope="module")
def cohort(pack):
    return list(CohortModel(pack, seed=11).citizens(COHORT))


@pytest.fixture(scope="module")
def stats(cohort):
    return cohort_stats(cohort)


def _dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1, 2, 3").fetchall() for t in TABLES}
    finally:
        conn.close()


# -- determinism ---------------------------------------------------------------------


def test_same_seed_same_histories_different_seed_different(pack):
    a = list(CohortModel(pack, seed=5).citizens(40))
    b = list(CohortModel(pack, seed=5).citizens(40))
    c = list(CohortModel(pack, seed=6).citizens(40))
    assert a == b
    assert [h.id for h in a] != [h.id for h in c]
    assert [h.meetings for h in a] != [h.meetings for h in c]


def test_same_seed_same_rows_in_the_database(pack, tmp_path):
    for name, seed in (("a", 3), ("b", 3), ("c", 4)):
        seed_database(tmp_path / f"{name}.db", pack, citizens=30, seed=seed)
    a, b, c = (_dump(tmp_path / f"{n}.db") for n in "abc")
    assert a == b
    assert a["answers"] and a["answers"] != c["answers"]
    assert a["citizens"] != c["citizens"]


def test_generator_process_writes_the_same_rows_as_in_process(pack, tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("the generator process uses fork")
    seed_database(tmp_path / "one.db", pack, citizens=60, seed=8, parallel=False)
    seed_database(tmp_path / "two.db", pack, citizens=60, seed=8, parallel=True)
    assert _dump(tmp_path / "one.db") == _dump(tmp_path / "two.db")


@pytest.mark.parametrize("parallel", [False, True])
def test_every_seeded_row_refers_to_rows_that_exist(pack, tmp_path, parallel):
    """The bulk writer does not ask SQLite to check foreign keys: they must hold anyway,
    on a new file and appended to one; and the checks are on again afterwards."""
    if parallel and not sys.platform.startswith("linux"):
        pytest.skip("the generator process uses fork")
    from bip_talk.i18n import Translator
    from bip_talk.services.synthetic.seed import write_cohort
    from bip_talk.store import open_database

    db_path = tmp_path / "keys.db"
    seed_database(db_path, pack, citizens=40, seed=4, parallel=parallel)
    seed_database(db_path, pack, citizens=40, seed=4, append=True, parallel=parallel)
    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    db = open_database(db_path)
    try:
        model = CohortModel(pack, seed=4)
        write_cohort(
            db,
            pack,
            model,
            model.caseworkers(100),
            citizens=5,
            first_index=80,
            taken={r[0] for r in db.execute("SELECT id FROM citizens").fetchall()},
            t=Translator("da"),
            parallel=parallel,
        )
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    finally:
        db.close()


def test_append_continues_the_cohort_with_new_citizens(pack, tmp_path):
    db = tmp_path / "app.db"
    seed_database(db, pack, citizens=20, seed=2)
    seed_database(db, pack, citizens=20, seed=2, append=True)
    rows = _dump(db)
    assert len({r[0] for r in rows["citizens"]}) == 40
    assert len({r[1] for r in rows["caseworkers"]}) == len(rows["caseworkers"])


def test_an_interrupted_seed_leaves_the_database_as_it_was(pack, tmp_path):
    db = tmp_path / "app.db"
    seed_database(db, pack, citizens=20, seed=2)
    before = _dump(db)

    def interrupt(counts):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        seed_database(db, pack, citizens=30, seed=7, append=True, on_batch=interrupt)
    assert _dump(db) == before


# -- every answer fits the pack ---------------------------------------------------------


def test_every_answer_is_valid_for_the_pack(pack, cohort):
    items = {(p.id, i.id): i for p in pack.perspectives for i in pack.items(p.id)}
    scale = {k for k, i in items.items() if i.type == "scale"}
    for h in cohort[:300]:
        assert PATTERN.match(h.id) and not looks_like_cpr(h.display_name)
        for m in h.meetings:
            seen = set()
            for perspective, item_id, value, declined, choices in m.answers:
                item = items[(perspective, item_id)]
                assert (perspective, item_id) not in seen
                seen.add((perspective, item_id))
                if item.type == "scale":
                    assert declined == (value is None) and not choices
                    assert declined or 1 <= value <= 5
                else:
                    assert value is None and (declined or choices)
                    options = {o.id: o for o in item.options}
                    assert set(choices) <= options.keys()
                    if any(options[c].exclusive for c in choices):
                        assert len(choices) == 1
            assert scale <= seen  # every scale item of both perspectives, every meeting


def test_a_pack_without_channels_or_belief_still_works(pack):
    def without(perspective: str, drop: set[str]) -> Questionnaire:
        q = pack.questionnaires[perspective]
        return q.model_copy(update={"items": [i for i in q.items if i.id not in drop]})

    small = pack.model_copy(
        update={
            "questionnaires": {
                "citizen": without("citizen", {"kanaler", "jobsoeg"}),
                "caseworker": without("caseworker", {"sb_tro"}),
            }
        }
    )
    histories = list(CohortModel(small, seed=1).citizens(30))
    answered = {(p, i) for h in histories for m in h.meetings for p, i, *_ in m.answers}
    assert ("citizen", "kanaler") not in answered and ("caseworker", "sb_tro") not in answered
    assert ("citizen", "helbred") in answered


# -- the published figures --------------------------------------------------------------


def test_meetings_every_three_months_for_up_to_four_years(cohort, stats):
    # BIP: ~27,000 measurements on ~4,000 citizens, about every third month.
    assert 6.0 <= stats.meetings_per_citizen <= 7.5
    gaps = [
        (b.held_on - a.held_on).days
        for h in cohort
        for a, b in zip(h.meetings, h.meetings[1:], strict=False)
    ]
    assert 85 <= sum(gaps) / len(gaps) <= 98
    assert max(len(h.meetings) for h in cohort) <= 18


def test_job_search_follows_the_published_shares(stats):
    assert stats.share("no") == pytest.approx(0.64, abs=0.03)
    assert stats.share("wont") == pytest.approx(0.06, abs=0.015)
    for option, share in CHANNEL_SHARES.items():
        assert stats.channel_share(option) == pytest.approx(share, abs=0.025), option


def test_about_forty_percent_change_caseworker(cohort, stats):
    assert stats.change_share == pytest.approx(0.40, abs=0.04)
    for h in cohort[:200]:
        assert len(h.assignments) == h.caseworker_changes + 1
        assert h.assignments[-1].ended_on is None


def test_about_fifteen_percent_get_a_company_based_offer(cohort, stats):
    assert stats.company_share == pytest.approx(0.15, abs=0.035)
    kinds = {s.kind for h in cohort for s in h.spells}
    assert kinds == set(KINDS)


def test_more_progress_during_company_based_spells_than_passivity(stats):
    company, upskilling, passive = (
        stats.mean_progress(k) for k in ("company", "upskilling", "passive")
    )
    assert company > 0.08 > upskilling > 0 > passive
    assert len(stats.progress["company"]) >= 100


def test_company_based_offers_go_to_the_more_ready(cohort):
    # KORA 2017: mean scores rise from "no intervention" to "løntilskud".
    at_offer = [
        h.meetings[s.agreed_at].readiness
        for h in cohort
        for s in h.spells
        if s.kind in COMPANY_KINDS
    ]
    everyone = [m.readiness for h in cohort for m in h.meetings]
    assert sum(at_offer) / len(at_offer) > sum(everyone) / len(everyone) + 0.2


def test_caseworker_belief_relates_to_later_jobs(stats):
    # BIP: in a job by the caseworker's belief: 1.1 %, 2.7 %, 4.9 %, 10.4 %, 26.8 %.
    rates = stats.job_rate_by_belief()
    assert [rates[v] for v in range(1, 6)] == sorted(rates[v] for v in range(1, 6))
    assert rates[1] < 0.025 and rates[5] > 0.15
    assert rates[5] > 8 * rates[1]


def test_plan_spells_are_followed_up_at_a_later_meeting(cohort):
    for h in cohort[:300]:
        for s in h.spells:
            assert s.starts_on < s.ends_on
            assert s.starts_on >= h.meetings[s.agreed_at].held_on
            if s.reviewed_at is not None:
                assert s.reviewed_at > s.agreed_at
                assert h.meetings[s.reviewed_at].held_on >= s.ends_on
            else:
                assert s.status in ("open", "cancelled", "done", "partly", "not_done")
        assert h.job == (h.job_on is not None)
        if h.job:
            assert h.job_on > h.meetings[-1].held_on


# -- the command ---------------------------------------------------------------------------


def _cli(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "BIP_TALK_DATA_DIR": str(tmp_path / "data"), **extra}
    return subprocess.run(
        [sys.executable, "-m", "bip_talk", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )


def test_cli_seed_fifty_citizens_then_refuses_without_append(tmp_path):
    db = tmp_path / "seeded.db"
    ok = _cli(tmp_path, "seed", "--citizens", "50", "--db", str(db))
    assert ok.returncode == 0, ok.stderr
    assert "50 borgere" in ok.stdout and "docs/cohort-model.md" in ok.stdout
    assert _dump(db)["citizens"].__len__() == 50
    again = _cli(tmp_path, "seed", "--citizens", "50", "--db", str(db))
    assert again.returncode == 2 and "--append" in again.stderr and "Traceback" not in again.stderr
    more = _cli(tmp_path, "--lang", "en", "seed", "--citizens", "10", "--db", str(db), "--append")
    assert more.returncode == 0 and "10 citizens" in more.stdout
    assert len(_dump(db)["citizens"]) == 60


def test_cli_seed_bad_arguments(tmp_path):
    # Never the everyday database, not even one named by BIP_TALK_DB.
    no_db = _cli(tmp_path, "seed", "--citizens", "5", BIP_TALK_DB=str(tmp_path / "everyday.db"))
    assert no_db.returncode == 2 and "--db" in no_db.stderr
    assert not (tmp_path / "everyday.db").exists()
    zero = _cli(tmp_path, "seed", "--citizens", "0", "--db", str(tmp_path / "x.db"))
    assert zero.returncode == 2 and "--citizens" in zero.stderr
    assert not (tmp_path / "x.db").exists()
