"""The SQL of an import: find a row by its natural key, insert or update it, and keep
the earlier values in the audit table. The caller holds one transaction around all
of it, so a rejected file leaves the database exactly as it was.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from sqlite_utils import Database

from bip_talk import clock

Outcome = Literal["inserted", "updated", "unchanged"]

# Tables whose rows have their own integer id (answers are keyed by meeting/perspective/item).
_HAS_ID = {"caseworkers", "assignments", "meetings", "notes", "plan_items", "outcomes"}
_ANSWER_PK = ("meeting_id", "perspective", "item_id")


def _find(db: Database, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
    where = " AND ".join(f'"{k}" IS ?' for k in key)
    cursor = db.conn.execute(f'SELECT * FROM "{table}" WHERE {where} LIMIT 1', list(key.values()))
    row = cursor.fetchone()
    if row is None:
        return None
    return dict(zip([d[0] for d in cursor.description], row, strict=True))


def _id_free(db: Database, table: str, row_id: int) -> bool:
    return db.conn.execute(f'SELECT 1 FROM "{table}" WHERE id = ?', [row_id]).fetchone() is None


def _insert(db: Database, table: str, values: dict[str, Any]) -> int:
    cols = ", ".join(f'"{c}"' for c in values)
    marks = ", ".join("?" * len(values))
    cursor = db.conn.execute(
        f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', list(values.values())
    )
    if cursor.lastrowid is None:
        raise TypeError("INSERT gave no row id")
    return cursor.lastrowid


def upsert(
    db: Database,
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
    db.conn.execute(f'UPDATE "{table}" SET {sets} WHERE {where}', [*changed.values(), *args])
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


def citizen_exists(db: Database, citizen_id: str) -> bool:
    return (
        db.conn.execute("SELECT 1 FROM citizens WHERE id = ?", [citizen_id]).fetchone() is not None
    )


def other_draft(db: Database, citizen_id: str, started_at: str) -> bool:
    """The citizen already has an unfinished meeting other than the one started then."""
    row = db.conn.execute(
        "SELECT 1 FROM meetings WHERE citizen_id = ? AND status = 'draft' AND started_at != ?",
        [citizen_id, started_at],
    ).fetchone()
    return row is not None


def audit(
    db: Database,
    *,
    actor: int | None,
    citizen_id: str | None,
    entity: str,
    key: str | None,
    action: str,
    old: str | None = None,
    new: str | None = None,
) -> None:
    db.conn.execute(
        "INSERT INTO audit (at, actor_id, citizen_id, entity, entity_key, action, old, new) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [clock.now_iso(), actor, citizen_id, entity, key, action, old, new],
    )
