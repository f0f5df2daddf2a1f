"""The citizen's rights: access copy and erasure (down to the bytes of the file)."""

from __future__ import annotations

import json
import os
import pty
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bip_talk.errors import InputError, NotFoundError
from bip_talk.i18n import Translator
from bip_talk.services.gdpr import access_data, compact, erase, write_access
from bip_talk.store import Store, open_database
from bip_talk.store.targets import open_target
from tests import pg
from tests.unit.exchange_data import (
    ANSWER_TEXT,
    NAME,
    NOTE,
    OTHER,
    PLAN_TITLE,
    SHARED_NOTE,
    build_history,
    dump,
)


@pytest.fixture
def history(store, pack, monkeypatch):
    return build_history(store, pack, monkeypatch)


@pytest.fixture
def file_history(sqlite_store, pack, monkeypatch):
    """The same history in a SQLite file, for what only a file has (its bytes, a
    second reader holding it)."""
    return build_history(sqlite_store, pack, monkeypatch)


# -- access -----------------------------------------------------------------------------


def test_access_json_holds_everything_about_the_citizen(store, pack, history):
    data = access_data(store, pack, history.karin, Translator())
    assert data["citizen"]["display_name"] == NAME
    meetings = store.meetings_for(history.karin)
    assert [m["id"] for m in data["meetings"]] == [m.id for m in meetings]
    assert len(data["answers"]) == sum(
        len(a) for a in store.answers([m.id for m in meetings]).values()
    )
    texts = {n["text"] for n in data["notes"]}
    assert texts == {NOTE, SHARED_NOTE}  # the caseworker-only note too: it is their data
    assert [p["title"] for p in data["plan_items"]] == [PLAN_TITLE]
    assert len(data["assignments"]) == 2
    assert len(data["audit"]) == len(store.audit_for(history.karin)) > 0
    blob = json.dumps(data, ensure_ascii=False)
    assert OTHER not in blob and history.ole not in blob  # nobody else's data


def test_access_files_in_danish_and_english(store, pack, history, tmp_path):
    da = write_access(store, pack, history.karin, tmp_path / "da", Translator("da"))
    en = write_access(store, pack, history.karin, tmp_path / "en", Translator("en"))
    da_text, en_text = da.text.read_text(encoding="utf-8"), en.text.read_text(encoding="utf-8")
    for text in (da_text, en_text):
        assert NAME in text and NOTE in text and PLAN_TITLE in text and ANSWER_TEXT in text
        assert "⟨" not in text  # no missing catalog key
    assert "## Samtaler" in da_text and "## Meetings" in en_text
    assert pack.item("citizen", "helbred").text.da in da_text
    assert pack.item("citizen", "helbred").text.en in en_text
    assert "Jobsider på internettet" in da_text and "Job websites" in en_text
    assert da.text.stat().st_mode & 0o077 == 0 and da.data.stat().st_mode & 0o077 == 0
    assert json.loads(da.data.read_text(encoding="utf-8"))["citizen"]["id"] == history.karin


def test_access_to_an_unknown_citizen(store, pack, tmp_path):
    with pytest.raises(NotFoundError, match="B-NOPE22"):
        write_access(store, pack, "B-NOPE22", tmp_path / "out", Translator())
    assert not (tmp_path / "out").exists()


def test_access_out_must_be_a_writable_folder(store, pack, history, tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError):
        write_access(store, pack, history.karin, tmp_path / "file", Translator())
    with pytest.raises(InputError):
        write_access(store, pack, history.karin, tmp_path / "file" / "sub", Translator())


# -- erasure ----------------------------------------------------------------------------


def _file_bytes(db_path: Path) -> bytes:
    out = b""
    for suffix in ("", "-wal", "-journal"):
        p = Path(str(db_path) + suffix)
        if p.exists():
            out += p.read_bytes()
    return out


TRACES = [NAME, NAME.casefold(), NOTE, SHARED_NOTE, PLAN_TITLE, ANSWER_TEXT, "ny fordeling"]


