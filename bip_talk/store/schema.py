"""The schema: one list of migrations for SQLite and PostgreSQL (``migrations.py``).

Append new migrations at the end; never change what one that has shipped does. Each
writes its DDL once with the dialect's types (``dialect.Dialect``: an integer key the
database numbers, text compared byte by byte, integers) and says where the two
databases differ. ``SCHEMA_VERSION`` is the number of migrations: SQLite keeps it in
``PRAGMA user_version``, PostgreSQL counts the applied ones, so an older app refuses
a newer database either way.

The SQLite DDL is what sqlite-utils' ``Table.create`` wrote before this runner (same
columns, types, keys and index names: ``tests/golden/sqlite_schema.json``).
"""

from __future__ import annotations

import json
from typing import Any

from bip_talk import clock
from bip_talk.store.dialect import Db
from bip_talk.store.migrations import Migrations

migrations = Migrations("bip_talk")


def _index(db: Db, table: str, columns: list[str], *, unique: bool = False) -> None:
    """An index named as sqlite-utils named them (``idx_TABLE_COL_COL``)."""
    name = f"idx_{table}_{'_'.join(columns)}"
    cols = ", ".join(f'"{c}"' for c in columns)
    kind = "UNIQUE INDEX" if unique else "INDEX"
    db.execute(f'CREATE {kind} "{name}" ON "{table}" ({cols})')


@migrations()
def m001_core(db: Db) -> None:
    d = db.dialect
    key, text, num = d.id_key, d.text, d.integer
    db.execute(
        f'CREATE TABLE "caseworkers" ("id" {key}, "initials" {text} NOT NULL, '
        f'"name" {text} NOT NULL, "created_at" {text} NOT NULL)'
    )
    _index(db, "caseworkers", ["initials"], unique=True)
    db.execute(
        f'CREATE TABLE "citizens" ("id" {text} PRIMARY KEY, "display_name" {text} NOT NULL, '
        f'"search_key" {text} NOT NULL, "target_group" {text}, "created_at" {text} NOT NULL)'
    )
    _index(db, "citizens", ["search_key"])
    db.execute(
        f'CREATE TABLE "assignments" ("id" {key}, '
        f'"citizen_id" {text} NOT NULL REFERENCES "citizens"("id") ON DELETE CASCADE, '
        f'"caseworker_id" {num} NOT NULL REFERENCES "caseworkers"("id"), '
        f'"started_at" {text} NOT NULL, "ended_at" {text}, "reason" {text}, '
        f'"assigned_by" {num})'
    )
    _index(db, "assignments", ["citizen_id", "started_at"])
    db.execute(
        f'CREATE TABLE "meetings" ("id" {key}, '
        f'"citizen_id" {text} NOT NULL REFERENCES "citizens"("id") ON DELETE CASCADE, '
        f'"caseworker_id" {num} NOT NULL REFERENCES "caseworkers"("id"), '
        f'"pack_id" {text} NOT NULL, "pack_version" {text} NOT NULL, '
        f'"status" {text} NOT NULL DEFAULT \'draft\', "held_on" {text} NOT NULL, '
        f'"started_at" {text} NOT NULL, "completed_at" {text}, "position" {text}, '
        f'"priority" {text})'
    )
    _index(db, "meetings", ["citizen_id", "held_on"])
    _index(db, "meetings", ["status"])
    db.execute(
        f'CREATE TABLE "answers" ('
        f'"meeting_id" {num} NOT NULL REFERENCES "meetings"("id") ON DELETE CASCADE, '
        f'"perspective" {text} NOT NULL, "item_id" {text} NOT NULL, "value" {num}, '
        f'"declined" {num} NOT NULL DEFAULT 0, "choices" {text}, "text" {text}, '
        f'"answered_at" {text} NOT NULL, "answered_by" {num}, '
        'PRIMARY KEY ("meeting_id", "perspective", "item_id"))'
    )
    db.execute(
        f'CREATE TABLE "notes" ("id" {key}, '
        f'"meeting_id" {num} NOT NULL REFERENCES "meetings"("id") ON DELETE CASCADE, '
        f'"indicator" {text}, "visibility" {text} NOT NULL, "text" {text} NOT NULL, '
        f'"author_id" {num}, "created_at" {text} NOT NULL, "updated_at" {text})'
    )
    _index(db, "notes", ["meeting_id"])
    db.execute(
        f'CREATE TABLE "plan_items" ("id" {key}, '
        f'"citizen_id" {text} NOT NULL REFERENCES "citizens"("id") ON DELETE CASCADE, '
        f'"meeting_id" {num} REFERENCES "meetings"("id") ON DELETE SET NULL, '
        f'"kind" {text} NOT NULL, "title" {text} NOT NULL, "responsible" {text}, '
        f'"due_on" {text}, "starts_on" {text}, "ends_on" {text}, '
        f'"status" {text} NOT NULL DEFAULT \'open\', "rule_id" {text}, '
        f'"reason" {text}, "decline_reason" {text}, "created_at" {text} NOT NULL, '
        f'"reviewed_in" {num}, "updated_at" {text})'
    )
    _index(db, "plan_items", ["citizen_id", "status"])
    # No foreign keys: an audit row outlives what it describes (erasure keeps a
    # content-free record that it happened).
    db.execute(
        f'CREATE TABLE "audit" ("id" {key}, "at" {text} NOT NULL, "actor_id" {num}, '
        f'"citizen_id" {text}, "entity" {text} NOT NULL, "entity_key" {text}, '
        f'"action" {text} NOT NULL, "old" {text}, "new" {text})'
    )
    _index(db, "audit", ["citizen_id"])


