"""A plain (non-editable) install works from any folder.

Builds the wheel, installs it into a new virtual environment (dependencies come from
the package index) and runs the console script from /tmp. This proves the pack
(questionnaires/) and the conversation prompts (prompts/) ship inside the wheel.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]


def _env(tmp: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("BIP_TALK_", "PYTHON", "VIRTUAL_ENV", "PIP_REQUIRE"))
    }
    env["BIP_TALK_DATA_DIR"] = str(tmp / "data")
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def _check(args: list[str], **kw) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(args, capture_output=True, text=True, timeout=600, **kw)
    assert result.returncode == 0, f"{args}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("install")
    env = _env(tmp)
    wheels = tmp / "wheels"
    _check(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels), str(REPO)],
        cwd=tmp,
        env=env,
    )
    (wheel,) = wheels.glob("bip_talk-*.whl")
    venv = tmp / "venv"
    _check([sys.executable, "-m", "venv", str(venv)], env=env)
    _check(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)], cwd=tmp, env=env
    )
    return wheel, venv, env


def _shipped_sources(folder: str) -> set[str]:
    root = REPO / folder
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_wheel_contains_pack_and_prompts(installed) -> None:
    wheel, _, _ = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("questionnaires", "prompts"):
        sources = _shipped_sources(folder)
        assert sources, f"{folder}/ is empty in the checkout"
        inside = {
            n.split(f"bip_talk/_shipped/{folder}/", 1)[1]
            for n in names
            if n.startswith(f"bip_talk/_shipped/{folder}/")
        }
        assert sources <= inside, f"missing from the wheel: {sorted(sources - inside)}"
    assert "bip_talk/locales/da/cli.toml" in names


def test_installed_app_uses_its_own_copy(installed) -> None:
    _, venv, env = installed
    script = (
        "import bip_talk, bip_talk.resources as r;"
        "print(bip_talk.__file__); print(r.default_pack_dir()); print(r.prompts_dir())"
    )
    out = _check([str(venv / "bin" / "python"), "-c", script], cwd="/tmp", env=env).stdout
    module, pack, prompts = out.splitlines()
    assert module.startswith(str(venv)) and not module.startswith(str(REPO))
    assert pack.startswith(str(venv)) and Path(pack, "pack.toml").is_file()
    assert prompts.startswith(str(venv)) and any(Path(prompts).rglob("*.*"))


def test_validate_from_tmp(installed) -> None:
    _, venv, env = installed
    result = _check([str(venv / "bin" / "bip-talk"), "validate"], cwd="/tmp", env=env)
    assert len(result.stdout.splitlines()) == 1
    assert "'bip'" in result.stdout


def test_help_lists_the_commands(installed) -> None:
    _, venv, env = installed
    out = _check([str(venv / "bin" / "bip-talk"), "--help"], cwd="/tmp", env=env).stdout
    for name in ("validate", "where"):
        assert f"  {name} " in out


def test_version(installed) -> None:
    _, venv, env = installed
    from bip_talk import __version__

    out = _check([str(venv / "bin" / "bip-talk"), "--version"], cwd="/tmp", env=env).stdout
    assert out.strip() == f"bip-talk {__version__}"


def test_broken_pack_still_exits_2_when_installed(installed, tmp_path: Path) -> None:
    _, venv, env = installed
    (tmp_path / "pack.toml").write_text("id = \n", encoding="utf-8")
    result = subprocess.run(
        [str(venv / "bin" / "bip-talk"), "validate", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd="/tmp",
        env=env,
        timeout=60,
    )
    assert result.returncode == 2
    assert f"{tmp_path / 'pack.toml'}:1:" in result.stderr
    assert "Traceback" not in result.stderr
