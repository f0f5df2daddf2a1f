"""Drive the real terminal app in tmux: type keys, read the screen."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

BIN = Path(sys.executable).with_name("bip-talk")

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    def __init__(self, env: dict[str, str], width: int = 100, height: int = 30) -> None:
        self.name = f"bip-{uuid.uuid4().hex[:8]}"
        self.env = env
        self.width, self.height = width, height

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
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(self.width),
                "-y",
                str(self.height),
                command,
            ],
            check=True,
        )

    def keys(self, *keys: str, literal: bool = False) -> None:
        args = ["tmux", "send-keys", "-t", self.name]
        if literal:
            args.append("-l")
        subprocess.run([*args, *keys], check=True)
        time.sleep(0.15)

    def type(self, text: str) -> None:
        self.keys(text, literal=True)

    def screen(self) -> str:
        out = subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        )
        return out.stdout

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
        out = subprocess.run(
            ["tmux", "list-panes", "-t", self.name, "-F", "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=True,
        )
        return int(out.stdout.split()[0])

    def alive(self) -> bool:
        return (
            subprocess.run(["tmux", "has-session", "-t", self.name], capture_output=True).returncode
            == 0
        )

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)
