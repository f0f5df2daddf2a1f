"""Where a database is: a SQLite file (a path) or a PostgreSQL server (a URL).

``--db postgresql://USER@HOST/DBNAME`` (or ``BIP_TALK_DB``) selects PostgreSQL; any
other value is a SQLite file, as it always was. psycopg is only imported for a URL.
"""

from __future__ import annotations

from pathlib import Path

from bip_talk.store.dialect import Db, is_postgres_url, redacted

Target = Path | str


def open_target(target: Target, *, create: bool = True, write: bool = True, lang: str = "da") -> Db:
    """Open (create, migrate) the database at ``target``; see ``database.open_database``
    and ``postgres.open_postgres`` for what each refuses."""
    if is_postgres_url(target):
        from bip_talk.store.postgres import open_postgres

        return open_postgres(str(target), create=create, write=write, lang=lang)
    from bip_talk.store.database import open_database

    return open_database(Path(target), create=create, write=write, lang=lang)


def label(target: Target) -> str:
    """How messages name the database: the file, or the URL without its password."""
    return redacted(str(target)) if is_postgres_url(target) else str(target)


def size_bytes(db: Db) -> int:
    """How much the database takes: the file, or the server's count for the database."""
    if db.dialect.is_sqlite:
        return Path(db.path).stat().st_size if db.path and Path(db.path).exists() else 0
    return int(db.execute("SELECT pg_database_size(current_database())").fetchone()[0])
