"""A health report on a database file (``bip-talk doctor``), and the one repair that
is safe to make in place: rebuilding indexes.

The check opens the file the same careful way the app does, but never creates,
migrates or writes it: a file that is refused stays exactly as it was. It runs
SQLite's full ``integrity_check`` (the app's ``quick_check`` at open skips the
indexes), looks for schema and text cells that are not UTF-8, and words what it
finds with what to do: rebuild the indexes, or restore a backup.
"""

from __future__ import annotations

import sqlite3
import stat
from dataclasses import dataclass, field
from pathlib import Path

from bip_talk.errors import StoreError
from bip_talk.i18n import Translator
from bip_talk.store.copy import counts as table_counts
from bip_talk.store.database import (
    backup_copy,
    damaged_error,
    open_database,
    restore_advice,
    writable,
)
from bip_talk.store.schema import SCHEMA_VERSION
from bip_talk.store.text_cells import BadCell, bad_cells

# Tables worth counting, in the order shown; tables added later simply appear if present.
COUNTED = (
    "citizens",
    "meetings",
    "answers",
    "notes",
    "plan_items",
    "outcomes",
    "audit",
    "accounts",
    "access_log",
)
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700
MAX_PROBLEMS = 20
# What integrity_check says when only an index is out of step with its table: REINDEX
# rebuilds indexes from the tables, so nothing is lost.
_INDEX_PROBLEMS = ("missing from index", "wrong # of entries in index", "non-unique entry in")


@dataclass(frozen=True)
class Health:
    path: Path
    schema_version: int
    known_version: int
    journal_mode: str
    counts: dict[str, int]
    file_mode: int
    dir_mode: int
    writable: bool
    bad_text: list[BadCell] = field(default_factory=list)

    @property
    def file_private(self) -> bool:
        return self.file_mode & 0o077 == 0

    @property
    def dir_private(self) -> bool:
        return self.dir_mode & 0o077 == 0


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def integrity_check(conn: sqlite3.Connection) -> list[str]:
    """SQLite's full check (pages, and every index against its table)."""
    rows = [r[0] for r in conn.execute(f"PRAGMA integrity_check({MAX_PROBLEMS})")]
    return [] if rows == ["ok"] else rows


def only_indexes(problems: list[str]) -> bool:
    return bool(problems) and all(any(s in p for s in _INDEX_PROBLEMS) for p in problems)


def damage_message(
    path: Path, problems: list[str], t: Translator, *, repairable: bool | None = None
) -> str:
    detail = "; ".join(problems[:3])
    if only_indexes(problems) if repairable is None else repairable:
        return t("doctor.damaged_indexes", path=path, detail=detail)
    return t("doctor.damaged_data", path=path, detail=detail, advice=restore_advice(path, t))


def check_database(path: Path, lang: str = "da") -> Health:
    """Raise ``StoreError`` for a file the app would refuse or that is damaged;
    otherwise report on it."""
    path = Path(path)
    t = Translator(lang)
    db = open_database(path, create=False, write=False, lang=lang)
    try:
        conn = db.conn
        problems = integrity_check(conn)
        if problems:
            raise StoreError(damage_message(path, problems, t))
        counts = table_counts(db, COUNTED)
        return Health(
            path=path,
            schema_version=conn.execute("PRAGMA user_version").fetchone()[0],
            known_version=SCHEMA_VERSION,
            journal_mode=db.journal_mode,
            counts=counts,
            file_mode=_mode(path),
            dir_mode=_mode(path.parent),
            writable=writable(path) and writable(path.parent),
            bad_text=bad_cells(conn),
        )
    except sqlite3.DatabaseError as exc:
        raise damaged_error(path, str(exc), t) from exc
    finally:
        db.close()


def repair_indexes(path: Path, lang: str = "da") -> Path | None:
    """Rebuild every index (``REINDEX``) of a file whose only damage is in its indexes,
    after a backup. Returns the backup, or None when there was nothing to repair;
    ``StoreError`` (with what to do instead) for any other damage."""
    path = Path(path)
    t = Translator(lang)
    db = open_database(path, create=False, write=True, lang=lang)
    try:
        problems = integrity_check(db.conn)
        if not problems:
            return None
        if not only_indexes(problems):
            raise StoreError(damage_message(path, problems, t))
        version = db.conn.execute("PRAGMA user_version").fetchone()[0]
        backup = backup_copy(path, version)
        try:
            with db.atomic():
                db.conn.execute("REINDEX")
        except sqlite3.IntegrityError:
            # Two rows share a value a unique index promises to be unique: the table
            # itself is wrong, which an index rebuild cannot decide.
            raise StoreError(damage_message(path, problems, t, repairable=False)) from None
        if problems := integrity_check(db.conn):
            raise StoreError(damage_message(path, problems, t, repairable=False))
        return backup
    except sqlite3.DatabaseError as exc:
        raise StoreError(t("store.damaged_in_use", path=path, detail=str(exc))) from exc
    finally:
        db.close()
