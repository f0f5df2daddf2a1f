"""Reading one file of an export: its header, then its rows in chunks, each row's types
checked (``domain.exchange_rows``), then how the reading ended.

With a second core, a file of more than ``PARALLEL_MIN_BYTES`` is read and checked in a
forked reader process (``services.forked``) while the importer looks rows up and writes
them, as seed's generator does. Answers go further in the reader (``ready_answers``):
their cells straight as stored, a column at a time, each cell new to its column checked
once (a CSV file's lines come in batches: ``files.read_csv_batches``), the pack's
checks, their key order, and a chunk that passes all of it ready for the database. What
a chunk holds is plain data (values, or the problem of a row in plain words) so that it
crosses the pipe as it is, and the reader in this process gives exactly the same: the
problems, their order and their numbers do not depend on where the file was read.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bip_talk.domain.exchange_rows import BadText, RowChecker
from bip_talk.services.exchange.files import (
    Batch,
    FileProblem,
    read_csv,
    read_csv_batches,
    read_json_rows,
    rows_of,
)
from bip_talk.services.exchange.ready_answers import AnswerShaper, ReadyAnswers, StoredCells
from bip_talk.services.exchange.sources import Source
from bip_talk.services.forked import can_fork, from_helper
from bip_talk.services.gc_pause import paused_gc

# Rows checked, looked up and written together: one query per chunk and kind of lookup
# instead of one per row, one ``executemany`` per chunk for the inserts.
CHUNK = 500  # larger chunks save no time and hold more rows in memory at once
# Below this size a reader process costs more (its start, the pipe) than it saves; at
# 2 MB (as before) the 4,000 citizens' plan items, assignments and citizens were read
# here, 0.5 s of the import's 7 s.
PARALLEL_MIN_BYTES = 200_000

READ_ERRORS = (FileProblem, UnicodeDecodeError, csv.Error, OSError)

Values = dict[str, Any]
# A pydantic error in plain words: loc, type, msg, and ctx/input shortened to text.
Failure = dict[str, Any]
# A row after its types were checked: its number, its values, or why it failed (the
# field with text the database cannot store, or pydantic's errors).
Checked = tuple[int, Values | None, str | list[Failure] | None]
# How a file's reading ended: ("end",) at its end; otherwise the problem –
# ("file", row, field, key, ctx), ("utf8",), ("csv", detail), ("os", reason).
Ending = tuple[Any, ...]
END: Ending = ("end",)
# A chunk as the importer takes it: rows as read, or answers ready for the database.
Chunk = list[Checked] | ReadyAnswers


def short(value: Any) -> str:
    """A value quoted in a message: at most 40 characters, never a crash of its own
    (a list nested a thousand deep, an integer of thousands of digits)."""
    try:
        text = (
            value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        )
    except (RecursionError, ValueError):
        text = type(value).__name__
    return text if len(text) <= 40 else text[:39] + "…"


def open_source(src: Source) -> IO[str]:
    return src.path.open(encoding="utf-8-sig", newline="")


def reader(src: Source, fh: IO[str]) -> tuple[list[str], Iterator[tuple[int, Any]]]:
    """The header (CSV; none for JSON) and the rows of an open file."""
    if src.fmt == "csv":
        return read_csv(fh)
    return [], read_json_rows(fh)


def checker(src: Source, header: list[str]) -> Callable[[Any], Values]:
    """The check of one row of ``src`` (its header read, for CSV)."""
    if src.fmt == "csv":
        return RowChecker(src.table, header).cells
    return RowChecker(src.table).mapping


def typed(table: str, check: Callable[[Any], Values], raw: Any) -> Values:
    """The row's values, types checked (``BadText``, ``ValidationError``)."""
    values = check(raw)
    if table == "caseworkers":  # one caseworker, however the initials were typed
        values["initials"] = values["initials"].strip().upper()
    return values


def _plain(err: ErrorDetails) -> Failure:
    return {
        "loc": tuple(err["loc"]),
        "type": err["type"],
        "msg": err["msg"],
        "ctx": {k: short(v) for k, v in (err.get("ctx") or {}).items()},
        "input": short(err.get("input")),
    }


