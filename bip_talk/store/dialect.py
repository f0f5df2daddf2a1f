"""The two databases behind the store, and the seam between them.

The store's SQL is written once, with ``?`` placeholders, in the SQL both SQLite and
PostgreSQL understand. What differs is said here and nowhere else:

- ``Dialect``: the handful of fragments that are spelled differently (column types in
  DDL, case-insensitive ordering, SQLite's "do not use this index" unary plus, the
  temporary schema, date arithmetic, JSON arrays, ``IS`` for "equal or both NULL").
- ``Db``: what the store asks of a connection. ``concurrency.ImmediateDatabase``
  (SQLite, through sqlite-utils) and ``postgres.PostgresDatabase`` (psycopg 3) both
  provide it; ``postgres.pg_sql`` turns ``?`` into psycopg's ``%s``.

Nothing here imports a driver: choosing SQLite must not load psycopg.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any, Literal, Protocol
from urllib.parse import urlsplit

Name = Literal["sqlite", "postgresql"]
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(target: object) -> bool:
    """``--db postgresql://…`` (or ``postgres://…``) selects PostgreSQL; anything
    else names a SQLite file."""
    return isinstance(target, str) and target.startswith(POSTGRES_SCHEMES)


def redacted(url: str) -> str:
    """The URL as messages may show it: a password in it becomes ``***``, and a
    ``password=`` parameter is dropped."""
    try:
        parts = urlsplit(url)
    except ValueError:  # not even a URL: hide whatever sits before an @
        return re.sub(r"(//[^:/@]*):[^@]*@", r"\1:***@", url)
    netloc = parts.netloc
    if "@" in netloc:
        auth, host = netloc.rsplit("@", 1)
        if ":" in auth:
            netloc = f"{auth.split(':', 1)[0]}:***@{host}"
    query = "&".join(
        p for p in parts.query.split("&") if p and not p.lower().startswith("password=")
    )
    # Built by hand: ``urlunsplit`` drops the ``//`` of an empty host (a Unix socket).
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{query}" if query else "")


@dataclass(frozen=True)
class Dialect:
    name: Name
    # DDL: an integer key the database numbers itself, text that sorts and compares
    # byte by byte (SQLite's BINARY; on PostgreSQL the "C" collation, whatever the
    # server's locale), integers and floating point numbers.
    id_key: str
    text: str
    integer: str
    real: str
    temp: str  # schema of temporary tables, with its dot

    @property
    def is_sqlite(self) -> bool:
        return self.name == "sqlite"

    def unindexed(self, column: str) -> str:
        """``column`` in a condition the planner should not answer from its own index
        (SQLite's unary plus; PostgreSQL's planner weighs that itself)."""
        return f"+{column}" if self.is_sqlite else column

    def nocase(self, column: str) -> str:
        """Order ignoring the case of A-Z, as SQLite's NOCASE (ASCII only: "C" text)."""
        return f"{column} COLLATE NOCASE" if self.is_sqlite else f"lower({column})"

    def same(self, column: str) -> str:
        """``column`` equal to the parameter, NULL matching NULL."""
        return f"{column} IS ?" if self.is_sqlite else f"{column} IS NOT DISTINCT FROM ?"

    def day_number(self, text: str) -> str:
        """A YYYY-MM-DD text as a day count (differences are days)."""
        if self.is_sqlite:
            return f"julianday({text})"
        return f"(CAST({text} AS date) - DATE '2000-01-01')"

    def days_before(self, text: str, days: int) -> str:
        """The YYYY-MM-DD text ``days`` before (negative: after) the date ``text``."""
        if self.is_sqlite:
            sign = "-" if days >= 0 else "+"
            return f"date({text}, '{sign}{abs(days)} days')"
        return f"to_char(CAST({text} AS date) - {days}, 'YYYY-MM-DD')"

    def greatest(self, a: str, b: str) -> str:
        return f"max({a}, {b})" if self.is_sqlite else f"greatest({a}, {b})"

    def least(self, a: str, b: str) -> str:
        return f"min({a}, {b})" if self.is_sqlite else f"least({a}, {b})"

    def contains(self, haystack: str) -> str:
        """``haystack`` contains the parameter (a plain substring test)."""
        return f"instr({haystack}, ?) > 0" if self.is_sqlite else f"strpos({haystack}, ?) > 0"

    def json_items(self, column: str, alias: str) -> str:
        """A FROM item with the elements of the JSON list in ``column`` as ``alias.value``;
        a value that is not a list gives no rows. (PostgreSQL 15 has no JSON test short
        of casting: bip-talk only ever stores lists here, checked on import.)"""
        if self.is_sqlite:
            return f"json_each(CASE WHEN json_valid({column}) THEN {column} END) {alias}"
        return (
            f"jsonb_array_elements_text(CASE WHEN {column} LIKE '[%]' "
            f"THEN CAST({column} AS jsonb) END) AS {alias}(value)"
        )


