"""``bip-talk suggest`` and ``bip-talk evidence`` as a user runs them: what the plan
screen shows, and every mistake a plain message with a non-zero exit."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bip_talk.domain.evidence_model import evidence_of
from bip_talk.domain.meeting_history import Answer
from bip_talk.resources import default_pack_dir
from bip_talk.store import Store, open_database


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    env["BIP_TALK_DATA_DIR"] = str(cwd / "data")
    env["BIP_TALK_FROZEN_TIME"] = "2026-11-24T10:00:00+00:00"
    return subprocess.run(
        [sys.executable, "-m", "bip_talk", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def db(tmp_path: Path, pack) -> tuple[str, str]:
    path = tmp_path / "plan.db"
    store = Store(open_database(path))
    try:
        cw = store.ensure_caseworker("ab", "Anne Berg")
        c = store.create_citizen(
            "Maja Holm", caseworker_id=cw.id, target_group="aktivitetsparat", birth_year=2001
        )
        m = store.start_meeting(c.id, cw.id, pack.id, pack.version, held_on="2026-11-20")
        for side, item, value in (("citizen", "helbred", 1), ("caseworker", "sb_tro", 2)):
            store.record_answer(m.id, side, item, Answer(value=value), actor=cw.id, citizen_id=c.id)
        store.complete_meeting(m.id, actor=cw.id)
    finally:
        store.close()
    return str(path), c.id


def test_suggest_in_real_processes(db, tmp_path):
    path, cid = db
    runs = {
        "text": ["--db", path, "suggest", cid.lower()],
        "private": ["--db", path, "suggest", cid, "--include-private", "--lang", "en"],
        "json": ["--db", path, "suggest", cid, "--format", "json"],
        "json_private": ["--db", path, "suggest", cid, "--format", "json", "--include-private"],
        "unknown": ["--db", path, "suggest", "B-ZZZZZZ"],
        "no_db": ["--db", str(tmp_path / "nothing.db"), "suggest", cid],
        "bad_format": ["--db", str(tmp_path / "nothing.db"), "suggest", cid, "--format", "xml"],
        "bad_day": ["--db", path, "suggest", cid, "--on", "24/11"],
        "no_such_day": ["--db", path, "suggest", cid, "--on", "31.02.2027"],
        "shown_day": ["--db", path, "suggest", cid, "--on", "01.02.2027"],
        "iso_day": ["--db", path, "suggest", cid, "--on", "2027-02-01"],
        "bad_lang": ["--db", path, "suggest", cid, "--lang", "de"],
    }
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = dict(zip(runs, pool.map(lambda a: _run(tmp_path, *a), runs.values()), strict=True))

    text = done["text"]
    assert text.returncode == 0, text.stderr
    assert "Maja Holm" in text.stdout and "Forslag pr. 24.11.2026" in text.stdout
    assert "Virksomhedspraktik med en helbredsindsats ved siden af" in text.stdout
    assert "Kilder:" in text.stdout and "Tilpas kravene" not in text.stdout  # no private
    private = done["private"].stdout
    assert private.index("For you as caseworker only") < private.index("Adapt the demands")
    assert private.index("Adapt the demands") < private.index("Suggestions from what")

    shared = json.loads(done["json"].stdout)
    assert {e["audience"] for e in shared} == {"shared"}
    top = shared[0]
    assert top["suggests"] == "virksomhedspraktik" and top["combined_with"] == ["helbredsindsats"]
    assert set(top) >= {
        "suggests",
        "rules",
        "strength",
        "audience",
        "reason",
        "caveat",
        "combined_with",
        "keep_going",
        "sources",
    }
    for source in top["sources"]:
        assert {"id", "title", "year", "url"} <= set(source)
        assert "publisher" in source or "authors" in source
    everything = json.loads(done["json_private"].stdout)
    assert everything[0]["audience"] == "private" and everything[0]["strength"] == "caution"
    assert "young_rules_now" in {e["suggests"] for e in everything}  # born 2001: under 30

    for name, code, words in (
        ("unknown", 4, "B-ZZZZZZ"),
        ("no_db", 3, "nothing.db"),
        ("bad_format", 2, "xml"),
        ("bad_day", 2, "«24/11» er ikke en dato – skriv den som dd.mm.åååå"),
        ("no_such_day", 2, "«31.02.2027» er ikke en dato"),
        ("bad_lang", 2, "de"),
    ):
        run = done[name]
        assert run.returncode == code, (name, run.returncode, run.stderr)
        assert words in run.stderr and "Traceback" not in run.stderr, name
    assert not (tmp_path / "nothing.db").exists()  # nothing created just to read
    # A day as the screens show it is the same day as its ISO form.
    shown, iso = done["shown_day"], done["iso_day"]
    assert shown.returncode == 0, shown.stderr
    assert "Forslag pr. 01.02.2027" in shown.stdout and shown.stdout == iso.stdout


def test_evidence_lists_every_rule_with_its_sources(tmp_path, pack):
    runs = [["evidence"], ["evidence", "--lang", "en"], ["evidence", "--format", "markdown"]]
    with ThreadPoolExecutor(max_workers=3) as pool:
        da, en, md = pool.map(lambda a: _run(tmp_path, *a), runs)
    evidence = evidence_of(pack)
    for run in (da, en, md):
        assert run.returncode == 0, run.stderr
        for rule in evidence.rules:
            assert rule.id in run.stdout
    assert "Kilder:" in da.stdout and "Holder: bekræftet" in da.stdout
    assert "Holds up: only in the BIP presentation" in en.stdout
    assert "https://doi.org/10.1073/pnas.2411439121" in en.stdout
    assert "applies from 1 Jan 2027" in en.stdout
    assert md.stdout.startswith("| regel |")


def test_evidence_without_an_evidence_file_says_so(tmp_path):
    folder = tmp_path / "pack"
    shutil.copytree(default_pack_dir(), folder)
    for name in ("evidence.toml", "personas.toml"):
        (folder / name).unlink()
    run = _run(tmp_path, "--pack", str(folder), "evidence")
    assert run.returncode == 2 and "evidence.toml" in run.stderr, run.stderr


def test_the_plan_screen_can_show_the_rule_text_behind_a_suggestion(pack):
    from bip_talk.domain.evidence import suggest
    from bip_talk.i18n import Translator
    from bip_talk.presenters.plan import rules_text
    from tests.unit.evidence_support import both, meeting, situation

    s = situation(meeting(1, "2026-10-20", **both(helbred=1)))
    top = suggest(pack, evidence_of(pack), s)[0]
    text = rules_text(top, pack, Translator("da"))
    ev = evidence_of(pack)
    reason = {r: ev.rule(r).reason.get("da") for r in top.rules}
    assert list(top.rules[:2]) == ["company_based_first", "parallel_health"]
    assert text.index(reason["company_based_first"]) < text.index(reason["parallel_health"])
    assert "Kilder:" in text and "What affects job prospects?" in text
    # The caseworker reads the rules in words: no rule id (evidence.toml's names).
    assert not any(f"{r.id}" in text for r in ev.rules)
    # Without the id in front, each rule's line begins as a sentence does.
    assert all(block[0].isupper() for block in text.strip().split("\n\n")), text
    caution = ev.rule("caution_demanding_activation").reason.get("da")
    assert caution not in text  # private: only its words beside it


def test_suggest_says_what_an_earlier_meeting_declined(tmp_path, pack):
    from bip_talk.services import plan

    path = tmp_path / "declined.db"
    store = Store(open_database(path))
    try:
        cw = store.ensure_caseworker("ab", "Anne Berg")
        c = store.create_citizen("Maja Holm", caseworker_id=cw.id, target_group="aktivitetsparat")
        m = store.start_meeting(c.id, cw.id, pack.id, pack.version, held_on="2026-11-20")
        store.record_answer(m.id, "citizen", "helbred", Answer(1), actor=cw.id, citizen_id=c.id)
        found = plan.suggestions_for(store, pack, c.id)
        health = next(e for s in found for e in s.elements if e.kind == "helbredsindsats")
        plan.decline(
            store, c.id, health, actor=cw.id, lang="da", meeting_id=m.id, reason="Har en læge"
        )
        store.complete_meeting(m.id, actor=cw.id)
    finally:
        store.close()
    run = _run(tmp_path, "--db", str(path), "suggest", c.id)
    assert run.returncode == 0, run.stderr
    assert "✗ Helbredsindsats blev afvist" in run.stdout and "Har en læge" in run.stdout
