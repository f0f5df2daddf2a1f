"""The schema, only ever changed through sqlite-utils ``Migrations``.

Append new migrations at the end; never edit one that has shipped. ``SCHEMA_VERSION``
is written to ``PRAGMA user_version`` so an older app can refuse a newer file.
"""

from __future__ import annotations

import json
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import ForeignKey
from sqlite_utils.migrations import Migrations

from bip_talk import clock

migrations = Migrations("bip_talk")


@migrations()
def m001_core(db: Database) -> None:
    db.table("caseworkers").create(
        {"id": int, "initials": str, "name": str, "created_at": str},
        pk="id",
        not_null={"initials", "name", "created_at"},
    )
    db.table("caseworkers").create_index(["initials"], unique=True)
    db.table("citizens").create(
        {"id": str, "display_name": str, "search_key": str, "target_group": str, "created_at": str},
        pk="id",
        not_null={"display_name", "search_key", "created_at"},
    )
    db.table("citizens").create_index(["search_key"])
    db.table("assignments").create(
        {
            "id": int,
            "citizen_id": str,
            "caseworker_id": int,
            "started_at": str,
            "ended_at": str,
            "reason": str,
            "assigned_by": int,
        },
        pk="id",
        not_null={"citizen_id", "caseworker_id", "started_at"},
        foreign_keys=[
            ForeignKey("assignments", "citizen_id", "citizens", "id", on_delete="CASCADE"),
            ForeignKey("assignments", "caseworker_id", "caseworkers", "id"),
        ],
    )
    db.table("assignments").create_index(["citizen_id", "started_at"])
    db.table("meetings").create(
        {
            "id": int,
            "citizen_id": str,
            "caseworker_id": int,
            "pack_id": str,
            "pack_version": str,
            "status": str,
            "held_on": str,
            "started_at": str,
            "completed_at": str,
            "position": str,
            "priority": str,
        },
        pk="id",
        not_null={
            "citizen_id",
            "caseworker_id",
            "pack_id",
            "pack_version",
            "status",
            "held_on",
            "started_at",
        },
        defaults={"status": "draft"},
        foreign_keys=[
            ForeignKey("meetings", "citizen_id", "citizens", "id", on_delete="CASCADE"),
            ForeignKey("meetings", "caseworker_id", "caseworkers", "id"),
        ],
    )
    db.table("meetings").create_index(["citizen_id", "held_on"])
    db.table("meetings").create_index(["status"])
    db.table("answers").create(
        {
            "meeting_id": int,
            "perspective": str,
            "item_id": str,
            "value": int,
            "declined": int,
            "choices": str,
            "text": str,
            "answered_at": str,
            "answered_by": int,
        },
        pk=("meeting_id", "perspective", "item_id"),
        not_null={"declined", "answered_at"},
        defaults={"declined": 0},
        foreign_keys=[ForeignKey("answers", "meeting_id", "meetings", "id", on_delete="CASCADE")],
    )
    db.table("notes").create(
        {
            "id": int,
            "meeting_id": int,
            "indicator": str,
            "visibility": str,
            "text": str,
            "author_id": int,
            "created_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"meeting_id", "visibility", "text", "created_at"},
        foreign_keys=[ForeignKey("notes", "meeting_id", "meetings", "id", on_delete="CASCADE")],
    )
    db.table("notes").create_index(["meeting_id"])
    db.table("plan_items").create(
        {
            "id": int,
            "citizen_id": str,
            "meeting_id": int,
            "kind": str,
            "title": str,
            "responsible": str,
            "due_on": str,
            "starts_on": str,
            "ends_on": str,
            "status": str,
            "rule_id": str,
            "reason": str,
            "decline_reason": str,
            "created_at": str,
            "reviewed_in": int,
            "updated_at": str,
        },
        pk="id",
        not_null={"citizen_id", "kind", "title", "status", "created_at"},
        defaults={"status": "open"},
        foreign_keys=[
            ForeignKey("plan_items", "citizen_id", "citizens", "id", on_delete="CASCADE"),
            ForeignKey("plan_items", "meeting_id", "meetings", "id", on_delete="SET NULL"),
        ],
    )
    db.table("plan_items").create_index(["citizen_id", "status"])
    # No foreign keys: an audit row outlives what it describes (erasure keeps a
    # content-free record that it happened).
    db.table("audit").create(
        {
            "id": int,
            "at": str,
            "actor_id": int,
            "citizen_id": str,
            "entity": str,
            "entity_key": str,
            "action": str,
            "old": str,
            "new": str,
        },
        pk="id",
        not_null={"at", "entity", "action"},
    )
    db.table("audit").create_index(["citizen_id"])


@migrations()
def m002_meta(db: Database) -> None:
    # Small key/value facts about this database file. ``pseudonym_secret`` keys the
    # HMAC behind the ids of a pseudonymised export: kept in the file so two exports of
    # the same database give the same ids (an analyst can follow a citizen across
    # exports); random per file so exports of different databases cannot be joined; and
    # a secret because citizen ids are short enough (31^6) to reverse a plain hash.
    import secrets

    db.table("meta").create({"key": str, "value": str}, pk="key", not_null={"value"})
    db.table("meta").insert({"key": "pseudonym_secret", "value": secrets.token_hex(32)})


@migrations()
def m003_answers_without_rowid(db: Database) -> None:
    # Answers are by far the largest table (≈5.7 M rows at 10× BIP size). As a rowid
    # table its composite primary key needs a second b-tree holding the key again; as
    # WITHOUT ROWID the key *is* the table: about 30 % smaller, one b-tree to update per
    # insert, and a meeting's answers lie together on disk. Same columns, same key.
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
def m004_citizens_by_name(db: Database) -> None:
    # The citizens list is sorted by name (``Store.search_citizens``). Without this index
    # every keystroke of a search sorted all matches of 40,000 citizens (~9 ms); with it
    # SQLite walks the names in order and stops at the first page of matches. The search
    # key rides along so the ``LIKE`` test never visits the table.
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_citizens_by_name "
        "ON citizens (display_name COLLATE NOCASE, id, search_key)"
    )


