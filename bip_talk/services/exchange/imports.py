"""Import an export folder (CSV or JSON) back into the database.

Every row is validated (pydantic for types and ranges, then the pack and the links
between files); the whole import is one transaction, so one bad row rejects
everything and the database stays as it was. Rows the database already holds are
recognised by natural keys (``domain.exchange.NATURAL_KEYS``) and updated instead of
duplicated, so importing the same folder twice changes nothing the second time.

Rows go ``CHUNK`` at a time: their types checked (``reading``: with a second core in
a reader process of its own, while this one looks up and writes the chunk before), the
database asked once for the whole chunk (keys seen before, citizens, unfinished
meetings, rows with the same natural keys), then each row checked in order – the
problems, their order and the numbers they name are those of one row at a time – and
the chunk written in a few statements. A chunk of answers that the reader found right
as far as the file can tell (``ready_answers``) is inserted as it came when the database
agrees (its meetings came with this import under the same ids, none has answers yet).
A file must not hold a key twice: while its rows come in key order (an export's do)
none can repeat, so nothing is recorded; from the first row out of order, keys are
recorded in a temporary table, those of the rows before read again from the file.
"""

from __future__ import annotations

import contextlib
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bip_talk import clock
from bip_talk.domain.evidence_model import evidence_of
from bip_talk.domain.exchange import (
    NATURAL_KEYS,
    ROW_MODELS,
    TABLE_BY_NAME,
    required_columns,
)
from bip_talk.domain.exchange_rows import BadText
from bip_talk.domain.pack import Pack
from bip_talk.errors import InputError
from bip_talk.i18n import Translator
from bip_talk.services.citizen_facts import OLDEST
from bip_talk.services.exchange import key_order
from bip_talk.services.exchange import ready_answers as answers
from bip_talk.services.exchange.answer_checks import AnswerChecks, known_codes
from bip_talk.services.exchange.reading import (
    CHUNK,
    END,
    READ_ERRORS,
    Checked,
    CheckedFile,
    Ending,
    Failure,
    checker,
    open_source,
    reader,
    typed,
)
from bip_talk.services.exchange.sources import Source, find_sources
from bip_talk.services.gc_pause import paused_gc
from bip_talk.store import Store
from bip_talk.store.bulk_mode import bulk_mode
from bip_talk.store.exchange.imports import (
    Incoming,
    audit_imported,
    begin_seen,
    end_seen,
    has_answers,
    insert_rows,
    known_citizens,
    record_seen,
    save_rows,
    sync_ids,
    unfinished_meetings,
)
from bip_talk.store.failures import is_database_error, store_error
from bip_talk.store.repository import search_key

MAX_PROBLEMS = 20

# pydantic's error types -> our catalog keys (custom types from domain.exchange map to
# themselves); anything else is shown as "invalid" with pydantic's own words.
_ERROR_KEYS = {
    "missing": "missing",
    "extra_forbidden": "unknown_column",
    "int_parsing": "not_integer",
    "int_type": "not_integer",
    "int_from_float": "not_integer",
    "bool_parsing": "not_boolean",
    "bool_type": "not_boolean",
    "string_type": "not_text",
    "list_type": "not_list",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
    "string_too_long": "too_long",
}


class _Rejected(Exception):
    pass


@dataclass
class ImportResult:
    folder: Path
    counts: dict[str, Counter] = field(default_factory=dict)

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())


class _Problems:
    def __init__(self, t: Translator) -> None:
        self.t = t
        self.lines: list[str] = []
        self.more = False

    def add(self, file: str, row: int | None, fld: str | None, key: str, /, **ctx: object) -> None:
        if len(self.lines) >= MAX_PROBLEMS:
            self.more = True
            return
        place = file if row is None else self.t("exchange.where_row", file=file, row=row)
        if fld:
            place += f": {fld}"
        try:
            text = self.t("exchange." + key, **ctx)
        except (KeyError, IndexError, ValueError):  # a catalog text wants a value we lack
            text = self.t("exchange.invalid", detail=key)
        self.lines.append(f"{place}: {text}")

    @property
    def full(self) -> bool:
        return len(self.lines) >= MAX_PROBLEMS

    def __bool__(self) -> bool:
        return bool(self.lines)

    def message(self) -> str:
        lines = [self.t("exchange.import_rejected"), *(f"  {line}" for line in self.lines)]
        if self.more:
            lines.append("  " + self.t("exchange.more_problems", count=MAX_PROBLEMS))
        return "\n".join(lines)


