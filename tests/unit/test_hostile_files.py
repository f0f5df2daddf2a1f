"""Files and arguments built to break the loaders (issue 12, items 11 and 12): nesting a
thousand deep and integers of thousands of digits in packs and imports give PackError
or a row error, never RecursionError or ValueError; a path component over 255 bytes
gives a clear message for every path a command takes; ``seed --citizens`` has an
upper bound."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bip_talk import cli as cli_module
from bip_talk.domain.synthetic import MAX_CITIZENS
from bip_talk.errors import InputError, PackError
from bip_talk.i18n import Translator
from bip_talk.packs import load_pack
from bip_talk.resources import default_pack_dir
from bip_talk.services.exchange.export import export_data
from bip_talk.services.exchange.imports import import_data
from bip_talk.store import Store, open_database
from tests.unit.exchange_data import build_history

T = Translator("en")
PACK_FILES = sorted(p.name for p in default_pack_dir().glob("*.toml"))
HOSTILE = settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _nested(depth: int, kind: str) -> str:
    if kind == "array":
        return "[" * depth + "1" + "]" * depth
    return "{a = " * depth + "1" + "}" * depth


# -- packs -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pack_copy(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("hostile") / "bip"
    shutil.copytree(default_pack_dir(), target)
    return target


def _load_with(folder: Path, name: str, extra: str) -> PackError:
    path = folder / name
    original = path.read_bytes()
    path.write_bytes(original + b"\n" + extra.encode())
    try:
        with pytest.raises(PackError) as info:
            load_pack(folder, "en")
    finally:
        path.write_bytes(original)
    assert all(isinstance(p, str) and p.strip() for p in info.value.problems)
    return info.value


@HOSTILE
@given(
    name=st.sampled_from(PACK_FILES),
    depth=st.integers(400, 4000),
    kind=st.sampled_from(["array", "table"]),
)
def test_deep_nesting_in_a_pack_file_is_a_pack_error(pack_copy, name, depth, kind):
    error = _load_with(pack_copy, name, f"zz_hostile = {_nested(depth, kind)}")
    assert name in str(error)


@HOSTILE
@given(
    name=st.sampled_from(PACK_FILES), digits=st.integers(4301, 20000), sign=st.sampled_from("+-")
)
def test_a_huge_integer_in_a_pack_file_is_a_pack_error(pack_copy, name, digits, sign):
    error = _load_with(pack_copy, name, f"zz_hostile = {sign}{'7' * digits}")
    assert name in str(error)
    if digits > 4300:
        assert T("pack.toml_number_too_long") in str(error) or "zz_hostile" in str(error)


# -- imports -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory, pack) -> Path:
    base = tmp_path_factory.mktemp("exported")
    mp = pytest.MonkeyPatch()
    s = Store(open_database(base / "src.db"))
    try:
        build_history(s, pack, mp)
        export_data(s, pack, base / "json", fmt="json")
        export_data(s, pack, base / "csv", fmt="csv")
    finally:
        s.close()
        mp.undo()
    return base


def _import_only_row_errors(folder: Path, pack, tmp: Path) -> InputError:
    s = Store(open_database(tmp / "target.db"))
    try:
        with pytest.raises(InputError) as info:
            import_data(s, pack, folder, t=T)
        assert s.count_citizens() == 0
    finally:
        s.close()
    return info.value


@HOSTILE
@given(
    table=st.sampled_from(["citizens", "meetings", "answers", "notes", "plan_items"]),
    depth=st.integers(50, 3000),
    huge=st.booleans(),
    digits=st.integers(4301, 12000),
)
def test_json_rows_nested_deep_or_with_huge_numbers_give_row_errors(
    exported, tmp_path_factory, pack, table, depth, huge, digits
):
    folder = shutil.copytree(exported / "json", tmp_path_factory.mktemp("j") / "in")
    path = folder / f"{table}.json"
    text = path.read_text(encoding="utf-8")
    value = "9" * digits if huge else "[" * depth + "]" * depth
    # The first object gets one more field (written as raw JSON: a number that long
    # cannot even be made in Python).
    at = text.index("{") + 1
    path.write_text(text[:at] + f'"zz_hostile": {value}, ' + text[at:], encoding="utf-8")
    error = _import_only_row_errors(folder, pack, tmp_path_factory.mktemp("db"))
    assert f"{table}.json" in error.message


@pytest.mark.parametrize("column", ["value", "meeting_id", "answered_by"])
def test_a_csv_cell_with_thousands_of_digits_is_a_row_error(exported, tmp_path, pack, column):
    folder = shutil.copytree(exported / "csv", tmp_path / "in")
    path = folder / "answers.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index(column)] = "9" * 5000
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    error = _import_only_row_errors(folder, pack, tmp_path)
    assert f"answers.csv row 2: {column}" in error.message


# -- paths on the command line ---------------------------------------------------------------


def _cli(args: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli_module.main(["--lang", "en", *args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue() + err.getvalue()


def _path_parameters() -> list[tuple[str, list[str]]]:
    """Every path a command takes, found in the click tree: (case, arguments that give
    that path a too-long name, everything else filled in)."""
    cli_module._register_subcommands()
    cases: list[tuple[str, list[str]]] = []
    for param in cli_module.cli.params:
        if isinstance(param.type, click.Path):
            cases.append((f"bip-talk {param.opts[0]}", [param.opts[0], "{path}", "doctor"]))

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name, command in sorted(group.commands.items()):
            if isinstance(command, click.Group):
                walk(command, [*prefix, name])
                continue
            args = [p for p in command.params if isinstance(p, click.Argument)]
            for param in command.params:
                if not isinstance(param.type, click.Path):
                    continue
                filled = ["{path}" if a is param else "B-7K3M9Q" for a in args]
                option = [] if isinstance(param, click.Argument) else [param.opts[0], "{path}"]
                extra = ["--citizens", "1"] if name == "seed" else []
                cases.append(
                    (
                        f"{' '.join([*prefix, name])} {param.name}",
                        [*prefix, name, *filled, *option, *extra],
                    )
                )

    walk(cli_module.cli, [])
    return cases


PATH_CASES = _path_parameters()


def test_every_path_parameter_is_checked():
    names = {case for case, _ in PATH_CASES}
    for expected in (
        "bip-talk --db",
        "validate pack_dir",
        "import source",
        "report out",
        "export out",
        "citizen access out",
        "seed db_path",
        "train report_dir",
    ):
        assert expected in names, names


@pytest.mark.parametrize(("case", "args"), PATH_CASES, ids=[c for c, _ in PATH_CASES])
@pytest.mark.parametrize("name", ["a" * 256, "æ" * 128, "x" * 300 + ".db"])
def test_a_path_name_over_255_bytes_gets_a_clear_message(tmp_path, case, args, name):
    path = str(tmp_path / name / "file")
    code, text = _cli([path if a == "{path}" else a for a in args])
    assert code == 2, (case, text)
    assert "Traceback" not in text and "Unexpected error" not in text
    assert f"is {len(name.encode())} bytes long" in text and "255" in text, text


def test_a_whole_path_over_4095_bytes_gets_a_clear_message(tmp_path):
    path = str(tmp_path) + "/abcdefgh" * 520 + "/app.db"
    code, text = _cli(["--db", path, "doctor"])
    assert code == 2
    assert "4095" in text


def test_a_long_name_from_the_environment_is_named_too(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    env.update(
        BIP_TALK_DB=str(tmp_path / ("b" * 300) / "x.db"),
        BIP_TALK_LANG="en",
        BIP_TALK_DATA_DIR=str(tmp_path / "data"),
    )
    done = subprocess.run(
        [sys.executable, "-m", "bip_talk", "doctor"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode != 0 and done.returncode != 70, done.stderr
    assert "300 bytes long" in done.stderr


# -- seed --citizens ---------------------------------------------------------------------


@settings(max_examples=25, deadline=None, derandomize=True)
@given(st.integers(min_value=-(10**30), max_value=10**30))
def test_seed_citizens_outside_the_documented_bound_is_refused(tmp_path_factory, count):
    if 1 <= count <= MAX_CITIZENS:
        return  # tried for real in test_cohort / the benchmarks
    db = tmp_path_factory.mktemp("seed") / "s.db"
    code, text = _cli(["seed", "--citizens", str(count), "--db", str(db)])
    assert code == 2
    assert T("seed.bad_count", value=count, max="1,000,000") in text
    assert not db.exists()


def test_the_bound_is_in_the_help():
    code, text = _cli(["seed", "--help"])
    assert code == 0
    assert "1,000,000" in text and MAX_CITIZENS == 1_000_000


# -- any argument ------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    command=st.sampled_from(
        [
            ["report"],
            ["citizen", "audit"],
            ["citizen", "access"],
            ["export"],
            ["import"],
            ["validate"],
            ["seed", "--citizens"],
            ["doctor"],
        ]
    ),
    values=st.lists(
        st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300)
        | st.integers().map(str)
        | st.sampled_from(["--meeting", "--format", "--out", "--lang", "--db", "-1", "9" * 30]),
        max_size=4,
    ),
)
def test_any_arguments_end_in_a_message_never_a_crash(tmp_path_factory, command, values):
    folder = tmp_path_factory.mktemp("args")
    db = folder / "app.db"
    if not db.exists():
        shutil.copyfile(_small_db(tmp_path_factory), db)
    old = os.getcwd()
    os.chdir(folder)  # html reports and exports land here by default
    try:
        code, text = _cli(["--db", str(db), *command, *values])
    finally:
        os.chdir(old)
    assert code != 70, text
    assert "Traceback" not in text


_SMALL: list[Path] = []


def _small_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small database for every generated example (pytest's temp folder: cleaned
    up like every test's, not left in /tmp)."""
    if not _SMALL:
        path = tmp_path_factory.mktemp("bip-args") / "small.db"
        store = Store(open_database(path))
        cw = store.ensure_caseworker("ab", "Anne")
        store.create_citizen("Syntetisk", caseworker_id=cw.id, citizen_id="B-7K3M9Q")
        store.close()
        _SMALL.append(path)
    return _SMALL[0]


def test_json_helpers_never_crash_on_their_own_input():
    from bip_talk.services.exchange.reading import short as _short

    deep = json.loads("[" * 900 + "]" * 900)
    assert _short(deep).startswith("[")
    assert len(_short("x" * 100)) == 40
