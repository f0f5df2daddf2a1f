"""Answers made ready for the database in the reader: the same values either way, the
file's key order followed across chunks, the pack's verdict for each row."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bip_talk.domain.exchange_rows import RowChecker
from bip_talk.services.exchange import ready_answers
from bip_talk.services.exchange.answer_checks import AnswerChecks, known_codes
from bip_talk.services.exchange.key_order import FIRST, ascending
from bip_talk.services.exchange.ready_answers import (
    COLUMNS,
    STORED,
    AnswerShaper,
    ReadyAnswers,
    cells_of,
    values_of,
)

HEADER = list(COLUMNS)  # an export's order
AT = "2026-03-02T10:00:00+00:00"


def _row(meeting="1", perspective="citizen", item="helbred", value="3", **cells: str) -> list[str]:
    row = dict.fromkeys(HEADER, "")
    row.update(meeting_id=meeting, perspective=perspective, item_id=item, value=value)
    row.update(declined="0", answered_at=AT, answered_by="4")
    row.update(cells)
    return [row[h] for h in HEADER]


def _checked(*rows: list[str]) -> list:
    check = RowChecker("answers", HEADER).cells
    return [(n, check(cells), None) for n, cells in enumerate(rows, start=2)]


@pytest.fixture
def shaper(pack):
    return AnswerShaper(AnswerChecks(pack, set()))


@pytest.mark.parametrize(
    "cells",
    [
        _row(),
        _row(item="kanaler", value="", choices="aviser;internet"),
        _row(value="", declined="1"),
        _row(text="Vil gerne tale om det næste gang", answered_by=""),
    ],
)
def test_cells_and_back_give_the_checked_values(cells):
    ((_, values, _),) = _checked(cells)
    stored = cells_of(values)
    assert values_of(stored) == values
    assert stored[4] in (0, 1)  # declined as the database stores it


def test_cells_are_laid_out_as_the_table_has_its_columns():
    ((_, values, _),) = _checked(_row("7", item="kanaler", value="", choices="aviser"))
    stored = dict(zip(COLUMNS, cells_of(values), strict=True))
    assert stored == {
        "meeting_id": 7,
        "perspective": "citizen",
        "item_id": "kanaler",
        "value": None,
        "declined": 0,
        "choices": '["aviser"]',
        "text": None,
        "answered_at": AT,
        "answered_by": 4,
    }


def test_choices_are_stored_as_json_text_and_no_choices_as_nothing():
    ((_, multi, _), (_, scale, _)) = _checked(
        _row(item="kanaler", value="", choices="aviser;internet"), _row()
    )
    assert cells_of(multi)[5] == '["aviser", "internet"]'
    assert cells_of(scale)[5] is None


def test_keys_ascend_or_not():
    assert ascending(FIRST, [(1, "a", "x"), (1, "a", "y"), (2, "a", "a")]) == (
        True,
        (2, "a", "a"),
    )
    assert ascending((2, "a", "a"), [(2, "a", "a")]) == (False, (2, "a", "a"))  # a repeat
    assert ascending((2, "a", "a"), [(1, "z", "z")])[0] is False
    assert ascending((1, None, "a"), [(1, "a", "a")])[0] is False  # no order with None


def test_a_chunk_that_passes_is_made_ready(shaper):
    chunk = shaper(
        _checked(_row("1"), _row("1", item="kanaler", value="", choices="aviser"), _row("2"))
    )
    assert isinstance(chunk, ReadyAnswers)
    assert (len(chunk), chunk.last, chunk.meetings, chunk.answered_by) == (3, 4, [1, 2], [4])
    assert chunk.passed and chunk.in_order
    assert chunk.last_key == (2, "citizen", "helbred")
    assert chunk.checked() == _checked(
        _row("1"), _row("1", item="kanaler", value="", choices="aviser"), _row("2")
    )


def test_a_row_whose_types_fail_leaves_the_chunk_as_read(shaper):
    """Values that came as stored cells (``StoredCells``) go back as values."""
    rows = _checked(_row("1"), _row("2"))
    failed = (3, None, [{"loc": ("value",), "type": "int_parsing"}])
    stored = (4, cells_of(rows[1][1]), None)
    assert shaper([rows[0], failed, stored]) == [rows[0], failed, (4, rows[1][1], None)]


def _batch(stored, lines, check, first=2):
    numbers = range(first, first + len(lines))

    def whole(n, raw):
        try:
            return (n, check.cells(raw), None)
        except ValidationError as exc:
            return (n, None, exc.errors())

    rows = stored.batch(numbers, lines, check.cell, whole)
    # A line checked whole comes with its values (the shaper stores them): as stored here.
    return [(n, cells_of(v) if isinstance(v, dict) else v, f) for n, v, f in rows]


def _expected(check, lines, first=2):
    """Row by row, as pydantic checks each whole line."""
    out = []
    for n, raw in enumerate(lines, start=first):
        try:
            out.append((n, cells_of(check.cells(raw)), None))
        except ValidationError as exc:
            out.append((n, None, exc.errors()))
    return out


LINES = [
    _row("1"),
    _row("1", item="kanaler", value="", choices="aviser;internet"),
    _row("1", item="hverdag", value="", declined="1"),
    _row("2", text="Vil gerne tale om det næste gang", answered_by=""),
    _row("3", answered_at="2026-03-09T10:00:00+00:00"),
]


def test_a_batch_gives_what_each_line_checked_whole_gives(shaper):
    stored = shaper.stored_cells("csv", HEADER)
    check = RowChecker("answers", HEADER)
    assert _batch(stored, LINES, check) == _expected(RowChecker("answers", HEADER), LINES)
    # Again: every cell remembered now, the same values.
    assert _batch(stored, LINES, check, 7) == _expected(RowChecker("answers", HEADER), LINES, 7)


def test_a_batch_takes_the_columns_in_any_order():
    header = HEADER[::-1]
    stored = AnswerShaper(None).stored_cells("csv", header)  # type: ignore[arg-type]
    check = RowChecker("answers", HEADER)
    lines = [line[::-1] for line in LINES]
    rows = _batch(stored, lines, RowChecker("answers", header))
    assert rows == _expected(check, LINES)


def test_a_cell_that_fails_alone_has_its_line_checked_whole(shaper):
    stored = shaper.stored_cells("csv", HEADER)
    check = RowChecker("answers", HEADER)
    _batch(stored, LINES[:1], check)  # a row passed: new cells are checked alone now
    lines = [
        _row("4"),
        _row("4", value="7"),  # out of range
        _row("P-12"),  # not an id
        _row("5", answered_at=""),  # required
        _row("5", item="hverdag"),
    ]
    rows = _batch(stored, lines, check)
    assert rows == _expected(RowChecker("answers", HEADER), lines)
    assert [n for n, values, _ in rows if values is None] == [3, 4, 5]
    assert rows[1][2][0]["type"] == "scale_range"


def test_the_first_batch_is_checked_line_by_line_until_a_line_passed(shaper):
    """Before any line passed there is no row to check one cell on."""
    stored = shaper.stored_cells("csv", HEADER)
    lines = [_row("1", value="9"), _row("1")]
    assert _batch(stored, lines, RowChecker("answers", HEADER)) == _expected(
        RowChecker("answers", HEADER), lines
    )


def test_a_batch_remembers_a_bounded_number_of_cells(shaper, monkeypatch):
    monkeypatch.setattr(ready_answers, "remember", _bounded(3))
    stored = shaper.stored_cells("csv", HEADER)
    check = RowChecker("answers", HEADER)
    lines = [_row(str(n), answered_at=f"2026-03-{n:02d}T10:00:00+00:00") for n in range(1, 20)]
    assert _batch(stored, lines, check) == _expected(RowChecker("answers", HEADER), lines)
    assert all(len(seen) <= 3 for seen in stored._seen)


def _bounded(size):
    def remember(seen, key, value):
        if len(seen) >= size:
            seen.clear()
        seen[key] = value

    return remember


def test_each_column_is_stored_as_cells_of_stores_it():
    for line in LINES:
        values = RowChecker("answers", HEADER).cells(line)
        assert tuple(store(values[c]) for c, store in zip(COLUMNS, STORED, strict=True)) == (
            cells_of(values)
        )


def test_only_a_csv_file_with_every_column_has_its_cells_taken_straight(shaper):
    assert shaper.stored_cells("json", HEADER) is None
    assert shaper.stored_cells("csv", HEADER[1:]) is None  # a column left out


def test_the_key_order_is_followed_across_chunks(shaper):
    assert shaper(_checked(_row("1"), _row("2"))).in_order
    assert shaper(_checked(_row("3"))).in_order
    assert not shaper(_checked(_row("2", item="hverdag"))).in_order  # below meeting 3
    assert not shaper(_checked(_row("9"))).in_order  # once left, never trusted again


def test_the_pack_decides_per_row_and_remembers_nothing_wrong(shaper):
    """The verdict is remembered by what the checks look at: a scale value on a multi
    item, or an unknown option, is refused however often a good row came before."""
    good = _row(item="kanaler", value="", choices="aviser")
    assert shaper(_checked(good, good)).passed
    assert not shaper(_checked(good, _row(item="kanaler", value="3"))).passed
    assert not shaper(_checked(good, _row(item="kanaler", value="", choices="tv"))).passed
    assert not shaper(_checked(_row(item="ukendt"))).passed
    assert not shaper(_checked(_row(value="3", declined="1"))).passed
    assert shaper(_checked(_row(value="", declined="1"))).passed


def test_the_known_codes_are_listed_sorted_or_a_dash():
    assert known_codes({"b", "a"}) == "a, b"
    assert known_codes([]) == "-"
