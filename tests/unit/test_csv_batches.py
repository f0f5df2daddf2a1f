"""``read_csv_batches`` (and ``read_csv``, the same rows one at a time): the rows with
the numbers a spreadsheet gives them, whatever the batch size, blank lines left out,
and a problem raised only after the rows before it."""

from __future__ import annotations

import csv
import io

import pytest

from bip_talk.services.exchange.files import FileProblem, read_csv, read_csv_batches

HEADER = "a,b,c\n"
LONG = "x" * (csv.field_size_limit() + 1)


def _rows(text: str) -> tuple[list, BaseException | None]:
    header, rows = read_csv(io.StringIO(text))
    out = []
    try:
        out.extend(rows)
    except (FileProblem, csv.Error) as exc:
        return [header, out], exc
    return [header, out], None


def _batched(text: str, size: int) -> tuple[list, BaseException | None]:
    header, batches = read_csv_batches(io.StringIO(text), size)
    out = []
    try:
        for numbers, lines in batches:
            assert len(numbers) == len(lines) <= size
            out.extend(zip(numbers, lines, strict=True))
    except (FileProblem, csv.Error) as exc:
        return [header, out], exc
    return [header, out], None


CASES = {
    "plain": HEADER + "".join(f"{n},{n},x\n" for n in range(10)),
    "semicolons": "a;b;c\n1;2;3\n4;5;6\n",
    "blank lines": HEADER + "1,2,3\n\n4,5,6\n,,\n , ,\n7,8,9\n\n",
    "first cell empty": HEADER + "1,2,3\n,5,6\n7,8,9\n",
    "a line across two": HEADER + '1,"two\nlines",3\n4,5,6\n',
    "too few cells": HEADER + "1,2,3\n4,5,6\n7,8\n9,9,9\n",
    "too many cells": HEADER + "1,2,3,4\n",
    "a cell too large": HEADER + "1,2,3\n4,5,6\n" + f"7,{LONG},9\n" + "1,1,1\n",
    "header only": HEADER,
}


@pytest.mark.parametrize("size", [1, 2, 3, 500])
@pytest.mark.parametrize("name", list(CASES))
def test_batches_read_what_rows_read(name, size):
    rows, problem = _rows(CASES[name])
    batched, batch_problem = _batched(CASES[name], size)
    assert batched == rows
    assert type(batch_problem) is type(problem)
    if isinstance(problem, FileProblem):
        assert (batch_problem.row, batch_problem.key, batch_problem.ctx) == (
            problem.row,
            problem.key,
            problem.ctx,
        )


def test_the_cases_read_as_a_spreadsheet_numbers_them():
    """``read_csv`` is built on the batches, so the comparison above compares batch
    sizes; these are the rows themselves."""
    assert _rows(CASES["blank lines"])[0][1] == [
        (2, ["1", "2", "3"]),
        (4, ["4", "5", "6"]),
        (7, ["7", "8", "9"]),
    ]
    assert _rows(CASES["a line across two"])[0][1] == [
        (2, ["1", "two\nlines", "3"]),
        (3, ["4", "5", "6"]),
    ]
    assert _rows(CASES["first cell empty"])[0][1][1] == (3, ["", "5", "6"])


def test_the_cases_hold_what_they_say():
    """The comparison above is worth something only if the cases differ."""
    assert _rows(CASES["too few cells"])[1].row == 4
    assert len(_rows(CASES["too few cells"])[0][1]) == 2
    assert isinstance(_rows(CASES["a cell too large"])[1], csv.Error)
    assert [n for n, _ in _rows(CASES["blank lines"])[0][1]] == [2, 4, 7]
