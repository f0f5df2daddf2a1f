"""Fuzzing the pack loader (issue 8: bad input everywhere).

Whatever ends up in a pack file – random bytes, broken TOML, or a valid file with keys
dropped, types changed, entries duplicated or text replaced by odd unicode – loading
the pack either works or raises ``PackError`` whose every problem is a non-empty line.
Nothing else may escape: no KeyError, no pydantic ValidationError, no traceback.
"""

from __future__ import annotations

import json
import math
import shutil
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bip_talk.errors import PackError
from bip_talk.packs import load_pack
from bip_talk.resources import default_pack_dir

SHIPPED = default_pack_dir()
FILES = sorted(p.name for p in SHIPPED.glob("*.toml"))
FUZZ = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def pack_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("fuzz") / "bip"
    shutil.copytree(SHIPPED, target)
    return target


@contextmanager
def _replaced(folder: Path, name: str, data: bytes) -> Iterator[Path]:
    path = folder / name
    original = path.read_bytes()
    path.write_bytes(data)
    try:
        yield folder
    finally:
        path.write_bytes(original)


def _load_only_pack_errors(folder: Path) -> None:
    try:
        load_pack(folder)
    except PackError as exc:
        assert exc.problems, "a PackError without problems"
        for problem in exc.problems:
            assert isinstance(problem, str) and problem.strip(), repr(problem)
        assert str(exc).strip()


# -- TOML out of Python values (tomllib only reads) ---------------------------------------


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007F")
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{_toml_value(str(k))} = {_toml_value(v)}" for k, v in value.items())
            + "}"
        )
    return json.dumps(str(value))


def _to_toml(table: dict[str, Any]) -> bytes:
    return "\n".join(f"{_toml_value(str(k))} = {_toml_value(v)}" for k, v in table.items()).encode(
        "utf-8"
    )


def _paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a parsed TOML document, as a path of keys and indexes."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for n, value in enumerate(node):
            out += _paths(value, (*prefix, n))
    return out


def _parent(doc: Any, path: tuple) -> Any:
    for part in path[:-1]:
        doc = doc[part]
    return doc


ODD_TEXT = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30)
ANY_VALUE = st.one_of(
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(),
    ODD_TEXT,
    st.lists(st.integers(), max_size=3),
    st.dictionaries(ODD_TEXT, st.integers(), max_size=3),
)


@st.composite
def mutated_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """A shipped pack file, parsed, with one to three structural changes."""
    name = draw(st.sampled_from(FILES))
    doc = tomllib.loads((SHIPPED / name).read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, last = _parent(doc, path), path[-1]
        action = draw(st.sampled_from(["drop", "retype", "duplicate", "unicode", "add"]))
        if action == "drop":
            del parent[last]
        elif action == "retype":
            parent[last] = draw(ANY_VALUE)
        elif action == "duplicate" and isinstance(parent, list):
            parent.insert(last, json.loads(json.dumps(parent[last])))
        elif action == "unicode":
            parent[last] = draw(ODD_TEXT)
        elif action == "add" and isinstance(parent, dict):
            parent[draw(ODD_TEXT)] = draw(ANY_VALUE)
    return name, _to_toml(doc)


@st.composite
def damaged_bytes(draw: st.DrawFn) -> tuple[str, bytes]:
    """A shipped file with bytes flipped, cut out or spliced in."""
    name = draw(st.sampled_from(FILES))
    data = bytearray((SHIPPED / name).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        kind = draw(st.sampled_from(["flip", "cut", "splice"]))
        if kind == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at : at + draw(st.integers(1, 200))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
    return name, bytes(data)


# -- the properties ----------------------------------------------------------------------


def test_the_shipped_pack_round_trips_through_the_toml_writer(pack_copy: Path) -> None:
    """The writer used below is faithful: an unmutated file still loads."""
    for name in FILES:
        doc = tomllib.loads((SHIPPED / name).read_text(encoding="utf-8"))
        with _replaced(pack_copy, name, _to_toml(doc)):
            load_pack(pack_copy)


@FUZZ
@given(name=st.sampled_from(FILES), data=st.binary(max_size=600))
def test_arbitrary_bytes_as_a_pack_file(pack_copy: Path, name: str, data: bytes) -> None:
    with _replaced(pack_copy, name, data) as folder:
        _load_only_pack_errors(folder)


@FUZZ
@given(case=damaged_bytes())
def test_damaged_pack_files(pack_copy: Path, case: tuple[str, bytes]) -> None:
    name, data = case
    with _replaced(pack_copy, name, data) as folder:
        _load_only_pack_errors(folder)


@FUZZ
@given(case=mutated_file())
def test_mutated_valid_pack_files(pack_copy: Path, case: tuple[str, bytes]) -> None:
    name, data = case
    with _replaced(pack_copy, name, data) as folder:
        _load_only_pack_errors(folder)
