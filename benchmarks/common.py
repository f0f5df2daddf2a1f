"""Shared helpers: run a candidate and its baseline side by side, interleaved, and
print the ratio of medians (machines are noisy; absolute times lie)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Bytecode of every process a benchmark starts (git-ignored, like the cohort databases).
PYCACHE = ROOT / "benchmarks" / "out" / "pycache"


def installed_env(data_dir: Path | str) -> dict[str, str]:
    """The environment of a bip-talk process as an installed bip-talk runs: its own data
    folder, no BIP_TALK_DB, and bytecode – ``pip install .`` compiles bip-talk as it does
    Textual. Where PYTHONDONTWRITEBYTECODE is set, every process would otherwise compile
    bip-talk's modules from source (Textual's bytecode is there already), and only the
    side that imports more of bip-talk would pay; the first run writes the bytecode into
    ``PYCACHE``, never into the source tree."""
    env = {**os.environ, "BIP_TALK_DATA_DIR": str(data_dir)}
    env.pop("BIP_TALK_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def interleaved(
    candidate: Callable[[], float], baseline: Callable[[], float], rounds: int, warmup: int = 1
) -> tuple[list[float], list[float]]:
    for _ in range(warmup):
        candidate()
        baseline()
    cand, base = [], []
    for n in range(rounds):
        # Alternate who goes first so drift hits both equally.
        if n % 2:
            base.append(baseline())
            cand.append(candidate())
        else:
            cand.append(candidate())
            base.append(baseline())
    return cand, base


def subprocess_seconds(args: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def report(
    name: str,
    cand: list[float],
    base: list[float],
    target: float,
    unit: str = "ms",
    scale: float = 1000.0,
) -> bool:
    c, b = statistics.median(cand), statistics.median(base)
    ratio = c / b if b else float("inf")
    ok = ratio <= target
    print(
        f"{name}: candidate median {c * scale:.1f} {unit}, baseline median {b * scale:.1f} {unit}, "
        f"ratio {ratio:.2f} (target ≤ {target}) {'OK' if ok else 'OVER TARGET'}"
    )
    return ok


def python() -> str:
    return sys.executable


ROW = "ROW "  # run_all.py collects the lines that start so


def row(target: str, measured: str, baseline: str, ratio: float | None, ok: bool) -> None:
    """One row of ``run_all.py``'s table: the target as the issue states it, the figure
    and its baseline as text, their ratio (None where a target is absolute), pass/fail."""
    print(
        ROW
        + json.dumps(
            {
                "target": target,
                "measured": measured,
                "baseline": baseline,
                "ratio": ratio,
                "ok": ok,
            },
            ensure_ascii=False,
        ),
        flush=True,
    )
