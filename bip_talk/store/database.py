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


def _backup(db_path: Path, conn: sqlite3.Connection, from_version: int) -> Path:
    stamp = clock.now().strftime("%Y%m%dT%H%M%S")
    target = db_path.with_name(f"{db_path.name}.v{from_version}-{stamp}.bak")
    if not target.exists():
        _create_private(target)
    dest = sqlite3.connect(target)
    try:
        conn.backup(dest)
    finally:
        dest.close()
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
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            conn.close()
            raise StoreError(t("store.newer_schema", path=path, found=version, known=SCHEMA_VERSION))
        if existed and version == 0 and _has_foreign_tables(conn):
            conn.close()
            raise StoreError(t("store.not_ours", path=path))
        conn.execute("PRAGMA foreign_keys = ON")
        db = Database(conn)
        if write and db.journal_mode != "wal":
            db.enable_wal()
        if migrations.pending(db):
            if not write:
                raise StoreError(t("store.needs_migration", path=path))
            if existed and version > 0:
                _backup(path, conn, version)
            migrations.apply(db)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        return db
    except sqlite3.DatabaseError as exc:
        raise StoreError(t("store.damaged", path=path, detail=str(exc))) from exc


def _has_foreign_tables(conn: sqlite3.Connection) -> bool:
    """A SQLite file with tables but no bip-talk schema version belongs to something else."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    return bool(names - {"_sqlite_migrations"})


def copy_database(source: Path, target: Path) -> None:
    """Copy a database file (used by demo and tests); keeps the private mode."""
    shutil.copyfile(source, target)
    os.chmod(target, 0o600)
