"""RowChecker: pydantic's values and pydantic's errors, whether a cell was seen before
or not."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bip_talk.domain import exchange_rows
from bip_talk.domain.exchange import ROW_MODELS
from bip_talk.domain.exchange_rows import BadText, RowChecker

HEADER = [
    "meeting_id",
    "perspective",
    "item_id",
    "value",
    "declined",
    "choices",
    "text",
    "answered_at",
    "answered_by",
]
AT = "2026-01-05T10:20:00+00:00"


def _cells(**changes: str) -> list[str]:
    row = dict(zip(HEADER, ["1", "citizen", "helbred", "3", "0", "", "", AT, "4"], strict=True))
    row.update(changes)
    return list(row.values())


def _pydantic(checker: RowChecker, cells: list[str]) -> dict:
    return dict(ROW_MODELS["answers"].model_validate(checker.raw(cells)).__dict__)


@pytest.mark.parametrize(
    "cells",
    [
        _cells(),
        _cells(value="", declined="1"),
        _cells(item_id="kanaler", value="", choices="internet;netvaerk"),
        _cells(text="egne ord\r\nover to linjer"),
        _cells(answered_by=""),
    ],
)
def test_remembered_cells_give_pydantics_values(cells):
    checker = RowChecker("answers", HEADER)
    first = checker.cells(cells)  # checked by pydantic, remembered
    again = checker.cells(cells)  # from memory
    assert first == again == _pydantic(checker, cells)


def test_a_new_bad_cell_beside_remembered_ones_gets_pydantics_error():
    checker = RowChecker("answers", HEADER)
    checker.cells(_cells())
    for bad in (_cells(value="7"), _cells(meeting_id="P-123"), _cells(answered_at="igår")):
        with pytest.raises(ValidationError) as ours:
            checker.cells(bad)
        with pytest.raises(ValidationError) as theirs:
            ROW_MODELS["answers"].model_validate(checker.raw(bad))
        assert ours.value.errors() == theirs.value.errors()


def test_a_required_cell_left_empty_is_missing_even_when_its_neighbours_are_known():
    checker = RowChecker("answers", HEADER)
    checker.cells(_cells())
    with pytest.raises(ValidationError, match="answered_at"):
        checker.cells(_cells(answered_at=""))


def test_json_values_that_compare_equal_are_told_apart():
    """1, 1.0 and True hash alike; pydantic may treat them differently."""
    checker = RowChecker("answers")
    base = {"meeting_id": 1, "perspective": "citizen", "item_id": "helbred", "answered_at": AT}
    for value in (3, 3.0, True, "3", 1, 1.0):
        row = {**base, "value": value}
        try:
            expected = dict(ROW_MODELS["answers"].model_validate(row).__dict__)
        except ValidationError as exc:
            with pytest.raises(ValidationError) as ours:
                checker.mapping(row)
            assert ours.value.errors() == exc.errors()
        else:
            assert checker.mapping(row) == expected
            assert type(checker.mapping(row)["value"]) is type(expected["value"])


def test_json_unknown_or_missing_fields_are_pydantics_problem():
    checker = RowChecker("answers")
    row = {"meeting_id": 1, "perspective": "citizen", "item_id": "helbred", "answered_at": AT}
    checker.mapping(row)
    with pytest.raises(ValidationError, match="extra"):
        checker.mapping({**row, "zzz": 1})
    with pytest.raises(ValidationError, match="missing"):
        checker.mapping({k: v for k, v in row.items() if k != "answered_at"})


def test_text_the_database_cannot_store_is_refused_before_pydantic():
    checker = RowChecker("answers")
    row = {"meeting_id": 1, "perspective": "citizen", "item_id": "helbred", "answered_at": AT}
    with pytest.raises(BadText) as bad:
        checker.mapping({**row, "text": "a\ud800b"})
    assert bad.value.field == "text"


def test_a_file_of_unique_rows_stops_remembering(monkeypatch):
    monkeypatch.setattr(exchange_rows, "TRIAL", 10)
    checker = RowChecker("answers", HEADER)
    for n in range(1, 20):
        checker.cells(_cells(meeting_id=str(n), answered_at=f"2026-01-{n:02d}T10:00:00+00:00"))
    assert not checker.remembering
    assert checker.cells(_cells()) == _pydantic(checker, _cells())


def test_repeating_rows_keep_being_remembered(monkeypatch):
    monkeypatch.setattr(exchange_rows, "TRIAL", 10)
    checker = RowChecker("answers", HEADER)
    for item in ("helbred", "hverdag", "socialt") * 10:
        checker.cells(_cells(item_id=item))
    assert checker.remembering


def test_memory_per_column_is_bounded(monkeypatch):
    monkeypatch.setattr(exchange_rows, "PER_COLUMN", 5)
    checker = RowChecker("answers", HEADER)
    for n in range(1, 50):
        stamp = f"2026-01-{1 + n % 28:02d}T10:{n:02d}:00+00:00"
        assert checker.cells(_cells(answered_at=stamp))["answered_at"] == stamp
    assert all(len(seen) <= 5 for seen in checker._by_cell)


@pytest.mark.parametrize(
    ("name", "cell"),
    [
        ("meeting_id", "12"),
        ("value", "5"),
        ("value", ""),
        ("declined", "1"),
        ("choices", "internet;netvaerk"),
        ("text", "egne ord"),
        ("answered_at", "2026-02-01T09:00:00+00:00"),
        ("answered_by", ""),
    ],
)
def test_one_cell_checked_alone_gives_what_its_whole_row_gives(name, cell):
    checker = RowChecker("answers", HEADER)
    checker.cells(_cells())
    assert checker.cell(name, cell) == _pydantic(checker, _cells(**{name: cell}))[name]


@pytest.mark.parametrize(
    ("name", "cell"),
    [("value", "7"), ("meeting_id", "P-123"), ("answered_at", "igår"), ("answered_at", "")],
)
def test_a_cell_that_fails_alone_says_so(name, cell):
    checker = RowChecker("answers", HEADER)
    checker.cells(_cells())
    assert checker.cell(name, cell) is exchange_rows.FAILS
    with pytest.raises(ValidationError):
        checker.cells(_cells(**{name: cell}))


def test_no_cell_is_checked_alone_before_a_row_passed():
    checker = RowChecker("answers", HEADER)
    assert checker.cell("value", "3") is exchange_rows.FAILS
    with pytest.raises(ValidationError):
        checker.cells(_cells(value="9"))
    assert checker.cell("value", "3") is exchange_rows.FAILS  # that row failed
    checker.cells(_cells())
    assert checker.cell("value", "3") == 3
