"""A health report on a PostgreSQL database (``bip-talk doctor`` with a URL): what the
file checks are for SQLite, in a server's terms. Read-only: opened without the right
to write, never migrated.

What it looks at: the server's version and whether it checks its pages (data
checksums), the schema version, how much the database holds, how the connection
travels (a Unix socket, TLS, or unencrypted over the network), and what the user may
do (a superuser is more than bip-talk needs; a user that cannot write cannot save).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bip_talk.store.copy import counts
from bip_talk.store.health import COUNTED
from bip_talk.store.postgres import open_postgres
from bip_talk.store.schema import SCHEMA_VERSION, migrations


@dataclass(frozen=True)
class ServerHealth:
    url: str  # without the password
    server_version: str
    database: str
    schema: str
    user: str
    schema_version: int
    known_version: int
    counts: dict[str, int]
    size_bytes: int
    transport: str  # "socket", "tls" or "plain"
    checksums: bool
    superuser: bool
    owns_tables: bool
    can_write: bool

    @property
    def warnings(self) -> list[str]:
        """Keys of ``doctor.pg_warn_*`` that apply."""
        out = []
        if self.transport == "plain":
            out.append("plain")
        if self.superuser:
            out.append("superuser")
        if not self.checksums:
            out.append("checksums")
        return out


def check_server(url: str, lang: str = "da") -> ServerHealth:
    """Raise ``StoreError`` for a database the app would refuse; otherwise report."""
    db = open_postgres(url, create=False, write=False, lang=lang)
    try:

        def one(sql: str) -> Any:
            return db.execute(sql).fetchone()[0]

        info = db.conn.info
        host = info.host or ""
        if host.startswith("/") or not host:
            transport = "socket"
        else:
            ssl = db.execute("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").fetchone()
            transport = "tls" if ssl and ssl[0] else "plain"
        tables = [t for t in db.table_names() if t != migrations.table(db)]
        owned = {
            r[0]
            for r in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                "AND tableowner = current_user"
            ).fetchall()
        }
        writable = all(
            db.execute("SELECT has_table_privilege(?, 'INSERT, UPDATE, DELETE')", [t]).fetchone()[0]
            for t in tables
        )
        return ServerHealth(
            url=db.path,
            server_version=str(one("SHOW server_version")),
            database=str(one("SELECT current_database()")),
            schema=str(one("SELECT current_schema()")),
            user=str(one("SELECT current_user")),
            schema_version=len(migrations.applied(db)),
            known_version=SCHEMA_VERSION,
            counts=counts(db, COUNTED),
            size_bytes=int(one("SELECT pg_database_size(current_database())")),
            transport=transport,
            checksums=str(one("SHOW data_checksums")) == "on",
            superuser=bool(one("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")),
            owns_tables=set(tables) <= owned,
            can_write=writable,
        )
    finally:
        db.close()
