"""Open a bip-talk database safely.

Refuses what is not ours (not SQLite, damaged, from a newer schema) without touching
the file; creates new files private (0600) in a private folder (0700); backs the
file up before migrating it; turns on foreign keys, WAL and a busy timeout.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

from sqlite_utils import Database

from bip_talk import clock
from bip_talk.errors import StoreError
from bip_talk.i18n import Translator
from bip_talk.store.schema import SCHEMA_VERSION, migrations

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000


def _check_file(path: Path, t: Translator, create: bool, write: bool) -> bool:
    """Return True if the file already holds data. Raise StoreError for what we must refuse."""
    if path.is_dir():
        raise StoreError(t("store.is_directory", path=path))
    if not path.exists():
        if not create:
            raise StoreError(t("store.missing", path=path))
        if not path.parent.is_dir():
            raise StoreError(t("store.no_folder", path=path, folder=path.parent))
        return False
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_MAGIC))
    except PermissionError as exc:
        raise StoreError(t("store.unreadable", path=path)) from exc
    if head and head != SQLITE_MAGIC:
        raise StoreError(t("store.not_sqlite", path=path))
    if write and not os.access(path, os.W_OK):
        raise StoreError(t("store.read_only", path=path))
    return bool(head)


def _create_private(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def ensure_private_dir(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)


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
    """Open (and if needed create or migrate) the database at ``path``."""
    t = Translator(lang)
    path = Path(path)
    existed = _check_file(path, t, create, write)
    if not path.exists():
        _create_private(path)
    try:
        conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)
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
            raise StoreError(t("store.newer_schema", path=path, found=version, known=SCHEMA_VERSION))
        conn.execute("PRAGMA foreign_keys = ON")
        db = Database(conn)
        if write and db.journal_mode != "wal":
            db.enable_wal()
        if migrations.pending(db):
            if not write:
                raise StoreError(t("store.needs_migration", path=path))
            if existed and version > 0:
                _backup(path, version)
            migrations.apply(db)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return db
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(t("store.damaged", path=path, detail=str(exc))) from exc
    except BaseException:
        conn.close()
        raise


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
