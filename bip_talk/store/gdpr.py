"""The SQL of the citizen's rights: everything stored about one citizen (access) and
erasing it so that not even the database file keeps a trace (erasure).

On PostgreSQL the rows go the same way; what the server may still hold of them is
its business, and said honestly (``scrub``, ``services.gdpr``).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from bip_talk import clock
from bip_talk.store.concurrency import ImmediateDatabase
from bip_talk.store.dialect import Db

# Tables read for an access copy, with the query that finds the citizen's rows.
_ACCESS_QUERIES = {
    "assignments": "SELECT a.*, w.initials AS caseworker_initials, w.name AS caseworker_name "
    "FROM assignments a LEFT JOIN caseworkers w ON w.id = a.caseworker_id "
    "WHERE a.citizen_id = ? ORDER BY a.started_at, a.id",
    "meetings": "SELECT m.*, w.initials AS caseworker_initials, w.name AS caseworker_name "
    "FROM meetings m LEFT JOIN caseworkers w ON w.id = m.caseworker_id "
    "WHERE m.citizen_id = ? ORDER BY m.held_on, m.id",
    "answers": "SELECT a.* FROM answers a JOIN meetings m ON m.id = a.meeting_id "
    "WHERE m.citizen_id = ? ORDER BY a.meeting_id, a.perspective, a.item_id",
    "notes": "SELECT n.*, w.initials AS author_initials FROM notes n "
    "JOIN meetings m ON m.id = n.meeting_id "
    "LEFT JOIN caseworkers w ON w.id = n.author_id "
    "WHERE m.citizen_id = ? ORDER BY n.meeting_id, n.id",
    "plan_items": "SELECT * FROM plan_items WHERE citizen_id = ? ORDER BY created_at, id",
    "outcomes": "SELECT o.*, w.initials AS recorded_by_initials FROM outcomes o "
    "LEFT JOIN caseworkers w ON w.id = o.recorded_by "
    "WHERE o.citizen_id = ? ORDER BY o.occurred_on, o.id",
    "audit": "SELECT u.*, w.initials AS actor_initials FROM audit u "
    "LEFT JOIN caseworkers w ON w.id = u.actor_id "
    "WHERE u.citizen_id = ? ORDER BY u.id",
}


def citizen_row(db: Db, citizen_id: str) -> dict[str, Any] | None:
    rows = db.rows(
        "SELECT id, display_name, target_group, created_at, birth_year, education "
        "FROM citizens WHERE id = ?",
        [citizen_id],
    )
    return rows[0] if rows else None


def citizen_data(db: Db, citizen_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every row about the citizen, table by table (caseworker names joined in)."""
    return {name: db.rows(sql, [citizen_id]) for name, sql in _ACCESS_QUERIES.items()}


def _tables_with_citizen_column(db: Db) -> list[str]:
    return [
        name
        for name in db.table_names()
        if not name.startswith("sqlite_")
        and name not in ("audit", "citizens")
        and "citizen_id" in db.column_names(name)
    ]


def erase_citizen(db: Db, citizen_id: str, *, actor: int | None, reference: str) -> dict[str, int]:
    """Delete the citizen and everything hanging on them in one transaction.

    Foreign keys cascade from citizens to assignments, meetings (answers, notes) and
    plan items; any other table with a ``citizen_id`` column is swept as well. The
    citizen's audit rows go too (they hold earlier answers and texts); one content-free
    ``erase`` row with a random reference records that an erasure happened.
    """
    if db.dialect.is_sqlite:
        db.execute("PRAGMA secure_delete = ON")  # deleted content is overwritten with zeros
    # A backup of an older schema may lack a newer table (outcomes): nothing to count.
    tables = set(db.table_names())
    counts = {
        name: int(db.execute(f"SELECT count(*) FROM ({sql}) AS q", [citizen_id]).fetchone()[0])
        for name, sql in _ACCESS_QUERIES.items()
        if name in tables
    }
    with db.atomic():
        db.execute("DELETE FROM citizens WHERE id = ?", [citizen_id])
        for table in _tables_with_citizen_column(db):
            db.execute(f'DELETE FROM "{table}" WHERE citizen_id = ?', [citizen_id])
        db.execute(
            "DELETE FROM audit WHERE citizen_id = ? OR entity_key = ?", [citizen_id, citizen_id]
        )
        db.execute(
            "INSERT INTO audit (at, actor_id, citizen_id, entity, entity_key, action) "
            "VALUES (?, ?, NULL, 'citizen', ?, 'erase')",
            [clock.now_iso(), actor, reference],
        )
    return counts