def test_erase_leaves_no_row_and_no_byte(store, database, pack, history, tmp_path):
    sqlite = isinstance(database, Path)
    if sqlite:
        assert all(t.encode() in _file_bytes(database) for t in [NAME, NOTE])  # it can fail
    else:  # the planner's statistics sample column values: names among them
        store.db.execute("ANALYZE citizens")
        assert NAME in _planner_samples(store, "citizens")  # the test can fail
    other_before = access_data(store, pack, history.ole, Translator())
    result = erase(store, history.karin, actor=None, t=Translator())
    assert result.clean and result.reference.startswith("E-")
    assert result.counts["meetings"] == 2
    assert result.on_server is not sqlite

    for table, rows in dump(store).items():
        for row in rows:
            assert history.karin not in repr(row), table
            assert NAME not in repr(row), table
    if sqlite:
        blob = _file_bytes(database)
        for trace in TRACES:
            assert trace.encode() not in blob, trace
        assert history.karin.encode() not in blob
        wal = Path(str(database) + "-wal")
        assert not wal.exists() or wal.stat().st_size == 0
    else:
        # Every table the erasure touched was vacuumed and its statistics taken afresh.
        vacuumed = {
            r[0]
            for r in store.db.execute(
                "SELECT relname FROM pg_stat_user_tables "
                "WHERE last_vacuum IS NOT NULL AND last_analyze IS NOT NULL"
            ).fetchall()
        }
        assert {"citizens", "meetings", "answers", "notes", "audit"} <= vacuumed
        assert NAME not in _planner_samples(store, "citizens")

    # Everyone else is untouched.
    other_after = access_data(store, pack, history.ole, Translator())
    assert {k: v for k, v in other_after.items() if k != "generated_at"} == {
        k: v for k, v in other_before.items() if k != "generated_at"
    }


def _planner_samples(store: Store, table: str) -> str:
    """Every value PostgreSQL's statistics keep for ``table`` (most common values and
    histogram bounds), as one text."""
    rows = store.db.execute(
        "SELECT coalesce(most_common_vals::text, '') || coalesce(histogram_bounds::text, '') "
        "FROM pg_stats WHERE schemaname = current_schema() AND tablename = ?",
        [table],
    ).fetchall()
    return " ".join(r[0] for r in rows)


def test_erase_keeps_one_content_free_audit_row(store, pack, history):
    result = erase(store, history.karin, actor=7, t=Translator())
    rows = store.db.rows("SELECT * FROM audit WHERE action = 'erase'")
    assert len(rows) == 1
    row = rows[0]
    assert row["citizen_id"] is None and row["old"] is None and row["new"] is None
    assert row["entity_key"] == result.reference and row["actor_id"] == 7
    assert pg.count(store.db, "audit", "citizen_id = ?", [history.karin]) == 0


def test_erase_unknown_citizen_changes_nothing(store, pack, history):
    before = dump(store)
    with pytest.raises(NotFoundError):
        erase(store, "B-NOPE22", actor=None, t=Translator())
    assert dump(store) == before


def test_erase_while_another_reader_holds_the_file(sqlite_store, pack, file_history, tmp_path):
    store, history = sqlite_store, file_history
    db_path = tmp_path / "test.db"
    reader = sqlite3.connect(db_path)
    store.db.conn.execute("PRAGMA busy_timeout = 200")
    try:
        reader.execute("BEGIN")
        reader.execute("SELECT count(*) FROM citizens").fetchone()
        result = erase(store, history.karin, actor=None, t=Translator())
        assert not result.clean  # said, not hidden: the rows are gone, the file not yet clean
        assert store.db["citizens"].count_where("id = ?", [history.karin]) == 0
    finally:
        reader.close()
    assert compact(store)
    assert NAME.encode() not in _file_bytes(db_path)


def test_erase_on_postgres_is_unclean_when_a_table_cannot_be_vacuumed(
    pg_url, pg_databases, pack, monkeypatch
):
    """A table the app's user does not own cannot be vacuumed (VACUUM would only warn):
    the erasure stands and says it is not clean, never that it is."""
    store = Store(open_target(pg_url))
    try:
        history = build_history(store, pack, monkeypatch)
        with pg_databases.admin_on(pg_url) as admin:  # IT's owner, the app a user with rights
            admin.execute("ALTER TABLE notes OWNER TO CURRENT_USER")
            admin.execute("GRANT ALL ON notes TO bip_talk")
        result = erase(store, history.karin, actor=None, t=Translator())
        assert not result.clean and result.on_server
        assert pg.count(store.db, "citizens", "id = ?", [history.karin]) == 0
    finally:
        store.close()


