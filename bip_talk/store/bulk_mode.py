"""SQLite's bulk mode, for writes of many thousand rows in one transaction (seeding,
an import): no foreign key checks, a rollback journal instead of the write-ahead log
when no other connection has the file open, and a larger page cache.

Why each: the writer has resolved every id its rows refer to itself (handed out, read
in the same transaction, or refused with a message), so SQLite's check of each answer
against its meeting only costs time – a tenth of a seed's. The log makes every new page
be written twice (into the log, then into the file), and its commit took 2 s of a 10×
seed; an interrupted write still leaves the file as it was, the journal undoes it. The
indexes keyed by citizen ids are touched all over: a 64 MiB cache (the default is
2 MiB) keeps their pages in memory, where the writer can spare the memory. Afterwards
the connection and the file are as before: WAL again, here or by the next writer that
opens the file.

Nothing on PostgreSQL, whose ``COPY`` needs none of it.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from typing import Any

from bip_talk.store.concurrency import is_busy
from bip_talk.store.database import switch_to_wal
from bip_talk.store.dialect import Db

CACHE_KIB = 65_536

# What ``enter`` changed: foreign keys before, whether the file was in WAL mode, the
# page cache before.
Before = tuple[bool, bool, str]


def enter(db: Db, *, cache_kib: int | None = CACHE_KIB) -> Before | None:
    """SQLite, outside a transaction, before the first write: bulk mode on, with a page
    cache of ``cache_kib`` (None: as it is), foreign key checks off. None
    where there is nothing to do (PostgreSQL, or a transaction already open)."""
    conn: Any = getattr(db, "conn", None)
    if not db.dialect.is_sqlite or conn is None or db.in_transaction:
        return None
    keys = bool(conn.execute("PRAGMA foreign_keys").fetchone()[0])
    cache = str(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute("PRAGMA foreign_keys = OFF")
    if cache_kib is not None:
        conn.execute(f"PRAGMA cache_size = -{int(cache_kib)}")
    wal = conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    if wal:
        try:
            wal = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0] != "wal"
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):  # someone else has the file open: keep the log
                raise
            wal = False
    return keys, wal, cache


def leave(db: Db, before: Before | None) -> None:
    """After the commit (or the rollback): the connection and the file as before."""
    if before is None:
        return
    keys, wal, cache = before
    conn: Any = getattr(db, "conn", None)
    conn.execute(f"PRAGMA foreign_keys = {int(keys)}")
    conn.execute(f"PRAGMA cache_size = {cache}")
    if wal:
        # Readers that opened the file meanwhile may hold it for a moment; if they
        # hold it longer, the next writer to open it switches it back.
        with contextlib.suppress(sqlite3.OperationalError):
            switch_to_wal(db)  # type: ignore[arg-type]


@contextlib.contextmanager
def bulk_mode(db: Db, *, cache_kib: int | None = CACHE_KIB) -> Iterator[None]:
    """Bulk mode around a transaction opened inside it."""
    before = enter(db, cache_kib=cache_kib)
    try:
        yield
    finally:
        leave(db, before)
