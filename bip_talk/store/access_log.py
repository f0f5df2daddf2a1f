"""The SQL of the access log: append rows, read them back, and the keyed pseudonym that
stands for a citizen in it (see ``schema.m009``: no id and no name in the log).

Rows are written through a connection of their own. A view is logged from whichever
thread reads (a report is built in a worker beside the meeting); on the store's own
connection that insert could land inside another thread's open transaction and vanish
with its rollback. Its own connection gives it its own short transaction, which waits
for the writer like any second process would.
"""

from __future__ import annotations

import hashlib
import hmac
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any

from sqlite_utils import Database

from bip_talk.domain.access import AccessEntry
from bip_talk.errors import StoreError
from bip_talk.i18n import Translator
from bip_talk.store.concurrency import ATTEMPTS, BACKOFF_S, busy_safe, is_busy

BUSY_TIMEOUT_S = 15
_COLUMNS = (
    "at",
    "actor_id",
    "initials",
    "role",
    "event",
    "purpose",
    "citizen_ref",
    "channel",
    "detail",
)
_INSERT = f"INSERT INTO access_log ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * 9)})"


@busy_safe
class AccessLogStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._key: bytes | None = None
        self._writer: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    # -- the citizen's pseudonym ---------------------------------------------------------

    def ref(self, citizen_id: str) -> str:
        """The citizen's keyed pseudonym in the log: the same for the same id in this
        database, and no way back to the id without the database's key."""
        if self._key is None:
            row = self.db.conn.execute(
                "SELECT value FROM meta WHERE key = 'access_log_key'"
            ).fetchone()
            self._key = bytes.fromhex(row[0])
        digest = hmac.new(self._key, citizen_id.encode(), hashlib.sha256).hexdigest()
        return "R-" + digest[:20]

    def known_refs(self) -> dict[str, str]:
        """Pseudonym -> citizen id, for every citizen the database still holds."""
        ids = [r[0] for r in self.db.conn.execute("SELECT id FROM citizens")]
        return {self.ref(i): i for i in ids}

    # -- writing -------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        if self._writer is None:
            path = getattr(self.db, "path", "")
            if not path:  # a database not opened from a file: share its connection
                return self.db.conn
            conn = sqlite3.connect(
                path, timeout=BUSY_TIMEOUT_S, check_same_thread=False, isolation_level=None
            )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
            self._writer = conn
        return self._writer

    def append(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Write the rows in one transaction of their own, or raise StoreError: a view
        that cannot be logged does not happen (the caller refuses it)."""
        values = [[row.get(c) for c in _COLUMNS] for row in rows]
        if not values:
            return
        with self._lock:
            conn = self._connection()
            for attempt in range(ATTEMPTS):
                try:
                    if conn is self.db.conn:
                        with self.db.atomic():
                            conn.executemany(_INSERT, values)
                    else:
                        conn.execute("BEGIN IMMEDIATE")
                        try:
                            conn.executemany(_INSERT, values)
                            conn.execute("COMMIT")
                        except BaseException:
                            conn.execute("ROLLBACK")
                            raise
                    return
                except sqlite3.OperationalError as exc:
                    if not is_busy(exc) or attempt == ATTEMPTS - 1:
                        t = Translator(getattr(self.db, "lang", "da"))
                        raise StoreError(t("store.busy")) from exc
                    time.sleep(BACKOFF_S * (2**attempt))

    def delete_older_than(self, cutoff: str) -> int:
        """Delete rows logged before ``cutoff`` (ISO time). The trigger refuses rows younger
        than 180 days, whatever the caller asks: StoreError, nothing deleted."""
        try:
            with self.db.atomic():
                cursor = self.db.conn.execute("DELETE FROM access_log WHERE at < ?", [cutoff])
        except sqlite3.IntegrityError as exc:  # the trigger's RAISE(ABORT)
            t = Translator(getattr(self.db, "lang", "da"))
            raise StoreError(t("users.keep_at_least", days=180)) from exc
        return cursor.rowcount

    # -- reading -------------------------------------------------------------------------

    def entries(
        self,
        *,
        citizen_ref: str | None = None,
        initials: str | None = None,
        since: str | None = None,
        limit: int | None = None,
    ) -> list[AccessEntry]:
        where, args = [], []
        if citizen_ref is not None:
            where.append("citizen_ref = ?")
            args.append(citizen_ref)
        if initials is not None:
            where.append("initials = ?")
            args.append(initials.strip().upper())
        if since is not None:
            where.append("at >= ?")
            args.append(since)
        sql = "SELECT id, " + ", ".join(_COLUMNS) + " FROM access_log"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY id"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [
            AccessEntry(
                id=r[0],
                at=r[1],
                actor_id=r[2],
                initials=r[3],
                role=r[4],
                event=r[5],
                purpose=r[6],
                citizen_ref=r[7],
                channel=r[8],
                detail=r[9],
            )
            for r in self.db.conn.execute(sql, args)
        ]

    def close(self) -> None:
        with self._lock:
            if self._writer is not None:
                self._writer.close()
                self._writer = None
