"""The HTML report as a browser shows it: `bip-talk report --format html` for a citizen
with four meetings, an internship and a change of caseworker, opened in headless
Chromium and screenshotted. Skipped – with the reason – where Chromium is missing;
under CI=true a missing Chromium fails (`.ci/run` installs it, tests/tools.py)."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from bip_talk.store import Store, open_database
from tests.tools import find_tool, requires_tool
from tests.unit.report_data import make_case

pytestmark = [pytest.mark.e2e, pytest.mark.slow, requires_tool("chromium")]

WIDTH, HEIGHT = 1200, 2000


def png_rows(data: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the raw (filtered) pixel rows of an 8-bit PNG: enough to tell a
    page with content from a blank one without an imaging library."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width, height, channels = 8, b"", 0, 0, 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert depth == 8
            channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = 1 + width * channels
    assert len(raw) == stride * height
    return width, height, [raw[i * stride : (i + 1) * stride] for i in range(height)]


def test_html_report_in_headless_chromium(tmp_path: Path, pack):
    browser = find_tool("chromium")
    assert browser is not None  # requires_tool skipped or failed the test otherwise
    db = tmp_path / "report.db"
    store = Store(open_database(db))
    try:
        case = make_case(store, pack)
    finally:
        store.close()
    html = tmp_path / "report.html"
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    env["BIP_TALK_DATA_DIR"] = str(tmp_path / "data")
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "bip_talk",
            "--db",
            str(db),
            "report",
            case.citizen_id,
            "--format",
            "html",
            "--audience",
            "caseworker",
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
    assert html.read_text(encoding="utf-8").count("<svg") == 5

    shot = tmp_path / "report.png"
    profile = tmp_path / "chromium-profile"
    result = subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
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
    data = shot.read_bytes()
    assert len(data) > 30_000, "the screenshot is suspiciously small"
    width, height, rows = png_rows(data)
    assert (width, height) == (WIDTH, HEIGHT)
    # A blank or error page repeats one row; the report has text, tables and charts.
    assert len(set(rows)) > 300
    keep = os.environ.get("BIP_TALK_KEEP_SCREENSHOT")
    if keep:  # to look at it: BIP_TALK_KEEP_SCREENSHOT=/tmp/report.png pytest tests/e2e/...
        shutil.copy(shot, keep)
