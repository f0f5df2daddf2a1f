"""Open a bip-talk database safely.

Refuses what is not ours (not SQLite, damaged, from a newer schema) without touching
the file; creates new files private (0600) in a private folder (0700); backs the
file up before migrating it; turns on foreign keys, WAL and a busy timeout.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import stat
import time
from pathlib import Path

from sqlite_utils import Database

from bip_talk import clock
from bip_talk.errors import StoreError
from bip_talk.i18n import Translator
from bip_talk.store.concurrency import ImmediateDatabase, is_busy
from bip_talk.store.failures import kind_of, store_error
from bip_talk.store.schema import SCHEMA_VERSION, migrations

SQLITE_MAGIC = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 15_000
QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024  # about 50 ms to check at open


def _check_file(path: Path, t: Translator, create: bool, write: bool) -> bool:
    """Return True if the file already holds data. Raise StoreError for what we must
    refuse before SQLite even opens it. Whether the content is readable is SQLite's
    call (``_reader`` and ``quick_check``), never our own arithmetic on its header."""
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
    if not head and not create:
        # An empty file where a database should be (a typo, a failed copy): reading
        # from it must not quietly turn it into a new, empty database.
        raise StoreError(t("store.empty", path=path))
    if head and head != SQLITE_MAGIC:
        raise StoreError(t("store.not_sqlite", path=path))
    if write and on_read_only_mount(path):
        raise StoreError(t("store.read_only_mount", path=path))
    if write and not writable(path):
        raise StoreError(t("store.read_only", path=path))
    if write and not writable(path.parent):
        # WAL keeps two side files next to the database; without them nothing can be saved.
        raise StoreError(t("store.read_only_folder", path=path, folder=path.parent))
    return bool(head)


def writable(path: Path) -> bool:
    """Writable for us, and not marked read-only by its owner (root could write anyway,
    but a file someone made read-only is meant to stay as it is)."""
    if on_read_only_mount(path):
        return False
    mode = path.stat().st_mode
    return os.access(path, os.W_OK) and bool(mode & stat.S_IWUSR)


def on_read_only_mount(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs (Windows): the write itself will say
        return False


def wal_file(path: Path) -> Path:
    return path.with_name(path.name + "-wal")


def _reader(path: Path) -> tuple[sqlite3.Connection, bool]:
    """A connection to look at an existing file before anything may be written, and
    whether it is read-only.

    - On a read-only mount nothing can change the file: ``immutable`` (SQLite needs
      no lock and no side files).
    - With a ``-wal`` beside the file (a crash, or another window has it open):
      ``mode=ro``, so closing it never checkpoints the WAL into a file we then refuse,
      and never deletes the WAL. SQLite may refresh its ``-shm`` index, which holds
      no data.
    - Otherwise an ordinary connection: with no WAL there is nothing it could write
      on close, and it becomes the app's connection once the checks pass.
    """
    if on_read_only_mount(path):
        uri, read_only = f"{path.resolve().as_uri()}?mode=ro&immutable=1", True
    elif wal_file(path).exists():
        uri, read_only = f"{path.resolve().as_uri()}?mode=ro", True
    else:
        return _connect(path), False
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    return conn, read_only


def _connect(path: Path) -> sqlite3.Connection:
    # Opened in a worker thread while the first screen shows, then used on the UI
    # thread only: one thread at a time, never concurrently.
    return sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)


def schema_not_text(conn: sqlite3.Connection) -> str | None:
    """The first schema entry whose SQL is not UTF-8 text, or None. SQLite may still
    parse such SQL, but not as it was written (a damaged ``PRIMARY KEY`` becomes part
    of a type name): the file's structure is no longer the one bip-talk made."""
    rows = conn.execute("SELECT CAST(name AS BLOB), CAST(sql AS BLOB) FROM sqlite_master")
    for name, sql in rows:
        raw: bytes = name
        try:
            raw.decode("utf-8")
            (sql or b"").decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("utf-8", "replace")
    return None


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


def backups_of(db_path: Path) -> list[Path]:
    """The copies bip-talk made beside the file before upgrades and repairs, oldest
    first (``NAME.vN-TIME.bak``)."""
    found = db_path.parent.glob(f"{db_path.name}.v*.bak")
    return sorted(found, key=lambda p: (p.stat().st_mtime, p.name))


