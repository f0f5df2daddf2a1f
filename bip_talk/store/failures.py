"""What a SQLite error means for the person at the keyboard.

One mapping from SQLite's result codes to our messages, used by every path that
writes (store methods, erase, seed, import, export) and by the command line's last
line of defence, so a full disk, a damaged page or a busy file never ends as a
traceback or exit 70.
"""

from __future__ import annotations

import contextlib
import errno
import sqlite3
from collections.abc import Iterator
from typing import Literal

from bip_talk.errors import BusyError, StoreError
from bip_talk.i18n import Translator

Kind = Literal["busy", "full", "damaged", "read_only"]

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


def kind_of(exc: BaseException) -> Kind | None:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "full"
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
        return StoreError(t("store.full", path=path))
    if kind == "read_only":
        return StoreError(t("store.read_only", path=path))
    return StoreError(t("store.damaged_in_use", path=path, detail=str(exc)))


@contextlib.contextmanager
def as_store_errors(db: object) -> Iterator[None]:
    """Around a whole action on ``db`` (an ``ImmediateDatabase``): a known SQLite or
    disk failure becomes its message; anything else is left alone."""
    try:
        yield
    except (sqlite3.DatabaseError, OSError) as exc:
        error = store_error(exc, path=getattr(db, "path", ""), lang=getattr(db, "lang", "da"))
        if error is None:
            raise
        raise error from exc
