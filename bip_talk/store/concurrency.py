"""Several processes on one database file: take the write lock up front, wait for it,
and retry a whole action when SQLite still says "busy".

Why ``BEGIN IMMEDIATE``: sqlite-utils' ``atomic()`` opens a plain (deferred) transaction.
Our actions read first and write second; in WAL mode a deferred transaction that read
an older snapshot cannot be upgraded to a writer once another process has committed,
and SQLite then fails at once with "database is locked" without waiting for the busy
timeout. Taking the write lock at ``BEGIN`` makes the second writer wait instead.
"""

from __future__ import annotations

import contextlib
import functools
import random
import sqlite3
import time
from collections.abc import Callable, Generator
from typing import Any, TypeVar

from sqlite_utils import Database

from bip_talk.errors import BusyError
from bip_talk.i18n import Translator
from bip_talk.store.failures import kind_of, store_error

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

    @contextlib.contextmanager
    def atomic(self) -> Generator[Database, None, None]:
        if self.conn.in_transaction:
            with super().atomic():
                yield self
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except BaseException:
                self.rollback()
                raise


F = TypeVar("F", bound=Callable[..., Any])


def retry_when_busy(method: F) -> F:
    """Run a store method again (bounded, with backoff) if SQLite reports busy.

    Only the outermost call retries: inside an open transaction the caller owns it and
    a retry would repeat half an action. A failed attempt was rolled back by
    ``atomic()``, so running the whole method again is safe.
    """

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        db: Database = self.db
        if db.conn.in_transaction:
            return method(self, *args, **kwargs)
        for attempt in range(ATTEMPTS):
            try:
                return method(self, *args, **kwargs)
            except sqlite3.DatabaseError as exc:
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
