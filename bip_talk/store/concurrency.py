"""Several processes on one database: take the write lock up front, wait for it,
and retry a whole action when the database still says "busy".

Why ``BEGIN IMMEDIATE``: sqlite-utils' ``atomic()`` opens a plain (deferred) transaction.
Our actions read first and write second; in WAL mode a deferred transaction that read
an older snapshot cannot be upgraded to a writer once another process has committed,
and SQLite then fails at once with "database is locked" without waiting for the busy
timeout. Taking the write lock at ``BEGIN`` makes the second writer wait instead.
PostgreSQL gets the same rule (``postgres.PostgresDatabase.atomic``).
"""

from __future__ import annotations

import contextlib
import functools
import random
import time
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Any, TypeVar

from sqlite_utils import Database

from bip_talk.errors import BusyError
from bip_talk.i18n import Translator
from bip_talk.store.dialect import SQLITE, Dialect, committed
from bip_talk.store.failures import is_database_error, kind_of, store_error

# A whole action is tried this many times; each attempt already waits up to the busy
# timeout for the lock, so this only matters under extreme contention.
ATTEMPTS = 5
BACKOFF_S = 0.05

_NOT_WRAPPED = {"close"}


def is_busy(exc: BaseException) -> bool:
    return kind_of(exc) == "busy"


class ImmediateDatabase(Database):
    """A sqlite-utils Database whose outermost ``atomic()`` is ``BEGIN IMMEDIATE``.

    Every write in sqlite-utils and in our store goes through ``atomic()``, so this one
    override covers inserts, upserts and migrations alike. Nested blocks stay savepoints.
    """

    lang = "da"
    path = ""
    dialect: Dialect = SQLITE

    # -- what the store asks of either database (``dialect.Db``) --------------------------

    @property
    def in_transaction(self) -> bool:
        return self.conn.in_transaction

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]], /) -> int:
        return max(self.conn.executemany(sql, rows).rowcount, 0)

    def rows(self, sql: str, parameters: Sequence[Any] = (), /) -> list[dict[str, Any]]:
        # Straight from the cursor: sqlite-utils' ``query`` wraps every read in a
        # savepoint of its own, three statements for one.
        cursor = self.conn.execute(sql, parameters)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]

    def stream(self, sql: str, parameters: Sequence[Any] = (), /) -> Iterator[tuple[Any, ...]]:
        cursor = self.conn.execute(sql, parameters)
        try:
            yield from cursor
        finally:
            cursor.close()

    def insert_row(self, table: str, row: dict[str, Any], /) -> int:
        cursor = self.execute(_insert_sql(table, tuple(row)), list(row.values()))
        if cursor.lastrowid is None:
            raise TypeError("INSERT gave no row id")
        return cursor.lastrowid

    def upsert_row(self, table: str, row: dict[str, Any], key: Sequence[str], /) -> None:
        self.execute(_upsert_sql(table, tuple(row), tuple(key)), list(row.values()))

    def update_row(self, table: str, key: dict[str, Any], values: dict[str, Any], /) -> None:
        self.execute(
            _update_sql(table, tuple(values), tuple(key)), [*values.values(), *key.values()]
        )

    def sync_ids(self, table: str, /) -> None:
        """SQLite numbers a new row after the largest id there is: nothing to do."""

    def column_names(self, table: str, /) -> list[str]:
        return [r[1] for r in self.conn.execute(f'PRAGMA table_info("{table}")')]

    def second_connection(self) -> ImmediateDatabase:
        """A second connection to the file (a database not opened from one: this one)."""
        if not self.path:
            return self
        import sqlite3

        from bip_talk.store.database import BUSY_TIMEOUT_MS

        conn = sqlite3.connect(
            self.path,
            timeout=BUSY_TIMEOUT_MS / 1000,
            check_same_thread=False,
            isolation_level=None,
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        other = ImmediateDatabase(conn)
        other.lang, other.path = self.lang, self.path
        return other

    @contextlib.contextmanager
    def atomic(self) -> Generator[Database, None, None]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        with committed(self.conn.execute, self.rollback):
            yield self


@functools.lru_cache(maxsize=256)
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    names = ", ".join(f'"{c}"' for c in columns)
    return f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(columns))})'


@functools.lru_cache(maxsize=256)
def _upsert_sql(table: str, columns: tuple[str, ...], key: tuple[str, ...]) -> str:
    """One statement in both dialects (SQLite 3.24+, PostgreSQL 9.5+)."""
    sets = ", ".join(f'"{c}" = excluded."{c}"' for c in columns if c not in key)
    conflict = ", ".join(f'"{c}"' for c in key)
    action = f"DO UPDATE SET {sets}" if sets else "DO NOTHING"
    return f"{_insert_sql(table, columns)} ON CONFLICT ({conflict}) {action}"


@functools.lru_cache(maxsize=256)
def _update_sql(table: str, columns: tuple[str, ...], key: tuple[str, ...]) -> str:
    sets = ", ".join(f'"{c}" = ?' for c in columns)
    where = " AND ".join(f'"{c}" = ?' for c in key)
    return f'UPDATE "{table}" SET {sets} WHERE {where}'


# The same statements for PostgreSQL (``postgres.py``).
insert_sql, upsert_sql, update_sql = _insert_sql, _upsert_sql, _update_sql

F = TypeVar("F", bound=Callable[..., Any])


def retry_when_busy(method: F) -> F:
    """Run a store method again (bounded, with backoff) if SQLite reports busy.

    Only the outermost call retries: inside an open transaction the caller owns it and
    a retry would repeat half an action. A failed attempt was rolled back by
    ``atomic()``, so running the whole method again is safe. A PostgreSQL server that
    dropped the connection (restarted, failed over) is connected to again once.
    """

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        db = self.db
        if db.in_transaction:
            return method(self, *args, **kwargs)
        reconnected = False
        for attempt in range(ATTEMPTS):
            try:
                return method(self, *args, **kwargs)
            except Exception as exc:
                if not is_database_error(exc):
                    raise
                if kind_of(exc) == "gone" and not reconnected and hasattr(db, "reconnect"):
                    reconnected = db.reconnect()
                    if reconnected:
                        continue
                if not is_busy(exc):
                    # Full disk, damage, read-only: the action was rolled back; say so.
                    error = store_error(
                        exc, path=getattr(db, "path", ""), lang=getattr(db, "lang", "da")
                    )
                    if error is None:
                        raise
                    raise error from exc
                db.rollback()
                if attempt == ATTEMPTS - 1:
                    t = Translator(getattr(db, "lang", "da"))
                    raise BusyError(t("store.busy")) from exc
                time.sleep(BACKOFF_S * (2**attempt) * (1 + random.random()))
        raise AssertionError("unreachable")

    return wrapper  # type: ignore[return-value]


def busy_safe(cls: type) -> type:
    """Wrap every public method of a store class in ``retry_when_busy``.

    Applied to the class, so methods other modules add later are covered too.
    """
    for name, value in list(vars(cls).items()):
        if name.startswith("_") or name in _NOT_WRAPPED or not callable(value):
            continue
        if isinstance(value, staticmethod | classmethod):
            continue
        setattr(cls, name, retry_when_busy(value))
    return cls