# -- the import -------------------------------------------------------------------------

# What a file must not hold twice (besides what the database's keys guard): the
# columns of each, as the message names them ("citizen_id/started_at").
UNIQUE: dict[str, tuple[tuple[str, ...], ...]] = {
    "caseworkers": (("id",), ("initials",)),
    "citizens": (("id",),),
    "assignments": (("id",), ("citizen_id", "caseworker_id", "started_at")),
    "meetings": (("id",), ("citizen_id", "started_at")),
    "answers": (answers.KEY,),
    "notes": (("id",), ("meeting_id", "created_at", "author_id", "text")),
    "plan_items": (("id",), ("citizen_id", "created_at", "kind", "title")),
    "outcomes": (("id",), ("citizen_id", "kind", "occurred_on")),
}
# Rows that name a citizen the database must hold (from citizens.csv, or from before).
_CITIZEN_ROWS = {"assignments", "meetings", "plan_items", "outcomes"}

Values = dict[str, Any]
KeyOf = Callable[[Values], tuple[Any, ...]]


def _key_of(columns: tuple[str, ...]) -> KeyOf:
    if len(columns) == 1:
        (column,) = columns
        return lambda values: (values[column],)
    return itemgetter(*columns)


def _seen_key(name: str, label: str, key: tuple[Any, ...]) -> str:
    return repr((name, label, *key))