@migrations()
def m002_meta(db: Db) -> None:
    # Small key/value facts about this database file. ``pseudonym_secret`` keys the
    # HMAC behind the ids of a pseudonymised export: kept in the file so two exports of
    # the same database give the same ids (an analyst can follow a citizen across
    # exports); random per file so exports of different databases cannot be joined; and
    # a secret because citizen ids are short enough (31^6) to reverse a plain hash.
    import secrets

    text = db.dialect.text
    db.execute(f'CREATE TABLE "meta" ("key" {text} PRIMARY KEY, "value" {text} NOT NULL)')
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?)", ["pseudonym_secret", secrets.token_hex(32)]
    )


@migrations()
def m003_answers_without_rowid(db: Db) -> None:
    # Answers are by far the largest table (≈5.7 M rows at 10× BIP size). As a rowid
    # table its composite primary key needs a second b-tree holding the key again; as
    # WITHOUT ROWID the key *is* the table: about 30 % smaller, one b-tree to update per
    # insert, and a meeting's answers lie together on disk. Same columns, same key.
    # PostgreSQL has no such choice (a table is a heap beside its key's index): nothing
    # to do there.
    if not db.dialect.is_sqlite:
        return
    db.execute("""
        CREATE TABLE "answers_clustered" (
           "meeting_id" INTEGER NOT NULL REFERENCES "meetings"("id") ON DELETE CASCADE,
           "perspective" TEXT NOT NULL,
           "item_id" TEXT NOT NULL,
           "value" INTEGER,
           "declined" INTEGER NOT NULL DEFAULT 0,
           "choices" TEXT,
           "text" TEXT,
           "answered_at" TEXT NOT NULL,
           "answered_by" INTEGER,
           PRIMARY KEY ("meeting_id", "perspective", "item_id")
        ) WITHOUT ROWID""")
    db.execute(
        'INSERT INTO "answers_clustered" SELECT meeting_id, perspective, item_id, value, '
        "declined, choices, text, answered_at, answered_by FROM answers"
    )
    db.execute("DROP TABLE answers")
    db.execute('ALTER TABLE "answers_clustered" RENAME TO "answers"')


@migrations()
def m004_citizens_by_name(db: Db) -> None:
    # The citizens list is sorted by name (``Store.search_citizens``). Without this index
    # every keystroke of a search sorted all matches of 40,000 citizens (~9 ms); with it
    # SQLite walks the names in order and stops at the first page of matches. The search
    # key rides along so the ``LIKE`` test never visits the table. The order is the
    # dialect's ``nocase`` (PostgreSQL: ``lower()`` of "C" text, the same ASCII folding).
    name = db.dialect.nocase("display_name")
    db.execute(
        f"CREATE INDEX IF NOT EXISTS idx_citizens_by_name ON citizens ({name}, id, search_key)"
    )


@migrations()
def m005_citizen_facts(db: Db) -> None:
    # Two facts about the citizen that the evidence rules read: the birth year (the age
    # band follows from it and the meeting's date) and the highest completed education
    # (an evidence.toml education level id). Both optional; no health facts here.
    columns = set(db.column_names("citizens"))
    if "birth_year" not in columns:
        db.execute(f'ALTER TABLE "citizens" ADD COLUMN "birth_year" {db.dialect.integer}')
    if "education" not in columns:
        db.execute(f'ALTER TABLE "citizens" ADD COLUMN "education" {db.dialect.text}')


