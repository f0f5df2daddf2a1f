"""Reading whole tables for the research export, a row at a time.

Every query runs inside one read transaction (a consistent snapshot even while the
app writes) and is iterated straight from the cursor, so memory stays flat however
many citizens the database holds. Orders are total, so the same data always gives
the same files.
"""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import Callable, Iterator
from typing import Any

from sqlite_utils import Database

from bip_talk.domain.exchange import Table
from bip_talk.store.dialect import Db

SECRET_KEY = "pseudonym_secret"

# Full export: by primary key. The pseudonymised export orders people by their
# pseudonym, so the row order does not give away the order of the real ids.
_ORDER = {
    "caseworkers": "id",
    "citizens": "id",
    "assignments": "id",
    "meetings": "id",
    "answers": "meeting_id, perspective, item_id",
    "notes": "id",
    "plan_items": "id",
    "outcomes": "id",
}
_PSEUDO_KIND = {"caseworkers": "caseworker", "citizens": "citizen"}
_PSEUDO_ORDER = {name: f"bip_pseudonym('{kind}', id), id" for name, kind in _PSEUDO_KIND.items()}


@contextlib.contextmanager
def read_snapshot(db: Db) -> Iterator[None]:
    """One read transaction around the whole export (writers are not blocked: SQLite's
    WAL, PostgreSQL's repeatable read)."""
    own = not db.in_transaction
    if own:
        if isinstance(db, Database):
            db.conn.execute("BEGIN")
        else:
            db.begin_snapshot()  # type: ignore[attr-defined]
    try:
        yield
    finally:
        if own and db.in_transaction:
            db.rollback()


def register_pseudonym(db: Db, fn: Callable[[str, object], str]) -> None:
    """SQLite orders by the pseudonym in SQL; PostgreSQL cannot call back into Python,
    so ``iter_table`` sorts those (small) tables itself there."""
    if isinstance(db, Database):
        db.conn.create_function("bip_pseudonym", 2, fn, deterministic=True)
    else:
        db.pseudonym = fn  # type: ignore[attr-defined]


def iter_table(db: Db, table: Table, *, pseudonymized: bool = False) -> Iterator[tuple[Any, ...]]:
    """Rows of ``table`` as tuples in ``table.columns`` order."""
    columns = ", ".join(f'"{c}"' for c in table.column_names)
    pseudo_order = _PSEUDO_ORDER.get(table.name) if pseudonymized else None
    if pseudo_order and not isinstance(db, Database):
        yield from _by_pseudonym(db, table, columns)
        return
    order = pseudo_order or _ORDER[table.name]
    sql = f'SELECT {columns} FROM "{table.name}" ORDER BY {order}'
    if not isinstance(db, Database):
        yield from db.stream(sql)
        return
    cursor = db.conn.execute(sql)  # straight from SQLite's cursor: this runs per answer
    try:
        yield from cursor
    finally:
        cursor.close()


def _by_pseudonym(db: Db, table: Table, columns: str) -> Iterator[tuple[Any, ...]]:
    """``_PSEUDO_ORDER`` in Python: people only (a job centre's caseworkers and
    citizens fit in memory; their answers never pass here)."""
    pseudo: Callable[[str, object], str] = db.pseudonym  # type: ignore[attr-defined]
    kind = _PSEUDO_KIND[table.name]
    at = table.column_names.index("id")
    rows = list(db.stream(f'SELECT {columns} FROM "{table.name}"'))
    rows.sort(key=lambda r: (pseudo(kind, r[at]), r[at]))
    yield from rows


def count_rows(db: Db, table: str) -> int:
    return int(db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def pseudonym_secret(db: Db) -> bytes:
    """The per-database key for pseudonyms (made by migration m002; remade if missing)."""
    row = db.execute("SELECT value FROM meta WHERE key = ?", [SECRET_KEY]).fetchone()
    if row is None:
        value = secrets.token_hex(32)
        with db.atomic():
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [SECRET_KEY, value])
        return bytes.fromhex(value)
    return bytes.fromhex(row[0])
