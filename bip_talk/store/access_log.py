"""The SQL of the access log: append rows, read them back, and the keyed pseudonym that
stands for a citizen in it (see ``schema.m009``: no id and no name in the log).

Rows are written through a connection of their own. A view is logged from whichever
thread reads (a report is built in a worker beside the meeting); on the store's own
connection that insert could land inside another thread's open transaction and vanish
with its rollback. Its own connection gives it its own short transaction, which waits
for the writer like any second process would (SQLite: a second connection to the file;
PostgreSQL: a second session, ``Db.second_connection``).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections.abc import Iterable, Mapping
from typing import Any

from bip_talk.domain.access import AccessEntry
from bip_talk.errors import StoreError
from bip_talk.i18n import Translator
from bip_talk.store.concurrency import ATTEMPTS, BACKOFF_S, busy_safe, is_busy
from bip_talk.store.dialect import Db
from bip_talk.store.failures import is_database_error

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
    def __init__(self, db: Db) -> None:
        self.db = db
        self._key: bytes | None = None
        self._writer: Db | None = None
        self._lock = threading.Lock()

    # -- the citizen's pseudonym ---------------------------------------------------------

    def ref(self, citizen_id: str) -> str:
        """The citizen's keyed pseudonym in the log: the same for the same id in this
        database, and no way back to the id without the database's key."""
        if self._key is None:
            row = self.db.execute("SELECT value FROM meta WHERE key = 'access_log_key'").fetchone()
            self._key = bytes.fromhex(row[0])
        digest = hmac.new(self._key, citizen_id.encode(), hashlib.sha256).hexdigest()
        return "R-" + digest[:20]

    def known_refs(self) -> dict[str, str]:
        """Pseudonym -> citizen id, for every citizen the database still holds."""
        ids = [r[0] for r in self.db.execute("SELECT id FROM citizens")]
        return {self.ref(i): i for i in ids}

    # -- writing -------------------------------------------------------------------------

    def _connection(self) -> Db:
        if self._writer is None:
            self._writer = self.db.second_connection()
        return self._writer

    def append(self, rows: Iterable[Mapping[str, Any]]) -> None:
        """Write the rows in one transaction of their own, or raise StoreError: a view
        that cannot be logged does not happen (the caller refuses it)."""
        values = [[row.get(c) for c in _COLUMNS] for row in rows]
        if not values:
            return
        with self._lock:
            writer = self._connection()
            for attempt in range(ATTEMPTS):
                try:
                    with writer.atomic():
                        writer.executemany(_INSERT, values)
                    return
                except Exception as exc:
                    if not is_database_error(exc):
                        raise
                    if not is_busy(exc) or attempt == ATTEMPTS - 1:
                        raise StoreError(Translator(self.db.lang)("store.busy")) from exc
                    time.sleep(BACKOFF_S * (2**attempt))

    def delete_older_than(self, cutoff: str) -> int:
        """Delete rows logged before ``cutoff`` (ISO time). The trigger refuses rows younger
        than 180 days, whatever the caller asks: StoreError, nothing deleted."""
        try:
            with self.db.atomic():
                cursor = self.db.execute("DELETE FROM access_log WHERE at < ?", [cutoff])
        except Exception as exc:  # the trigger's refusal (schema.m009), in either database
            if not (is_database_error(exc) and "kept at least" in str(exc)):
                raise
            raise StoreError(Translator(self.db.lang)("users.keep_at_least", days=180)) from exc
        return int(cursor.rowcount)

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
            for r in self.db.execute(sql, args).fetchall()
        ]

    def close(self) -> None:
        with self._lock:
            if self._writer is not None and self._writer is not self.db:
                self._writer.close()
            self._writer = None
