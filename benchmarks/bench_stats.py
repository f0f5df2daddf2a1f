"""``bip-talk stats`` on a 10× BIP database (40,000 citizens, ≈5.7 M answers): every
table in under 5 s, memory flat. Side by side:

- time: the whole command as the user waits for it (start-up, all seven tables, JSON
  out) against the bare floor of one plain ``sqlite3`` pass over every answer
  (``SELECT count(*), sum(value) FROM answers``), which any table over the answers
  must pay at least once;
- memory: the command's peak RSS on the large database against the same command on
  a database 1/100 of its size. A ratio near 1 shows the counting stays in SQLite
  (Python sees only aggregate rows) and memory does not grow with the data.

Each run is its own process that reads its own peak resident set size (``VmHWM``) as
it ends, as in ``bench_export.py``.

    .venv/bin/python benchmarks/bench_stats.py [--citizens 40000] [--rounds 3]
    .venv/bin/python benchmarks/bench_stats.py --small
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.cohort_db import TEN_X, cohort_database, size_args  # noqa: E402
from benchmarks.common import installed_env, interleaved, python, row  # noqa: E402

TARGET_S = 5.0
TARGET_MB = 200.0
SMALLER = 100
PROBE = """
import sys
try:
    from bip_talk.cli import main
    main(sys.argv[1:])
finally:
    peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    sys.stderr.write("PEAK_KB " + peak.split()[1] + "\\n")
"""


def stats_run(db: Path, folder: Path, peaks: list[float]) -> float:
    """One ``bip-talk stats --format json``; returns its wall time, notes its peak RSS."""
    env = installed_env(folder / "data")
    start = time.perf_counter()
    done = subprocess.run(
        [python(), "-c", PROBE, "--db", str(db), "stats", "--format", "json"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - start
    found = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("PEAK_KB ")]
    if done.returncode != 0 or not found:
        raise SystemExit(f"stats failed ({done.returncode}): {done.stderr[-500:]}")
    peaks.append(int(found[-1]) / 1024)
    return seconds


def one_pass(db: Path) -> float:
    """The floor: one plain pass over every answer, read-only, SQLite's defaults."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        start = time.perf_counter()
        conn.execute("SELECT count(*), sum(value) FROM answers").fetchone()
        return time.perf_counter() - start
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    size_args(parser)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)

    big = cohort_database(args.citizens, folder=args.out)
    small_n = max(2, args.citizens // SMALLER)
    small = cohort_database(small_n, folder=args.out)
    big_peaks: list[float] = []
    small_peaks: list[float] = []
    with tempfile.TemporaryDirectory(dir=args.out) as tmp:
        folder = Path(tmp)
        cand, base = interleaved(
            lambda: stats_run(big, folder, big_peaks),
            lambda: one_pass(big),
            rounds=args.rounds,
        )
        for _ in range(max(1, args.rounds // 2)):
            stats_run(small, folder, small_peaks)
    median = statistics.median(cand)
    fast = median < TARGET_S
    print(
        f"stats on {args.citizens:,} citizens: median {median:.2f} s over {args.rounds} rounds "
        f"(fastest {min(cand):.2f} s); target < {TARGET_S:.0f} s {'OK' if fast else 'OVER TARGET'}"
    )
    # How many plain passes over the answers the whole command is worth (no target).
    floor = statistics.median(base)
    print(
        f"stats time: candidate median {median:.2f} s, baseline (one plain pass over the "
        f"answers) median {floor:.2f} s, ratio {median / floor:.1f}"
    )
    peak, small_peak = max(big_peaks), max(small_peaks)
    flat = peak < TARGET_MB
    print(
        f"stats peak RSS: {peak:.0f} MB on the large database, {small_peak:.0f} MB on the small "
        f"one ({small_n:,} citizens), ratio {peak / small_peak:.2f}; target < {TARGET_MB:.0f} MB "
        f"{'OK' if flat else 'OVER TARGET'}"
    )
    if args.citizens != TEN_X:
        print(f"(the {TARGET_S:.0f} s target is meant for {TEN_X:,} citizens)")
    n = f"{args.citizens:,} citizens"
    row(f"stats < 5 s ({n})", f"{median:.2f} s", f"{floor:.2f} s (one pass)", median / floor, fast)
    row(
        f"stats peak RSS < 200 MB ({n})",
        f"{peak:.0f} MB",
        f"{small_peak:.0f} MB (1/100 db)",
        peak / small_peak,
        flat,
    )
    return 0 if fast and flat else 1


if __name__ == "__main__":
    raise SystemExit(main())
