"""Answers made ready for the database in the reader: the same values either way, the
file's key order followed across chunks, the pack's verdict for each row."""

from __future__ import annotations

import pytest

from bip_talk.domain.exchange_rows import RowChecker
from bip_talk.services.exchange.answer_checks import AnswerChecks
from bip_talk.services.exchange.ready_answers import (
    COLUMNS,
    FIRST,
    AnswerShaper,
    ReadyAnswers,
    ascending,
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


def test_stored_cells_come_straight_from_a_line_seen_before_cell_by_cell(shaper):
    header = [*HEADER[::-1], "extra"]  # any order of the columns
    stored = shaper.stored_cells("csv", header)
    line = [*_row("1")[::-1], ""]
    assert stored.get(line) is None  # nothing seen yet
    ((_, values, _),) = _checked(_row("1"))
    stored.learn(line, values)
    assert stored.get(line) == cells_of(values)
    other = [*_row("2")[::-1], ""]
    assert stored.get(other) is None  # meeting 2: a cell not seen in its column
    assert shaper.stored_cells("json", header) is None
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
