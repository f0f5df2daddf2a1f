"""Text cells that are not valid UTF-8 (written by another tool, or a damaged copy that
``quick_check`` still passes): read them with replacement characters and name the rows.

Python's sqlite3 fails a whole query on such a cell. Reading leniently costs a Python
call per text value, so it is switched on only after a read has failed that way
(``tolerant``), and the rows are then found by a scan that only runs in that case.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlite_utils import Database

R = TypeVar("R")
MAX_CELLS = 20


@dataclass(frozen=True, slots=True)
class BadCell:
    table: str
    row: str  # the row's key: id, or meeting/perspective/item for answers
    column: str


def is_decode_error(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "decode to UTF-8" in str(exc)


def lenient_text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def _is_bad(data: object) -> int:
    if not isinstance(data, bytes):
        return 0
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return 1
    return 0


def bad_cells(conn: sqlite3.Connection, limit: int = MAX_CELLS) -> list[BadCell]:
    """Every text cell (up to ``limit``) whose bytes are not UTF-8, in table order."""
    conn.create_function("bip_bad_utf8", 1, _is_bad, deterministic=True)
    previous = conn.text_factory
    conn.text_factory = lenient_text
    out: list[BadCell] = []
    try:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        for table in tables:
            info = list(conn.execute(f'PRAGMA table_info("{table}")'))
            keys = [r[1] for r in sorted(info, key=lambda r: r[5]) if r[5]]
            key = " || '/' || ".join(f'"{k}"' for k in keys) if keys else "rowid"
            for column in (r[1] for r in info):
                sql = (
                    f'SELECT {key} FROM "{table}" WHERE typeof("{column}") = \'text\' '
                    f'AND bip_bad_utf8(CAST("{column}" AS BLOB)) LIMIT ?'
                )
                for (row,) in conn.execute(sql, [limit - len(out)]):
                    out.append(BadCell(table, str(row), column))
                if len(out) >= limit:
                    return out
    finally:
        conn.text_factory = previous
    return out


def tolerant(db: Any, read: Callable[[], R]) -> tuple[R, list[BadCell]]:
    """Run ``read``; if a cell is not UTF-8, run it again reading such text with
    replacement characters, and return which cells they were. For reads only: a
    read has nothing to undo when it is run a second time. (PostgreSQL checks the
    encoding of every text it stores: there is nothing to tolerate.)"""
    if not isinstance(db, Database):
        return read(), []
    try:
        return read(), []
    except sqlite3.OperationalError as exc:
        if not is_decode_error(exc):
            raise
    conn = db.conn
    previous = conn.text_factory
    conn.text_factory = lenient_text
    try:
        result = read()
    finally:
        conn.text_factory = previous
    return result, bad_cells(conn)