class _Run:
    def __init__(
        self, store: Store, pack: Pack, allow_items: Iterable[str], t: Translator, actor: int | None
    ) -> None:
        self.db = store.db
        self.pack = pack
        self.allow_items = set(allow_items)
        self.t = t
        self.actor = actor
        self.problems = _Problems(t)
        self.ids: dict[str, dict[int, int]] = {"caseworkers": {}, "meetings": {}}
        self.meeting_citizen: dict[int, str] = {}
        self.touched: set[str] = set()
        self.counts: dict[str, Counter] = {}
        self.indicators = {i.id for i in pack.indicators}
        self.answer_checks = AnswerChecks(pack, self.allow_items)
        self.groups = {g.id for g in pack.manifest.target_groups}
        evidence = evidence_of(pack)
        self.education_levels = {e.id for e in evidence.education_levels} if evidence else set()
        year = clock.today().year
        self.birth_years = (year - OLDEST, year)
        # The file being read, and the last key of each ``UNIQUE`` label while the
        # file's rows come in that key's order (an export's do, by id).
        self._source: Source | None = None
        self._in_order: dict[str, Any] = {}
        # The meeting the last chunk of answers ended with, if ``_insert_ready`` took it.
        self._continued: int | None = None
        # What the database says about the chunk being checked (``_look_up``).
        self._dups: dict[tuple[int, str], int] = {}
        self._known_citizens: set[str] = set()
        self._drafts: dict[str, set[str]] = {}

    def prepare(self) -> None:
        """Inside the transaction: keys seen in the files so far live in a temporary
        table rather than Python memory (a job centre's answers would not fit a set)."""
        begin_seen(self.db)

    def close(self) -> None:
        end_seen(self.db)

    # -- files ---------------------------------------------------------------------------

    def load(self, src: Source) -> None:
        name = src.path.name
        self.counts[src.table] = Counter()
        self._source = src
        self._in_order = {"/".join(columns): key_order.FIRST for columns in UNIQUE[src.table]}
        count, last = 0, None
        shape = answers.AnswerShaper(self.answer_checks) if src.table == "answers" else None
        self._continued = None
        file = CheckedFile(src, shape=shape)
        try:
            header = file.header
            if header is None:
                self._read_problem(name, file.ending, None)
                return
            if src.fmt == "csv" and not self._header_ok(name, src.table, header):
                return
            for chunk in file.chunks():
                if isinstance(chunk, answers.ReadyAnswers):
                    count, last = count + len(chunk), chunk.last
                    if self._insert_ready(chunk):
                        continue
                    chunk = chunk.checked()
                else:
                    count, last = count + len(chunk), chunk[-1][0]
                self._chunk(src.table, name, chunk)
                if self.problems.full:
                    return
        finally:
            file.close()
        if file.ending != END:
            self._read_problem(name, file.ending, last)
            return
        if src.rows is not None and src.rows != count and not self.problems:
            self.problems.add(name, None, None, "rows_mismatch", expected=src.rows, found=count)

    def _read_problem(self, name: str, ending: Ending, last: int | None) -> None:
        kind = ending[0]
        if kind == "file":
            _, row, fld, key, ctx = ending
            self.problems.add(name, row, fld, key, **ctx)
        elif kind == "utf8":
            self.problems.add(name, None, None, "not_utf8", near=last or 1)
        elif kind == "csv":
            self.problems.add(
                name, None, None, "csv_syntax", near=(last or 1) + 1, detail=ending[1]
            )
        elif kind == "os":
            self.problems.add(name, None, None, "file_unreadable", reason=ending[1])

    def _header_ok(self, name: str, table: str, header: list[str]) -> bool:
        known = set(ROW_MODELS[table].model_fields)
        ok = True
        for col, n in Counter(header).items():
            if n > 1:
                self.problems.add(name, 1, col, "duplicate_column")
                ok = False
        for col in header:
            if col not in known:
                self.problems.add(
                    name,
                    1,
                    col or "''",
                    "unknown_column_known",
                    known=", ".join(TABLE_BY_NAME[table].column_names),
                )
                ok = False
        for col in required_columns(table):
            if col not in header:
                self.problems.add(name, 1, col, "missing_column")
                ok = False
        return ok

    # -- a chunk of rows -----------------------------------------------------------------

    def _chunk(self, table: str, name: str, checked: list[Checked]) -> None:
        """Ask the database once about the whole chunk (its types checked), check each
        row against it (problems in row order, as one row at a time would find them),
        and write the rows if nothing is wrong so far."""
        valid = [(n, v) for n, v, _ in checked if v is not None]
        self._look_up(table, name, checked[0][0], valid)
        method = getattr(self, f"_{table}")
        saving: list[Incoming] = []
        for n, row, failure in checked:
            if isinstance(failure, str):
                self.problems.add(name, n, failure, "bad_text")
            elif failure is not None:
                for err in failure:
                    self._pydantic(name, n, err)
            elif row is not None and (incoming := method(name, n, row)) and not self.problems:
                saving.append(incoming)
            if self.problems.full:
                return
        if not self.problems:
            self._save(table, saving)

    def _look_up(self, table: str, name: str, first: int, rows: list[tuple[int, Values]]) -> None:
        """What the checks of this chunk (from row ``first``) need from the database:
        which keys the file brought before, which citizens exist, which meetings are
        unfinished."""
        self._dups = {}
        for columns in UNIQUE[table]:
            label = "/".join(columns)
            get = _key_of(columns)
            if label in self._in_order:
                if self._still_in_order(label, [get(v) for _, v in rows]):
                    continue  # each key above the one before: none can be a repeat
                del self._in_order[label]
                self._replay(name, label, get, before=first)
            self._record(name, label, get, rows)
        if table in _CITIZEN_ROWS:
            self._known_citizens = known_citizens(self.db, (v["citizen_id"] for _, v in rows))
        if table == "meetings":
            self._drafts = unfinished_meetings(
                self.db, (v["citizen_id"] for _, v in rows if v["status"] == "draft")
            )

    def _still_in_order(self, label: str, keys: list[tuple[Any, ...]]) -> bool:
        ok, last = key_order.ascending(self._in_order[label], keys)
        if ok:
            self._in_order[label] = last
        return ok

    def _insert_ready(self, chunk: answers.ReadyAnswers) -> bool:
        """Insert ``chunk`` as the reader made it, if nothing but the file could be
        wrong with it: no problem so far, its rows and keys passed in the reader, each
        meeting and caseworker it names came with this import under the same id, and
        none of those meetings has answers already (they would be compared row by row) –
        but the meeting the chunk before ended with, if this way inserted that chunk: its
        answers here are the file's, below this chunk's in key order. False: the chunk
        goes the full way."""
        meetings, caseworkers = self.ids["meetings"], self.ids["caseworkers"]
        continued, self._continued = self._continued, None
        if (
            self.problems
            or not (chunk.passed and chunk.in_order)
            or answers.LABEL not in self._in_order
            or any(meetings.get(m) != m for m in chunk.meetings)
            or any(caseworkers.get(c) != c for c in chunk.answered_by)
            or has_answers(self.db, [m for m in chunk.meetings if m != continued])
        ):
            return False
        insert_rows(self.db, "answers", answers.COLUMNS, chunk.cells)
        self._in_order[answers.LABEL] = chunk.last_key
        self._continued = chunk.last_key[0]
        self.counts["answers"]["inserted"] += len(chunk)
        self.touched.update(self.meeting_citizen[m] for m in chunk.meetings)
        return True

    def _record(
        self,
        name: str,
        label: str,
        get: Callable[[Values], tuple[Any, ...]],
        rows: list[tuple[int, Values]],
    ) -> None:
        """Record this chunk's ``label`` keys as seen; a repeat (in the chunk, or of a
        key recorded before) becomes a problem of its row."""
        seen: dict[str, int] = {}
        for n, values in rows:
            key = _seen_key(name, label, get(values))
            first = seen.get(key)
            if first is None:
                seen[key] = n
            else:
                self._dups[n, label] = first
        for key, at in record_seen(self.db, list(seen.items())).items():
            self._dups[seen[key], label] = at

    def _replay(self, name: str, label: str, get: KeyOf, *, before: int) -> None:
        """The file left the order of ``label``'s key at row ``before`` or later: record
        the keys of the rows before it, read again from the file (so they never had to
        be kept)."""
        src = self._source
        if src is None:
            return
        keys: list[tuple[str, int]] = []
        with (
            contextlib.suppress(*READ_ERRORS),
            open_source(src) as fh,
        ):
            header, rows = reader(src, fh)
            check = checker(src, header)
            for n, raw in rows:
                if n >= before:
                    break
                with contextlib.suppress(BadText, ValidationError):
                    keys.append((_seen_key(name, label, get(typed(src.table, check, raw))), n))
                if len(keys) >= CHUNK:
                    record_seen(self.db, keys)
                    keys = []
        record_seen(self.db, keys)

    def _save(self, table: str, rows: list[Incoming]) -> None:
        saved = save_rows(self.db, table, rows, NATURAL_KEYS[table], actor=self.actor)
        self.counts[table].update(outcome for outcome, _ in saved)
        self.touched.update(
            row.citizen_id
            for row, (outcome, _) in zip(rows, saved, strict=True)
            if outcome != "unchanged" and row.citizen_id is not None
        )
        if table in self.ids:  # caseworkers and meetings: what later files refer to
            ids = self.ids[table]
            for row, (_, pk) in zip(rows, saved, strict=True):
                if row.file_id is not None:
                    ids[row.file_id] = pk
                    if table == "meetings":
                        # One string per citizen, not one per meeting: the map lives all import.
                        self.meeting_citizen[pk] = sys.intern(row.values["citizen_id"])

    # -- checks of one row ---------------------------------------------------------------

    def _pydantic(self, name: str, n: int, err: Failure) -> None:
        fld = "".join(
            f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p))
            for i, p in enumerate(err["loc"])
        )
        kind: str = err["type"]
        key = _ERROR_KEYS.get(kind, kind)
        ctx = dict(err["ctx"])
        ctx.setdefault("value", err["input"])
        if not self.t.has("exchange." + key):
            key, ctx = "invalid", {"detail": err["msg"]}
        self.problems.add(name, n, fld, key, **ctx)

    def _unique(self, name: str, n: int, label: str) -> bool:
        """False (and a problem) if the file held this row's ``label`` key before."""
        first = self._dups.get((n, label))
        if first is None:
            return True
        self.problems.add(name, n, label, "duplicate_row", first=first)
        return False

    def _ref(self, name: str, n: int, fld: str, table: str, value: int | None) -> int | None:
        """The database id for a file id in ``table``; a problem if the file has no such row."""
        if value is None:
            return None
        found = self.ids[table].get(value)
        if found is None:
            self.problems.add(name, n, fld, "unknown_ref", value=value, file=table)
        return found

    def _citizen(self, name: str, n: int, citizen_id: str) -> bool:
        if citizen_id in self._known_citizens:
            return True
        self.problems.add(name, n, "citizen_id", "unknown_citizen", value=citizen_id)
        return False

    def _code(self, name: str, n: int, fld: str, value: str | None, known: set[str]) -> None:
        if value is not None and value not in known:
            self.problems.add(name, n, fld, "unknown_code", value=value, known=known_codes(known))

    # -- one method per table: the row's checks, then what to write (None: nothing) -------

    def _caseworkers(self, name: str, n: int, r: Values) -> Incoming | None:
        ok = self._unique(name, n, "id") & self._unique(name, n, "initials")
        if not ok or self.problems:
            return None
        values = {"initials": r["initials"], "name": r["name"], "created_at": r["created_at"]}
        return Incoming(values, r["id"], None)

    def _citizens(self, name: str, n: int, r: Values) -> Incoming | None:
        self._unique(name, n, "id")
        if self.groups or r["target_group"]:
            self._code(name, n, "target_group", r["target_group"], self.groups)
        if self.education_levels or r["education"]:
            self._code(name, n, "education", r["education"], self.education_levels)
        first, last = self.birth_years
        birth_year = r["birth_year"]
        if birth_year is not None and not first <= birth_year <= last:
            self.problems.add(
                name, n, "birth_year", "bad_birth_year", value=birth_year, first=first, last=last
            )
        if self.problems:
            return None
        values = {
            "id": r["id"],
            "display_name": r["display_name"],
            "search_key": search_key(r["display_name"], r["id"]),
            "target_group": r["target_group"],
            "created_at": r["created_at"],
            "birth_year": birth_year,
            "education": r["education"],
        }
        return Incoming(values, None, r["id"])

    def _assignments(self, name: str, n: int, r: Values) -> Incoming | None:
        self._unique(name, n, "id")
        self._citizen(name, n, r["citizen_id"])
        cw = self._ref(name, n, "caseworker_id", "caseworkers", r["caseworker_id"])
        by = self._ref(name, n, "assigned_by", "caseworkers", r["assigned_by"])
        self._unique(name, n, "citizen_id/caseworker_id/started_at")
        if self.problems:
            return None
        values = {
            "citizen_id": r["citizen_id"],
            "caseworker_id": cw,
            "started_at": r["started_at"],
            "ended_at": r["ended_at"],
            "reason": r["reason"],
            "assigned_by": by,
        }
        return Incoming(values, r["id"], r["citizen_id"])

    def _meetings(self, name: str, n: int, r: Values) -> Incoming | None:
        citizen_id, started_at, status = r["citizen_id"], r["started_at"], r["status"]
        self._unique(name, n, "id")
        self._citizen(name, n, citizen_id)
        cw = self._ref(name, n, "caseworker_id", "caseworkers", r["caseworker_id"])
        if r["pack_id"] != self.pack.id:
            self.problems.add(
                name, n, "pack_id", "other_pack", value=r["pack_id"], pack=self.pack.id
            )
        self._code(name, n, "priority", r["priority"], self.indicators)
        self._unique(name, n, "citizen_id/started_at")
        # One unfinished meeting per citizen (schema m006): the database's, as the rows
        # before this one in the file leave it.
        drafts = self._drafts.get(citizen_id)
        if status == "draft" and drafts and drafts - {started_at}:
            self.problems.add(name, n, "status", "second_draft", citizen=citizen_id)
        if self.problems:
            return None
        if drafts is not None:
            drafts.discard(started_at)
            if status == "draft":
                drafts.add(started_at)
        values = {
            "citizen_id": citizen_id,
            "caseworker_id": cw,
            "pack_id": r["pack_id"],
            "pack_version": r["pack_version"],
            "status": status,
            "held_on": r["held_on"],
            "started_at": started_at,
            "completed_at": r["completed_at"],
            "priority": r["priority"],
        }
        return Incoming(values, r["id"], citizen_id)

    def _answers(self, name: str, n: int, r: Values) -> Incoming | None:
        meeting = self._ref(name, n, "meeting_id", "meetings", r["meeting_id"])
        by = self._ref(name, n, "answered_by", "caseworkers", r["answered_by"])
        for fld, key, ctx in self.answer_checks.problems(r):
            self.problems.add(name, n, fld, key, **ctx)
        self._unique(name, n, answers.LABEL)
        if self.problems or meeting is None:
            return None
        _, *cells, _ = answers.cells_of(r)
        values = dict(zip(answers.COLUMNS, (meeting, *cells, by), strict=True))
        return Incoming(values, None, self.meeting_citizen[meeting])

    def _notes(self, name: str, n: int, r: Values) -> Incoming | None:
        self._unique(name, n, "id")
        meeting = self._ref(name, n, "meeting_id", "meetings", r["meeting_id"])
        author = self._ref(name, n, "author_id", "caseworkers", r["author_id"])
        self._code(name, n, "indicator", r["indicator"], self.indicators)
        self._unique(name, n, "meeting_id/created_at/author_id/text")
        if self.problems or meeting is None:
            return None
        values = {
            "meeting_id": meeting,
            "indicator": r["indicator"],
            "visibility": r["visibility"],
            "text": r["text"],
            "author_id": author,
            "created_at": r["created_at"],
            "updated_at": r["updated_at"],
        }
        return Incoming(values, r["id"], self.meeting_citizen[meeting])

    def _plan_items(self, name: str, n: int, r: Values) -> Incoming | None:
        self._unique(name, n, "id")
        self._citizen(name, n, r["citizen_id"])
        meeting = self._ref(name, n, "meeting_id", "meetings", r["meeting_id"])
        reviewed = self._ref(name, n, "reviewed_in", "meetings", r["reviewed_in"])
        self._unique(name, n, "citizen_id/created_at/kind/title")
        if self.problems:
            return None
        values = {
            "citizen_id": r["citizen_id"],
            "meeting_id": meeting,
            "kind": r["kind"],
            "title": r["title"],
            "responsible": r["responsible"],
            "due_on": r["due_on"],
            "starts_on": r["starts_on"],
            "ends_on": r["ends_on"],
            "status": r["status"],
            "rule_id": r["rule_id"],
            "reason": r["reason"],
            "decline_reason": r["decline_reason"],
            "created_at": r["created_at"],
            "reviewed_in": reviewed,
            "updated_at": r["updated_at"],
        }
        return Incoming(values, r["id"], r["citizen_id"])

    def _outcomes(self, name: str, n: int, r: Values) -> Incoming | None:
        self._unique(name, n, "id")
        self._citizen(name, n, r["citizen_id"])
        by = self._ref(name, n, "recorded_by", "caseworkers", r["recorded_by"])
        self._unique(name, n, "citizen_id/kind/occurred_on")
        if self.problems:
            return None
        values = {
            "citizen_id": r["citizen_id"],
            "kind": r["kind"],
            "occurred_on": r["occurred_on"],
            "recorded_by": by,
            "recorded_at": r["recorded_at"],
            "updated_at": r["updated_at"],
        }
        return Incoming(values, r["id"], r["citizen_id"])

    def finish(self) -> None:
        sync_ids(self.db)
        audit_imported(self.db, sorted(self.touched), actor=self.actor)


