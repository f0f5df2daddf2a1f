"""A running `bip-talk serve --demo` on loopback, and a headless Chromium that reads
the app's screen: Playwright drives Debian's /usr/bin/chromium (never a downloaded
browser), and the terminal stream the page receives over its websocket is replayed
into pyte, a terminal emulator, so a test reads the screen as text – what the page's
xterm.js draws on its canvas from the same bytes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyte

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Served:
    url: str
    port: int
    data_dir: Path
    process: subprocess.Popen[str]

    @property
    def database(self) -> Path:
        return self.data_dir / "serve-demo.db"


@contextmanager
def serving(tmp: Path, *args: str, idle_minutes: float = 10) -> Iterator[Served]:
    """`bip-talk serve --demo` on a free loopback port, stopped (and its sessions with
    it) at the end."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    env["BIP_TALK_DATA_DIR"] = str(tmp / "data")
    log = (tmp / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "bip_talk", "serve", "--demo", "--port", str(port)]
        + ["--idle-minutes", str(idle_minutes), *args],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while "kører på" not in (tmp / "serve.log").read_text(encoding="utf-8"):
            assert process.poll() is None, (tmp / "serve.log").read_text(encoding="utf-8")
            assert time.monotonic() < deadline, "bip-talk serve did not start"
            time.sleep(0.1)
        yield Served(f"http://127.0.0.1:{port}", port, tmp / "data", process)
    finally:
        os.killpg(process.pid, 15)  # the server and the session processes it started
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
            process.wait(timeout=10)
        log.close()


class Screen:
    """The app's screen as the page receives it: the websocket's binary frames are the
    terminal stream; pyte keeps the picture they draw."""

    def __init__(self) -> None:
        self.screen: pyte.Screen | None = None
        self.stream: pyte.ByteStream | None = None
        self.websockets: list[str] = []

    def attach(self, websocket) -> None:
        self.websockets.append(websocket.url)
        size = parse_qs(urlsplit(websocket.url).query)
        self.screen = pyte.Screen(int(size["width"][0]), int(size["height"][0]))
        self.stream = pyte.ByteStream(self.screen)
        websocket.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        if isinstance(payload, bytes | bytearray) and self.stream is not None:
            self.stream.feed(bytes(payload))

    def text(self) -> str:
        if self.screen is None:
            return ""
        return "\n".join(line.rstrip() for line in self.screen.display)

    def wait_for(self, page, *texts: str, timeout: float = 30) -> str:
        """Wait (letting the page run) until one of ``texts`` is on the screen."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.text()
            if any(t in shown for t in texts):
                return shown
            page.wait_for_timeout(100)
        raise AssertionError(f"none of {texts} on the screen:\n{self.text()}")
