"""End-to-end tests cannot vanish from a green CI run: a test that needs tmux or
Chromium is skipped with the reason on a developer's machine without it, and fails
under CI=true (tests/tools.py, applied by tests/conftest.py); the PostgreSQL half of the
suite too (tests/pg.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

NEEDS_TMUX = """
from tests.tools import requires_tool

@requires_tool("tmux")
def test_drives_tmux():
    pass
"""


def _pytest(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    test = tmp_path / "test_needs_tmux.py"
    test.write_text(NEEDS_TMUX)
    # PATH without tmux; the project's conftest loaded as a plugin (the file lies outside).
    clean = {k: v for k, v in os.environ.items() if k != "CI"}
    return subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-rs", "-p", "tests.conftest"),
            *("-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT), str(test)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, "PATH": str(tmp_path / "empty"), **env},
        timeout=120,
    )


@pytest.mark.parametrize("ci", ["", "false"])
def test_skipped_with_the_reason_outside_ci(tmp_path: Path, ci: str) -> None:
    out = _pytest(tmp_path, CI=ci)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 skipped" in out.stdout
    assert "tmux is not installed (Debian: apt-get install tmux)" in out.stdout


@pytest.mark.parametrize("ci", ["true", "1"])
def test_fails_under_ci(tmp_path: Path, ci: str) -> None:
    out = _pytest(tmp_path, CI=ci)
    assert out.returncode == 1, out.stdout + out.stderr
    # Failed in setup: pytest counts it as an error; the run fails either way.
    assert "1 error" in out.stdout and "skipped" not in out.stdout
    assert "CI=true: tmux is not installed" in out.stdout


def test_every_e2e_test_that_drives_a_program_declares_it() -> None:
    """A test that calls tmux or Chromium without the marker would skip or crash on its
    own terms; the rule only holds if they all go through tests/tools.py."""
    for path in (ROOT / "tests" / "e2e").glob("test_*.py"):
        text = path.read_text(encoding="utf-8")
        for tool, sign in (("tmux", "Tmux("), ("chromium", 'find_tool("chromium")')):
            if sign in text:
                marker = "needs_tmux" if tool == "tmux" else 'requires_tool("chromium")'
                assert marker in text, f"{path.name} uses {tool} without {marker}"
        assert "pytest.skip(" not in text, f"{path.name}: skip through tests/tools.py"


# The PostgreSQL half of the suite follows the same rule (tests/pg.py): a server that
# cannot be used skips it with the reason outside CI, and fails it under CI=true.
ON_BOTH = """
def test_on_both(store):
    assert store.count_citizens() == 0
"""
NO_SERVER = "postgresql://nobody@/nothing?host=/nonexistent-folder"


def _pytest_on_both(tmp_path: Path, ci: str) -> subprocess.CompletedProcess[str]:
    test = tmp_path / "test_on_both.py"
    test.write_text(ON_BOTH)
    clean = {k: v for k, v in os.environ.items() if k != "CI"}
    return subprocess.run(
        [
            *(sys.executable, "-m", "pytest", "-q", "-rs", "-p", "tests.conftest"),
            *("-c", str(ROOT / "pyproject.toml"), "--rootdir", str(ROOT), str(test)),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, "CI": ci, "BIP_TALK_TEST_PG": NO_SERVER},
        timeout=120,
    )


def test_postgres_tests_skip_with_the_reason_outside_ci(tmp_path: Path) -> None:
    out = _pytest_on_both(tmp_path, "")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 passed, 1 skipped" in out.stdout  # SQLite ran; PostgreSQL said why not
    assert f"PostgreSQL not available: BIP_TALK_TEST_PG={NO_SERVER}" in out.stdout
    assert "PostgreSQL: 1 tests on PostgreSQL: 1 skipped" in out.stdout


def test_postgres_tests_fail_under_ci(tmp_path: Path) -> None:
    out = _pytest_on_both(tmp_path, "true")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "1 passed, 1 error" in out.stdout and "skipped" not in out.stdout
    assert "CI=true: PostgreSQL is needed and cannot be used" in out.stdout