def _ending(exc: BaseException) -> Ending:
    if isinstance(exc, FileProblem):
        return ("file", exc.row, exc.field, exc.key, exc.ctx)
    if isinstance(exc, UnicodeDecodeError):
        return ("utf8",)
    if isinstance(exc, csv.Error):
        return ("csv", str(exc))
    if isinstance(exc, OSError):
        return ("os", str(exc.strerror or exc))
    raise exc


def _produce(src: Source, shape: AnswerShaper | None) -> Generator[Any, None, None]:
    """The header (or None and the ending), then chunks (lists of ``Checked``, or what
    ``shape`` makes of them), then the ending."""
    try:
        fh = open_source(src)
    except OSError as exc:
        yield None
        yield _ending(exc)
        return
    with fh, paused_gc():
        try:
            if shape is not None and src.fmt == "csv":
                header, batches = read_csv_batches(fh, CHUNK)
                rows: Iterator[tuple[int, Any]] | None = None
            else:
                header, rows = reader(src, fh)
        except READ_ERRORS as exc:
            yield None
            yield _ending(exc)
            return
        yield header
        table = src.table
        if rows is None:  # answers in CSV
            assert shape is not None  # the only way to the batches above
            stored = shape.stored_cells(src.fmt, header)
            if stored is not None:
                yield from _answer_chunks(batches, shape, stored, RowChecker(table, header))
                return
            rows = rows_of(batches)  # a column left out: row by row
        check = checker(src, header)
        shaped: Callable[[list[Any]], Chunk] = shape or _as_read
        chunk: list[Checked] = []
        try:
            for n, raw in rows:
                chunk.append(_checked(n, table, check, raw))
                if len(chunk) >= CHUNK:
                    yield shaped(chunk)
                    chunk = []
        except READ_ERRORS as exc:
            if chunk:
                yield shaped(chunk)
            yield _ending(exc)
            return
        if chunk:
            yield shaped(chunk)
        yield END


def _answer_chunks(
    batches: Iterator[Batch], shape: AnswerShaper, stored: StoredCells, check: RowChecker
) -> Iterator[Any]:
    """A CSV file of answers with every column, a batch of lines at a time: their cells
    as stored (``StoredCells.batch``), shaped; then the ending."""

    def whole(n: int, raw: list[str]) -> Checked:
        return _checked(n, "answers", check.cells, raw)

    try:
        for numbers, lines in batches:
            yield shape(stored.batch(numbers, lines, check.cell, whole))
    except READ_ERRORS as exc:
        yield _ending(exc)
        return
    yield END


def _checked(n: int, table: str, check: Callable[[Any], Values], raw: Any) -> Checked:
    try:
        return (n, typed(table, check, raw), None)
    except BadText as exc:
        return (n, None, exc.field)
    except ValidationError as exc:
        return (n, None, [_plain(e) for e in exc.errors()])


def _as_read(chunk: list[Any]) -> list[Checked]:
    return chunk


class CheckedFile:
    """One file, read and checked: ``header`` (None: unreadable), then ``chunks()``,
    then ``ending``. Read in a forked process when ``parallel``; ``shape`` turns each
    chunk into what the importer takes (``ready_answers``), in the reader."""

    def __init__(
        self, src: Source, *, parallel: bool | None = None, shape: AnswerShaper | None = None
    ) -> None:
        if parallel is None:
            parallel = can_fork() and _size(src.path) >= PARALLEL_MIN_BYTES
        self._items = (
            from_helper("import", _produce, src, shape, pickled=True)
            if parallel
            else _produce(src, shape)
        )
        self.header: list[str] | None = next(self._items)
        self.ending: Ending = END if self.header is not None else next(self._items)

    def chunks(self) -> Iterator[Chunk]:
        if self.header is None:
            return
        for item in self._items:
            if isinstance(item, tuple):
                self.ending = item
                return
            yield item

    def close(self) -> None:
        """Stops the reader (a rejected file is not read to its end)."""
        self._items.close()


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