SQLITE = Dialect(
    name="sqlite",
    id_key="INTEGER PRIMARY KEY",
    text="TEXT",
    integer="INTEGER",
    real="REAL",
    temp="temp.",
)
POSTGRESQL = Dialect(
    name="postgresql",
    id_key="BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    text='TEXT COLLATE "C"',
    integer="BIGINT",
    real="DOUBLE PRECISION",
    temp="pg_temp.",
)


@contextmanager
def committed(execute: Callable[[str], object], rollback: Callable[[], object]) -> Iterator[None]:
    """Commit what the block wrote once it ends, or roll back if the block or the COMMIT
    fails: the end of a write transaction, the same on both databases."""
    try:
        yield
    except BaseException:
        rollback()
        raise
    else:
        try:
            execute("COMMIT")
        except BaseException:
            rollback()
            raise


class Cursor(Protocol):
    """What the store reads from a cursor (sqlite3 and psycopg cursors both are one)."""

    @property
    def description(self) -> Any: ...

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Iterator[Any]: ...


class Db(Protocol):
    """An open bip-talk database, SQLite or PostgreSQL.

    ``path`` is what messages name (the file, or the URL without its password);
    ``lang`` the language of those messages. Writes outside ``atomic()`` commit at
    once; ``atomic()`` is one transaction that takes the database's write lock at its
    start (nested: a savepoint).
    """

    dialect: Dialect
    lang: str
    path: str

    def execute(self, sql: str, parameters: Sequence[Any] | None = None, /) -> Any: ...

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]], /) -> int:
        """The statement once per row; returns how many rows it changed in all."""
        ...

    def rows(self, sql: str, parameters: Sequence[Any] = (), /) -> list[dict[str, Any]]:
        """Every row as a dict keyed by column name."""
        ...

    def query(
        self, sql: str, parameters: Sequence[Any] | None = None, /
    ) -> Iterator[dict[str, Any]]: ...

    def stream(self, sql: str, parameters: Sequence[Any] = (), /) -> Iterator[tuple[Any, ...]]:
        """Rows as tuples, fetched a batch at a time (flat memory on any size)."""
        ...

    def insert_row(self, table: str, row: dict[str, Any], /) -> int:
        """Insert one row; returns its id (the integer key)."""
        ...

    def upsert_row(self, table: str, row: dict[str, Any], key: Sequence[str], /) -> None:
        """Insert, or update the row with the same ``key`` columns."""
        ...

    def update_row(self, table: str, key: dict[str, Any], values: dict[str, Any], /) -> None: ...

    def sync_ids(self, table: str, /) -> None:
        """After rows were inserted with explicit ids: the next id the database hands
        out comes after them (PostgreSQL's identity sequence; nothing on SQLite)."""
        ...

    def atomic(self) -> AbstractContextManager[Any]: ...

    def second_connection(self) -> Db:
        """Another connection to the same database, with transactions of its own (the
        access log writes from any thread); closed by whoever asked for it."""
        ...

    @property
    def in_transaction(self) -> bool: ...

    def rollback(self) -> None: ...

    def table_names(self) -> list[str]: ...

    def column_names(self, table: str, /) -> list[str]: ...

    def close(self) -> None: ...
