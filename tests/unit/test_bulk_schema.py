"""Migration m003: answers become a WITHOUT ROWID table (the 10× size target), and an
older file keeps every answer through it."""

from __future__ import annotations

import sqlite3

from bip_talk.store import open_database
from bip_talk.store.schema import SCHEMA_VERSION

ROWID_ANSWERS = """
CREATE TABLE "answers" (
   "meeting_id" INTEGER REFERENCES "meetings"("id") ON DELETE CASCADE,
   "perspective" TEXT, "item_id" TEXT, "value" INTEGER,
   "declined" INTEGER NOT NULL DEFAULT 0, "choices" TEXT, "text" TEXT,
   "answered_at" TEXT NOT NULL, "answered_by" INTEGER,
   PRIMARY KEY ("meeting_id", "perspective", "item_id"))"""


def _without_rowid(conn: sqlite3.Connection) -> bool:
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'answers'").fetchone()[0]
    return sql.rstrip().upper().endswith("WITHOUT ROWID")


def test_new_database_has_clustered_answers(tmp_path):
    db = open_database(tmp_path / "new.db")
    assert _without_rowid(db.conn)
    assert [c.name for c in db["answers"].columns][:3] == ["meeting_id", "perspective", "item_id"]
    db.close()


def test_an_older_file_keeps_its_answers_through_the_migration(tmp_path):
    path = tmp_path / "old.db"
    open_database(path).close()
    # Turn the file back into schema version 2: rowid answers, m003 not applied.
    conn = sqlite3.connect(path)
    conn.executescript(f"""
        DROP TABLE answers; {ROWID_ANSWERS};
        DELETE FROM _sqlite_migrations WHERE name = 'm003_answers_without_rowid';
        PRAGMA user_version = {SCHEMA_VERSION - 1};
        INSERT INTO caseworkers (id, initials, name, created_at) VALUES (1, 'AB', 'A B', 'x');
        INSERT INTO citizens (id, display_name, search_key, created_at)
            VALUES ('B-222222', 'n', 'n', 'x');
        INSERT INTO meetings (id, citizen_id, caseworker_id, pack_id, pack_version, status,
            held_on, started_at) VALUES (7, 'B-222222', 1, 'bip', '1', 'complete', 'd', 's');
        INSERT INTO answers VALUES (7, 'citizen', 'helbred', 4, 0, NULL, NULL, 't', 1);
        INSERT INTO answers VALUES (7, 'citizen', 'kanaler', NULL, 0, '["internet"]', NULL, 't', 1);
        INSERT INTO answers VALUES (7, 'caseworker', 'sb_tro', NULL, 1, NULL, NULL, 't', 1);
    """)
    conn.commit()
    before = conn.execute("SELECT * FROM answers ORDER BY 1, 2, 3").fetchall()
    conn.close()
    db = open_database(path)
    assert _without_rowid(db.conn)
    assert db.conn.execute("SELECT * FROM answers ORDER BY 1, 2, 3").fetchall() == before
    assert db.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.conn.execute("DELETE FROM meetings WHERE id = 7")  # the cascade still holds
    assert db.conn.execute("SELECT count(*) FROM answers").fetchone()[0] == 0
    db.close()
    assert list(tmp_path.glob("old.db.v*.bak"))  # backed up before migrating