@migrations()
def m006_one_draft_per_citizen(db: Db) -> None:
    # One unfinished meeting per citizen, kept by the schema: two windows opening the
    # same citizen at once each started a draft, and answers saved to the older one
    # vanished from resume, review and history. Files from before hold such pairs:
    # merge them into the newest draft (the one resume showed) first.
    dup_citizens = [
        r[0]
        for r in db.execute(
            "SELECT citizen_id FROM meetings WHERE status = 'draft' "
            "GROUP BY citizen_id HAVING count(*) > 1"
        ).fetchall()
    ]
    for citizen_id in dup_citizens:
        ids = [
            r[0]
            for r in db.execute(
                "SELECT id FROM meetings WHERE citizen_id = ? AND status = 'draft' "
                "ORDER BY started_at DESC, id DESC",
                [citizen_id],
            ).fetchall()
        ]
        for older in ids[1:]:
            _merge_draft(db, citizen_id, older, into=ids[0])
    db.execute(
        "CREATE UNIQUE INDEX idx_meetings_one_draft ON meetings (citizen_id) WHERE status = 'draft'"
    )


def _merge_draft(db: Db, citizen_id: str, older: int, *, into: int) -> None:
    """Move ``older``'s answers (the later answer wins; the other goes to the audit
    table as an earlier value), notes and plan links into ``into``, then drop it."""
    now = clock.now_iso()
    cols = "perspective, item_id, value, declined, choices, text, answered_at, answered_by"
    for row in db.execute(f"SELECT {cols} FROM answers WHERE meeting_id = ?", [older]).fetchall():
        perspective, item_id, answered_at = row[0], row[1], row[6]
        kept = db.execute(
            f"SELECT {cols} FROM answers WHERE meeting_id = ? AND perspective = ? AND item_id = ?",
            [into, perspective, item_id],
        ).fetchone()
        if kept is None:
            db.execute(
                "UPDATE answers SET meeting_id = ? WHERE meeting_id = ? AND perspective = ? "
                "AND item_id = ?",
                [into, older, perspective, item_id],
            )
            continue
        loser, winner = (kept, row) if answered_at > kept[6] else (row, kept)
        db.execute(
            "INSERT INTO audit (at, actor_id, citizen_id, entity, entity_key, action, old, new) "
            "VALUES (?, NULL, ?, 'answer', ?, 'merge', ?, ?)",
            [now, citizen_id, f"{into}/{perspective}/{item_id}", _answer(loser), _answer(winner)],
        )
        if winner is row:
            db.execute(
                "DELETE FROM answers WHERE meeting_id = ? AND perspective = ? AND item_id = ?",
                [into, perspective, item_id],
            )
            db.execute(
                "UPDATE answers SET meeting_id = ? WHERE meeting_id = ? AND perspective = ? "
                "AND item_id = ?",
                [into, older, perspective, item_id],
            )
    db.execute("UPDATE notes SET meeting_id = ? WHERE meeting_id = ?", [into, older])
    db.execute("UPDATE plan_items SET meeting_id = ? WHERE meeting_id = ?", [into, older])
    db.execute("UPDATE plan_items SET reviewed_in = ? WHERE reviewed_in = ?", [into, older])
    db.execute(
        "UPDATE meetings SET priority = (SELECT priority FROM meetings WHERE id = ?) "
        "WHERE id = ? AND priority IS NULL",
        [older, into],
    )
    db.execute(
        "INSERT INTO audit (at, actor_id, citizen_id, entity, entity_key, action, old, new) "
        "VALUES (?, NULL, ?, 'meeting', ?, 'merge', NULL, ?)",
        [now, citizen_id, str(older), json.dumps({"into": into})],
    )
    db.execute("DELETE FROM meetings WHERE id = ?", [older])


def _answer(row: tuple[Any, ...]) -> str:
    """An answer row as the audit table keeps earlier values (``Store._answer_json``)."""
    value, declined, choices, text = row[2], row[3], row[4], row[5]
    return json.dumps(
        {
            "value": value,
            "declined": bool(declined),
            "choices": json.loads(choices) if choices else [],
            "text": text or "",
        },
        ensure_ascii=False,
    )


@migrations()
def m007_written_files(db: Db) -> None:
    # Every file bip-talk writes that holds a citizen's data (reports, summaries,
    # access copies) or everyone's (a full export), so an erasure can remove or name
    # each copy. No foreign key: a row outlives nothing, erasure deletes it.
    text = db.dialect.text
    db.execute(
        f'CREATE TABLE "written_files" ("path" {text} PRIMARY KEY, "citizen_id" {text}, '
        f'"kind" {text} NOT NULL, "written_at" {text} NOT NULL)'
    )
    _index(db, "written_files", ["citizen_id"])


