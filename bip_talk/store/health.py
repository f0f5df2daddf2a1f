"""A read-only health report on a database file (``bip-talk doctor``).

Opens the file the same careful way the app does, but never creates, migrates or
writes it: a file that is refused stays exactly as it was.
"""

from __future__ import annotations

import sqlite3
import stat
from dataclasses import dataclass
from pathlib import Path

from bip_talk.errors import StoreError
from bip_talk.i18n import Translator
from bip_talk.store.database import open_database, quick_check, writable
from bip_talk.store.schema import SCHEMA_VERSION

# Tables worth counting, in the order shown; tables added later simply appear if present.
COUNTED = ("citizens", "meetings", "answers", "notes", "plan_items", "audit")
PRIVATE_FILE = 0o600
PRIVATE_DIR = 0o700


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

    @property
    def file_private(self) -> bool:
        return self.file_mode & 0o077 == 0

    @property
    def dir_private(self) -> bool:
        return self.dir_mode & 0o077 == 0


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def check_database(path: Path, lang: str = "da") -> Health:
    """Raise ``StoreError`` for a file the app would refuse or that is damaged;
    otherwise report on it."""
    path = Path(path)
    t = Translator(lang)
    db = open_database(path, create=False, write=False, lang=lang)
    try:
        conn = db.conn
        problems = quick_check(conn)
        if problems:
            raise StoreError(t("store.damaged", path=path, detail="; ".join(problems[:3])))
        tables = set(db.table_names())
        counts = {
            name: conn.execute(f"SELECT count(*) FROM [{name}]").fetchone()[0]
            for name in COUNTED
            if name in tables
        }
        return Health(
            path=path,
            schema_version=conn.execute("PRAGMA user_version").fetchone()[0],
            known_version=SCHEMA_VERSION,
            journal_mode=db.journal_mode,
            counts=counts,
            file_mode=_mode(path),
            dir_mode=_mode(path.parent),
            writable=writable(path) and writable(path.parent),
        )
    except sqlite3.DatabaseError as exc:
        raise StoreError(t("store.damaged", path=path, detail=str(exc))) from exc
    finally:
        db.close()
