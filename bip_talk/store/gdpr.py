"""The SQL of the citizen's rights: everything stored about one citizen (access) and
erasing it so that not even the database file keeps a trace (erasure).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from bip_talk import clock

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


def _rows(db: Database, sql: str, args: list[Any]) -> list[dict[str, Any]]:
    cursor = db.conn.execute(sql, args)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def citizen_row(db: Database, citizen_id: str) -> dict[str, Any] | None:
    rows = _rows(
        db,
        "SELECT id, display_name, target_group, created_at, birth_year, education "
        "FROM citizens WHERE id = ?",
        [citizen_id],
    )
    return rows[0] if rows else None


def citizen_data(db: Database, citizen_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every row about the citizen, table by table (caseworker names joined in)."""
    return {name: _rows(db, sql, [citizen_id]) for name, sql in _ACCESS_QUERIES.items()}


def _tables_with_citizen_column(db: Database) -> list[str]:
    out = []
    for (name,) in db.conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall():
        cols = {r[1] for r in db.conn.execute(f'PRAGMA table_info("{name}")')}
        if "citizen_id" in cols and name not in ("audit", "citizens"):
            out.append(name)
    return out


def erase_citizen(
    db: Database, citizen_id: str, *, actor: int | None, reference: str
) -> dict[str, int]:
    """Delete the citizen and everything hanging on them in one transaction.

    Foreign keys cascade from citizens to assignments, meetings (answers, notes) and
    plan items; any other table with a ``citizen_id`` column is swept as well. The
    citizen's audit rows go too (they hold earlier answers and texts); one content-free
    ``erase`` row with a random reference records that an erasure happened.
    """
    conn = db.conn
    conn.execute("PRAGMA secure_delete = ON")  # deleted content is overwritten with zeros
    # A backup of an older schema may lack a newer table (outcomes): nothing to count.
    tables = set(db.table_names())
    counts = {
        name: conn.execute(f"SELECT count(*) FROM ({sql})", [citizen_id]).fetchone()[0]
        for name, sql in _ACCESS_QUERIES.items()
        if name in tables
    }
    with db.atomic():
        conn.execute("DELETE FROM citizens WHERE id = ?", [citizen_id])
        for table in _tables_with_citizen_column(db):
            conn.execute(f'DELETE FROM "{table}" WHERE citizen_id = ?', [citizen_id])
        conn.execute(
            "DELETE FROM audit WHERE citizen_id = ? OR entity_key = ?", [citizen_id, citizen_id]
        )
        conn.execute(
            "INSERT INTO audit (at, actor_id, citizen_id, entity, entity_key, action) "
            "VALUES (?, ?, NULL, 'citizen', ?, 'erase')",
            [clock.now_iso(), actor, reference],
        )
    return counts


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
        db = Database(conn)
        if "citizens" not in db.table_names() or citizen_row(db, citizen_id) is None:
            return False
        erase_citizen(db, citizen_id, actor=None, reference=reference)
        if not scrub_file(db):
            raise sqlite3.OperationalError("the backup is in use")
        return True
    finally:
        conn.close()


def database_file(db: Database) -> Path | None:
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