def test_erase_names_a_backup_it_cannot_clean(tmp_path, pack, monkeypatch):
    """A backup that is not a database any more cannot be cleaned: it is listed.
    (Cleaning real backups: tests/unit/test_erase_every_copy.py.)"""
    path = tmp_path / "b.db"
    s = Store(open_database(path))
    try:
        h = build_history(s, pack, monkeypatch)
        (tmp_path / "b.db.v1-20260101T000000.bak").write_bytes(b"old copy")
        result = erase(s, h.karin, actor=None, t=Translator())
    finally:
        s.close()
    assert [(p.name, kind) for p, kind in result.copies.left] == [
        ("b.db.v1-20260101T000000.bak", "backup")
    ]


# -- command line -----------------------------------------------------------------------


def _env(tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "BIP_TALK_DATA_DIR": str(tmp_path / "data")}


def _run(tmp_path: Path, *args: str, stdin=subprocess.DEVNULL) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bip_talk", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(tmp_path),
        timeout=60,
        stdin=stdin,
    )


def _count(db: Path | str, citizen_id: str) -> int:
    s = Store(open_target(db))
    try:
        return pg.count(s.db, "citizens", "id = ?", [citizen_id])
    finally:
        s.close()


def test_cli_access_and_erase(store, database, pack, history, tmp_path, capsys):
    from bip_talk.cli import main

    store.close()
    db = str(database)
    ok = _run(
        tmp_path, "--db", db, "citizen", "access", history.karin, "--out", "copy", "--lang", "en"
    )
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "copy" / f"access-{history.karin}.md").exists()
    assert (tmp_path / "copy" / f"access-{history.karin}.json").exists()
    for args, code, expected in [
        (["citizen", "access", "B-NOPE22"], 4, "B-NOPE22"),
        (["citizen", "erase", history.karin], 2, "--yes"),  # no terminal to ask in
    ]:
        bad = _run(tmp_path, "--db", db, *args)
        assert bad.returncode == code and expected in bad.stderr, (args, bad.stderr)
        assert "Traceback" not in bad.stderr

    (tmp_path / "afile").write_text("x")
    for args, code, expected in [  # in this process: same path, faster
        (["citizen", "access", history.karin, "--out", str(tmp_path / "afile")], 2, "afile"),
        (["citizen", "access", history.karin, "--lang", "fr"], 2, "fr"),
        (["citizen", "erase", "B-NOPE22", "--yes"], 4, "B-NOPE22"),
    ]:
        with pytest.raises(SystemExit) as exit_:
            main(["--db", db, *args])
        err = capsys.readouterr().err
        assert exit_.value.code == code and expected in err, (args, err)
    assert _count(database, history.karin) == 1

    done = _run(tmp_path, "--db", db, "citizen", "erase", history.karin.lower(), "--yes")
    assert done.returncode == 0, done.stderr
    assert "E-" in done.stdout
    assert _count(database, history.karin) == 0
    if isinstance(database, Path):
        assert NAME.encode() not in _file_bytes(database)
    else:  # what the server may still hold, said in plain words
        assert Translator()("gdpr.erase_on_server") in done.stdout


def _erase_in_a_terminal(tmp_path: Path, db: str, citizen_id: str, typed: str) -> tuple[int, str]:
    """Run ``citizen erase`` with a pseudo-terminal as stdin and type ``typed``."""
    main, child = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "bip_talk", "--db", db, "citizen", "erase", citizen_id],
        stdin=child,
        stdout=child,
        stderr=child,
        cwd=tmp_path,
        env=_env(tmp_path),
    )
    os.close(child)
    out = b""
    deadline = time.monotonic() + 30
    sent = False
    while time.monotonic() < deadline:
        ready, _, _ = select.select([main], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(main, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        if not sent and citizen_id.encode() in out and b":" in out.split(b"\n")[-1]:
            os.write(main, typed.encode() + b"\n")
            sent = True
        if proc.poll() is not None and not ready:
            break
    proc.wait(timeout=10)
    os.close(main)
    return proc.returncode, out.decode("utf-8", "replace")


def test_cli_erase_asks_for_the_id(store, database, pack, history, tmp_path):
    store.close()
    db = str(database)
    code, out = _erase_in_a_terminal(tmp_path, db, history.karin, "B-WRONG2")
    assert code != 0 and "intet er slettet" in out and NAME in out
    assert _count(database, history.karin) == 1
    code, out = _erase_in_a_terminal(tmp_path, db, history.karin, history.karin)
    assert code == 0, out
    assert _count(database, history.karin) == 0
