"""The SQL of ``bip-talk copy-db``: every row of every table from one database into
another (SQLite and PostgreSQL, either way), ids and all, in one transaction on the
target.

The source is read in one snapshot (a consistent moment while others write); the
target is written inside one write transaction, so an interrupted copy leaves it as
it was. Rows stream table by table, a batch at a time: memory stays flat.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice
from typing import Any

from bip_talk.store.dialect import Db
from bip_talk.store.exchange.export import read_snapshot

# Every table bip-talk keeps data in, parents before children (foreign keys are
# checked as rows arrive). A table a migration adds must be added here too: a test
# compares this list with the tables of a new database.
DATA_TABLES = (
    "caseworkers",
    "accounts",
    "citizens",
    "assignments",
    "meetings",
    "answers",
    "notes",
    "plan_items",
    "outcomes",
    "audit",
    "written_files",
    "access_log",
    "meta",
)
# Tables whose rows have an integer id the database hands out.
ID_TABLES = (
    "caseworkers",
    "assignments",
    "meetings",
    "notes",
    "plan_items",
    "outcomes",
    "audit",
    "access_log",
)
# A new database has these rows of its own (``meta``: its pseudonym secret, m002); the
# source's replace them, so pseudonymised exports stay the same after a move.
OWN_ROWS = ("meta",)
BATCH = 5000


def counts(db: Db, tables: Sequence[str] = DATA_TABLES) -> dict[str, int]:
    """Rows in each of ``tables`` that the database has, in that order."""
    present = set(db.table_names())
    return {
        t: int(db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])
        for t in tables
        if t in present
    }


def holds_data(db: Db) -> dict[str, int]:
    """The tables of ``db`` that hold rows (beyond a new database's own)."""
    return {t: n for t, n in counts(db).items() if n and t not in OWN_ROWS}


def _order(db: Db, table: str) -> str:
    if table in ID_TABLES:
        return '"id"'
    if table == "answers":
        return '"meeting_id", "perspective", "item_id"'
    return ", ".join(f'"{c}"' for c in db.column_names(table)[:1])


def _rows(db: Db, table: str, columns: list[str]) -> Iterator[tuple[Any, ...]]:
    names = ", ".join(f'"{c}"' for c in columns)
    yield from db.stream(f'SELECT {names} FROM "{table}" ORDER BY {_order(db, table)}')


def _write(target: Db, table: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> None:
    copy_rows = getattr(target, "copy_rows", None)
    if copy_rows is not None:  # PostgreSQL: COPY streams the whole table
        copy_rows(table, columns, rows)
        return
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'
    while batch := list(islice(rows, BATCH)):
        target.executemany(sql, batch)


def copy_tables(source: Db, target: Db, *, replace: bool) -> dict[str, int]:
    """Inside the caller's transaction on ``target`` and snapshot on ``source``: empty
    the target's tables (``replace``, and its own rows always), then copy every row.
    Returns the rows copied per table."""
    present = set(target.table_names())
    tables = [t for t in DATA_TABLES if t in present and t in set(source.table_names())]
    for table in reversed(tables):  # children first
        if replace or table in OWN_ROWS:
            target.execute(f'DELETE FROM "{table}"')
    copied: dict[str, int] = {}
    for table in tables:
        columns = [c for c in source.column_names(table) if c in set(target.column_names(table))]
        n = 0

        def counted(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
            nonlocal n
            for row in rows:
                n += 1
                yield row

        _write(target, table, columns, counted(_rows(source, table, columns)))
        copied[table] = n
        if table in ID_TABLES:
            target.sync_ids(table)
    analyse(target, tables)
    return copied


def analyse(db: Db, tables: list[str]) -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL): until autovacuum gets
    there, a table filled by COPY has none, and a citizen's lookups may read whole
    tables. (SQLite's planner needs none: bip-talk's indexes decide its plans.)"""
    if not db.dialect.is_sqlite:
        for table in tables:
            db.execute(f'ANALYZE "{table}"')


__all__ = ["DATA_TABLES", "copy_tables", "counts", "holds_data", "read_snapshot"]
