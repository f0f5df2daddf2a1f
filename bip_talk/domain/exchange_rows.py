"""Checking import rows against their row model (``domain.exchange``) at file speed.

pydantic checks one row in several microseconds; an export of a job centre holds
millions of rows, and most of their cells repeat (a meeting's answers share its id, its
time and its caseworker; a few dozen item ids and codes cover the rest). Every check of
a row model looks at one field alone and gives the same result for the same value, so
a row whose every cell was already seen, in this column, in a row that passed, passes
too, with the same values. ``RowChecker`` remembers those values per column and asks
pydantic about every other row: the first row with a new value, and every row with a
problem, which pydantic words exactly as before. ``cell`` checks one cell alone, as
pydantic checks its field in a row (for ``ready_answers``, which checks each new cell
of a chunk once).

Free text longer than ``MAX_REMEMBERED`` characters is checked every time (it seldom
repeats), and each column remembers at most ``PER_COLUMN`` values (then starts over):
memory stays flat however large the file. A file whose rows seldom repeat all their
cells (meetings: each has its own id and time) stops remembering after ``TRIAL`` rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from bip_talk.domain.exchange import (
    LIST_SEP,
    ROW_MODELS,
    TABLE_BY_NAME,
    Row,
    has_invalid_text,
)

MAX_REMEMBERED = 200  # characters
PER_COLUMN = 4096  # remembered values per column
TRIAL = 1000  # rows; fewer than half of them found remembered: stop remembering
_UNSEEN = object()
FAILS: Any = object()  # ``RowChecker.cell``: the cell does not pass alone
_get = dict.__getitem__


class BadText(ValueError):
    """A field holds text the database cannot store (``has_invalid_text``)."""

    def __init__(self, field: str) -> None:
        super().__init__(field)
        self.field = field


class RowChecker:
    """The checked values of each row of one table's file, as
    ``model.model_validate(raw)`` gives them (as a dict of fields, defaults included).
    Raises ``BadText`` or pydantic's ``ValidationError`` for a row that does not pass.

    The values of rows that were not checked by pydantic are shared between rows:
    read them, never change them.
    """

    def __init__(self, table: str, header: Sequence[str] | None = None) -> None:
        model: type[Row] = ROW_MODELS[table]
        self._validate = model.model_validate
        fields = model.model_fields
        self._size = len(fields)
        self._defaults = {
            name: f.get_default(call_default_factory=True)
            for name, f in fields.items()
            if not f.is_required()
        }
        self._lists = {c.name for c in TABLE_BY_NAME[table].columns if c.type == "codes"}
        # JSON: values by field, keyed by (type, value) (1, 1.0 and True hash alike).
        self._by_field: dict[str, dict[Any, Any]] = {name: {} for name in fields}
        # CSV: the header's fields (checked by the caller), values by cell text.
        self._header = list(header) if header is not None else None
        self._by_cell: list[dict[str, Any]] = [{} for _ in self._header or ()]
        self._base = {
            name: value for name, value in self._defaults.items() if name not in (header or ())
        }
        self.remembering = True
        self._rows = self._found = 0
        # ``cell``: pydantic's check of one field as assigned, on a scratch row (the first
        # that passed whole). Not for a model with checks of a whole row.
        self._assign = model.__pydantic_validator__.validate_assignment
        self._scratch: Row | None = None
        self._alone = not model.__pydantic_decorators__.model_validators

    # -- CSV: the cells of one line, in the header's order ----------------------------------

    def cells(self, cells: Sequence[str]) -> dict[str, Any]:
        if self.remembering:
            try:
                values = dict(zip(self._header or (), map(_get, self._by_cell, cells), strict=True))
            except KeyError:  # a cell not seen before in its column
                pass
            else:
                self._found += 1
                if self._base:  # columns the file leaves out
                    values.update(self._base)
                return values
        # Text decoded from UTF-8 holds no lone surrogate: nothing for has_invalid_text.
        row = self._validate(self.raw(cells))
        if self._scratch is None and self._alone:
            self._scratch = row.model_copy()
        values = dict(row.__dict__)
        if self._counted():
            for seen, cell, name in zip(self._by_cell, cells, self._header or (), strict=True):
                if len(cell) <= MAX_REMEMBERED:
                    remember(seen, cell, values[name])
        return values

    def cell(self, name: str, cell: str) -> Any:
        """The value of one CSV cell of field ``name``, as pydantic checks that field in
        a whole row (``raw``); ``FAILS`` if it fails alone, or if no row passed yet (then
        the whole row goes to ``cells``, and pydantic words the problem)."""
        if self._scratch is None:
            return FAILS
        if cell == "":  # no value: the field's default, or pydantic says it is missing
            return self._defaults.get(name, FAILS)
        value = cell.split(LIST_SEP) if name in self._lists else cell
        try:
            return self._assign(self._scratch, name, value).__dict__[name]
        except ValidationError:
            return FAILS

    def raw(self, cells: Sequence[str]) -> dict[str, Any]:
        """The row as pydantic reads it: an empty cell is no value, a list column's cell
        is split at ``;``."""
        raw: dict[str, Any] = {}
        for name, cell in zip(self._header or (), cells, strict=True):
            if cell != "":
                raw[name] = cell.split(LIST_SEP) if name in self._lists else cell
        return raw

    # -- JSON: one object -----------------------------------------------------------------

    def mapping(self, raw: dict[str, Any]) -> dict[str, Any]:
        keys = [_key(value) for value in raw.values()] if self.remembering else []
        if self.remembering:
            values = dict(self._defaults)
            for (name, _), key in zip(raw.items(), keys, strict=True):
                seen = self._by_field.get(name)
                found = _UNSEEN if seen is None or key is None else seen.get(key, _UNSEEN)
                if found is _UNSEEN:
                    break
                values[name] = found
            else:
                if len(values) == self._size:  # no required field left out
                    self._found += 1
                    return values
        values = self._checked(raw)
        if self._counted():
            for (name, value), key in zip(raw.items(), keys, strict=True):
                if key is not None and (not isinstance(value, str) or len(value) <= MAX_REMEMBERED):
                    remember(self._by_field[name], key, values[name])
        return values

    def _counted(self) -> bool:
        """One more row pydantic checked; False once remembering does not pay."""
        if not self.remembering:
            return False
        self._rows += 1
        if self._rows + self._found >= TRIAL and self._found < self._rows:
            self.remembering = False
            self._by_cell = [{} for _ in self._by_cell]
            self._by_field = {name: {} for name in self._by_field}
        return self.remembering

    def _checked(self, raw: dict[str, Any]) -> dict[str, Any]:
        bad = has_invalid_text(raw)
        if bad is not None:
            raise BadText(bad)
        return dict(self._validate(raw).__dict__)


def remember(seen: dict[Any, Any], key: Any, value: Any) -> None:
    """``seen[key] = value``, starting over once ``PER_COLUMN`` values are held."""
    if len(seen) >= PER_COLUMN:
        seen.clear()
    seen[key] = value


def _key(value: Any) -> Any:
    """A hashable key that tells apart values pydantic may treat differently; None for
    values not worth remembering (nested lists and objects, lists of non-text)."""
    cls = value.__class__
    if cls is list:
        if all(v.__class__ is str for v in value):
            return (list, tuple(value))
        return None
    if cls is dict:
        return None
    if cls is float and value != value:  # NaN is not equal to itself
        return None
    return (cls, value)
