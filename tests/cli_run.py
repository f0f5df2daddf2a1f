"""``bip-talk`` in a process of its own, as a user runs it: none of the caller's
``BIP_TALK_*`` settings but the test's data folder, no terminal, a minute at most."""

from __future__ import annotations

import os
import subprocess
import sys


def run_bip(
    args: list[str], *, lang: str | None = None, code: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m bip_talk ARGS`` (or ``python -c CODE ARGS``), its output as text."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    env["BIP_TALK_DATA_DIR"] = os.environ["BIP_TALK_DATA_DIR"]
    if lang is not None:
        env["BIP_TALK_LANG"] = lang
    program = ["-c", code] if code is not None else ["-m", "bip_talk"]
    return subprocess.run(
        [sys.executable, *program, *args],
        capture_output=True,
        text=True,
        cwd="/tmp",
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )
