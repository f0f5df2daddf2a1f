"""Races between real processes on one database (issue 12, item 13).

Several worker processes wait for a starting gun, then – all at the same moment – open
a database that does not exist yet (two app windows starting at once: a new file, or
an empty PostgreSQL database), sign in with the same new initials, and open the same
citizen. Every round must end with one database, one caseworker, one unfinished
meeting, and no worker failing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bip_talk.domain.meeting_history import Answer
from bip_talk.store import Store, open_database
from bip_talk.store.concurrency import ImmediateDatabase
from bip_talk.store.schema import SCHEMA_VERSION, migrations
from bip_talk.store.targets import open_target
from tests import pg

WORKERS = 3
ROUNDS = 5

WORKER = textwrap.dedent(
    """
    import json, os, sys, time, traceback
    from pathlib import Path
    from bip_talk.packs import load_pack
    from bip_talk.resources import default_pack_dir
    from bip_talk.services.meeting import MeetingSession
    from bip_talk.store import Store
    from bip_talk.store.targets import open_target

    folder, tag, rounds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    targets = json.loads(sys.argv[4])
    pack = load_pack(default_pack_dir())
    (folder / f"ready.{tag}").touch()

    def wait(gun):
        while not gun.exists():
            time.sleep(0.001)

    def report(path, out):  # whole or not at all: the test reads it at once
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(out))
        os.replace(tmp, path)

    for r in range(rounds):
        out = {}
        try:
            wait(folder / f"go.{r}.a")
            # Two windows starting at once on a new file, signing in as the same new user.
            store = Store(open_target(targets[r]))
            caseworker = store.ensure_caseworker("NY", "Ny Sagsbehandler")
            out["caseworker"] = caseworker.id
            report(folder / f"a.{r}.{tag}", out)
            wait(folder / f"go.{r}.b")
            citizen_id = (folder / f"go.{r}.b").read_text()
            # The same citizen opened in every window at once.
            session = MeetingSession.open(store, pack, citizen_id, caseworker)
            session.rate("citizen", pack.items("citizen")[0].id, 3)
            out["meeting"] = session.meeting.id
            store.close()
        except BaseException:
            out["error"] = traceback.format_exc()
            report(folder / f"a.{r}.{tag}", out)
        report(folder / f"b.{r}.{tag}", out)
    """
)


def _wait_for(paths: list[Path], deadline: float) -> None:
    while not all(p.exists() for p in paths):
        assert time.monotonic() < deadline, f"workers stalled: {[p.name for p in paths]}"
        time.sleep(0.005)


def _fire(gun: Path, text: str = "") -> None:
    tmp = gun.with_name(gun.name + ".tmp")
    tmp.write_text(text)
    os.replace(tmp, gun)  # appears whole, with its text


@pytest.mark.slow  # about 4 s: three Python processes, five rounds
@pytest.mark.parametrize("kind", pg.DIALECTS)
def test_windows_starting_signing_in_and_opening_a_citizen_at_once(
    tmp_path: Path, kind: str, request: pytest.FixtureRequest
) -> None:
    if kind == "sqlite":
        targets = [str(tmp_path / f"round{r}.db") for r in range(ROUNDS)]
    else:
        databases = request.getfixturevalue("pg_databases")
        targets = [databases.fresh(migrated=False) for _ in range(ROUNDS)]
        for url in targets:
            request.addfinalizer(lambda url=url: databases.drop(url))
    tags = [str(n) for n in range(WORKERS)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(tmp_path), tag, str(ROUNDS), json.dumps(targets)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in tags
    ]
    try:
        deadline = time.monotonic() + 60
        _wait_for([tmp_path / f"ready.{tag}" for tag in tags], deadline)
        for r in range(ROUNDS):
            _fire(tmp_path / f"go.{r}.a")
            _wait_for([tmp_path / f"a.{r}.{tag}" for tag in tags], deadline)
            first = [json.loads((tmp_path / f"a.{r}.{tag}").read_text()) for tag in tags]
            assert not [o["error"] for o in first if "error" in o]
            assert len({o["caseworker"] for o in first}) == 1, first

            store = Store(open_target(targets[r]))
            citizen = store.create_citizen("Syntetisk Borger", caseworker_id=first[0]["caseworker"])
            _fire(tmp_path / f"go.{r}.b", citizen.id)
            _wait_for([tmp_path / f"b.{r}.{tag}" for tag in tags], deadline)
            second = [json.loads((tmp_path / f"b.{r}.{tag}").read_text()) for tag in tags]
            assert not [o["error"] for o in second if "error" in o]
            assert len({o["meeting"] for o in second}) == 1, second
            assert pg.count(store.db, "caseworkers", "initials = 'NY'") == 1
            assert len(store.meetings_for(citizen.id)) == 1
            store.close()
    except BaseException:
        for proc in procs:  # a failed round: the workers wait for guns that never come
            proc.kill()
        raise
    finally:
        for proc in procs:
            proc.wait(timeout=30)
    for proc in procs:
        assert proc.returncode == 0, proc.stderr.read() if proc.stderr else ""


def test_the_schema_refuses_a_second_draft(store: Store) -> None:
    """The rule lives in the schema (m006), not only in the code that opens meetings."""
    cw = store.ensure_caseworker("ab", "Anne")
    citizen = store.create_citizen("Syntetisk", caseworker_id=cw.id)
    first = store.start_meeting(citizen.id, cw.id, "bip", "1")
    assert store.start_meeting(citizen.id, cw.id, "bip", "1").id == first.id
    with pytest.raises(pg.integrity_errors()):
        store.db.execute(
            "INSERT INTO meetings (citizen_id, caseworker_id, pack_id, pack_version, status, "
            "held_on, started_at) VALUES (?, ?, 'bip', '1', 'draft', '2026-01-01', 'x')",
            [citizen.id, cw.id],
        )
    store.complete_meeting(first.id, actor=cw.id)
    assert store.start_meeting(citizen.id, cw.id, "bip", "1").id != first.id


def _file_before_m006(path: Path) -> ImmediateDatabase:
    """A database as bip-talk made it before m006: the schema up to m005."""
    db = ImmediateDatabase(path)
    migrations.apply(db, stop_before="m006_one_draft_per_citizen")
    db.execute("PRAGMA user_version = 5")
    return db


def test_upgrading_merges_two_drafts_into_one_and_loses_nothing(tmp_path: Path, monkeypatch):
    path = tmp_path / "old.db"
    db = _file_before_m006(path)
    old = Store(db)
    cw = old.ensure_caseworker("ab", "Anne")
    citizen = old.create_citizen("Syntetisk", caseworker_id=cw.id)

    def draft(started_at: str) -> int:
        return (
            db["meetings"]
            .insert(
                {
                    "citizen_id": citizen.id,
                    "caseworker_id": cw.id,
                    "pack_id": "bip",
                    "pack_version": "1",
                    "status": "draft",
                    "held_on": "2026-01-05",
                    "started_at": started_at,
                }
            )
            .last_pk
        )

    older, newer = draft("2026-01-05T10:00:00+00:00"), draft("2026-01-05T10:00:01+00:00")
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", "2026-01-05T10:01:00+00:00")
    old.record_answer(older, "citizen", "only_old", Answer(value=2), actor=cw.id, citizen_id="x")
    old.record_answer(older, "citizen", "both", Answer(value=1), actor=cw.id, citizen_id="x")
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", "2026-01-05T10:02:00+00:00")
    old.record_answer(newer, "citizen", "both", Answer(value=5), actor=cw.id, citizen_id="x")
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", "2026-01-05T10:03:00+00:00")
    old.record_answer(older, "caseworker", "late", Answer(value=4), actor=cw.id, citizen_id="x")
    old.record_answer(newer, "caseworker", "late", Answer(value=3), actor=cw.id, citizen_id="x")
    old.add_note(
        older,
        "note i den ældste",
        visibility="shared",
        indicator=None,
        actor=cw.id,
        citizen_id=citizen.id,
    )
    db.close()

    store = Store(open_database(path))
    assert store.db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    meetings = store.meetings_for(citizen.id)
    assert [m.id for m in meetings] == [newer]
    answers = store.answers([newer])[newer]
    assert answers[("citizen", "only_old")].value == 2  # moved over
    assert answers[("citizen", "both")].value == 5  # the later answer wins …
    assert answers[("caseworker", "late")].value == 3  # … the same second: the kept draft's
    assert [n.text for n in store.notes([newer], include_private=True)] == ["note i den ældste"]
    merged = [e for e in store.audit_for(citizen.id) if e.action == "merge"]
    assert {e.entity for e in merged} == {"answer", "meeting"}
    earlier_values = [json.loads(e.old)["value"] for e in merged if e.entity == "answer"]
    assert sorted(earlier_values) == [1, 4]  # the answers that lost are kept as earlier values
    assert len(list(tmp_path.glob("old.db.v5-*.bak"))) == 1
    store.close()


def test_an_import_cannot_bring_a_second_unfinished_meeting(tmp_path: Path, pack, monkeypatch):
    from bip_talk.errors import InputError
    from bip_talk.i18n import Translator
    from bip_talk.services.exchange.export import export_data
    from bip_talk.services.exchange.imports import import_data
    from tests.unit.exchange_data import build_history

    source = Store(open_database(tmp_path / "source.db"))
    build_history(source, pack, monkeypatch)
    export_data(source, pack, tmp_path / "export", fmt="json")
    source.close()
    path = tmp_path / "export" / "meetings.json"
    rows = json.loads(path.read_text(encoding="utf-8"))
    draft = next(r for r in rows if r["status"] == "draft")
    rows.append({**draft, "id": 999, "started_at": "2026-04-03T09:00:00+00:00"})
    path.write_text(json.dumps(rows), encoding="utf-8")
    (tmp_path / "export" / "manifest.json").unlink()  # the row count changed on purpose
    target = Store(open_database(tmp_path / "target.db"))
    with pytest.raises(InputError) as info:
        import_data(target, pack, tmp_path / "export", t=Translator("en"))
    assert f"meetings.json row {len(rows)}: status" in info.value.message
    assert "already has an unfinished meeting" in info.value.message
    assert target.count_citizens() == 0
    target.close()
