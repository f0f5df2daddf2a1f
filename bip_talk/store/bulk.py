"""Bulk insert of synthetic citizens: plain ``executemany`` in large transactions.

The generator is consumed citizen by citizen and flushed every ``batch`` citizens, so
memory stays flat however large the cohort. Each transaction holds whole citizens:
an interrupted seed leaves a smaller but consistent database. Meeting ids are handed
out here (max id + 1 …) so answers can be written without a round trip per meeting.
Only for seeding and the demo: everyday writes go through ``Store`` (audit rows).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass
from datetime import date

from sqlite_utils import Database

from bip_talk.domain.cohort_model import CitizenHistory, SyntheticCaseworker
from bip_talk.store.repository import search_key

DEFAULT_BATCH = 1000  # citizens per transaction (~140,000 answer rows at BIP density)

INSERT = {
    "citizens": "INSERT INTO citizens (id, display_name, search_key, target_group, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
    "assignments": "INSERT INTO assignments (citizen_id, caseworker_id, started_at, ended_at, "
                   "reason, assigned_by) VALUES (?, ?, ?, ?, ?, ?)",
    "meetings": "INSERT INTO meetings (id, citizen_id, caseworker_id, pack_id, pack_version, "
                "status, held_on, started_at, completed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "answers": "INSERT INTO answers (meeting_id, perspective, item_id, value, declined, choices, "
               "answered_at, answered_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "plan_items": "INSERT INTO plan_items (citizen_id, meeting_id, kind, title, due_on, "
                  "starts_on, ends_on, status, created_at, reviewed_in, updated_at) "
                  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "notes": "INSERT INTO notes (meeting_id, indicator, visibility, text, author_id, created_at) "
             "VALUES (?, ?, ?, ?, ?, ?)",
}
# Parents before children (foreign keys are checked on every insert).
ORDER = ("citizens", "assignments", "meetings", "answers", "plan_items", "notes")

MEETING_MINUTES = 45
ANSWERED_AFTER_MINUTES = 20


@dataclass
class BulkCounts:
    caseworkers: int = 0
    citizens: int = 0
    assignments: int = 0
    meetings: int = 0
    answers: int = 0
    plan_items: int = 0
    notes: int = 0

    @property
    def rows(self) -> int:
        return sum(asdict(self).values())


def stamp(day: date, minute: int = 8 * 60) -> str:
    """The UTC ISO timestamp the repository writes, for a date and a time of day."""
    return f"{day.isoformat()}T{minute // 60:02d}:{minute % 60:02d}:00+00:00"


def is_empty(db: Database) -> bool:
    return db.conn.execute("SELECT NOT EXISTS (SELECT 1 FROM citizens)").fetchone()[0] == 1


def existing_citizen_ids(db: Database) -> set[str]:
    return {r[0] for r in db.conn.execute("SELECT id FROM citizens")}


def count_citizens(db: Database) -> int:
    return db.conn.execute("SELECT count(*) FROM citizens").fetchone()[0]


class BulkWriter:
    """``BulkWriter(db, pack_id=…, pack_version=…, texts=…).write(pool, histories)``.

    ``texts`` maps ``plan.<kind>`` and ``reason.<code>`` to the words stored in the
    database (plan item titles, assignment reasons); a missing key stores the code.
    """

    def __init__(
        self, db: Database, *, pack_id: str, pack_version: str, texts: Mapping[str, str],
        batch: int = DEFAULT_BATCH, on_batch: Callable[[BulkCounts], None] | None = None,
    ) -> None:
        self.conn: sqlite3.Connection = db.conn
        self.pack_id = pack_id
        self.pack_version = pack_version
        self.texts = texts
        self.batch = max(1, batch)
        self.on_batch = on_batch
        self._choices: dict[tuple[str, ...], str] = {}

    # -- caseworkers -------------------------------------------------------------------

    def caseworkers(self, pool: list[SyntheticCaseworker], created_on: date) -> tuple[dict[int, int], int]:
        """Database ids for the pool; caseworkers already present (same initials) are reused."""
        known = dict(self.conn.execute("SELECT initials, id FROM caseworkers"))
        new = [(c.initials, c.name, stamp(created_on)) for c in pool if c.initials not in known]
        if new:
            self._begin()
            try:
                self.conn.executemany(
                    "INSERT INTO caseworkers (initials, name, created_at) VALUES (?, ?, ?)", new)
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            known = dict(self.conn.execute("SELECT initials, id FROM caseworkers"))
        return {c.key: known[c.initials] for c in pool}, len(new)

    # -- citizens ----------------------------------------------------------------------

    def write(self, histories: Iterable[CitizenHistory], caseworker_ids: Mapping[int, int]) -> BulkCounts:
        counts = BulkCounts()
        next_meeting = self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM meetings").fetchone()[0]
        rows: dict[str, list[tuple]] = {name: [] for name in ORDER}
        pending = 0
        for history in histories:
            next_meeting = self._rows(history, caseworker_ids, next_meeting, rows)
            pending += 1
            if pending >= self.batch:
                self._flush(rows, counts)
                pending = 0
        if pending:
            self._flush(rows, counts)
        return counts

    def _begin(self) -> None:
        if self.conn.in_transaction:  # never fold our batch into someone's open transaction
            self.conn.execute("COMMIT")
        self.conn.execute("BEGIN IMMEDIATE")

    def _flush(self, rows: dict[str, list[tuple]], counts: BulkCounts) -> None:
        self._begin()
        try:
            for name in ORDER:
                if rows[name]:
                    self.conn.executemany(INSERT[name], rows[name])
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        for name in ORDER:
            setattr(counts, name, getattr(counts, name) + len(rows[name]))
            rows[name].clear()
        if self.on_batch:
            self.on_batch(counts)

    def _choices_json(self, choices: tuple[str, ...]) -> str:
        text = self._choices.get(choices)
        if text is None:
            text = self._choices[choices] = json.dumps(list(choices))
        return text

    def _rows(
        self, h: CitizenHistory, cw_ids: Mapping[int, int], meeting_id: int,
        rows: dict[str, list[tuple]],
    ) -> int:
        cid = h.id
        rows["citizens"].append(
            (cid, h.display_name, search_key(h.display_name, cid), h.target_group,
             stamp(h.created_on)))
        for a in h.assignments:
            cw = cw_ids[a.caseworker]
            rows["assignments"].append(
                (cid, cw, stamp(a.starts_on), stamp(a.ended_on) if a.ended_on else None,
                 self.texts.get(f"reason.{a.reason}", a.reason), cw))
        ids: list[int] = []
        started: list[str] = []
        meetings, answers = rows["meetings"], rows["answers"]
        choices_json = self._choices_json
        for m in h.meetings:
            cw = cw_ids[m.caseworker]
            begun = stamp(m.held_on, m.minute)
            done = stamp(m.held_on, m.minute + MEETING_MINUTES) if m.status == "complete" else None
            meetings.append((meeting_id, cid, cw, self.pack_id, self.pack_version, m.status,
                             m.held_on.isoformat(), begun, done))
            at = stamp(m.held_on, m.minute + ANSWERED_AFTER_MINUTES)
            answers.extend(
                (meeting_id, p, item, value, declined, choices_json(choices) if choices else None,
                 at, cw)
                for p, item, value, declined, choices in m.answers
            )
            ids.append(meeting_id)
            started.append(begun)
            meeting_id += 1
        for s in h.spells:
            reviewed = ids[s.reviewed_at] if s.reviewed_at is not None else None
            rows["plan_items"].append(
                (cid, ids[s.agreed_at], s.kind, self.texts.get(f"plan.{s.kind}", s.kind),
                 s.ends_on.isoformat(), s.starts_on.isoformat(), s.ends_on.isoformat(), s.status,
                 started[s.agreed_at], reviewed,
                 started[s.reviewed_at] if s.reviewed_at is not None else None))
        for n in h.notes:
            author = cw_ids[h.meetings[n.meeting].caseworker]
            rows["notes"].append(
                (ids[n.meeting], n.indicator, n.visibility, n.text, author, started[n.meeting]))
        return meeting_id
