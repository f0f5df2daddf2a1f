"""Answers made ready for the database by the reader (``reading``), a chunk at a time.

Answers are nine in ten of an export's rows, and nearly always right. The reader checks
a chunk of them as far as the file alone can tell – their types, the pack
(``answer_checks``), their keys above the one before – and when all of it passes it
sends the rows as the database takes them. The importer then only confirms what the
database alone knows: every meeting and caseworker they name is one the import brought
under the same id, and none of those meetings has answers already. Then the chunk is
inserted as it came, without a Python step per row; otherwise it goes the full way, row
by row, with the same problems and the same outcomes. From a CSV file the reader takes
the cells column by column (``StoredCells``).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import Any

from bip_talk.domain.exchange import TABLE_BY_NAME
from bip_talk.domain.exchange_rows import FAILS, MAX_REMEMBERED, remember
from bip_talk.services.exchange.answer_checks import AnswerChecks
from bip_talk.services.exchange.key_order import FIRST, ascending

Values = dict[str, Any]
# A row after its types were checked (``reading.Checked``): number, values, failure.
Checked = tuple[int, Values | None, Any]

# An answer's columns, as the database and an export have them (``cells_of`` lays them
# out in this order: tests/unit/test_ready_answers.py checks it), and its key in a file.
COLUMNS = tuple(TABLE_BY_NAME["answers"].column_names)
KEY = ("meeting_id", "perspective", "item_id")
LABEL = "/".join(KEY)


def cells_of(r: Values) -> tuple[Any, ...]:
    """Answer ``r`` (its types checked) as the database stores it, in ``COLUMNS``
    order, with the ids the file gave its meeting and caseworker."""
    choices = r["choices"]
    return (
        r["meeting_id"],
        r["perspective"],
        r["item_id"],
        r["value"],
        int(r["declined"]),
        json.dumps(choices) if choices else None,
        r["text"] or None,
        r["answered_at"],
        r["answered_by"],
    )


def values_of(cells: tuple[Any, ...]) -> Values:
    """The answer back as its checked values (the inverse of ``cells_of`` for every
    check and write the importer makes)."""
    meeting_id, perspective, item_id, value, declined, choices, text, answered_at, by = cells
    return {
        "meeting_id": meeting_id,
        "perspective": perspective,
        "item_id": item_id,
        "value": value,
        "declined": bool(declined),
        "choices": json.loads(choices) if choices else [],
        "text": text,
        "answered_at": answered_at,
        "answered_by": by,
    }


@dataclass(slots=True)
class ReadyAnswers:
    """A chunk of answers whose types all passed, as rows for the database."""

    numbers: list[int]  # the rows' numbers in the file
    cells: list[tuple[Any, ...]]  # ``cells_of`` each row
    meetings: list[int]  # the meeting ids they name, each once
    answered_by: list[int]  # the caseworker ids they name, each once
    passed: bool  # every row passed the pack's checks
    in_order: bool  # every key in the file up to here above the one before
    last_key: Any  # the key of the chunk's last row

    def __len__(self) -> int:
        return len(self.numbers)

    @property
    def last(self) -> int:
        return self.numbers[-1]

    def checked(self) -> list[Checked]:
        """The chunk as the reader gives any other: for the way row by row."""
        return [(n, values_of(c), None) for n, c in zip(self.numbers, self.cells, strict=True)]


def _same(value: Any) -> Any:
    return value


# Each column's checked value as the database stores it (``cells_of``, a column at a
# time: tests/unit/test_ready_answers.py checks they agree).
_STORED_AS: dict[str, Callable[[Any], Any]] = {
    "declined": int,
    "choices": lambda choices: json.dumps(choices) if choices else None,
    "text": lambda text: text or None,
}
STORED: tuple[Callable[[Any], Any], ...] = tuple(_STORED_AS.get(c, _same) for c in COLUMNS)


class StoredCells:
    """Answers' ``cells_of`` straight from CSV lines, a column at a time: a cell seen
    before in its column gives the value it gave then (each check and each conversion
    looks at one cell alone: ``domain.exchange_rows``), a new one is checked once for
    the whole batch. About four cells in a hundred are new (a meeting's id and time, at
    its first answer): the other 96 cost a dictionary look-up each, in C, without a
    Python step per row. Remembers as ``RowChecker`` does: short cells only, at most
    ``PER_COLUMN`` per column."""

    def __init__(self, header: Sequence[str]) -> None:
        self._pick = itemgetter(*(header.index(c) for c in COLUMNS))
        self._seen: list[dict[str, Any]] = [{} for _ in COLUMNS]

    def batch(
        self,
        numbers: Sequence[int],
        lines: list[list[str]],
        cell: Callable[[str, str], Any],
        whole: Callable[[int, list[str]], Checked],
    ) -> list[Checked]:
        """The lines as ``Checked`` rows, column by column: each cell new to its
        column checked once, alone (``cell``: ``RowChecker.cell``), then remembered; a
        line with a cell that fails alone checked whole (``whole``), so its problem is
        pydantic's, worded as always."""
        failing: set[int] = set()
        columns: list[list[Any]] = []
        for name, seen, store, column in zip(
            COLUMNS, self._seen, STORED, self._pick(list(zip(*lines, strict=True))), strict=True
        ):
            try:
                columns.append(list(map(seen.__getitem__, column)))
                continue
            except KeyError:  # new cells: each checked once
                pass
            known: dict[str, Any] = {}
            fails = False
            for text in set(column):
                value = seen.get(text, _NEW)
                if value is _NEW:
                    value = cell(name, text)
                    if value is FAILS:
                        fails = True
                    else:
                        value = store(value)
                        if len(text) <= MAX_REMEMBERED:
                            remember(seen, text, value)
                known[text] = value
            values = list(map(known.__getitem__, column))
            if fails:
                failing.update(i for i, value in enumerate(values) if value is FAILS)
            columns.append(values)
        rows: list[Checked] = list(zip(numbers, zip(*columns, strict=True), repeat(None)))  # type: ignore[arg-type]
        for i in sorted(failing):
            rows[i] = whole(numbers[i], lines[i])
        return rows


