"""A ``seed`` killed with SIGKILL leaves no generator process behind (issue 12,
item 15): the forked generator ends when its parent dies."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bip_talk.services.synthetic.seed import PARALLEL_MIN


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found += [int(p) for p in task.read_text().split()]
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    return state not in ("Z", "X")  # a zombie has ended; only its entry is left


@pytest.mark.skipif(
    not sys.platform.startswith("linux") or (os.cpu_count() or 1) < 2,
    reason="the generator runs in its own process on Linux with two or more cores",
)
def test_a_killed_seed_leaves_no_generator(tmp_path: Path) -> None:
    env = {**os.environ, "BIP_TALK_DATA_DIR": str(tmp_path / "data")}
    seed = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bip_talk",
            "seed",
            "--citizens",
            str(PARALLEL_MIN * 20),
            "--db",
            str(tmp_path / "big.db"),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while not (children := _children(seed.pid)):
            assert seed.poll() is None, "seed ended before it forked"
            assert time.monotonic() < deadline, "no generator process appeared"
            time.sleep(0.02)
        time.sleep(0.3)  # let it generate, and fill the pipe
    finally:
        seed.send_signal(signal.SIGKILL)
        seed.wait()
    deadline = time.monotonic() + 10
    try:
        while any(_alive(pid) for pid in children):
            assert time.monotonic() < deadline, f"orphaned generator still running: {children}"
            time.sleep(0.05)
    finally:
        for pid in children:  # a failed run must not leave its orphan on the machine
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
