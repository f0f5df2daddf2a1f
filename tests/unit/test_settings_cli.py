"""A settings.toml (or a BIP_TALK_* variable) that cannot be used, met by real CLI
commands in a subprocess: the message names the file and the field, exit 2, never a
traceback or exit 70, and the file is left as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BAD = {
    "wrong type": (b"theme = 5\n", "theme: "),
    "unknown field": (b'colour = "blue"\n', "colour: "),
    "not utf-8": (b'caseworker_name = "\xff"\n', ":1: "),
    "deep nesting": (b"a = " + b"[" * 600 + b"]" * 600, "too deeply"),
    "4,400 digits": (b"theme = " + b"9" * 4400, "too many digits"),
}


def _run(args: list[str], data: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    return subprocess.run(
        [sys.executable, "-m", "bip_talk", *args],
        capture_output=True,
        text=True,
        env={**clean, "BIP_TALK_DATA_DIR": str(data), "BIP_TALK_LANG": "en", **env},
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_command_reading_settings_prints_the_problem_and_exits_2(
    tmp_path: Path, case: str
) -> None:
    content, words = BAD[case]
    data = tmp_path / "data"
    data.mkdir()
    (data / "settings.toml").write_bytes(content)
    out = _run(["train", "--list"], data)
    assert out.returncode == 2, out.stderr
    assert str(data / "settings.toml") in out.stderr and words in out.stderr
    assert "Traceback" not in out.stderr + out.stdout
    assert (data / "settings.toml").read_bytes() == content
    assert sorted(p.name for p in data.iterdir()) == ["settings.toml"]


def test_import_with_a_bad_settings_file_exits_2_and_changes_nothing(tmp_path: Path) -> None:
    data, db, out_dir = tmp_path / "data", tmp_path / "x.db", tmp_path / "out"
    assert _run(["seed", "--citizens", "1", "--db", str(db)], data).returncode == 0
    assert _run(["--db", str(db), "export", "--out", str(out_dir)], data).returncode == 0
    data.mkdir(exist_ok=True)
    (data / "settings.toml").write_bytes(b"blind_rating = 1\n")
    before = db.read_bytes()
    out = _run(["--db", str(db), "import", str(out_dir)], data)
    assert out.returncode == 2, out.stderr
    assert f"{data / 'settings.toml'}: blind_rating: must be true or false" in out.stderr
    assert db.read_bytes() == before


def test_an_unknown_language_variable_exits_2_for_any_command(tmp_path: Path) -> None:
    out = _run(["where"], tmp_path, BIP_TALK_LANG="fr")
    assert out.returncode == 2
    assert "BIP_TALK_LANG=fr" in out.stderr and "Traceback" not in out.stderr


def test_where_still_prints_the_paths_from_the_environment(tmp_path: Path) -> None:
    out = _run(
        ["where"],
        tmp_path / "data",
        BIP_TALK_DB=str(tmp_path / "x.db"),
        BIP_TALK_CONFIG=str(tmp_path / "c.toml"),
        BIP_TALK_PACK=str(tmp_path / "pack"),
    )
    assert out.returncode == 0, out.stderr
    for path in ("x.db", "c.toml", "pack", "data/demo.db"):
        assert str(tmp_path / path) in out.stdout
    assert not (tmp_path / "data").exists()
