"""Two app processes writing one database file at the same time lose nothing and never
show "database is locked" (issue 8: concurrency)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from bip_talk.errors import StoreError
from bip_talk.store import Store, open_database
from bip_talk.store.concurrency import ImmediateDatabase, retry_when_busy
from bip_talk.store.schema import SCHEMA_VERSION, migrations
from bip_talk.store.targets import open_target
from tests import pg

ANSWERS_PER_PROCESS = 500

# Each worker waits for the starting gun, then opens the (not yet existing) database –
# so the two also race on creating and migrating it – and records its answers one by
# one through MeetingSession, the way the app does, with notes and moves in between.
WORKER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from bip_talk.packs import load_pack
    from bip_talk.resources import default_pack_dir
    from bip_talk.services.meeting import MeetingSession
    from bip_talk.store import Store
    from bip_talk.store.targets import open_target

    db_path, tag, gun, quota = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
    pack = load_pack(default_pack_dir())
    Path(f"{gun}.{tag}.ready").touch()
    while not gun.exists():
        time.sleep(0.005)
    store = Store(open_target(db_path))
    actor = store.ensure_caseworker("W" + tag, "Worker " + tag)
    written = 0
    n = 0
    while written < quota:
        citizen = store.create_citizen(f"Syntetisk {tag}-{n}", caseworker_id=actor.id)
        session = MeetingSession.open(store, pack, citizen.id, actor)
        for step in range(len(session.steps)):
            session.go(step=step)
            for side in session.perspective_ids:
                for item in session.items_at(side, step):
                    if item.type == "scale" and written < quota:
                        session.rate(side, item.id, 1 + written % 5)
                        written += 1
        session.add_note(f"note {tag}-{n}", private=bool(n % 2), indicator=None)
        if written < quota or n % 2:
            session.complete()
        n += 1
    store.close()
    print(written)
    """
)


def _target(kind: str, tmp_path: Path, request: pytest.FixtureRequest, name: str) -> str:
    """A database that does not exist yet: a new file, or an empty PostgreSQL one."""
    if kind == "sqlite":
        return str(tmp_path / name)
    databases = request.getfixturevalue("pg_databases")
    url = databases.fresh(migrated=False)
    request.addfinalizer(lambda: databases.drop(url))
    return url


def _start(worker: str, target: str, gun: Path, quota: int, tags=("A", "B")) -> list:
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", worker, target, tag, str(gun), str(quota)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in tags
    ]
    deadline = time.monotonic() + 30
    while not all(Path(f"{gun}.{tag}.ready").exists() for tag in tags):
        assert time.monotonic() < deadline, "workers did not start"
        time.sleep(0.01)
    gun.touch()
    return procs


@pytest.mark.slow  # about 7 s: 1,000 separate commits, as the app makes them
@pytest.mark.parametrize("kind", pg.DIALECTS)
def test_two_processes_record_every_answer(
    tmp_path: Path, kind: str, request: pytest.FixtureRequest
) -> None:
    db_path = _target(kind, tmp_path, request, "shared.db")
    procs = _start(WORKER, db_path, tmp_path / "go", ANSWERS_PER_PROCESS)
    outputs = [p.communicate(timeout=120) for p in procs]

    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert err == "", err
        assert proc.returncode == 0
        assert out.strip() == str(ANSWERS_PER_PROCESS)
    db = open_target(db_path, create=False)
    try:
        total = pg.count(db, "answers")
        by_worker = dict(
            db.execute(
                "SELECT w.initials, count(*) FROM answers a"
                " JOIN caseworkers w ON w.id = a.answered_by "
                "GROUP BY w.initials"
            ).fetchall()
        )
        migrated = pg.count(db, migrations.table(db))
    finally:
        db.close()
    assert total == 2 * ANSWERS_PER_PROCESS
    assert by_worker == {"WA": ANSWERS_PER_PROCESS, "WB": ANSWERS_PER_PROCESS}
    assert migrated == SCHEMA_VERSION  # one process migrated, the other found it done


