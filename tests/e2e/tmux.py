"""Drive the real terminal app in tmux: type keys, read the screen.

Every ``Tmux`` runs its own tmux server on a socket in a private temporary folder
(``tmux -S``), never the user's default server: a test cannot see or disturb a
developer's sessions, and ``close`` ends the whole server."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from tests.tools import requires_tool

BIN = Path(sys.executable).with_name("bip-talk")

# Skipped where tmux is missing; under CI=true that fails instead (tests/tools.py).
needs_tmux = requires_tool("tmux")


class Tmux:
    def __init__(self, env: dict[str, str], width: int = 100, height: int = 30) -> None:
        self.name = f"bip-{uuid.uuid4().hex[:8]}"
        self.env = env
        self.width, self.height = width, height
        # Short path: a Unix socket name must stay under ~100 bytes.
        self._folder = Path(tempfile.mkdtemp(prefix="bip-tmux-"))
        self.socket = self._folder / "tmux.sock"

    def tmux(self, *args: str, check: bool = False) -> subprocess.CompletedProcess[str]:
        """A tmux command on this test's own server."""
        return subprocess.run(
            ["tmux", "-S", str(self.socket), *args], capture_output=True, text=True, check=check
        )

    def start(self, *args: str) -> None:
        # A running tmux server starts commands with ITS environment, not ours: pass the
        # variables on the command line.
        prefix = ["env"] + [f"{k}={shlex.quote(v)}" for k, v in self.env.items()]
        # COLUMNS/LINES/ROWS from the test runner would override the real window size.
        for name in (
            "BIP_TALK_DB",
            "BIP_TALK_LANG",
            "BIP_TALK_CONFIG",
            "BIP_TALK_PACK",
            "COLUMNS",
            "LINES",
            "ROWS",
        ):
            if name not in self.env:
                prefix.insert(1, f"-u{name}")
        command = " ".join([*prefix, str(BIN), *map(shlex.quote, args)])
        # -f /dev/null: no user ~/.tmux.conf changes keys or the window size.
        self.tmux(
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-s",
            self.name,
            "-x",
            str(self.width),
            "-y",
            str(self.height),
            command,
            check=True,
        )

    def keys(self, *keys: str, literal: bool = False) -> None:
        args = ["send-keys", "-t", self.name]
        if literal:
            args.append("-l")
        self.tmux(*args, *keys, check=True)
        time.sleep(0.15)

    def type(self, text: str) -> None:
        self.keys(text, literal=True)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.name).stdout

    def wait_for(self, text: str, timeout: float = 15.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not on screen after {timeout}s:\n{screen}")

    def pane_pid(self) -> int:
        out = self.tmux("list-panes", "-t", self.name, "-F", "#{pane_pid}", check=True)
        return int(out.stdout.split()[0])

    def alive(self) -> bool:
        return self.tmux("has-session", "-t", self.name).returncode == 0

    def close(self) -> None:
        self.tmux("kill-server")
        shutil.rmtree(self._folder, ignore_errors=True)
