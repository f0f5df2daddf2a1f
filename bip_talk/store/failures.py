"""What a database error means for the person at the keyboard.

One mapping from SQLite's result codes and PostgreSQL's SQLSTATEs to our messages,
used by every path that writes (store methods, erase, seed, import, export) and by
the command line's last line of defence, so a full disk, a damaged page, a busy file
or a server that went away never ends as a traceback or exit 70. psycopg is never
imported here: its errors are known by their module and their ``sqlstate``.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from collections.abc import Iterator
from typing import Literal

from bip_talk.errors import BusyError, StoreError
from bip_talk.i18n import Translator

Kind = Literal["busy", "full", "damaged", "read_only", "gone", "denied"]

# SQLite's primary result codes (the low byte of the extended code).
_CODES: dict[int, Kind] = {
    5: "busy",  # SQLITE_BUSY
    6: "busy",  # SQLITE_LOCKED
    8: "read_only",  # SQLITE_READONLY
    10: "full",  # SQLITE_IOERR: a write that failed, most often for want of space
    11: "damaged",  # SQLITE_CORRUPT
    13: "full",  # SQLITE_FULL
    # SQLITE_CONSTRAINT inside our own checked writes: an index out of step with its
    # table (damage that quick_check does not look for) – doctor tells the two apart.
    19: "damaged",
    26: "damaged",  # SQLITE_NOTADB
}

# SQLite's own words for busy, exactly (an error raised without a code, e.g. in tests).
_BUSY_WORDS = ("database is locked", "database table is locked", "database is busy")


# PostgreSQL's SQLSTATEs (the whole code, then its two-character class).
_STATES: dict[str, Kind] = {
    "55P03": "busy",  # lock_not_available: the write lock did not come within lock_timeout
    "40001": "busy",  # serialization_failure
    "40P01": "busy",  # deadlock_detected
    "53100": "full",  # disk_full
    "25006": "read_only",  # read_only_sql_transaction: a standby, or a read-only session
    "42501": "denied",  # insufficient_privilege
    "57P01": "gone",  # admin_shutdown
    "57P02": "gone",  # crash_shutdown
    "57P03": "gone",  # cannot_connect_now
    "XX001": "damaged",  # data_corrupted
    "XX002": "damaged",  # index_corrupted
}
_STATE_CLASSES: dict[str, Kind] = {"08": "gone", "53": "full"}


def is_postgres_error(exc: BaseException) -> bool:
    return type(exc).__module__.split(".")[0] == "psycopg"


def is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.DatabaseError) or (
        is_postgres_error(exc) and isinstance(exc, Exception) and hasattr(exc, "sqlstate")
    )


def _postgres_kind(exc: BaseException) -> Kind | None:
    state = getattr(exc, "sqlstate", None)
    if isinstance(state, str):
        return _STATES.get(state) or _STATE_CLASSES.get(state[:2])
    # No SQLSTATE: the connection itself failed or was closed under us.
    name = type(exc).__name__
    if name in ("OperationalError", "InterfaceError") and _connection_broken(exc):
        return "gone"
    return None


def _connection_broken(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(w in text for w in ("connection", "server closed", "terminating", "consuming input"))


def kind_of(exc: BaseException) -> Kind | None:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "full"
    if is_postgres_error(exc):
        return _postgres_kind(exc)
    if not isinstance(exc, sqlite3.DatabaseError):
        return None
    # Set on every error SQLite itself reports (Python 3.11+); errors the driver raises
    # on its own (a cell that is not UTF-8, see ``text_cells``) have none.
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return _CODES.get(code & 0xFF)
    return "busy" if str(exc) in _BUSY_WORDS else None


def store_error(exc: BaseException, *, path: object, lang: str) -> StoreError | None:
    """The message for ``exc``, or None when it is not one of the known kinds."""
    kind = kind_of(exc)
    if kind is None:
        return None
    t = Translator(lang)
    if kind == "busy":
        return BusyError(t("store.busy"))
    if kind == "full":
        if is_postgres_error(exc):
            return StoreError(t("store.pg_full", url=path))
        return StoreError(t("store.full", path=path))
    if kind == "read_only":
        if is_postgres_error(exc):
            return StoreError(t("store.pg_read_only", url=path))
        return StoreError(t("store.read_only", path=path))
    if kind == "gone":
        return StoreError(t("store.pg_gone", url=path))
    if kind == "denied":
        return StoreError(t("store.pg_denied", url=path, detail=_first_line(exc)))
    return StoreError(t("store.damaged_in_use", path=path, detail=str(exc)))


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


@contextlib.contextmanager
def as_store_errors(db: object) -> Iterator[None]:
    """Around a whole action on ``db`` (an ``ImmediateDatabase``): a known SQLite or
    disk failure becomes its message; anything else is left alone."""
    try:
        yield
    except Exception as exc:
        if not (is_database_error(exc) or isinstance(exc, OSError)):
            raise
        error = store_error(exc, path=getattr(db, "path", ""), lang=getattr(db, "lang", "da"))
        if error is None:
            raise
        raise error from exc
