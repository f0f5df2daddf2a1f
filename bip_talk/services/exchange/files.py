"""Reading and writing export files (CSV and JSON) one row at a time.

CSV: UTF-8, comma-separated, a header row, ``\\n`` line ends; empty cell = no value,
booleans ``1``/``0``, a list of codes joined with ``;``. On reading, a byte-order mark
and semicolon-separated files (a Danish spreadsheet's default) are accepted too.

JSON: one array per file, one object per line. The reader parses the array
incrementally, so neither side ever holds a whole file in memory.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections.abc import Iterator, Sequence
from itertools import islice
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

CHUNK = 1 << 16
# A single row larger than this is not a row of ours; stop instead of reading on.
MAX_ROW_CHARS = 1 << 22
_WS = re.compile(r"[ \t\n\r]*")


class FileProblem(Exception):
    """A problem at a place in a file; ``key`` is a catalog key under ``exchange.``."""

    def __init__(self, row: int | None, field: str | None, key: str, **ctx: object) -> None:
        super().__init__(key)
        self.row = row
        self.field = field
        self.key = key
        self.ctx = ctx


# -- writing ----------------------------------------------------------------------------


def _open_private(path: Path) -> IO[str]:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return os.fdopen(fd, "w", encoding="utf-8", newline="")


class TableWriter:
    """Writes ``<name>.tmp`` and renames it into place on ``close`` (never half a file)."""

    def __init__(self, path: Path, fmt: str, columns: Sequence[str]) -> None:
        self.path = path
        self.fmt = fmt
        self.columns = list(columns)
        self.rows = 0
        self._tmp = path.with_name(path.name + ".tmp")
        self._fh = _open_private(self._tmp)
        if fmt == "csv":
            self._csv = csv.writer(self._fh, lineterminator="\n")
            self._csv.writerow(self.columns)
        else:
            self._fh.write("[")

    def write(self, values: Sequence[Any]) -> None:
        """One row, already in the file's types: for CSV str, int or None (the
        caller joins lists and keeps 0/1), for JSON anything ``json`` writes."""
        if self.fmt == "csv":
            self._csv.writerow(values)  # None becomes an empty cell
        else:
            self._fh.write("\n" if self.rows == 0 else ",\n")
            self._fh.write(
                json.dumps(dict(zip(self.columns, values, strict=True)), ensure_ascii=False)
            )
        self.rows += 1

    def close(self) -> None:
        if self.fmt == "json":
            self._fh.write("\n]\n")
        self._fh.close()
        os.replace(self._tmp, self.path)

    def abort(self) -> None:
        self._fh.close()
        self._tmp.unlink(missing_ok=True)


def write_json(path: Path, data: object) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with _open_private(tmp) as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    os.replace(tmp, path)


# -- reading ----------------------------------------------------------------------------


def read_csv(fh: IO[str]) -> tuple[list[str], Iterator[tuple[int, list[str]]]]:
    """The header and an iterator of (spreadsheet row number, the row's cells, one per
    column of the header). Header = row 1. ``domain.exchange_rows`` reads the cells."""
    header, batches = read_csv_batches(fh, _ROWS_READ_AHEAD)
    return header, rows_of(batches)


Batch = tuple[Sequence[int], list[list[str]]]


def read_csv_batches(fh: IO[str], size: int) -> tuple[list[str], Iterator[Batch]]:
    """The header and the rows as ``read_csv`` gives them, up to ``size`` at a time:
    their numbers and their cells. The rows before a problem come first, then the
    problem is raised."""
    header, delimiter = _csv_header(fh)

    def batches() -> Iterator[Batch]:
        reader = csv.reader(fh, delimiter=delimiter)
        width, first = len(header), 2
        while True:
            lines: list[list[str]] = []
            try:
                lines.extend(islice(reader, size))
            except BaseException:
                yield from _kept(lines, first, width)
                raise
            if not lines:
                return
            # The usual batch, as a whole: every row as wide as the header, none blank.
            if all(map(width.__eq__, map(len, lines))) and all(map(str.strip, map(_FIRST, lines))):
                yield range(first, first + len(lines)), lines
            else:
                yield from _kept(lines, first, width)
            first += len(lines)

    return header, batches()


def rows_of(batches: Iterator[Batch]) -> Iterator[tuple[int, list[str]]]:
    """The rows of ``read_csv_batches`` one at a time, with their numbers."""
    for numbers, lines in batches:
        yield from zip(numbers, lines, strict=True)


def _kept(lines: list[list[str]], first: int, width: int) -> Iterator[Batch]:
    """The rows of ``lines`` (numbered from ``first``) up to one of the wrong width
    (then raised), blank lines (at the end of a hand-edited file) left out."""
    numbers: list[int] = []
    kept: list[list[str]] = []
    for n, cells in enumerate(lines, start=first):
        if _blank(cells):
            continue
        if len(cells) != width:
            if kept:
                yield numbers, kept
            raise FileProblem(n, None, "csv_cells", found=len(cells), expected=width)
        numbers.append(n)
        kept.append(cells)
    if kept:
        yield numbers, kept


def _csv_header(fh: IO[str]) -> tuple[list[str], str]:
    """The header row's names and the file's delimiter (``;`` where it has more of
    them than commas)."""
    first = fh.readline()
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header_rows = list(csv.reader([first], delimiter=delimiter))
    return ([h.strip() for h in header_rows[0]] if header_rows else []), delimiter


def _blank(cells: list[str]) -> bool:
    return not cells or (not cells[0].strip() and all(not c.strip() for c in cells))


_FIRST = itemgetter(0)
_ROWS_READ_AHEAD = 500  # ``read_csv``: rows read and checked together


class _JsonStream:
    def __init__(self, fh: IO[str]) -> None:
        self.fh = fh
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.decoder = json.JSONDecoder()

    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = self.fh.read(CHUNK)
        if not chunk:
            self.eof = True
            return False
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space ('' at the end)."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def value(self) -> Any:
        while True:
            try:
                obj, end = self.decoder.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError:
                if len(self.buf) - self.pos > MAX_ROW_CHARS or not self._more():
                    raise
                continue
            # A value that ends exactly at the end of the buffer may go on in the next chunk.
            if end == len(self.buf) and self._more():
                continue
            self.pos = end
            return obj

    def take(self) -> None:
        self.pos += 1


def read_json_rows(fh: IO[str]) -> Iterator[tuple[int, dict]]:
    """(row number, object) from a JSON array of objects; row 1 is the first object."""
    s = _JsonStream(fh)
    n = 0
    try:
        if s.peek() != "[":
            raise FileProblem(None, None, "json_not_list")
        s.take()
        if s.peek() == "]":
            s.take()
        else:
            while True:
                n += 1
                if s.peek() != "{":
                    raise FileProblem(n, None, "json_not_object")
                yield n, s.value()
                sep = s.peek()
                s.take()
                if sep == "]":
                    break
                if sep != ",":
                    raise FileProblem(n, None, "json_syntax", detail=repr(sep or "EOF"))
        if s.peek() != "":
            raise FileProblem(n, None, "json_trailing")
    except json.JSONDecodeError as exc:
        raise FileProblem(n or None, None, "json_syntax", detail=exc.msg) from None
    except RecursionError:
        raise FileProblem(n or None, None, "json_too_deep") from None
    except ValueError:  # an integer longer than Python converts (4,300 digits)
        raise FileProblem(n or None, None, "json_number_too_long") from None