def import_data(
    store: Store,
    pack: Pack,
    source: Path,
    *,
    allow_items: Iterable[str] = (),
    t: Translator | None = None,
    actor: int | None = None,
) -> ImportResult:
    """Import the export at ``source`` (folder or its manifest.json) in one transaction."""
    t = t or Translator()
    folder, sources = find_sources(Path(source), t)
    run = _Run(store, pack, allow_items, t, actor)
    try:
        # A rollback journal while it runs (``store.bulk_mode``), and no foreign key
        # checks, as when seeding: every id a row refers to is resolved here first – a
        # row of this import under the id it was saved with (``_ref``, and for ready
        # answers ``_insert_ready``), or a citizen the database holds (``_citizen``) –
        # and refused with a message otherwise. SQLite's check of each row only repeated
        # that, at a quarter of the inserts' time (0.9 s of a 4,000 citizens' import);
        # the tests check imported files with ``foreign_key_check``. The page cache as it
        # is, so memory stays flat however large the file.
        with (
            paused_gc(),
            bulk_mode(store.db, cache_kib=None),
            store.db.atomic(),
        ):
            run.prepare()
            for src in sources:
                run.load(src)
                if run.problems:
                    raise _Rejected
            run.finish()
    except _Rejected:
        raise InputError(run.problems.message()) from None
    except Exception as exc:
        if not is_database_error(exc):
            raise
        # A full disk or a damaged file has its own message; otherwise validation should
        # have caught everything, and if the database still refuses, say so plainly.
        error = store_error(exc, path=getattr(store.db, "path", ""), lang=t.lang)
        if error is not None:
            raise error from None
        raise InputError(t("exchange.import_failed", detail=str(exc))) from None
    finally:
        run.close()
    return ImportResult(folder, run.counts)
