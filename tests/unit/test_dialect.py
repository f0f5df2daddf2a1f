"""The seam between the two databases, without a server: which database ``--db`` and
``BIP_TALK_DB`` select, the placeholders psycopg gets, addresses shown without their
password, and the SQLite schema a new file gets (unchanged by the shared migrations)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bip_talk.settings import Settings
from bip_talk.store import open_database
from bip_talk.store.dialect import POSTGRESQL, SQLITE, is_postgres_url, redacted
from bip_talk.store.postgres import pg_sql

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "sqlite_schema.json"
URL = "postgresql://biptalk:s3cret@db.example/biptalk?sslmode=require"


def test_a_postgres_url_selects_postgres_and_anything_else_a_file(monkeypatch, tmp_path):
    assert is_postgres_url(URL) and is_postgres_url("postgres://u@h/d")
    assert not is_postgres_url("postgresql.db") and not is_postgres_url(Path("postgresql:/x"))
    monkeypatch.setenv("BIP_TALK_DB", URL)
    s = Settings.from_env()
    assert (s.db_url, s.db_path, s.on_server, s.database_target) == (URL, None, True, URL)
    monkeypatch.setenv("BIP_TALK_DB", str(tmp_path / "x.db"))
    s = Settings.from_env()
    assert (s.db_url, s.db_path, s.on_server) == (None, tmp_path / "x.db", False)
    # --db wins over BIP_TALK_DB, whichever kind either is.
    assert Settings.from_env(db_path=URL).database_target == URL
    monkeypatch.setenv("BIP_TALK_DB", URL)
    assert Settings.from_env(db_path=tmp_path / "y.db").database_target == tmp_path / "y.db"


def test_the_command_line_keeps_the_url_whole(tmp_path, capsys):
    from bip_talk.cli import main

    with pytest.raises(SystemExit) as done:
        main(["--db", URL, "where"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert "postgresql://biptalk:***@db.example/biptalk?sslmode=require" in out
    assert "s3cret" not in out


def test_placeholders_outside_quotes_become_psycopgs_and_percent_is_doubled():
    assert pg_sql("SELECT * FROM t WHERE a = ? AND b LIKE '%x?%'") == (
        "SELECT * FROM t WHERE a = %s AND b LIKE '%%x?%%'"
    )
    assert pg_sql('SELECT "odd?name" FROM t WHERE c IN (?, ?)') == (
        'SELECT "odd?name" FROM t WHERE c IN (%s, %s)'
    )
    assert pg_sql("SELECT 'it''s ?', ?") == "SELECT 'it''s ?', %s"


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (URL, "postgresql://biptalk:***@db.example/biptalk?sslmode=require"),
        ("postgresql://u@/d?host=/run/pg&password=x", "postgresql://u@/d?host=/run/pg"),
        ("postgresql:///biptalk", "postgresql:///biptalk"),
        ("postgresql://u:pw@[::1", "postgresql://u:***@[::1"),
    ],
)
def test_addresses_are_shown_without_their_password(url, shown):
    assert redacted(url) == shown


def test_the_dialects_spell_what_differs():
    assert SQLITE.unindexed("m.status") == "+m.status"
    assert POSTGRESQL.unindexed("m.status") == "m.status"
    assert POSTGRESQL.text == 'TEXT COLLATE "C"'  # compares byte by byte, as SQLite
    assert "IS NOT DISTINCT FROM" in POSTGRESQL.same("x")


def _shape(conn: sqlite3.Connection) -> dict:
    """Tables, columns, keys, foreign keys and indexes as SQLite reports them."""
    out = {}
    tables = conn.execute(
        "SELECT name, sql FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    for name, sql in tables:
        cols = [list(r[1:]) for r in conn.execute(f'PRAGMA table_info("{name}")')]
        fks = sorted([list(r[2:]) for r in conn.execute(f'PRAGMA foreign_key_list("{name}")')])
        idx = {}
        for r in conn.execute(f'PRAGMA index_list("{name}")'):
            iname, unique, origin, partial = r[1], r[2], r[3], r[4]
            keys = [
                [x[2], x[3], x[4]] for x in conn.execute(f'PRAGMA index_xinfo("{iname}")') if x[5]
            ]
            key = iname if not iname.startswith("sqlite_autoindex") else f"auto:{origin}"
            idx[key] = [unique, origin, partial, keys]
        out[name] = {
            "columns": cols,
            "foreign_keys": fks,
            "indexes": idx,
            "without_rowid": "WITHOUT ROWID" in (sql or ""),
        }
    return out


def test_a_new_sqlite_file_gets_the_schema_it_always_got(tmp_path):
    """The shared migrations (written once for both databases) make the very tables,
    keys and indexes sqlite-utils made before them: files of every earlier version
    and new ones are alike."""
    db = open_database(tmp_path / "new.db")
    try:
        assert _shape(db.conn) == json.loads(GOLDEN.read_text(encoding="utf-8"))
    finally:
        db.close()