@migrations()
def m008_outcomes(db: Db) -> None:
    # What happened to a citizen (job, job with wage subsidy or flexjob, education
    # started, other exit), with its date and who recorded it: the link from the
    # measurements to what came next that BIP's tables are built on (``bip-talk stats``).
    # Self-contained: creates only its own table and indexes.
    d = db.dialect
    db.execute(
        f'CREATE TABLE "outcomes" ("id" {d.id_key}, '
        f'"citizen_id" {d.text} NOT NULL REFERENCES "citizens"("id") ON DELETE CASCADE, '
        f'"kind" {d.text} NOT NULL, "occurred_on" {d.text} NOT NULL, '
        f'"recorded_by" {d.integer} REFERENCES "caseworkers"("id"), '
        f'"recorded_at" {d.text} NOT NULL, "updated_at" {d.text})'
    )
    # The stats ask "an outcome of these kinds within a year after this measurement?"
    # once per measurement: the citizen and the date lead, the kind rides along.
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_outcomes_by_citizen "
        "ON outcomes (citizen_id, occurred_on, kind)"
    )


@migrations()
def m009_accounts_and_access_log(db: Db) -> None:
    # Personal accounts (issue 15): a login per caseworker row, with a role and an argon2
    # hash; kept apart from ``caseworkers`` so nothing that lists or exports caseworkers
    # can carry a hash. A database with no row here is single-user local use.
    import secrets

    d = db.dialect
    key, text, num = d.id_key, d.text, d.integer
    db.execute(
        f'CREATE TABLE "accounts" ("caseworker_id" {num} PRIMARY KEY REFERENCES '
        f'"caseworkers" ("id"), "role" {text} NOT NULL, "password_hash" {text} NOT NULL, '
        f'"active" {num} NOT NULL DEFAULT 1, "failed_logins" {num} NOT NULL DEFAULT 0, '
        f'"last_failed_at" {text}, "created_at" {text} NOT NULL, '
        f'"password_set_at" {text} NOT NULL, "disabled_at" {text})'
    )
    # The access log: who looked at which citizen's data, when and for what; failed
    # logins and refusals. Append-only: the triggers refuse every UPDATE, and a DELETE of
    # a row younger than 180 days (the least a job centre keeps it). The citizen is a
    # keyed pseudonym (HMAC under ``access_log_key``), never the id or a name: an erased
    # citizen leaves no byte of their id in the file, yet whoever holds the id can still
    # find who looked at them (docs/security.md, "Erasure and the access log").
    db.execute(
        f'CREATE TABLE "access_log" ("id" {key}, "at" {text} NOT NULL, "actor_id" {num}, '
        f'"initials" {text}, "role" {text}, "event" {text} NOT NULL, "purpose" {text}, '
        f'"citizen_ref" {text}, "channel" {text} NOT NULL, "detail" {text})'
    )
    db.execute('CREATE INDEX "idx_access_log_citizen" ON "access_log" ("citizen_ref", "at")')
    db.execute('CREATE INDEX "idx_access_log_initials" ON "access_log" ("initials", "at")')
    db.execute('CREATE INDEX "idx_access_log_at" ON "access_log" ("at")')
    if d.is_sqlite:
        db.execute(
            "CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "
            "BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END"
        )
        db.execute(
            "CREATE TRIGGER access_log_no_early_delete BEFORE DELETE ON access_log "
            "WHEN OLD.at > strftime('%Y-%m-%dT%H:%M:%S', 'now', '-180 days') "
            "BEGIN SELECT RAISE(ABORT, 'access_log rows are kept at least 180 days'); END"
        )
    else:  # the same two rules as one trigger function (times are UTC ISO text)
        db.execute(
            "CREATE FUNCTION access_log_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION 'access_log is append-only'; END IF; "
            "IF OLD.at > to_char(now() AT TIME ZONE 'UTC' - interval '180 days', "
            "'YYYY-MM-DD\"T\"HH24:MI:SS') THEN "
            "RAISE EXCEPTION 'access_log rows are kept at least 180 days'; END IF; "
            "RETURN OLD; END $$"
        )
        db.execute(
            "CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log "
            "FOR EACH ROW EXECUTE FUNCTION access_log_guard()"
        )
    db.execute(
        "INSERT INTO meta (key, value) VALUES ('access_log_key', ?) ON CONFLICT DO NOTHING",
        [secrets.token_hex(32)],
    )


SCHEMA_VERSION = len(migrations._migrations)
