"""PostgreSQL behind the same store (psycopg 3): connecting, refusing what is not
ours, migrating, and the connection adapter the store's SQL runs through.

Same contract as ``database.open_database`` for a file: a wrong URL, a refused login,
a server that is down, a database of a newer schema or of another program end in a
``StoreError`` that says what to do, before anything is written.

How writes behave, and why: SQLite takes one write lock per file (``BEGIN
IMMEDIATE``), and every store action is written as "read, then write" under it. Here
every write transaction (``atomic()``) takes one transaction-scoped advisory lock
first, so actions of several sessions follow each other exactly as on SQLite (two
sessions opening the same citizen find one draft; two changes to one answer both
reach the audit table). Reads never take it and never wait; a write waits at most
``lock_timeout`` (the SQLite busy timeout) and is then retried as a whole
(``concurrency.retry_when_busy``). The connection runs in autocommit: outside
``atomic()`` nothing holds a transaction open on the server.
"""

from __future__ import annotations

import contextlib
import itertools
from collections.abc import Generator, Iterable, Iterator, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from bip_talk.errors import StoreError
from bip_talk.i18n import Translator
from bip_talk.store.concurrency import insert_sql, update_sql, upsert_sql
from bip_talk.store.dialect import POSTGRESQL, Dialect, committed, redacted
from bip_talk.store.schema import SCHEMA_VERSION, migrations

if TYPE_CHECKING:
    import psycopg

# ``pg_advisory_xact_lock`` keys (any two bigints nobody else uses): "bip-talk" in ASCII.
WRITE_LOCK = 0x6269702D74616C6B
LOCK_TIMEOUT = "15s"  # database.BUSY_TIMEOUT_MS
# A session that died inside a transaction must not hold the write lock for long.
IDLE_IN_TRANSACTION_TIMEOUT = "5min"
CONNECT_TIMEOUT_S = 10
STREAM_BATCH = 2000


@lru_cache(maxsize=4096)
def pg_sql(sql: str) -> str:
    """The store's SQL for psycopg: ``?`` outside quotes becomes ``%s``, and a literal
    ``%`` is doubled (psycopg reads ``%`` everywhere, quotes included)."""
    out: list[str] = []
    quote = ""
    for ch in sql:
        if ch == "%":
            out.append("%%")
        elif quote:
            out.append(ch)
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            out.append(ch)
        elif ch == "?":
            out.append("%s")
        else:
            out.append(ch)
    return "".join(out)


