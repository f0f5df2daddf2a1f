"""The SQL of an import, a chunk of rows at a time: the keys the files brought before,
what the database already holds, and each chunk's inserts, updates and audit rows in a
few statements. The caller holds one transaction around all of it, so a rejected file
leaves the database exactly as it was.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import itemgetter
from typing import Any, Literal, NamedTuple

from bip_talk import clock
from bip_talk.store.concurrency import insert_sql
from bip_talk.store.dialect import Db

Outcome = Literal["inserted", "updated", "unchanged"]

# Tables whose rows have their own integer id (answers are keyed by meeting/perspective/item).
_HAS_ID = {"caseworkers", "assignments", "meetings", "notes", "plan_items", "outcomes"}
_ANSWER_PK = ("meeting_id", "perspective", "item_id")
# Values in one ``IN (…)`` list: far below either database's limit on parameters.
IN_SLICE = 512
_AUDIT = (
    "INSERT INTO audit (at, actor_id, citizen_id, entity, entity_key, action, old, new) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


def _slices(values: Sequence[Any], size: int = IN_SLICE) -> Iterator[list[Any]]:
    """``values`` a slice at a time, each padded (with its last value again) to a power
    of two: a handful of statements to prepare and cache instead of one per length."""
    for start in range(0, len(values), size):
        part = list(values[start : start + size])
        padded = 1 << (len(part) - 1).bit_length()
        yield part + [part[-1]] * (padded - len(part))


def _in(column: str, count: int) -> str:
    return f'"{column}" IN ({", ".join("?" * count)})'


# -- keys seen so far in the files (a temporary table, not Python memory) ---------------


def begin_seen(db: Db) -> None:
    """Inside the import's transaction: an empty table of the keys seen in the files
    (a job centre's answers would not fit a Python set)."""
    # SQLite: the keys are the table itself (WITHOUT ROWID), one b-tree to write, not two.
    rowid = " WITHOUT ROWID" if db.dialect.is_sqlite else ""
    db.execute(
        "CREATE TEMP TABLE IF NOT EXISTS import_seen "
        f"(k TEXT PRIMARY KEY, at_row INTEGER NOT NULL){rowid}"
    )
    db.execute(f"DELETE FROM {db.dialect.temp}import_seen")


def record_seen(db: Db, keys: Sequence[tuple[str, int]]) -> dict[str, int]:
    """Record each ``(key, row)`` as seen (each key once in ``keys``, rows ascending
    across calls); returns the keys that were seen before this call, with the row each
    was first seen at. One statement when none was (no exception: on PostgreSQL one
    would end the transaction)."""
    if not keys:
        return {}
    temp = db.dialect.temp
    added = db.executemany(
        f"INSERT INTO {temp}import_seen (k, at_row) VALUES (?, ?) ON CONFLICT (k) DO NOTHING",
        keys,
    )
    if added == len(keys):
        return {}
    rows = dict(keys)
    earlier: dict[str, int] = {}
    for part in _slices(list(rows)):
        found = db.execute(
            f"SELECT k, at_row FROM {temp}import_seen WHERE {_in('k', len(part))}", list(part)
        ).fetchall()
        earlier.update({k: int(at) for k, at in found if at != rows[k]})
    return earlier


def end_seen(db: Db) -> None:
    db.execute(f"DROP TABLE IF EXISTS {db.dialect.temp}import_seen")


def sync_ids(db: Db) -> None:
    """After rows kept the ids of the file: new rows numbered after them."""
    for table in sorted(_HAS_ID):
        db.sync_ids(table)


# -- what the database holds ------------------------------------------------------------


def known_citizens(db: Db, citizen_ids: Iterable[str]) -> set[str]:
    """Those of ``citizen_ids`` the database holds."""
    wanted = list(dict.fromkeys(citizen_ids))
    known: set[str] = set()
    for part in _slices(wanted):
        rows = db.execute(f"SELECT id FROM citizens WHERE {_in('id', len(part))}", list(part))
        known.update(r[0] for r in rows.fetchall())
    return known


def has_answers(db: Db, meeting_ids: Sequence[int]) -> bool:
    """Whether any of ``meeting_ids`` has answers here."""
    for part in _slices(meeting_ids):
        sql = f"SELECT 1 FROM answers WHERE {_in('meeting_id', len(part))} LIMIT 1"
        if db.execute(sql, part).fetchone() is not None:
            return True
    return False


def unfinished_meetings(db: Db, citizen_ids: Iterable[str]) -> dict[str, set[str]]:
    """The start times of the unfinished meetings of each of ``citizen_ids`` (an empty
    set for a citizen with none)."""
    wanted = list(dict.fromkeys(citizen_ids))
    found: dict[str, set[str]] = {c: set() for c in wanted}
    for part in _slices(wanted):
        rows = db.execute(
            "SELECT citizen_id, started_at FROM meetings "
            f"WHERE status = 'draft' AND {_in('citizen_id', len(part))}",
            list(part),
        )
        for citizen_id, started_at in rows.fetchall():
            found[citizen_id].add(started_at)
    return found


# -- rows -----------------------------------------------------------------------------


class Incoming(NamedTuple):  # a tuple: made for every row of a file, cheaply
    """One row of a file, ready for its table: ``values`` by column (every row of a
    table has the same columns), the id the file gave it, its citizen (for the audit)."""

    values: dict[str, Any]
    file_id: int | None
    citizen_id: str | None


def save_rows(
    db: Db,
    table: str,
    rows: Sequence[Incoming],
    key: Sequence[str],
    *,
    actor: int | None,
) -> list[tuple[Outcome, Any]]:
    """Insert each row, or bring the row with the same natural ``key`` up to date and
    keep its earlier values in the audit table. Returns each row's outcome and its key in
    this database (its id, the citizen id, or the answer's key), in order.

    The rows hold each natural key once (the caller refused duplicates) and ``key[0]`` is
    never NULL. Where the database holds two rows with one natural key, the one with the
    lowest id is the match. A new row keeps the id from the file when that id is still
    free here, so a copy into an empty database numbers everything exactly as the
    original did; otherwise it gets the next id after the largest, as one INSERT at a
    time would have given it. Updates go first: every state on the way is then part of
    the end state, so no unique index sees a conflict the end state does not have.
    """
    if not rows:
        return []
    key_of = _getter(key)
    existing = _existing(db, table, key, key_of, rows)
    results: list[tuple[Outcome, Any] | None] = [None] * len(rows)
    new: list[int] = []
    audits: list[list[Any]] = []
    for i, row in enumerate(rows):
        old = existing.get(key_of(row.values))
        if old is None:
            new.append(i)
            continue
        pk = _pk(table, old)
        changed = {k: v for k, v in row.values.items() if old.get(k) != v}
        if not changed:
            results[i] = ("unchanged", pk)
            continue
        sets = ", ".join(f'"{k}" = ?' for k in changed)
        where, args = _pk_where(table, old)
        db.execute(f'UPDATE "{table}" SET {sets} WHERE {where}', [*changed.values(), *args])
        old_values = json.dumps({k: old[k] for k in changed}, ensure_ascii=False)
        audits.append(
            [
                clock.now_iso(),
                actor,
                row.citizen_id,
                table,
                _key_text(pk),
                "import",
                old_values,
                None,
            ]
        )
        results[i] = ("updated", pk)
    if audits:
        db.executemany(_AUDIT, audits)
    if new:
        columns = tuple(rows[new[0]].values)
        cells = _getter(columns)
        if table in _HAS_ID:
            ids = _new_ids(db, table, [rows[i].file_id for i in new])
            insert_rows(
                db,
                table,
                ("id", *columns),
                [(n, *cells(rows[i].values)) for n, i in zip(ids, new, strict=True)],
            )
            for n, i in zip(ids, new, strict=True):
                results[i] = ("inserted", n)
        else:
            values = [cells(rows[i].values) for i in new]
            insert_rows(db, table, columns, values)
            pk_of = _getter(tuple(columns.index(c) for c in _pk_columns(table)))
            for i, cells_of_row in zip(new, values, strict=True):
                pk = pk_of(cells_of_row)
                results[i] = ("inserted", pk if table == "answers" else pk[0])
    return results  # type: ignore[return-value]  # every slot filled above


def _getter(keys: Sequence[Any]) -> Callable[[Any], tuple[Any, ...]]:
    """``keys`` of a dict (or indexes of a tuple), as a tuple."""
    if len(keys) == 1:
        (only,) = keys
        return lambda row: (row[only],)
    return itemgetter(*keys)


def _existing(
    db: Db,
    table: str,
    key: Sequence[str],
    key_of: Callable[[Any], tuple[Any, ...]],
    rows: Sequence[Incoming],
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """The rows the database holds with the natural keys of ``rows``, by key: one query
    per ``IN_SLICE`` values of the key's first column, the rest compared here (``None``
    matches ``None``, as the SQL ``IS`` does)."""
    probe = key[0]
    wanted = list(dict.fromkeys(r.values[probe] for r in rows))
    order = ' ORDER BY "id"' if table in _HAS_ID else ""
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for part in _slices(wanted):
        sql = f'SELECT * FROM "{table}" WHERE {_in(probe, len(part))}{order}'
        for row in db.rows(sql, list(part)):
            found.setdefault(key_of(row), row)
    return found


def _new_ids(db: Db, table: str, preferred: Sequence[int | None]) -> list[int]:
    """The id of each new row: the file's while free, else the largest so far + 1."""
    wanted = [p for p in preferred if p is not None]
    taken: set[int] = set()
    for part in _slices(wanted):
        rows = db.execute(f'SELECT id FROM "{table}" WHERE {_in("id", len(part))}', list(part))
        taken.update(r[0] for r in rows.fetchall())
    ids: list[int] = []
    handed: set[int] = set()
    top = 0  # the largest id handed out here
    largest: int | None = None  # the database's, fetched only when a row needs it
    for p in preferred:
        if p is not None and p not in taken and p not in handed:
            new = p
        else:
            if largest is None:
                largest = int(
                    db.execute(f'SELECT coalesce(max(id), 0) FROM "{table}"').fetchone()[0]
                )
            new = max(largest, top) + 1
        handed.add(new)
        top = max(top, new)
        ids.append(new)
    return ids


def insert_rows(
    db: Db, table: str, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
) -> None:
    """New rows, as they are: ``executemany`` (SQLite), ``COPY`` (PostgreSQL)."""
    if db.dialect.is_sqlite:
        db.executemany(insert_sql(table, columns), rows)
    else:
        db.copy_rows(table, columns, rows)  # type: ignore[attr-defined]


def _pk_columns(table: str) -> tuple[str, ...]:
    return _ANSWER_PK if table == "answers" else ("id",)


def _pk(table: str, row: dict[str, Any]) -> Any:
    """The row's key: the answer's (meeting, perspective, item), else its id."""
    pk = tuple(row[k] for k in _pk_columns(table))
    return pk if table == "answers" else pk[0]


def _pk_where(table: str, row: dict[str, Any]) -> tuple[str, list[Any]]:
    if table == "answers":
        return " AND ".join(f'"{k}" = ?' for k in _ANSWER_PK), [row[k] for k in _ANSWER_PK]
    return "id = ?", [row["id"]]


def _key_text(pk: Any) -> str:
    return "/".join(str(p) for p in pk) if isinstance(pk, tuple) else str(pk)


def audit_imported(db: Db, citizen_ids: Iterable[str], *, actor: int | None) -> None:
    """One audit row per citizen the import changed, all at this moment."""
    at = clock.now_iso()
    rows = [[at, actor, c, "citizen", c, "import", None, None] for c in citizen_ids]
    if rows:
        db.executemany(_AUDIT, rows)


def audit(
    db: Db,
    *,
    actor: int | None,
    citizen_id: str | None,
    entity: str,
    key: str | None,
    action: str,
    old: str | None = None,
    new: str | None = None,
) -> None:
    db.execute(_AUDIT, [clock.now_iso(), actor, citizen_id, entity, key, action, old, new])