@migrations()
def m005_citizen_facts(db: Database) -> None:
    # Two facts about the citizen that the evidence rules read: the birth year (the age
    # band follows from it and the meeting's date) and the highest completed education
    # (an evidence.toml education level id). Both optional; no health facts here.
    columns = {c.name for c in db.table("citizens").columns}
    if "birth_year" not in columns:
        db.table("citizens").add_column("birth_year", int)
    if "education" not in columns:
        db.table("citizens").add_column("education", str)


@migrations()
def m006_one_draft_per_citizen(db: Database) -> None:
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


def _merge_draft(db: Database, citizen_id: str, older: int, *, into: int) -> None:
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
def m007_written_files(db: Database) -> None:
    # Every file bip-talk writes that holds a citizen's data (reports, summaries,
    # access copies) or everyone's (a full export), so an erasure can remove or name
    # each copy. No foreign key: a row outlives nothing, erasure deletes it.
    db.table("written_files").create(
        {"path": str, "citizen_id": str, "kind": str, "written_at": str},
        pk="path",
        not_null={"kind", "written_at"},
    )
    db.table("written_files").create_index(["citizen_id"])


@migrations()
def m008_outcomes(db: Database) -> None:
    # What happened to a citizen (job, job with wage subsidy or flexjob, education
    # started, other exit), with its date and who recorded it: the link from the
    # measurements to what came next that BIP's tables are built on (``bip-talk stats``).
    # Self-contained: creates only its own table and indexes.
    db.table("outcomes").create(
        {
            "id": int,
            "citizen_id": str,
            "kind": str,
            "occurred_on": str,
            "recorded_by": int,
            "recorded_at": str,
            "updated_at": str,
        },
        pk="id",
        not_null={"citizen_id", "kind", "occurred_on", "recorded_at"},
        foreign_keys=[
            ForeignKey("outcomes", "citizen_id", "citizens", "id", on_delete="CASCADE"),
            ForeignKey("outcomes", "recorded_by", "caseworkers", "id"),
        ],
    )
    # The stats ask "an outcome of these kinds within a year after this measurement?"
    # once per measurement: the citizen and the date lead, the kind rides along.
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_outcomes_by_citizen "
        "ON outcomes (citizen_id, occurred_on, kind)"
    )


@migrations()
def m009_accounts_and_access_log(db: Database) -> None:
    # Personal accounts (issue 15): a login per caseworker row, with a role and an argon2
    # hash; kept apart from ``caseworkers`` so nothing that lists or exports caseworkers
    # can carry a hash. A database with no row here is single-user local use.
    import secrets

    db.execute("""
        CREATE TABLE IF NOT EXISTS accounts (
           caseworker_id INTEGER PRIMARY KEY REFERENCES caseworkers(id),
           role TEXT NOT NULL,
           password_hash TEXT NOT NULL,
           active INTEGER NOT NULL DEFAULT 1,
           failed_logins INTEGER NOT NULL DEFAULT 0,
           last_failed_at TEXT,
           created_at TEXT NOT NULL,
           password_set_at TEXT NOT NULL,
           disabled_at TEXT
        )""")
    # The access log: who looked at which citizen's data, when and for what; failed
    # logins and refusals. Append-only: the triggers refuse every UPDATE, and a DELETE of
    # a row younger than 180 days (the least a job centre keeps it). The citizen is a
    # keyed pseudonym (HMAC under ``access_log_key``), never the id or a name: an erased
    # citizen leaves no byte of their id in the file, yet whoever holds the id can still
    # find who looked at them (docs/security.md, "Erasure and the access log").
    db.execute("""
        CREATE TABLE IF NOT EXISTS access_log (
           id INTEGER PRIMARY KEY,
           at TEXT NOT NULL,
           actor_id INTEGER,
           initials TEXT,
           role TEXT,
           event TEXT NOT NULL,
           purpose TEXT,
           citizen_ref TEXT,
           channel TEXT NOT NULL,
           detail TEXT
        )""")
    db.execute("CREATE INDEX IF NOT EXISTS idx_access_log_citizen ON access_log (citizen_ref, at)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_access_log_initials ON access_log (initials, at)")
    db.execute("CREATE INDEX IF NOT EXISTS idx_access_log_at ON access_log (at)")
    db.execute("""
        CREATE TRIGGER IF NOT EXISTS access_log_no_update BEFORE UPDATE ON access_log
        BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END""")
    db.execute("""
        CREATE TRIGGER IF NOT EXISTS access_log_no_early_delete BEFORE DELETE ON access_log
        WHEN OLD.at > strftime('%Y-%m-%dT%H:%M:%S', 'now', '-180 days')
        BEGIN SELECT RAISE(ABORT, 'access_log rows are kept at least 180 days'); END""")
    db.execute(
        "INSERT OR IGNORE INTO meta (key, value) VALUES ('access_log_key', ?)",
        [secrets.token_hex(32)],
    )


SCHEMA_VERSION = len(migrations._migrations)