def touched_tables(db: Db, counts: dict[str, int]) -> list[str]:
    """The tables an erasure deleted from (the citizen's own row, their audit rows and
    every table that held some of theirs)."""
    found = {name for name, n in counts.items() if n} | {"citizens", "audit", "written_files"}
    return sorted(found & set(db.table_names()))


def scrub(db: Db, tables: Iterable[str]) -> bool:
    """Make the database itself let go of deleted rows. SQLite: rewrite the file
    (``scrub_file``). PostgreSQL: ``VACUUM (ANALYZE)`` of the tables the erasure
    touched, so dead row versions are removed from the tables and their indexes and
    the planner's statistics (which sample column values) are taken afresh. False if
    a table could not be vacuumed (not owned by this user, or the server refused)."""
    if db.dialect.is_sqlite:
        assert isinstance(db, Database)
        return scrub_file(db)
    owned = {
        r[0]
        for r in db.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "AND tableowner = current_user"
        ).fetchall()
    }
    clean = True
    for table in tables:
        if table not in owned:  # VACUUM would only warn and skip it
            clean = False
            continue
        try:
            db.execute(f'VACUUM (ANALYZE) "{table}"')  # autocommit: never inside a transaction
        except Exception:  # noqa: BLE001 - refused or busy: the erasure stands, say so
            clean = False
    return clean


def scrub_file(db: Database) -> bool:
    """Rewrite the database file so deleted rows leave no bytes behind.

    Checkpoint and empty the WAL, refresh statistics and full-text indexes that may
    keep copies of values, VACUUM, then checkpoint again (in WAL mode VACUUM writes
    through the WAL). False if another connection kept the WAL from being emptied.
    """
    conn = db.conn
    try:
        clean = _checkpoint(conn)
        _refresh_copies(conn)
        conn.execute("VACUUM")
        return _checkpoint(conn) and clean
    except sqlite3.OperationalError:  # another process holds a lock: try again later
        return False


def _checkpoint(conn: sqlite3.Connection) -> bool:
    if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        return True
    busy, log, done = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    return busy == 0 and log in (0, done)


def _refresh_copies(conn: sqlite3.Connection) -> None:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if names & {"sqlite_stat1", "sqlite_stat4"}:
        conn.execute("ANALYZE")  # stat4 keeps sample index keys, names included
        conn.commit()
    for (name,) in conn.execute(
        "SELECT name FROM sqlite_master"
        " WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%fts%'"
    ).fetchall():
        conn.execute(f'INSERT INTO "{name}"("{name}") VALUES (\'optimize\')')
        conn.commit()


def erase_from_backup(path: Path, citizen_id: str, *, reference: str) -> bool | None:
    """Erase the citizen from a backup bip-talk made before an upgrade, as from the
    database itself (older schemas have the same tables). True if they were in it,
    False if not, None if the backup cannot be opened or rewritten (damaged, in use).
    Opened directly, never through ``open_database``: a backup is never upgraded."""
    try:
        return _erase_from_backup(path, citizen_id, reference)
    except (sqlite3.Error, OSError):
        return None


def _erase_from_backup(path: Path, citizen_id: str, reference: str) -> bool:
    conn = sqlite3.connect(path, timeout=15)
    try:
        conn.execute("PRAGMA foreign_keys = ON")
        db = ImmediateDatabase(conn)
        if "citizens" not in db.table_names() or citizen_row(db, citizen_id) is None:
            return False
        erase_citizen(db, citizen_id, actor=None, reference=reference)
        if not scrub_file(db):
            raise sqlite3.OperationalError("the backup is in use")
        return True
    finally:
        conn.close()


def database_file(db: Db) -> Path | None:
    """The SQLite file (its backups sit beside it); None for PostgreSQL."""
    if not isinstance(db, Database):
        return None
    for _seq, name, file in db.conn.execute("PRAGMA database_list"):
        if name == "main" and file:
            return Path(file)
    return None


def decode_json(value: str | None) -> Any:
    if value is None:
        return None
    try:
        return json.loads(value)
    except ValueError:
        return value
