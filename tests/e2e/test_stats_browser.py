"""The stats report as a browser shows it: `bip-talk stats --format html` on a small
hand-made database, opened in headless Chromium and screenshotted. Skipped – with the
reason – where Chromium is missing (`.ci/run` installs it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bip_talk.store import Store, open_database
from tests.e2e.test_report_browser import png_rows
from tests.tools import find_tool, requires_tool
from tests.unit.test_stats import _world

pytestmark = [pytest.mark.e2e, pytest.mark.slow, requires_tool("chromium")]

WIDTH, HEIGHT = 1000, 2400


def test_stats_report_in_headless_chromium(tmp_path: Path, pack):
    browser = find_tool("chromium")
    assert browser is not None  # requires_tool skipped or (CI=true) failed the test otherwise
    db = tmp_path / "stats.db"
    store = Store(open_database(db))
    try:
        _world(store, pack)
    finally:
        store.close()
    html = tmp_path / "stats.html"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    env["BIP_TALK_DATA_DIR"] = str(tmp_path / "data")
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "bip_talk",
            "--db",
            str(db),
            "stats",
            "--format",
            "html",
            "--out",
            str(html),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
    assert made.returncode == 0, made.stderr
    text = html.read_text(encoding="utf-8")
    assert text.count("<svg") == 9  # one chart per table, three for the score bands
    shot = tmp_path / "stats.png"
    result = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            f"--screenshot={shot}",
            f"--window-size={WIDTH},{HEIGHT}",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    assert shot.exists(), f"no screenshot (exit {result.returncode}): {result.stderr[-2000:]}"
    width, height, rows = png_rows(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    assert len(set(rows)) > 300  # text, tables and charts, not a blank or error page
    keep = os.environ.get("BIP_TALK_KEEP_SCREENSHOT")
    if keep:
        shutil.copy(shot, keep)
