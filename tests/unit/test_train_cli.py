"""`bip-talk train` from the command line: listing, bad arguments, no terminal."""

from __future__ import annotations

import subprocess
import sys


def run(*args: str, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "bip_talk", *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        cwd=cwd,
    )


def test_list_shows_the_personas():
    out = run("train", "--list")
    assert out.returncode == 0
    assert "kontant_helbred" in out.stdout and "Preben Simulund" in out.stdout


def test_unknown_persona_names_the_known_ones():
    out = run("train", "--persona", "nobody")
    assert out.returncode == 2
    assert "nobody" in out.stderr and "kontant_helbred" in out.stderr
    assert "Traceback" not in out.stderr


def test_missing_report_folder_is_refused(tmp_path):
    out = run("train", "--report-dir", str(tmp_path / "nowhere"))
    assert out.returncode == 2
    assert "nowhere" in out.stderr and "Traceback" not in out.stderr


def test_needs_a_terminal(tmp_path):
    out = run("train", "--seed", "4", cwd=tmp_path)
    assert out.returncode == 1
    assert "terminal" in out.stderr
    assert not list(tmp_path.iterdir())  # nothing was left behind