# Both workers change the same answer of the same meeting, each time to a text no one
# wrote before: every change after the first must leave the value it replaced.
SAME_ANSWER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from bip_talk.domain.meeting_history import Answer
    from bip_talk.store import Store
    from bip_talk.store.targets import open_target

    db_path, tag, gun, quota = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
    Path(f"{gun}.{tag}.ready").touch()
    while not gun.exists():
        time.sleep(0.005)
    store = Store(open_target(db_path))
    actor = store.ensure_caseworker("W" + tag, "Worker " + tag)
    citizen = store.search_citizens()[0]
    meeting = store.start_meeting(citizen.id, actor.id, "bip", "1")
    for n in range(quota):
        store.record_answer(
            meeting.id, "caseworker", "note", Answer(text=f"{tag}-{n}"),
            actor=actor.id, citizen_id=citizen.id,
        )
    store.close()
    print(meeting.id)
    """
)


@pytest.mark.parametrize("kind", pg.DIALECTS)
def test_two_sessions_changing_one_answer_keep_its_whole_history(
    tmp_path: Path, kind: str, request: pytest.FixtureRequest
) -> None:
    target = _target(kind, tmp_path, request, "one-answer.db")
    setup = Store(open_target(target))
    cw = setup.ensure_caseworker("AB", "Anne Bech")
    citizen = setup.create_citizen("Syntetisk Borger", caseworker_id=cw.id)
    setup.close()
    quota = 150
    procs = _start(SAME_ANSWER, target, tmp_path / "go", quota)
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [err for _, err in outputs] == ["", ""]
    assert len({out.strip() for out, _ in outputs}) == 1  # one draft meeting for both
    store = Store(open_target(target))
    try:
        changes = [a for a in store.audit_for(citizen.id) if a.entity == "answer"]
        final = store.history(citizen.id)[0].answers[("caseworker", "note")]
    finally:
        store.close()
    assert len(changes) == 2 * quota - 1  # every write but the first replaced a value
    # One unbroken chain: each change starts from what the change before it left.
    for before, after in zip(changes, changes[1:], strict=False):
        assert json.loads(after.old)["text"] == json.loads(before.new)["text"]
    assert json.loads(changes[-1].new)["text"] == final.text


def test_atomic_takes_the_write_lock_at_begin(tmp_path: Path) -> None:
    """A second writer waits at BEGIN instead of failing after it has read."""
    path = tmp_path / "lock.db"
    first = open_database(path)
    statements: list[str] = []
    first.conn.set_trace_callback(statements.append)
    with first.atomic():
        first["caseworkers"].insert({"initials": "AA", "name": "A", "created_at": "x"})
    assert statements[0] == "BEGIN IMMEDIATE"
    first.close()


def test_busy_writer_waits_and_then_succeeds(tmp_path: Path) -> None:
    path = tmp_path / "wait.db"
    store = Store(open_database(path))
    # Another "process" holds the write lock for a moment (a thread keeps the test quick).
    holder = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, holder.execute, ["COMMIT"])
    release.start()
    start = time.monotonic()
    worker = store.ensure_caseworker("BB", "Busy")
    assert time.monotonic() - start >= 0.2  # it waited for the lock …
    assert store.caseworker_by_initials("BB") == worker  # … and then saved
    release.join()
    holder.close()
    store.close()


class _Flaky:
    """Fails like a contended database a given number of times, then works."""

    def __init__(self, failures: int) -> None:
        self.db = ImmediateDatabase(":memory:")
        self.failures = failures
        self.calls = 0

    @retry_when_busy
    def act(self) -> str:
        self.calls += 1
        if self.calls <= self.failures:
            raise sqlite3.OperationalError("database is locked")
        return "saved"


def test_retry_repeats_the_whole_action(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bip_talk.store.concurrency.BACKOFF_S", 0)
    flaky = _Flaky(failures=2)
    assert flaky.act() == "saved"
    assert flaky.calls == 3


def test_retry_gives_up_with_a_plain_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bip_talk.store.concurrency.BACKOFF_S", 0)
    flaky = _Flaky(failures=100)
    with pytest.raises(StoreError) as info:
        flaky.act()
    assert "locked" not in str(info.value)
    assert str(info.value)
    assert flaky.calls == 5


def test_no_retry_inside_an_open_transaction(monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside a caller's transaction a retry would repeat half an action: let it rise."""
    monkeypatch.setattr("bip_talk.store.concurrency.BACKOFF_S", 0)
    flaky = _Flaky(failures=1)
    with flaky.db.atomic(), pytest.raises(sqlite3.OperationalError):
        flaky.act()
    assert flaky.calls == 1