class PostgresDatabase:
    """An open PostgreSQL database, as the store's ``dialect.Db``."""

    dialect: Dialect = POSTGRESQL

    def __init__(self, conn: psycopg.Connection[Any], *, url: str, lang: str) -> None:
        self.conn = conn
        self.url = url
        self.path = redacted(url)  # what messages name: never the password
        self.lang = lang
        self.read_only = False
        self._savepoints = itertools.count()
        self._cursors = itertools.count()

    # -- statements ------------------------------------------------------------------

    def execute(self, sql: str, parameters: Sequence[Any] | None = None, /) -> Any:
        return self.conn.execute(pg_sql(sql), tuple(parameters) if parameters else ())

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]], /) -> int:
        with self.conn.cursor() as cur:
            cur.executemany(pg_sql(sql), rows)
            return max(cur.rowcount, 0)  # psycopg sums it over the rows

    def rows(self, sql: str, parameters: Sequence[Any] = (), /) -> list[dict[str, Any]]:
        from psycopg.rows import dict_row

        with self.conn.cursor(row_factory=dict_row) as cur:
            cur.execute(pg_sql(sql), tuple(parameters))
            return cur.fetchall() if cur.description else []

    def query(
        self, sql: str, parameters: Sequence[Any] | None = None, /
    ) -> Iterator[dict[str, Any]]:
        return iter(self.rows(sql, parameters or ()))

    def stream(self, sql: str, parameters: Sequence[Any] = (), /) -> Iterator[tuple[Any, ...]]:
        """A server-side cursor inside a transaction (flat memory on any size); outside
        one, the rows at once (a server-side cursor needs a transaction)."""
        if not self.in_transaction:
            yield from self.execute(sql, parameters).fetchall()
            return
        with self.conn.cursor(name=f"bip_stream_{next(self._cursors)}") as cur:
            cur.itersize = STREAM_BATCH
            cur.execute(pg_sql(sql), tuple(parameters))
            yield from cur

    def insert_row(self, table: str, row: dict[str, Any], /) -> int:
        sql = insert_sql(table, tuple(row)) + ' RETURNING "id"'
        return int(self.execute(sql, list(row.values())).fetchone()[0])

    def upsert_row(self, table: str, row: dict[str, Any], key: Sequence[str], /) -> None:
        self.execute(upsert_sql(table, tuple(row), tuple(key)), list(row.values()))

    def update_row(self, table: str, key: dict[str, Any], values: dict[str, Any], /) -> None:
        self.execute(
            update_sql(table, tuple(values), tuple(key)), [*values.values(), *key.values()]
        )

    def sync_ids(self, table: str, /) -> None:
        self.execute(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f'coalesce(max("id"), 0) + 1, false) FROM "{table}"'
        )

    def copy_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Many rows at once with ``COPY`` (seeding, copy-db): far quicker than INSERTs.
        Python booleans go in as 0/1, as SQLite stores them (the columns are integers)."""
        names = ", ".join(f'"{c}"' for c in columns)
        with self.conn.cursor() as cur, cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            write = copy.write_row
            for row in rows:
                write([int(v) if v.__class__ is bool else v for v in row])

    # -- transactions ----------------------------------------------------------------

    @property
    def in_transaction(self) -> bool:
        from psycopg.pq import TransactionStatus

        status = self.conn.info.transaction_status
        return status in (
            TransactionStatus.INTRANS,
            TransactionStatus.INERROR,
            TransactionStatus.ACTIVE,
        )

    @contextlib.contextmanager
    def atomic(self) -> Generator[PostgresDatabase, None, None]:
        """One transaction holding the write lock (nested: a savepoint)."""
        if self.in_transaction:
            name = f"bip_sp_{next(self._savepoints)}"
            self.conn.execute(f"SAVEPOINT {name}")
            try:
                yield self
            except BaseException:
                with contextlib.suppress(Exception):
                    self.conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                    self.conn.execute(f"RELEASE SAVEPOINT {name}")
                raise
            else:
                self.conn.execute(f"RELEASE SAVEPOINT {name}")
            return
        self.begin_write()
        with committed(self.conn.execute, self.rollback):
            yield self

    def begin_write(self) -> None:
        # One round trip: BEGIN and the lock.
        self.conn.execute(f"BEGIN; SELECT pg_advisory_xact_lock({WRITE_LOCK})")

    def allow_long_transactions(self) -> None:
        """For one-off bulk work (copy-db) whose transaction waits while the other
        database works: no idle-in-transaction limit for this session."""
        self.conn.execute("SET idle_in_transaction_session_timeout = 0")

    def begin_snapshot(self) -> None:
        """A read transaction that sees one moment of the database throughout."""
        self.conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ")

    def rollback(self) -> None:
        if self.in_transaction:
            with contextlib.suppress(Exception):  # a broken connection has nothing to undo
                self.conn.execute("ROLLBACK")

    def second_connection(self) -> PostgresDatabase:
        """A second session on the same database, set up as the first."""
        return PostgresDatabase(
            _connect(self.url, Translator(self.lang)), url=self.url, lang=self.lang
        )

    def reconnect(self) -> bool:
        """After the server dropped the connection (restart, failover): a new one, set
        up as the first. False if the server still cannot be reached."""
        try:
            conn = _connect(self.url, Translator(self.lang))
        except StoreError:
            return False
        with contextlib.suppress(Exception):
            self.conn.close()
        self.conn = conn
        if self.read_only:
            conn.execute("SET default_transaction_read_only = on")
        return True

    # -- what is there ---------------------------------------------------------------

    def table_names(self) -> list[str]:
        rows = self.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' "
            "ORDER BY table_name"
        )
        return [r[0] for r in rows.fetchall()]

    def column_names(self, table: str, /) -> list[str]:
        rows = self.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            [table],
        )
        return [r[0] for r in rows.fetchall()]

    def close(self) -> None:
        self.conn.close()


# -- opening -------------------------------------------------------------------------


def _reason(exc: BaseException) -> str:
    """libpq's own words, without the socket path noise: the last FATAL line if any."""
    lines = [ln.strip() for ln in str(exc).strip().splitlines() if ln.strip()]
    for line in reversed(lines):
        if "FATAL:" in line:
            return line.split("FATAL:", 1)[1].strip()
    return lines[0] if lines else type(exc).__name__


