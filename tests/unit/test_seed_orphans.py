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


def test_a_seed_killed_while_writing_leaves_the_file_as_it_was(tmp_path: Path, pack) -> None:
    """Killed with SIGKILL while it writes with its rollback journal: the next open
    undoes the half-written seed and puts the file back in WAL mode."""
    from bip_talk.services.synthetic.seed import seed_database
    from bip_talk.store import open_database

    db = tmp_path / "app.db"
    seed_database(db, pack, citizens=20, seed=2, parallel=False)
    journal = db.with_name(db.name + "-journal")
    env = {**os.environ, "BIP_TALK_DATA_DIR": str(tmp_path / "data")}
    args = ["seed", "--citizens", "40000", "--db", str(db), "--append", "--seed", "2"]
    seed = subprocess.Popen(
        [sys.executable, "-m", "bip_talk", *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not (journal.exists() and journal.stat().st_size > 0):
            assert seed.poll() is None, "seed ended before it wrote"
            assert time.monotonic() < deadline, "no rollback journal appeared"
            time.sleep(0.01)
        time.sleep(0.5)  # well into the writing
    finally:
        seed.send_signal(signal.SIGKILL)
        seed.wait()
    store = open_database(db)
    try:
        assert store.execute("SELECT count(*) FROM citizens").fetchone()[0] == 20
        assert store.journal_mode == "wal"
        assert store.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    finally:
        store.close()