_NEW: Any = object()


class AnswerShaper:
    """Turns the reader's chunks of answers into ``ReadyAnswers`` where the types of
    every row passed; keeps the order of the file's keys across chunks."""

    def __init__(self, checks: AnswerChecks) -> None:
        self.checks = checks
        self._last: Any = FIRST
        self._in_order = True
        # The pack's verdict by what it looks at (``_CHECKED`` of the cells): a few
        # hundred combinations cover an export's answers.
        self._verdicts: dict[tuple[Any, ...], bool] = {}

    def stored_cells(self, fmt: str, header: Sequence[str]) -> StoredCells | None:
        """For a CSV file with every column: its lines' cells, as stored, straight."""
        if fmt != "csv" or not set(COLUMNS) <= set(header):
            return None
        return StoredCells(header)

    def __call__(self, chunk: list[Any]) -> list[Checked] | ReadyAnswers:
        """``chunk`` as ``Checked``, its values perhaps stored cells already
        (``StoredCells.batch``)."""
        cells = [v if v.__class__ is tuple else cells_of(v) for _, v, _ in chunk if v is not None]
        if self._in_order:
            self._in_order, self._last = ascending(self._last, [c[:3] for c in cells])
        if len(cells) < len(chunk):
            return [(n, values_of(v) if v.__class__ is tuple else v, f) for n, v, f in chunk]
        return ReadyAnswers(
            numbers=[n for n, _, _ in chunk],
            cells=cells,
            meetings=list(dict.fromkeys(c[0] for c in cells)),
            answered_by=[c for c in dict.fromkeys(c[8] for c in cells) if c is not None],
            passed=all(map(self._passes, {c[_CHECKED] for c in cells})),
            in_order=self._in_order,
            last_key=cells[-1][:3],
        )

    def _passes(self, checked: tuple[Any, ...]) -> bool:
        """The pack's verdict on ``_CHECKED`` of an answer's cells."""
        verdict = self._verdicts.get(checked)
        if verdict is None:
            if len(self._verdicts) >= _VERDICTS:
                self._verdicts.clear()
            values = values_of((None, *checked, None, None))
            verdict = self._verdicts[checked] = not self.checks.problems(values)
        return verdict


# What the pack's checks look at: perspective, item, value, declined, choices, text.
_CHECKED = slice(1, 7)
_VERDICTS = 4096  # remembered at most (free text can make every row new)
