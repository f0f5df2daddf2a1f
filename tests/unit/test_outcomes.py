"""Outcomes: recorded with date and who, corrected and removed with an audit row, in the
research export/import and its data dictionary, in the GDPR access copy, gone with an
erasure, stored by the seed; and ``bip-talk citizen outcome`` as a user runs it."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bip_talk.domain.outcomes import OUTCOME_KINDS
from bip_talk.errors import InputError, NotFoundError
from bip_talk.i18n import Translator
from bip_talk.services.audit_trail import audit_trail
from bip_talk.services.exchange.export import export_data
from bip_talk.services.exchange.imports import import_data
from bip_talk.services.gdpr import access_data, access_markdown, erase
from bip_talk.services.outcomes import (
    citizen_outcomes,
    delete_outcome,
    edit_outcome,
    outcome_kinds,
    outcome_text,
    record_outcome,
)
from bip_talk.services.synthetic.seed import seed_database
from bip_talk.store import Store, open_database
from bip_talk.store.targets import open_target

T = Translator("da")


@pytest.fixture
def person(store):
    cw = store.ensure_caseworker("AB", "Anne Berg")
    citizen = store.create_citizen("Karin Testrup", caseworker_id=cw.id)
    return cw.id, citizen.id


def test_record_edit_delete_with_audit_rows(store, pack, person, monkeypatch):
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", "2026-03-10T09:00:00+00:00")
    actor, cid = person
    job = record_outcome(store, cid, "job", "2026-03-02", actor=actor, t=T)
    assert (job.kind, job.occurred_on, job.recorded_by) == ("job", "2026-03-02", actor)
    assert job.recorded_at.startswith("2026-03-10T09:00")
    assert outcome_text(job, T) == "Ordinært job fra 02.03.2026"
    fixed = edit_outcome(store, job.id, kind="subsidised_job", actor=actor, t=T)
    assert (fixed.kind, fixed.occurred_on) == ("subsidised_job", "2026-03-02")
    same = edit_outcome(store, job.id, kind="subsidised_job", actor=actor, t=T)
    assert same == fixed  # nothing changed: no write, no audit row
    record_outcome(store, cid, "education", "2026-01-05", actor=actor, t=T)
    assert [o.kind for o in citizen_outcomes(store, cid, T)] == ["education", "subsidised_job"]
    delete_outcome(store, job.id, actor=actor, t=T)
    assert [o.kind for o in citizen_outcomes(store, cid, T)] == ["education"]
    trail = [ln for ln in audit_trail(store, pack, cid, T) if ln.what == "Afslutning"]
    assert [(ln.action, ln.old, ln.new) for ln in trail] == [
        ("oprettet", None, "Ordinært job fra 02.03.2026"),
        (
            "ændret",
            "Ordinært job fra 02.03.2026",
            "Job med løntilskud eller fleksjob fra 02.03.2026",
        ),
        ("oprettet", None, "Uddannelse påbegyndt fra 05.01.2026"),
        ("fjernet", "Job med løntilskud eller fleksjob fra 02.03.2026", None),
    ]
    assert all(ln.who == "AB" for ln in trail)


@pytest.mark.parametrize(
    ("kind", "day", "message"),
    [
        ("boat", "2026-01-01", "Ukendt afslutning «boat». Brug en af: job, subsidised_job"),
        ("job", "1/2 2026", "«1/2 2026» er ikke en dato"),
        ("job", "2999-01-01", "2999-01-01 ligger i fremtiden"),
    ],
)
def test_bad_input_changes_nothing(store, person, kind, day, message):
    actor, cid = person
    with pytest.raises(InputError, match=message):
        record_outcome(store, cid, kind, day, actor=actor, t=T)
    assert citizen_outcomes(store, cid, T) == []
    assert not [e for e in store.audit_for(cid) if e.entity == "outcome"]


def test_unknown_citizen_or_outcome(store, person):
    actor, cid = person
    with pytest.raises(NotFoundError, match="ingen borger med id B-999999"):
        record_outcome(store, "B-999999", "job", "2025-01-01", actor=actor, t=T)
    with pytest.raises(NotFoundError, match="ingen afslutning med nummer 42"):
        edit_outcome(store, 42, kind="job", actor=actor, t=T)
    with pytest.raises(NotFoundError, match="ingen afslutning med nummer 42"):
        delete_outcome(store, 42, actor=actor, t=T)
    # Another citizen's outcome is not reached through this citizen.
    mine = record_outcome(store, cid, "job", "2025-01-01", actor=actor, t=T)
    other = store.create_citizen("Ole Modelsen", caseworker_id=actor).id
    with pytest.raises(NotFoundError, match=f"Borger {other} har ingen afslutning"):
        delete_outcome(store, mine.id, citizen_id=other, actor=actor, t=T)
    assert citizen_outcomes(store, cid, T) == [mine]


def test_the_kinds_in_both_languages():
    assert [k for k, _ in outcome_kinds(T)] == list(OUTCOME_KINDS)
    en = dict(outcome_kinds(Translator("en")))
    assert en["subsidised_job"] == "Job with wage subsidy or flexjob"


def test_access_copy_and_erasure(store, pack, person):
    actor, cid = person
    record_outcome(store, cid, "education", "2025-08-15", actor=actor, t=T)
    data = access_data(store, pack, cid, T)
    assert [(o["kind"], o["occurred_on"], o["recorded_by_initials"]) for o in data["outcomes"]] == [
        ("education", "2025-08-15", "AB")
    ]
    text = access_markdown(pack, data, T)
    assert "## Hvad der skete bagefter" in text
    assert "- Uddannelse påbegyndt fra 2025-08-15 (noteret af AB)" in text
    erase(store, cid, actor=actor, t=T)
    assert store.db.execute("SELECT count(*) FROM outcomes").fetchone()[0] == 0
    assert not store.db.execute("SELECT count(*) FROM audit WHERE entity = 'outcome'").fetchone()[0]


def test_export_import_round_trip_with_the_dictionary(store, pack, person, tmp_path):
    actor, cid = person
    record_outcome(store, cid, "job", "2025-02-03", actor=actor, t=T)
    result = export_data(store, pack, tmp_path / "out", t=T)
    assert result.rows["outcomes"] == 1
    with (tmp_path / "out" / "outcomes.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["citizen_id"] == cid and rows[0]["kind"] == "job"
    with (tmp_path / "out" / "data_dictionary.csv").open(encoding="utf-8") as fh:
        words = {(r["file"], r["column"], r["code"]): r["meaning"] for r in csv.DictReader(fh)}
    assert words[("outcomes", "kind", "subsidised_job")] == "Job med løntilskud eller fleksjob"
    assert ("outcomes", "recorded_by", "") in words
    pseudo = export_data(store, pack, tmp_path / "pseudo", pseudonymize=True, t=T)
    assert pseudo.rows["outcomes"] == 1
    text = (tmp_path / "pseudo" / "outcomes.csv").read_text(encoding="utf-8")
    assert cid not in text and "P-" in text
    other = Store(open_database(tmp_path / "other.db"))
    try:
        first = import_data(other, pack, tmp_path / "out", t=T)
        assert first.counts["outcomes"]["inserted"] == 1
        again = import_data(other, pack, tmp_path / "out", t=T)
        assert again.counts["outcomes"]["unchanged"] == 1
        (o,) = citizen_outcomes(other, cid, T)
        assert (o.kind, o.occurred_on) == ("job", "2025-02-03")
    finally:
        other.close()


def test_import_refuses_an_unknown_kind(store, pack, person, tmp_path):
    actor, cid = person
    record_outcome(store, cid, "job", "2025-02-03", actor=actor, t=T)
    export_data(store, pack, tmp_path / "out", fmt="json", t=T)
    path = tmp_path / "out" / "outcomes.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows[0]["kind"] = "lottery"
    path.write_text(json.dumps(rows), encoding="utf-8")
    other = Store(open_database(tmp_path / "other.db"))
    try:
        with pytest.raises(InputError, match=r"outcomes.json.*kind.*lottery"):
            import_data(other, pack, tmp_path / "out", t=T)
        assert other.db.execute("SELECT count(*) FROM citizens").fetchone()[0] == 0
    finally:
        other.close()


def test_seed_stores_the_models_outcomes(tmp_path, pack):
    path = tmp_path / "seed.db"
    result = seed_database(path, pack, citizens=300, seed=4)
    conn = sqlite3.connect(path)
    try:
        kinds = dict(conn.execute("SELECT kind, count(*) FROM outcomes GROUP BY kind"))
        orphans = conn.execute(
            "SELECT count(*) FROM outcomes o LEFT JOIN citizens c ON c.id = o.citizen_id "
            "WHERE c.id IS NULL OR o.recorded_by IS NULL"
        ).fetchone()[0]
        after_last = conn.execute(
            "SELECT count(*) FROM outcomes o WHERE o.occurred_on < "
            "(SELECT max(held_on) FROM meetings m WHERE m.citizen_id = o.citizen_id)"
        ).fetchone()[0]
    finally:
        conn.close()
    assert result.counts.outcomes == sum(kinds.values())
    assert set(kinds) == {"job", "other"} and kinds["other"] > kinds["job"] > 0
    assert orphans == 0
    assert after_last == 0  # what happened comes after the last meeting


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    env["BIP_TALK_DATA_DIR"] = str(cwd / "data")
    return subprocess.run(
        [sys.executable, "-m", "bip_talk", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_outcome_commands_in_real_processes(tmp_path, database):
    path = database
    store = Store(open_target(path))
    try:
        cw = store.ensure_caseworker("AB", "Anne Berg")
        cid = store.create_citizen("Karin Testrup", caseworker_id=cw.id).id
    finally:
        store.close()
    db = ["--db", str(path), "citizen", "outcome"]
    added = _run(tmp_path, *db, "add", cid.lower(), "--kind", "education", "--on", "2025-09-01")
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("Noteret: Uddannelse påbegyndt fra 01.09.2025 (nummer ")
    number = added.stdout.split("nummer ")[1].rstrip(").\n")
    listed = _run(tmp_path, *db, "list", cid)
    assert f"{number}  Uddannelse påbegyndt fra 01.09.2025" in listed.stdout
    edited = _run(tmp_path, "--lang", "en", *db, "edit", cid, number, "--kind", "job")
    assert edited.stdout.startswith("Corrected: Ordinary job from 1 Sep 2025")
    bad = _run(tmp_path, *db, "add", cid, "--kind", "lotto")
    assert bad.returncode == 2 and "Ukendt afslutning «lotto»" in bad.stderr
    gone = _run(tmp_path, *db, "delete", cid, "999")
    assert gone.returncode == 4 and "nummer 999" in gone.stderr and "Traceback" not in gone.stderr
    deleted = _run(tmp_path, *db, "delete", cid, number)
    assert deleted.returncode == 0 and deleted.stdout.startswith("Fjernet: Ordinært job")
    assert "Der er ikke noteret noget endnu." in _run(tmp_path, *db, "list", cid).stdout
