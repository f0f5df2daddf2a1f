"""Deliberately broken packs, each run through the real CLI (`bip-talk validate DIR`).

Every broken pack must give exit 2, a message naming the file and the field path
(or ``file:line`` for a file that cannot be parsed) with the catalog's explanation,
and never a traceback. The CLI calls run side by side to keep this file fast.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from bip_talk.i18n import Translator
from bip_talk.packs import load_pack
from bip_talk.resources import default_pack_dir

T = Translator("da")
SHIPPED = default_pack_dir()
GOOD = load_pack(SHIPPED)


def _run(args: list[str], cwd: Path | str = "/tmp") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    env["BIP_TALK_DATA_DIR"] = os.environ.get("BIP_TALK_DATA_DIR", "/nonexistent-bip-talk")
    return subprocess.run(
        [sys.executable, "-m", "bip_talk", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
    )


def _explains(key: str) -> str:
    """The fixed start of a catalog message (up to its first placeholder)."""
    return T(f"pack.{key}").split("{")[0]


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}: update this test"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _index(perspective: str, item_id: str) -> int:
    return [i.id for i in GOOD.items(perspective)].index(item_id)


def _item(perspective: str, item_id: str) -> str:
    return f"items[{_index(perspective, item_id)}] ({item_id})"


def _indicator_index(indicator_id: str) -> int:
    return [i.id for i in GOOD.indicators].index(indicator_id)


def _indicator(indicator_id: str) -> str:
    return f"indicators[{_indicator_index(indicator_id)}] ({indicator_id})"


def _line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if needle in line)


@dataclass(frozen=True)
class Case:
    id: str
    mutate: Callable[[Path], None]
    # What stderr must contain: "file: field.path" or "file:line", given the pack dir.
    where: Callable[[Path], str]
    key: str  # the catalog explanation expected after it


def _garbage_line(d: Path) -> None:
    lines = (d / "citizen.toml").read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(11, "this line is not toml\n")  # becomes line 12
    (d / "citizen.toml").write_text("".join(lines), encoding="utf-8")


def _unfinished_end(d: Path) -> None:
    with (d / "caseworker.toml").open("a", encoding="utf-8") as fh:
        fh.write("\n[[items]]\nid = [1,")


def _last_line(d: Path) -> str:
    text = (d / "caseworker.toml").read_text(encoding="utf-8")
    return f"caseworker.toml:{text.count(chr(10)) + 1}: "


def _latin1(d: Path) -> None:
    path = d / "citizen.toml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1", errors="replace"))


def _first_non_ascii_line(d: Path) -> str:
    data = (d / "citizen.toml").read_bytes()
    n = next(n for n, line in enumerate(data.split(b"\n"), 1) if any(b > 127 for b in line))
    return f"citizen.toml:{n}: "


CASES = [
    Case("toml_syntax", _garbage_line, lambda d: "citizen.toml:12: ", "toml_syntax"),
    Case("toml_unfinished", _unfinished_end, _last_line, "toml_syntax"),
    Case(
        "unknown_field_item",
        lambda d: _edit(
            d / "citizen.toml", 'id = "samarbejde"\n', 'id = "samarbejde"\ncolour = "red"\n'
        ),
        lambda d: f"citizen.toml: {_item('citizen', 'samarbejde')}.colour: ",
        "unknown_field",
    ),
    Case(
        "unknown_field_manifest",
        lambda d: _edit(d / "pack.toml", "[thresholds]\n", "[thresholds]\nbig = 3\n"),
        lambda d: "pack.toml: thresholds.big: ",
        "unknown_field",
    ),
    Case(
        "missing_danish",
        lambda d: _edit(
            d / "citizen.toml",
            'text = { da = "Jeg tror på, at jeg kan klare et arbejde.", ',
            "text = { ",
        ),
        lambda d: f"citizen.toml: {_item('citizen', 'tro_job')}.text.da: ",
        "missing_danish",
    ),
    Case(
        "empty_danish",
        lambda d: _edit(d / "pack.toml", 'name = { da = "Målrettethed"', 'name = { da = ""'),
        lambda d: f"pack.toml: {_indicator('maal')}.name.da: ",
        "empty_text",
    ),
    Case(
        "duplicate_indicator",
        lambda d: _edit(d / "pack.toml", 'id = "netvaerk"', 'id = "hverdag"'),
        lambda d: f"pack.toml: indicators[{_indicator_index('netvaerk')}] (hverdag).id: ",
        "duplicate_id",
    ),
    Case(
        "duplicate_item",
        lambda d: _edit(d / "citizen.toml", 'id = "maal"', 'id = "helbred"'),
        lambda d: f"citizen.toml: items[{_index('citizen', 'maal')}] (helbred).id: ",
        "duplicate_id",
    ),
    Case(
        "duplicate_option",
        lambda d: _edit(d / "citizen.toml", '{ id = "vikar"', '{ id = "aviser"'),
        lambda d: f"citizen.toml: {_item('citizen', 'kanaler')}.options[5] (aviser).id: ",
        "duplicate_id",
    ),
    Case(
        "unknown_indicator",
        lambda d: _edit(
            d / "citizen.toml",
            'id = "loen"\nindicator = "loen"',
            'id = "loen"\nindicator = "loenniveau"',
        ),
        lambda d: f"citizen.toml: {_item('citizen', 'loen')}.indicator: ",
        "unknown_indicator",
    ),
    Case(
        "inline_labels_count",
        lambda d: _edit(d / "citizen.toml", '"Nej", "Tvivler", "Det svinger", ', '"Nej", '),
        lambda d: f"citizen.toml: {_item('citizen', 'tro_job')}.labels.da: ",
        "labels_count",
    ),
    Case(
        "inline_labels_six_en",
        lambda d: _edit(
            d / "citizen.toml", '"Several times a week"]', '"Several times a week", "Daily"]'
        ),
        lambda d: f"citizen.toml: {_item('citizen', 'jobsoeg')}.labels.en: ",
        "labels_count",
    ),
    Case(
        "shared_scale_labels_count",
        lambda d: _edit(d / "pack.toml", '"Passer lidt", "Passer delvist", ', ""),
        lambda d: "pack.toml: scales[0] (passer).labels.da: ",
        "labels_count",
    ),
    Case(
        "private_shares_indicator",
        lambda d: _edit(
            d / "caseworker.toml",
            'id = "loen"\nindicator = "loen"\n',
            'id = "loen"\nindicator = "loen"\nprivate = true\n',
        ),
        lambda d: f"caseworker.toml: {_item('caseworker', 'loen')}.private: ",
        "private_shares_indicator",
    ),
    Case(
        "scale_value_not_exclusive",
        lambda d: _edit(
            d / "citizen.toml",
            "exclusive = true, scale_value = 1 }",
            "scale_value = 1 }",
        ),
        lambda d: f"citizen.toml: {_item('citizen', 'kanaler')}.options[6] (soeger_ikke): ",
        "scale_value_not_exclusive",
    ),
    Case(
        "scale_value_without_scale",
        lambda d: _edit(
            d / "citizen.toml",
            'id = "jobsoeg"\nindicator = "jobsoeg"\n',
            'id = "jobsoeg"\nindicator = "maal"\n',
        ),
        lambda d: (
            f"citizen.toml: {_item('citizen', 'kanaler')}.options[6] (soeger_ikke).scale_value: "
        ),
        "scale_value_without_scale",
    ),
    Case(
        "private_citizen_item",
        lambda d: _edit(
            d / "citizen.toml",
            'id = "maal"\nindicator = "maal"\n',
            'id = "maal"\nindicator = "maal"\nprivate = true\n',
        ),
        lambda d: f"citizen.toml: {_item('citizen', 'maal')}.private: ",
        "private_not_staff",
    ),
    Case(
        "threshold_too_small",
        lambda d: _edit(d / "pack.toml", "moved = 1\n", "moved = 0\n"),
        lambda d: "pack.toml: thresholds.moved: ",
        "below_min",
    ),
    Case(
        "threshold_too_large",
        lambda d: _edit(d / "pack.toml", "gap = 2\n", "gap = 9\n"),
        lambda d: "pack.toml: thresholds.gap: ",
        "above_max",
    ),
    Case(
        "clear_not_above_moved",
        lambda d: _edit(d / "pack.toml", "clear = 2\n", "clear = 1\n"),
        lambda d: "pack.toml: thresholds: ",
        "clear_not_above_moved",
    ),
    Case(
        "missing_perspective_file",
        lambda d: (d / "caseworker.toml").unlink(),
        lambda d: f"{d / 'caseworker.toml'}: ",
        "file_missing",
    ),
    Case(
        "missing_manifest",
        lambda d: (d / "pack.toml").unlink(),
        lambda d: f"{d / 'pack.toml'}: ",
        "file_missing",
    ),
    Case("not_utf8", _latin1, _first_non_ascii_line, "not_utf8"),
    Case(
        "pack_dir_missing",
        lambda d: shutil.rmtree(d),
        lambda d: f"{d}: ",
        "not_a_folder",
    ),
]


@pytest.fixture(scope="module")
def broken_runs(tmp_path_factory: pytest.TempPathFactory):
    """Build every broken pack, then run the CLI on all of them side by side."""
    dirs: dict[str, Path] = {}
    for case in CASES:
        d = tmp_path_factory.mktemp(case.id) / "pack"
        shutil.copytree(SHIPPED, d)
        case.mutate(d)
        dirs[case.id] = d
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {cid: pool.submit(_run, ["validate", str(d)]) for cid, d in dirs.items()}
        return {cid: (dirs[cid], f.result()) for cid, f in futures.items()}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_broken_pack_is_refused_with_file_and_field(case: Case, broken_runs) -> None:
    pack_dir, result = broken_runs[case.id]
    out = result.stdout + result.stderr
    assert "Traceback" not in out
    assert result.returncode == 2, out
    assert result.stdout == ""
    where = case.where(pack_dir)
    problem_lines = [line for line in result.stderr.splitlines() if where in line]
    assert problem_lines, f"expected {where!r} in:\n{result.stderr}"
    assert any(_explains(case.key) in line for line in problem_lines), result.stderr
    # Every problem line names a file inside the pack folder (or the folder itself).
    for line in result.stderr.splitlines()[1:]:
        assert line.strip().startswith(str(pack_dir)), line


def test_unknown_field_path_reads_like_the_brief(broken_runs) -> None:
    """The item is named by position and id, so an author finds it in a long file."""
    _, result = broken_runs["unknown_indicator"]
    assert f"citizen.toml: items[{_index('citizen', 'loen')}] (loen).indicator" in result.stderr
    assert "loenniveau" in result.stderr  # the wrong value is quoted back


def test_good_pack_gives_one_line_summary(tmp_path: Path) -> None:
    copy = tmp_path / "bip"
    shutil.copytree(SHIPPED, copy)
    result = _run(["validate", str(copy)], cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert f"'{GOOD.id}'" in lines[0] and GOOD.version in lines[0]
    assert str(len(GOOD.indicators)) in lines[0]


def test_shipped_pack_validates_from_tmp_without_arguments() -> None:
    result = _run(["validate"], cwd="/tmp")
    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 1


def test_english_messages_with_lang_option(broken_runs) -> None:
    pack_dir, _ = broken_runs["unknown_indicator"]
    result = _run(["--lang", "en", "validate", str(pack_dir)])
    assert result.returncode == 2
    assert Translator("en")("pack.unknown_indicator").split("{")[0] in result.stderr


def test_every_problem_is_reported_not_just_the_first(tmp_path: Path) -> None:
    d = tmp_path / "pack"
    shutil.copytree(SHIPPED, d)
    _edit(d / "citizen.toml", 'id = "loen"\nindicator = "loen"', 'id = "loen"\nindicator = "x1"')
    _edit(d / "caseworker.toml", 'id = "maal"\nindicator = "maal"', 'id = "maal"\nindicator = "x2"')
    result = _run(["validate", str(d)])
    assert result.returncode == 2
    assert "citizen.toml" in result.stderr and "'x1'" in result.stderr
    assert "caseworker.toml" in result.stderr and "'x2'" in result.stderr