def restore_advice(path: Path, t: Translator) -> str:
    """What to do with a damaged file: the newest backup beside it, if there is one."""
    backups = backups_of(path) if path.parent.is_dir() else []
    if backups:
        return t("store.restore_newest", backup=backups[-1], path=path)
    return t("store.restore_none")


def damaged_error(path: Path, detail: str, t: Translator) -> StoreError:
    return StoreError(t("store.damaged", path=path, detail=detail, advice=restore_advice(path, t)))


def backup_copy(db_path: Path, from_version: int) -> Path:
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
) -> ImmediateDatabase:
    """Open (and if needed create or migrate) the database at ``path``.

    Every check that could refuse the file runs before the first write (WAL switch,
    backup, migration), so a refused file is left byte for byte as it was. An
    existing file is first read by SQLite itself (``_reader``); ``write=False``
    returns that reader.
    """
    t = Translator(lang)
    path = Path(path)
    existed = _check_file(path, t, create, write)
    if not path.exists():
        _create_private(path)
    try:
        conn, read_only = _reader(path) if existed else (_connect(path), False)
    except sqlite3.Error as exc:
        raise _refusal(exc, path, t) from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        if existed:
            _inspect(conn, path, t, write)
        if read_only and write:
            # The checks passed on a file with a WAL: now open it for writing (SQLite
            # replays the WAL, as after any crash).
            conn.close()
            conn = _connect(path)
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        return _ready(conn, path, t, write, existed)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise _refusal(exc, path, t) from exc
    except UnicodeDecodeError as exc:
        # SQLite's own message about a broken schema quotes the broken bytes.
        conn.close()
        detail = t("store.bad_schema", name="sqlite_master")
        raise damaged_error(path, detail, t) from exc
    except BaseException:
        conn.close()
        raise


def _inspect(conn: sqlite3.Connection, path: Path, t: Translator, write: bool) -> None:
    """Refuse what is not ours, newer, not upgradable here or damaged (reads only)."""
    if bad := schema_not_text(conn):
        raise damaged_error(path, t("store.bad_schema", name=bad), t)
    # Ownership before version: another program's file may set user_version too,
    # and must be refused as foreign, never migrated.
    if not _is_ours_or_empty(conn):
        raise StoreError(t("store.not_ours", path=path))
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError(t("store.newer_schema", path=path, found=version, known=SCHEMA_VERSION))
    db = ImmediateDatabase(conn)
    needs_wal = write and db.journal_mode != "wal"
    pending = migrations.pending(db)
    if pending and not write:
        raise StoreError(t("store.needs_migration", path=path))
    # Check the whole file before the first write; a large one only when we are
    # about to change its structure (the full check reads every page).
    checked = needs_wal or pending or path.stat().st_size <= QUICK_CHECK_MAX_BYTES
    if checked and (problems := quick_check(conn)):
        raise damaged_error(path, "; ".join(problems[:3]), t)


def _ready(
    conn: sqlite3.Connection, path: Path, t: Translator, write: bool, existed: bool
) -> ImmediateDatabase:
    conn.execute("PRAGMA foreign_keys = ON")
    db = ImmediateDatabase(conn)
    db.lang, db.path = t.lang, str(path)
    if write:
        switch_to_wal(db)
        if migrations.pending(db):
            _migrate(db, path, existed)
    return db


def switch_to_wal(db: Database) -> None:
    """WAL mode, waiting for the lock it needs. SQLite answers "locked" at once, without
    its busy timeout, while another process holds the file (two windows starting on a
    new file at the same moment), so wait here, up to the same timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.005
    while db.journal_mode != "wal":
        try:
            db.enable_wal()
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(pause * (1 + random.random()))
            pause = min(pause * 2, 0.2)


def _refusal(exc: sqlite3.Error, path: Path, t: Translator) -> StoreError:
    """Busy or a full disk (while creating or upgrading the file) say so; anything else
    SQLite refuses to read is damage."""
    if kind_of(exc) in ("busy", "full"):
        error = store_error(exc, path=path, lang=t.lang)
        assert error is not None
        return error
    return damaged_error(path, str(exc), t)


def _migrate(db: Database, path: Path, existed: bool) -> None:
    """Back up, then migrate, all under the write lock: when two processes open a new
    or older file at once, one migrates and the other then finds nothing to do."""
    with db.atomic():
        version = db.conn.execute("PRAGMA user_version").fetchone()[0]
        if not migrations.pending(db):
            return
        if existed and version > 0:
            backup_copy(path, version)
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
