"""Bulk insert of synthetic citizens: plain ``executemany`` in large transactions
(SQLite), ``COPY`` (PostgreSQL).

The generator is consumed citizen by citizen and handed to the database every
``batch`` citizens, so memory stays flat however large the cohort. Meeting ids are
handed out here (max id + 1 …) so answers can be written without a round trip per
meeting. Only for seeding and the demo: everyday writes go through ``Store`` (audit
rows).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from bip_talk.domain.outcomes import JOB, OTHER
from bip_talk.domain.synthetic.cohort import CitizenHistory, SyntheticCaseworker
from bip_talk.store import bulk_mode
from bip_talk.store.dialect import Db
from bip_talk.store.repository import search_key

Row = tuple[Any, ...]

DEFAULT_BATCH = 1000  # citizens per executemany round (~140,000 answer rows at BIP density)

INSERT = {
    "citizens": "INSERT INTO citizens (id, display_name, search_key, target_group, created_at) "
    "VALUES (?, ?, ?, ?, ?)",
    "assignments": "INSERT INTO assignments (citizen_id, caseworker_id, started_at, ended_at, "
    "reason, assigned_by) VALUES (?, ?, ?, ?, ?, ?)",
    "meetings": "INSERT INTO meetings (id, citizen_id, caseworker_id, pack_id, pack_version, "
    "status, held_on, started_at, completed_at, priority) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "answers": "INSERT INTO answers (meeting_id, perspective, item_id, value, declined, choices, "
    "answered_at, answered_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    "plan_items": "INSERT INTO plan_items (citizen_id, meeting_id, kind, title, due_on, "
    "starts_on, ends_on, status, created_at, reviewed_in, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    "notes": "INSERT INTO notes (meeting_id, indicator, visibility, text, author_id, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)",
    "outcomes": "INSERT INTO outcomes (citizen_id, kind, occurred_on, recorded_by, recorded_at) "
    "VALUES (?, ?, ?, ?, ?)",
}
# Parents before children (foreign keys are checked on every insert).
ORDER = ("citizens", "assignments", "meetings", "answers", "plan_items", "notes", "outcomes")
# The columns of each INSERT, for PostgreSQL's COPY.
COLUMNS = {
    name: tuple(c.strip() for c in sql.split("(", 1)[1].split(")", 1)[0].split(","))
    for name, sql in INSERT.items()
}

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
    outcomes: int = 0

    @property
    def rows(self) -> int:
        return sum(asdict(self).values())


def stamp(day: date, minute: int = 8 * 60) -> str:
    """The UTC ISO timestamp the repository writes, for a date and a time of day."""
    return _clock(day.isoformat(), minute)


def _clock(day: str, minute: int) -> str:
    return f"{day}T{minute // 60:02d}:{minute % 60:02d}:00+00:00"


def is_empty(db: Db) -> bool:
    return bool(db.execute("SELECT NOT EXISTS (SELECT 1 FROM citizens)").fetchone()[0])


def existing_citizen_ids(db: Db) -> set[str]:
    return {r[0] for r in db.execute("SELECT id FROM citizens").fetchall()}


def count_citizens(db: Db) -> int:
    return int(db.execute("SELECT count(*) FROM citizens").fetchone()[0])


def audit_seed(db: Db, counts: BulkCounts, seed: int, at: str) -> None:
    """One content-free audit row for the whole run (not one per synthetic row)."""
    with db.atomic():
        db.execute(
            "INSERT INTO audit (at, entity, action, new) VALUES (?, 'seed', 'bulk_insert', ?)",
            [at, json.dumps({"seed": seed, **counts.__dict__})],
        )


def empty_rows() -> dict[str, list[Row]]:
    return {name: [] for name in ORDER}


class RowBuilder:
    """Turns histories into the rows of each table, handing out meeting ids from
    ``next_meeting``. No database access: it may run in another process."""

    def __init__(
        self,
        *,
        pack_id: str,
        pack_version: str,
        texts: Mapping[str, str],
        caseworker_ids: Mapping[int, int],
        next_meeting: int,
    ) -> None:
        self.pack_id = pack_id
        self.pack_version = pack_version
        self.texts = texts
        self.cw_ids = caseworker_ids
        self.next_meeting = next_meeting
        self._choices: dict[tuple[str, ...], str] = {}

    def _choices_json(self, choices: tuple[str, ...]) -> str:
        text = self._choices.get(choices)
        if text is None:
            text = self._choices[choices] = json.dumps(list(choices))
        return text

    def batches(
        self, histories: Iterable[CitizenHistory], size: int
    ) -> Iterator[dict[str, list[Row]]]:
        """Rows for ``size`` citizens at a time."""
        rows, pending = empty_rows(), 0
        for history in histories:
            self.add(history, rows)
            pending += 1
            if pending >= size:
                yield rows
                rows, pending = empty_rows(), 0
        if pending:
            yield rows

    def add(self, h: CitizenHistory, rows: dict[str, list[Row]]) -> None:
        cid, cw_ids, texts = h.id, self.cw_ids, self.texts
        rows["citizens"].append(
            (
                cid,
                h.display_name,
                search_key(h.display_name, cid),
                h.target_group,
                stamp(h.created_on),
            )
        )
        for a in h.assignments:
            cw = cw_ids[a.caseworker]
            rows["assignments"].append(
                (
                    cid,
                    cw,
                    stamp(a.starts_on),
                    stamp(a.ended_on) if a.ended_on else None,
                    texts.get(f"reason.{a.reason}", a.reason),
                    cw,
                )
            )
        ids: list[int] = []
        started: list[str] = []
        meetings, answers = rows["meetings"], rows["answers"]
        choices_json = self._choices_json
        meeting_id = self.next_meeting
        for m in h.meetings:
            cw = cw_ids[m.caseworker]
            day = m.held_on.isoformat()
            begun = _clock(day, m.minute)
            done = _clock(day, m.minute + MEETING_MINUTES) if m.status == "complete" else None
            meetings.append(
                (
                    meeting_id,
                    cid,
                    cw,
                    self.pack_id,
                    self.pack_version,
                    m.status,
                    day,
                    begun,
                    done,
                    m.priority,
                )
            )
            at = _clock(day, m.minute + ANSWERED_AFTER_MINUTES)
            answers.extend(
                (
                    meeting_id,
                    p,
                    item,
                    value,
                    declined,
                    choices_json(choices) if choices else None,
                    at,
                    cw,
                )
                for p, item, value, declined, choices in m.answers
            )
            ids.append(meeting_id)
            started.append(begun)
            meeting_id += 1
        self.next_meeting = meeting_id
        for s in h.spells:
            reviewed = s.reviewed_at
            rows["plan_items"].append(
                (
                    cid,
                    ids[s.agreed_at],
                    s.kind,
                    texts.get(f"plan.{s.kind}", s.kind),
                    s.ends_on.isoformat(),
                    s.starts_on.isoformat(),
                    s.ends_on.isoformat(),
                    s.status,
                    started[s.agreed_at],
                    ids[reviewed] if reviewed is not None else None,
                    started[reviewed] if reviewed is not None else None,
                )
            )
        for n in h.notes:
            author = cw_ids[h.meetings[n.meeting].caseworker]
            rows["notes"].append(
                (ids[n.meeting], n.indicator, n.visibility, n.text, author, started[n.meeting])
            )
        # The model's outcome: a job, or leaving for another reason; recorded by the
        # caseworker the citizen had at the end.
        ended = (JOB, h.job_on) if h.job_on else (OTHER, h.left_on) if h.left_on else None
        if ended is not None:
            kind, on = ended
            by = cw_ids[h.assignments[-1].caseworker] if h.assignments else None
            rows["outcomes"].append((cid, kind, on.isoformat(), by, stamp(on)))


class BulkWriter:
    """Writes rows with ``executemany`` every ``batch`` citizens, all in one transaction
    (or one per ``commit_every`` citizens): ``caseworkers(pool)`` first, then
    ``write(histories)`` (rows built here) or ``write_rows(batches)`` (rows built
    elsewhere, e.g. in a generator process).

    Why one transaction: the small tables' indexes are keyed by random citizen ids, so
    every commit rewrites nearly all their pages to the write-ahead log; 40 commits made
    a 10× seed more than twice as slow. One transaction also means an interrupted seed
    leaves the database exactly as it was.

    SQLite writes in bulk mode meanwhile (``store.bulk_mode``: no foreign key checks,
    a rollback journal, a larger cache): every id a row refers to was handed out here
    or read in the same transaction, and ``tests/unit/test_cohort.py`` checks seeded
    files with ``foreign_key_check``.

    On PostgreSQL the same one transaction (holding the write lock, as every write
    does) carries ``COPY`` per table and batch.
    """

    def __init__(
        self,
        db: Db,
        *,
        pack_id: str,
        pack_version: str,
        texts: Mapping[str, str],
        batch: int = DEFAULT_BATCH,
        commit_every: int | None = None,
        on_batch: Callable[[BulkCounts], None] | None = None,
    ) -> None:
        self.db = db
        self.sqlite = db.dialect.is_sqlite
        self.conn: Any = getattr(db, "conn", None)  # sqlite3's, on SQLite
        self.pack_id = pack_id
        self.pack_version = pack_version
        self.texts = texts
        self.batch = max(1, batch)
        self.commit_every = commit_every
        self.on_batch = on_batch
        # SQLite: in bulk mode, and what it changed (``_bulk_mode``).
        self._in_bulk = False
        self._before: bulk_mode.Before | None = None

    def next_meeting_id(self) -> int:
        return int(self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM meetings").fetchone()[0])

    def caseworkers(
        self,
        pool: list[SyntheticCaseworker],
        created_on: date,
    ) -> tuple[dict[int, int], int]:
        """Database ids for the pool; caseworkers already present (same initials) are
        reused. Returns the ids by pool key and how many were new. Opens the write
        transaction that ``write_rows`` then carries on and commits."""
        self._begin()
        try:
            known = self._caseworker_ids()
            new = [(c.initials, c.name, stamp(created_on)) for c in pool if c.initials not in known]
            if new:
                self.db.executemany(
                    "INSERT INTO caseworkers (initials, name, created_at) VALUES (?, ?, ?)", new
                )
                known = self._caseworker_ids()
        except BaseException:
            self.db.rollback()
            self._end_bulk_mode()
            raise
        return {c.key: known[c.initials] for c in pool}, len(new)

    def _caseworker_ids(self) -> dict[str, int]:
        # From the table itself, in the order of its key (not from the covering index of
        # initials): foreign keys go unchecked while seeding, so an index out of step
        # with its table (see ``health``) must not hand out ids of rows that are gone.
        # The pool's initials are then new here, and that unique index refuses them.
        return dict(self.db.execute("SELECT initials, id FROM caseworkers ORDER BY id").fetchall())

    def builder(self, caseworker_ids: Mapping[int, int]) -> RowBuilder:
        return RowBuilder(
            pack_id=self.pack_id,
            pack_version=self.pack_version,
            texts=self.texts,
            caseworker_ids=caseworker_ids,
            next_meeting=self.next_meeting_id(),
        )

    def write(
        self,
        histories: Iterable[CitizenHistory],
        caseworker_ids: Mapping[int, int],
    ) -> BulkCounts:
        return self.write_rows(self.builder(caseworker_ids).batches(histories, self.batch))

    def write_rows(self, batches: Iterable[dict[str, list[Row]]]) -> BulkCounts:
        counts = BulkCounts()
        db, write = self.db, self._writer()
        uncommitted = 0
        try:
            if not db.in_transaction:  # else: the one ``caseworkers`` opened
                self._begin()
            for rows in batches:
                for name in ORDER:
                    if rows[name]:
                        write(name, rows[name])
                    setattr(counts, name, getattr(counts, name) + len(rows[name]))
                uncommitted += len(rows["citizens"])
                if self.commit_every and uncommitted >= self.commit_every:
                    self._commit()
                    self._begin()
                    uncommitted = 0
                if self.on_batch:
                    self.on_batch(counts)
            self._commit()
        except BaseException:
            db.rollback()
            raise
        finally:
            self._end_bulk_mode()
        return counts

    def _writer(self) -> Callable[[str, list[Row]], None]:
        if self.sqlite:
            conn = self.conn
            return lambda name, rows: conn.executemany(INSERT[name], rows)
        copy_rows = self.db.copy_rows  # type: ignore[attr-defined]
        return lambda name, rows: copy_rows(name, COLUMNS[name], rows)

    def _commit(self) -> None:
        # Meetings came with their ids: PostgreSQL numbers the next one after them; and
        # tables just filled by COPY need planner statistics before the app reads them.
        self.db.sync_ids("meetings")
        if not self.sqlite:
            for name in ("caseworkers", *ORDER):
                self.db.execute(f'ANALYZE "{name}"')
        self.db.execute("COMMIT")

    def _bulk_mode(self) -> None:
        """SQLite, outside a transaction, before the first write (``store.bulk_mode``)."""
        if self.sqlite and not self._in_bulk:
            self._before = bulk_mode.enter(self.db)
            self._in_bulk = True

    def _end_bulk_mode(self) -> None:
        """After the commit (or the rollback): the file and connection as before."""
        if not self._in_bulk or self.db.in_transaction:
            return
        bulk_mode.leave(self.db, self._before)
        self._in_bulk, self._before = False, None

    def _begin(self) -> None:
        if self.db.in_transaction:  # never fold our rows into someone's open transaction
            self.db.execute("COMMIT")
        if self.sqlite:
            self._bulk_mode()
            self.conn.execute("BEGIN IMMEDIATE")
        else:
            self.db.begin_write()  # type: ignore[attr-defined]
