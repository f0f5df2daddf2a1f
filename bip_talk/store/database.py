"""Open a bip-talk database safely.

Refuses what is not ours (not SQLite, damaged, from a newer schema) without touching
the file; creates new files private (0600) in a private folder (0700); backs the
file up before migrating it; turns on foreign keys, WAL and a busy timeout.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
from pathlib import Path

from sqlite_utils import Database

from bip_talk import clock
from bip_talk.errors import StoreError
from bip_talk.i18n import Translator
from bip_talk.store.concurrency import ImmediateDatabase, is_busy
from bip_talk.store.schema import SCHEMA_VERSION, migrations

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000
QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024  # about 50 ms to check at open


def _check_file(path: Path, t: Translator, create: bool, write: bool) -> bool:
    """Return True if the file already holds data. Raise StoreError for what we must refuse."""
    if path.is_dir():
        raise StoreError(t("store.is_directory", path=path))
    if not path.exists():
        if not path.parent.is_dir():
            raise StoreError(t("store.no_folder", path=path, folder=path.parent))
        if not create:
            raise StoreError(t("store.missing", path=path))
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except PermissionError as exc:
        raise StoreError(t("store.unreadable", path=path)) from exc
    if head and head != SQLITE_MAGIC:
        raise StoreError(t("store.not_sqlite", path=path))
    if write and not writable(path):
        raise StoreError(t("store.read_only", path=path))
    if write and not writable(path.parent):
        # WAL keeps two side files next to the database; without them nothing can be saved.
        raise StoreError(t("store.read_only_folder", path=path, folder=path.parent))
    if head:
        _check_header(path, t)
    return bool(head)


def writable(path: Path) -> bool:
    """Writable for us, and not marked read-only by its owner (root could write anyway,
    but a file someone made read-only is meant to stay as it is)."""
    mode = path.stat().st_mode
    return os.access(path, os.W_OK) and bool(mode & stat.S_IWUSR)


def _check_header(path: Path, t: Translator) -> None:
    """Catch a truncated file from its 100-byte header before SQLite reads (or writes) it."""
    with path.open("rb") as fh:
        header = fh.read(100)
    if len(header) < 100:
        raise StoreError(t("store.damaged", path=path, detail=t("store.truncated")))
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise StoreError(t("store.damaged", path=path, detail=t("store.bad_header")))
    pages = int.from_bytes(header[28:32], "big")
    size = path.stat().st_size
    # The header's page count is only trustworthy when its two change counters agree.
    counted = header[24:28] == header[92:96]
    if size % page_size or (counted and pages * page_size > size):
        raise StoreError(t("store.damaged", path=path, detail=t("store.truncated")))


def quick_check(conn: sqlite3.Connection) -> list[str]:
    """SQLite's own structural check (reads every page); an empty list means healthy."""
    rows = [r[0] for r in conn.execute("PRAGMA quick_check(20)")]
    return [] if rows == ["ok"] else rows


def _create_private(path: Path) -> None:
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process created it a moment ago; the migration lock sorts it out
    os.close(fd)


def _backup(db_path: Path, from_version: int) -> Path:
    stamp = clock.now().strftime("%Y%m%dT%H%M%S")
    target = db_path.with_name(f"{db_path.name}.v{from_version}-{stamp}.bak")
    # Never overwrite an earlier backup (two migrations in one second, a frozen clock).
    n = 1
    while target.exists():
        n += 1
        target = db_path.with_name(f"{db_path.name}.v{from_version}-{stamp}-{n}.bak")
    _create_private(target)
    # Read through a connection of its own: the caller holds the write lock in an open
    # transaction, and SQLite cannot back up through that connection (it waits forever).
    # A second reader sees the committed, not yet migrated file.
    source = sqlite3.connect(db_path, timeout=BUSY_TIMEOUT_MS / 1000)
    dest = sqlite3.connect(target)
    try:
        source.backup(dest)
    finally:
        dest.close()
        source.close()
    return target


def open_database(
    path: Path, *, create: bool = True, write: bool = True, lang: str = "da"
) -> Database:
    """Open (and if needed create or migrate) the database at ``path``.

    Every check that could refuse the file runs before the first write (WAL switch,
    backup, migration), so a refused file is left byte for byte as it was.
    """
    t = Translator(lang)
    path = Path(path)
    existed = _check_file(path, t, create, write)
    if not path.exists():
        _create_private(path)
    try:
        # Opened in a worker thread while the first screen shows, then used on the UI
        # thread only: one thread at a time, never concurrently.
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    except sqlite3.Error as exc:
        raise StoreError(t("store.damaged", path=path, detail=str(exc))) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        # Ownership before version: another program's file may set user_version too,
        # and must be refused as foreign, never migrated.
        if existed and not _is_ours_or_empty(conn):
            raise StoreError(t("store.not_ours", path=path))
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise StoreError(
                t("store.newer_schema", path=path, found=version, known=SCHEMA_VERSION)
            )
        conn.execute("PRAGMA foreign_keys = ON")
        db = ImmediateDatabase(conn)
        db.lang, db.path = t.lang, str(path)
        needs_wal = write and db.journal_mode != "wal"
        pending = migrations.pending(db)
        if pending and not write:
            raise StoreError(t("store.needs_migration", path=path))
        # Check the whole file before the first write; a large one only when we are
        # about to change its structure (the full check reads every page).
        checked = needs_wal or pending or path.stat().st_size <= QUICK_CHECK_MAX_BYTES
        if existed and checked and (problems := quick_check(conn)):
            raise StoreError(t("store.damaged", path=path, detail="; ".join(problems[:3])))
        if needs_wal:
            db.enable_wal()
        if pending:
            _migrate(db, path, existed)
        return db
    except sqlite3.DatabaseError as exc:
        conn.close()
        if is_busy(exc):
            raise StoreError(t("store.busy")) from exc
        raise StoreError(t("store.damaged", path=path, detail=str(exc))) from exc
    except BaseException:
        conn.close()
        raise


def _migrate(db: Database, path: Path, existed: bool) -> None:
    """Back up, then migrate, all under the write lock: when two processes open a new
    or older file at once, one migrates and the other then finds nothing to do."""
    with db.atomic():
        version = db.conn.execute("PRAGMA user_version").fetchone()[0]
        if not migrations.pending(db):
            return
        if existed and version > 0:
            _backup(path, version)
        migrations.apply(db)
        db.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _is_ours_or_empty(conn: sqlite3.Connection) -> bool:
    """A file with no tables yet, or one whose migrations record says bip-talk made it."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not names:
        return True
    if migrations.migrations_table not in names:
        return False
    row = conn.execute(
        f"SELECT 1 FROM [{migrations.migrations_table}] WHERE migration_set = ? LIMIT 1",
        [migrations.name],
    ).fetchone()
    return row is not None


def copy_database(source: Path, target: Path) -> None:
    """Copy a database file (used by demo and tests); keeps the private mode."""
    shutil.copyfile(source, target)
    os.chmod(target, 0o600)
