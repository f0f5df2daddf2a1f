"""The migration runner: one list of migrations for both databases.

Each migration is a function of the open database (``dialect.Db``) that writes its DDL
once, with the dialect's column types, and branches only where SQLite and PostgreSQL
differ (``schema.py``). Applied migrations are recorded by name:

- SQLite: in ``_sqlite_migrations``, the table and layout sqlite-utils' ``Migrations``
  used before, so every file made by an earlier version is read as it was;
- PostgreSQL: in ``bip_talk_migrations`` (same columns).

Each migration runs in a transaction together with its record (a savepoint inside
the caller's one transaction around all of them: ``database._migrate``,
``postgres._migrate``), so a failed one leaves no trace.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from bip_talk.store.dialect import Db

MigrationFn = Callable[[Any], None]
TABLES = {"sqlite": "_sqlite_migrations", "postgresql": "bip_talk_migrations"}


class Migrations:
    migrations_table = TABLES["sqlite"]  # the SQLite name (what older files have)

    @dataclass
    class _Migration:
        name: str
        fn: MigrationFn

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[Migrations._Migration] = []

    def __call__(self) -> Callable[[MigrationFn], MigrationFn]:
        def register(fn: MigrationFn) -> MigrationFn:
            if any(m.name == fn.__name__ for m in self._migrations):
                raise ValueError(f"migration {fn.__name__} is registered twice")
            self._migrations.append(self._Migration(fn.__name__, fn))
            return fn

        return register

    def table(self, db: Db) -> str:
        return TABLES[db.dialect.name]

    def applied(self, db: Any) -> list[str]:
        """Names of the applied migrations of this set, in the order applied (reads only)."""
        db = _adapted(db)
        name = self.table(db)
        if name not in db.table_names():
            return []
        rows = db.execute(
            f'SELECT name FROM "{name}" WHERE migration_set = ? ORDER BY id', [self.name]
        )
        return [r[0] for r in rows.fetchall()]

    def pending(self, db: Any) -> list[Migrations._Migration]:
        done = set(self.applied(db))
        return [m for m in self._migrations if m.name not in done]

    def unknown(self, db: Any) -> list[str]:
        """Applied migrations this version does not know: a newer bip-talk's."""
        known = {m.name for m in self._migrations}
        return [n for n in self.applied(db) if n not in known]

    def apply(self, db: Any, *, stop_before: str | Iterable[str] | None = None) -> None:
        db = _adapted(db)
        stops = {stop_before} if isinstance(stop_before, str) else set(stop_before or ())
        self._ensure_table(db)
        for migration in self.pending(db):
            if migration.name in stops:
                return
            with db.atomic():
                migration.fn(db)
                db.execute(
                    f'INSERT INTO "{self.table(db)}" (migration_set, name, applied_at) '
                    "VALUES (?, ?, ?)",
                    [self.name, migration.name, str(datetime.datetime.now(datetime.UTC))],
                )

    def _ensure_table(self, db: Db) -> None:
        name = self.table(db)
        if name in db.table_names():
            return
        d = db.dialect
        with db.atomic():
            db.execute(
                f'CREATE TABLE "{name}" ("id" {d.id_key}, "migration_set" {d.text}, '
                f'"name" {d.text}, "applied_at" {d.text})'
            )
            db.execute(
                f'CREATE UNIQUE INDEX "idx_{name}_migration_set_name" '
                f'ON "{name}" ("migration_set", "name")'
            )


def _adapted(db: Any) -> Db:
    """A plain sqlite-utils ``Database`` (tests build old files with one) as ours."""
    if hasattr(db, "dialect"):
        return db  # type: ignore[no-any-return]
    from bip_talk.store.concurrency import ImmediateDatabase

    return ImmediateDatabase(db.conn)
