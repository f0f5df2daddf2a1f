"""Start-up to the first interactive screen: bip-talk vs a bare Textual app with a
header and footer, each in a fresh process, interleaved. Target: ratio ≤ 1.3.

    .venv/bin/python benchmarks/bench_startup.py [--rounds 20]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import subprocess  # noqa: E402
import time  # noqa: E402

from benchmarks.common import installed_env, interleaved, python, report, row  # noqa: E402

PROBES = str(Path(__file__).resolve().parent / "startup_probes.py")
TARGET = 1.3


def until_ready(args: list[str], env: dict[str, str]) -> float:
    """Seconds from starting the process to its first screen being ready (the probe
    prints the moment); what the process does after that is not start-up."""
    start = time.time()
    out = subprocess.run(args, env=env, capture_output=True, text=True, check=True).stdout
    ready = next(float(line.split()[1]) for line in out.splitlines() if line.startswith("READY"))
    return ready - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)  # the ratio wanders at 12
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        data.mkdir(mode=0o700)
        (data / "settings.toml").write_text(
            'caseworker_name = "Bench"\ncaseworker_initials = "BE"\n'
        )
        env = installed_env(data)
        cand, base = interleaved(
            lambda: until_ready([python(), PROBES, "bip", str(data)], env),
            lambda: until_ready([python(), PROBES, "bare"], env),
            rounds=args.rounds,
        )
    ok = report("start-up to first screen", cand, base, TARGET)
    c, b = statistics.median(cand) * 1000, statistics.median(base) * 1000
    row("4. start-up ≤ 1.3× a bare Textual app", f"{c:.0f} ms", f"{b:.0f} ms (bare)", c / b, ok)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
