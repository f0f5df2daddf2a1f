"""PostgreSQL for the test suite: one throwaway server per session (``pg_server``),
a fresh database per test copied from a migrated template (``CREATE DATABASE …
TEMPLATE``, ~40 ms), dropped at the end of the test.

``BIP_TALK_TEST_PG`` may name a server to use instead of starting one: a superuser's
URL (``postgresql://ADMIN@/postgres?host=/run/postgresql``); the app's role is made
there as on the throwaway one.

Outside CI a server that cannot be started skips the PostgreSQL half of the suite,
with the reason; under ``CI=true`` those tests fail instead (.ci/run installs it) –
the same rule as for the other programs the suite drives (``tests/tools.py``).
"""

from __future__ import annotations

import contextlib
import itertools
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests import pg_server
from tests.tools import in_ci

DIALECTS = ("sqlite", "postgresql")
TEMPLATE = "bip_template"


def unavailable(reason: str) -> None:
    """Skip with the reason, or under CI fail: the PostgreSQL half must run there."""
    if in_ci():
        pytest.fail(f"CI=true: PostgreSQL is needed and cannot be used: {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL not available: {reason}")


@dataclass
class Databases:
    """Creates and drops the per-test databases on one server."""

    admin_url: str  # a superuser on the server's maintenance database
    app_url: Any  # database name -> the URL the app logs in with
    server: pg_server.Server | None = None
    _names: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _template_ready: bool = False

    def admin(self):  # -> psycopg.Connection
        import psycopg

        return psycopg.connect(self.admin_url, autocommit=True)

    def admin_on(self, url: str):  # -> psycopg.Connection
        """The superuser on the database of ``url`` (to set up what the app may not)."""
        import psycopg

        name = urlsplit(url).path.lstrip("/")
        parts = urlsplit(self.admin_url)
        admin = parts._replace(path=f"/{name}").geturl()
        return psycopg.connect(admin, autocommit=True)

    def _make_template(self) -> None:
        from bip_talk.store.postgres import open_postgres

        with self.admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {TEMPLATE}")
            conn.execute(f"CREATE DATABASE {TEMPLATE} OWNER {pg_server.APP_USER}")
        open_postgres(self.app_url(TEMPLATE)).close()  # every migration, once
        self._template_ready = True

    def fresh(self, *, migrated: bool = True) -> str:
        """A new database owned by the app's role: migrated (a copy of the template),
        or empty (``migrated=False``)."""
        if migrated and not self._template_ready:
            self._make_template()
        name = f"bip_test_{os.getpid()}_{next(self._names)}"
        template = TEMPLATE if migrated else "template0"
        with self.admin() as conn:
            conn.execute(
                f"CREATE DATABASE {name} OWNER {pg_server.APP_USER} TEMPLATE {template} "
                "ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
            )
        return self.app_url(name)

    def copy(self, url: str) -> str:
        """A new database that is a copy of the one at ``url`` (nobody may be connected
        to it): a test's own copy of data built once per module."""
        name = f"bip_test_{os.getpid()}_{next(self._names)}"
        with self.admin() as conn:
            conn.execute(
                f"CREATE DATABASE {name} OWNER {pg_server.APP_USER} TEMPLATE {db_name(url)}"
            )
        return self.app_url(name)

    def drop(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        with contextlib.suppress(Exception), self.admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


def from_env(url: str) -> Databases:
    """A server someone else runs: make the app's role there if it is missing."""
    import psycopg

    parts = urlsplit(url)
    host = parse_qs(parts.query).get("host", [""])[0]
    netloc = parts.netloc.rsplit("@", 1)[-1]

    def app_url(name: str) -> str:
        auth = f"{pg_server.APP_USER}:{quote(pg_server.APP_PASSWORD)}"
        query = f"?host={quote(host)}" if host else ""
        return f"postgresql://{auth}@{netloc}/{quote(name)}{query}"

    with psycopg.connect(url, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_roles WHERE rolname = %s", [pg_server.APP_USER]
        ).fetchone()
        if not exists:
            conn.execute(
                f"CREATE ROLE {pg_server.APP_USER} LOGIN CREATEDB "
                f"PASSWORD '{pg_server.APP_PASSWORD}'"
            )
    return Databases(admin_url=url, app_url=app_url)


def start_databases() -> Databases:
    """The session's server, or ``pg_server.Unavailable`` with the reason."""
    if url := os.environ.get("BIP_TALK_TEST_PG"):
        try:
            return from_env(url)
        except Exception as exc:  # noqa: BLE001 - any failure is the reason to report
            raise pg_server.Unavailable(f"BIP_TALK_TEST_PG={url}: {exc}") from None
    server = pg_server.start()
    return Databases(admin_url=server.admin_url(), app_url=server.url, server=server)


# -- portable checks for tests that run on both ------------------------------------------


def database_errors() -> tuple[type[Exception], ...]:
    """Any error the database reports (a trigger's refusal among them), on either."""
    import sqlite3

    import psycopg

    return (sqlite3.DatabaseError, psycopg.Error)


def integrity_errors() -> tuple[type[Exception], ...]:
    """What a broken foreign key or unique rule raises, on either database."""
    import sqlite3

    import psycopg

    return (sqlite3.IntegrityError, psycopg.IntegrityError)


def count(db: Any, table: str, where: str = "", params: tuple | list = ()) -> int:
    sql = f'SELECT count(*) FROM "{table}"' + (f" WHERE {where}" if where else "")
    return int(db.execute(sql, list(params)).fetchone()[0])


def user_tables(db: Any) -> list[str]:
    """The tables bip-talk keeps data in (not its record of migrations)."""
    from bip_talk.store.migrations import TABLES

    return [n for n in db.table_names() if not n.startswith("sqlite_") and n not in TABLES.values()]


def db_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def with_database(url: str, name: str) -> str:
    """``url`` pointing at another database of the same server."""
    return urlsplit(url)._replace(path=f"/{name}").geturl()
