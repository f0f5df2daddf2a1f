"""The SQL of an import: find a row by its natural key, insert or update it, and keep
the earlier values in the audit table. The caller holds one transaction around all
of it, so a rejected file leaves the database exactly as it was.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from bip_talk import clock
from bip_talk.store.dialect import Db

Outcome = Literal["inserted", "updated", "unchanged"]

# Tables whose rows have their own integer id (answers are keyed by meeting/perspective/item).
_HAS_ID = {"caseworkers", "assignments", "meetings", "notes", "plan_items", "outcomes"}
_ANSWER_PK = ("meeting_id", "perspective", "item_id")


# -- keys seen so far in the files (a temporary table, not Python memory) ---------------


def begin_seen(db: Db) -> None:
    """Inside the import's transaction: an empty table of the keys seen in the files
    (a job centre's answers would not fit a Python set)."""
    db.execute(
        "CREATE TEMP TABLE IF NOT EXISTS import_seen (k TEXT PRIMARY KEY, at_row INTEGER NOT NULL)"
    )
    db.execute(f"DELETE FROM {db.dialect.temp}import_seen")


def first_seen(db: Db, key: str, row: int) -> int | None:
    """Record ``key`` as seen at ``row``; the row it was first seen at if it was
    seen before (no exception: on PostgreSQL one would end the transaction)."""
    temp = db.dialect.temp
    added = db.execute(
        f"INSERT INTO {temp}import_seen (k, at_row) VALUES (?, ?) ON CONFLICT (k) DO NOTHING",
        [key, row],
    )
    if added.rowcount:
        return None
    return int(db.execute(f"SELECT at_row FROM {temp}import_seen WHERE k = ?", [key]).fetchone()[0])


def end_seen(db: Db) -> None:
    db.execute(f"DROP TABLE IF EXISTS {db.dialect.temp}import_seen")


def sync_ids(db: Db) -> None:
    """After rows kept the ids of the file: new rows numbered after them."""
    for table in sorted(_HAS_ID):
        db.sync_ids(table)


# -- rows -----------------------------------------------------------------------------


def _find(db: Db, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
    where = " AND ".join(db.dialect.same(f'"{k}"') for k in key)
    rows = db.rows(f'SELECT * FROM "{table}" WHERE {where} LIMIT 1', list(key.values()))
    return rows[0] if rows else None


def _id_free(db: Db, table: str, row_id: int) -> bool:
    return db.execute(f'SELECT 1 FROM "{table}" WHERE id = ?', [row_id]).fetchone() is None


def _insert(db: Db, table: str, values: dict[str, Any]) -> int | None:
    """The new row's id (None for the tables keyed otherwise)."""
    if table in _HAS_ID:
        return db.insert_row(table, values)
    cols = ", ".join(f'"{c}"' for c in values)
    marks = ", ".join("?" * len(values))
    db.execute(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', list(values.values()))
    return None


def upsert(
    db: Db,
    table: str,
    values: dict[str, Any],
    key: dict[str, Any],
    *,
    preferred_id: int | None,
    actor: int | None,
    citizen_id: str | None,
) -> tuple[Outcome, Any]:
    """Insert ``values`` or bring the row with this natural ``key`` up to date.

    Returns the outcome and the row's key in this database (its id, or the citizen id).
    A new row keeps the id from the file when that id is still free here, so a copy
    into an empty database numbers everything exactly as the original did.
    """
    existing = _find(db, table, key)
    if existing is None:
        row = dict(values)
        if table in _HAS_ID and preferred_id is not None and _id_free(db, table, preferred_id):
            row = {"id": preferred_id, **row}
        rowid = _insert(db, table, row)
        return "inserted", _pk(table, row, rowid)
    pk = _pk(table, existing, existing.get("id"))
    changed = {k: v for k, v in values.items() if existing.get(k) != v}
    if not changed:
        return "unchanged", pk
    sets = ", ".join(f'"{k}" = ?' for k in changed)
    where, args = _pk_where(table, existing)
    db.execute(f'UPDATE "{table}" SET {sets} WHERE {where}', [*changed.values(), *args])
    audit(
        db,
        actor=actor,
        citizen_id=citizen_id,
        entity=table,
        key=_key_text(table, pk),
        action="import",
        old=json.dumps({k: existing[k] for k in changed}, ensure_ascii=False),
    )
    return "updated", pk


def _pk(table: str, row: dict[str, Any], rowid: Any) -> Any:
    if table == "citizens":
        return row["id"]
    if table == "answers":
        return tuple(row[k] for k in _ANSWER_PK)
    return int(row.get("id") or rowid)


def _pk_where(table: str, row: dict[str, Any]) -> tuple[str, list[Any]]:
    if table == "answers":
        return " AND ".join(f'"{k}" = ?' for k in _ANSWER_PK), [row[k] for k in _ANSWER_PK]
    return "id = ?", [row["id"]]


def _key_text(table: str, pk: Any) -> str:
    return "/".join(str(p) for p in pk) if isinstance(pk, tuple) else str(pk)


def citizen_exists(db: Db, citizen_id: str) -> bool:
    return db.execute("SELECT 1 FROM citizens WHERE id = ?", [citizen_id]).fetchone() is not None


def other_draft(db: Db, citizen_id: str, started_at: str) -> bool:
    """The citizen already has an unfinished meeting other than the one started then."""
    row = db.execute(
        "SELECT 1 FROM meetings WHERE citizen_id = ? AND status = 'draft' AND started_at != ?",
        [citizen_id, started_at],
    ).fetchone()
    return row is not None


def audit(
    db: Db,
    *,
    actor: int | None,
    citizen_id: str | None,
    entity: str,
    key: str | None,
    action: str,
    old: str | None = None,
    new: str | None = None,
) -> None:
    db.execute(
        "INSERT INTO audit (at, actor_id, citizen_id, entity, entity_key, action, old, new) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [clock.now_iso(), actor, citizen_id, entity, key, action, old, new],
    )
