"""The BIP tables on a seeded BIP-sized cohort (4,000 citizens) come out near the
published BIP figures the cohort model is calibrated to (docs/cohort-model.md).

Computed as a user gets them – ``bip-talk stats --format json`` on the stored data,
in its own process – not from the model. The tolerances are stated with each check;
where the model is not calibrated to a figure (the score bands, the raw change ratio)
the check is the direction plus a wider band, and the reason is given.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bip_talk.domain import bip_results as br


def _stats(db: Path, cwd: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    env["BIP_TALK_DATA_DIR"] = str(cwd / "data")
    done = subprocess.run(
        [sys.executable, "-m", "bip_talk", "--db", str(db), "stats", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def tables(bip_cohort, tmp_path_factory) -> dict:
    return json.loads(_stats(bip_cohort, tmp_path_factory.mktemp("run"), "--format", "json"))


def _pct(cell: dict) -> float:
    assert cell["percent"] is not None, cell
    return cell["percent"]


def test_job_search_within_two_points(tables):
    cells = tables["job_search"]["cells"]
    for state, published in br.PUBLISHED_JOB_SEARCH.items():
        assert abs(_pct(cells[state]) - published) <= 2.0, state
    assert tables["job_search"]["n"] > 25_000  # ≈6.8 measurements per citizen, as in BIP


def test_channels_within_one_and_a_half_points(tables):
    cells = tables["channels"]["cells"]
    for option, published in br.PUBLISHED_CHANNELS.items():
        assert abs(_pct(cells[option]) - published) <= 1.5, option


def test_job_search_by_score_band_has_the_published_direction(tables):
    # The model takes only the slope from this slide (its level comes from the overall
    # 64/30/6), and the slide's bands do not add up to 64 % with this cohort's score
    # distribution: not searching within 15 points, won't answer within 3, and both
    # falling with the score while every channel rises.
    bands = tables["channels_by_score"]["bands"]
    not_searching = []
    for band in br.BANDS:
        cells = bands[band]["cells"]
        published = br.PUBLISHED_CHANNELS_BY_SCORE[band]
        assert abs(_pct(cells["not_searching"]) - published["not_searching"]) <= 15.0, band
        assert abs(_pct(cells["wont_answer"]) - published["wont_answer"]) <= 3.0, band
        not_searching.append(_pct(cells["not_searching"]))
    assert not_searching == sorted(not_searching, reverse=True)
    for option in br.PUBLISHED_CHANNELS:
        shares = [_pct(bands[b]["cells"][option]) for b in br.BANDS]
        assert shares == sorted(shares), option


def test_job_by_belief_rises_and_stays_within_six_points(tables):
    cells = tables["job_by_belief"]["cells"]
    shares = [_pct(cells[str(v)]) for v in range(1, 6)]
    assert shares == sorted(shares)
    for v, published in br.PUBLISHED_JOB_BY_BELIEF.items():
        assert abs(_pct(cells[str(v)]) - published) <= 6.0, v


def test_caseworker_change(tables):
    change = tables["caseworker_change"]
    assert abs(_pct(change["with_change"]) - br.PUBLISHED_WITH_CHANGE) <= 3.0
    # BIP's −22 % is adjusted for background; the raw ratio here also carries the
    # model's setback after a change, so it sits lower (≈0.64 at 10×): a change goes
    # with a lower job chance, within 0.25 of 0.78.
    ratio = change["ratio"]["value"]
    assert ratio is not None and ratio < 1.0
    assert abs(ratio - br.PUBLISHED_CHANGE_RATIO) <= 0.25


def test_company_based_offers_by_target_group(tables):
    cells = tables["company_based_offer"]["cells"]
    assert abs(_pct(cells["aktivitetsparat"]) - 15.0) <= 3.0
    assert abs(_pct(cells["jobparat"]) - 41.0) <= 10.0  # ≈240 jobparate: a wide band
    assert _pct(cells["jobparat"]) > 2 * _pct(cells["aktivitetsparat"])


def test_progression_company_based_first_and_passivity_last(tables):
    cells = {
        k: v["mean_per_quarter"] for k, v in tables["progression_by_intervention"]["cells"].items()
    }
    company = [cells["virksomhedspraktik"], cells["loentilskud"]]
    assert min(company) > 0.05  # progress during company-based interventions
    assert min(company) > cells["vejledning_opkvalificering"] > cells["none"]
    assert cells["none"] < 0  # passivity: decline
    assert all(v > cells["none"] for k, v in cells.items() if v is not None and k != "none")


def test_the_tables_read_the_stored_outcomes_not_the_model(bip_cohort, tmp_path):
    copy = tmp_path / "no-outcomes.db"
    shutil.copy(bip_cohort, copy)
    conn = sqlite3.connect(copy)
    conn.execute("DELETE FROM outcomes")
    conn.commit()
    conn.close()
    d = json.loads(_stats(copy, tmp_path, "--format", "json"))
    assert all(c["percent"] is None for c in d["job_by_belief"]["cells"].values())
    assert (
        d["job_search"]
        == json.loads(_stats(bip_cohort, tmp_path, "--format", "json"))["job_search"]
    )


def test_no_names_or_ids_in_any_output(bip_cohort, tmp_path):
    conn = sqlite3.connect(bip_cohort)
    names = [r[0] for r in conn.execute("SELECT display_name FROM citizens LIMIT 200")]
    workers = conn.execute("SELECT initials, name FROM caseworkers").fetchall()
    conn.close()
    outputs = [_stats(bip_cohort, tmp_path, "--format", f) for f in ("text", "json")]
    _stats(bip_cohort, tmp_path, "--format", "html", "--out", str(tmp_path / "s.html"))
    outputs.append((tmp_path / "s.html").read_text(encoding="utf-8"))
    for text in outputs:
        assert not re.search(r"\bB-[0-9A-Z]{6}\b", text)  # citizen ids
        for name in names:
            assert name not in text
        for initials, name in workers:
            if initials in ("BIP", "KORA"):  # would be the sources' own words
                continue
            assert not re.search(rf"\b{re.escape(initials)}\b", text)
            assert name not in text