def _connect_error(exc: BaseException, url: str, t: Translator) -> StoreError:
    text = str(exc)
    label = redacted(url)
    reason = _reason(exc)
    if any(
        w in text for w in ("password authentication failed", "no password supplied", "pg_hba.conf")
    ) or ("role" in text and "does not exist" in text):
        return StoreError(t("store.pg_login_refused", url=label, reason=reason))
    if "database" in text and "does not exist" in text:
        return StoreError(t("store.pg_no_database", url=label, reason=reason))
    return StoreError(t("store.pg_unreachable", url=label, reason=reason))


def _connect(url: str, t: Translator) -> psycopg.Connection[Any]:
    try:
        import psycopg
        from psycopg.conninfo import conninfo_to_dict
    except ImportError:  # a dependency; only a broken installation lacks it
        raise StoreError(t("store.pg_no_driver")) from None
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError as exc:
        raise StoreError(t("store.pg_bad_url", url=redacted(url), reason=_reason(exc))) from None
    extra: dict[str, Any] = {"application_name": "bip-talk", "client_encoding": "UTF8"}
    if "connect_timeout" not in params:
        extra["connect_timeout"] = CONNECT_TIMEOUT_S
    try:
        conn = psycopg.connect(url, autocommit=True, **extra)
    except psycopg.Error as exc:
        raise _connect_error(exc, url, t) from None
    try:
        conn.execute(
            f"SET lock_timeout = '{LOCK_TIMEOUT}'; "
            f"SET idle_in_transaction_session_timeout = '{IDLE_IN_TRANSACTION_TIMEOUT}'"
        )
    except psycopg.Error as exc:
        conn.close()
        raise _connect_error(exc, url, t) from None
    return conn


def open_postgres(
    url: str, *, create: bool = True, write: bool = True, lang: str = "da"
) -> PostgresDatabase:
    """Connect to ``url``, check the database is ours (or empty) and not newer, and
    migrate it (``write``); ``write=False`` opens a session that cannot write."""
    t = Translator(lang)
    db = PostgresDatabase(_connect(url, t), url=url, lang=lang)
    try:
        _inspect(db, t, create=create, write=write)
        if write and migrations.pending(db):
            _migrate(db, t)
        if not write:
            db.conn.execute("SET default_transaction_read_only = on")
            db.read_only = True
        return db
    except BaseException as exc:
        db.close()
        if isinstance(exc, StoreError):
            raise
        from bip_talk.store.failures import is_database_error, store_error

        if is_database_error(exc) and (error := store_error(exc, path=db.path, lang=lang)):
            raise error from None
        raise


def _inspect(db: PostgresDatabase, t: Translator, *, create: bool, write: bool) -> None:
    """Refuse what is not ours, newer, or not writable (reads only)."""
    url = db.path
    encoding = db.execute("SHOW server_encoding").fetchone()[0]
    if encoding.upper() not in ("UTF8", "UTF-8"):
        raise StoreError(t("store.pg_not_utf8", url=url, encoding=encoding))
    if db.execute("SELECT current_schema()").fetchone()[0] is None:
        raise StoreError(t("store.pg_no_schema", url=url))
    tables = set(db.table_names())
    if not tables:
        if not create:
            raise StoreError(t("store.pg_empty", url=url))
        return
    table = migrations.table(db)
    if table not in tables or not migrations.applied(db):
        raise StoreError(t("store.pg_not_ours", url=url))
    found = len(migrations.applied(db))
    if migrations.unknown(db) or found > SCHEMA_VERSION:
        raise StoreError(t("store.pg_newer_schema", url=url, found=found, known=SCHEMA_VERSION))
    if migrations.pending(db) and not write:
        raise StoreError(t("store.pg_needs_migration", url=url))


def _migrate(db: PostgresDatabase, t: Translator) -> None:
    """Every pending migration in one transaction under the write lock: a failure (no
    right to create tables, the server gone) leaves the database as it was, and of two
    servers starting at once one migrates while the other waits, then finds nothing."""
    import psycopg

    try:
        with db.atomic():
            if migrations.pending(db):
                migrations.apply(db)
    except psycopg.errors.InsufficientPrivilege as exc:
        raise StoreError(t("store.pg_cannot_migrate", url=db.path, reason=_reason(exc))) from None
