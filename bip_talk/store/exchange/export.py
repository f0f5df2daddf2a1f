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
_PSEUDO_ORDER = {
    "caseworkers": "bip_pseudonym('caseworker', id), id",
    "citizens": "bip_pseudonym('citizen', id), id",
}


@contextlib.contextmanager
def read_snapshot(db: Database) -> Iterator[None]:
    """One read transaction around the whole export (WAL: writers are not blocked)."""
    conn = db.conn
    own = not conn.in_transaction
    if own:
        conn.execute("BEGIN")
    try:
        yield
    finally:
        if own and conn.in_transaction:
            conn.execute("ROLLBACK")


def register_pseudonym(db: Database, fn: Callable[[str, object], str]) -> None:
    db.conn.create_function("bip_pseudonym", 2, fn, deterministic=True)


def iter_table(
    db: Database, table: Table, *, pseudonymized: bool = False
) -> Iterator[tuple[Any, ...]]:
    """Rows of ``table`` as tuples in ``table.columns`` order."""
    order = (_PSEUDO_ORDER if pseudonymized else {}).get(table.name, _ORDER[table.name])
    columns = ", ".join(f'"{c}"' for c in table.column_names)
    cursor = db.conn.execute(f'SELECT {columns} FROM "{table.name}" ORDER BY {order}')
    try:
        yield from cursor
    finally:
        cursor.close()


def count_rows(db: Database, table: str) -> int:
    count: int = db.conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
    return count


def pseudonym_secret(db: Database) -> bytes:
    """The per-database key for pseudonyms (made by migration m002; remade if missing)."""
    row = db.conn.execute("SELECT value FROM meta WHERE key = ?", [SECRET_KEY]).fetchone()
    if row is None:
        value = secrets.token_hex(32)
        with db.atomic():
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", [SECRET_KEY, value])
        return bytes.fromhex(value)
    return bytes.fromhex(row[0])
