"""Importing an export against seeding the same rows, side by side. Target: ``bip-talk
import`` of a cohort's export (validation included) ≤ 1.5× the time ``bip-talk seed``
needs for the same cohort, and memory flat: the import's peak RSS at this size ≤ 1.25×
that of importing an export 1/10 the size.

Both run as the user runs them, each as its own process, into a fresh database:
``bip-talk seed --citizens N`` and ``bip-talk import EXPORT`` (the export made once
beforehand from a seeded database of N citizens, CSV). Each process reads its own peak
resident memory as it ends, as in ``bench_export.py``.

    .venv/bin/python benchmarks/bench_import.py [--citizens 4000] [--rounds 1]
    .venv/bin/python benchmarks/bench_import.py --small
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_export import PROBE  # noqa: E402
from benchmarks.cohort_db import cohort_database, size_args  # noqa: E402
from benchmarks.common import installed_env, interleaved, python, row  # noqa: E402

TARGET = 1.5
TARGET_MEMORY = 1.25
BIP = 4_000  # the cohort BIP followed: the default size here


def run_cli(args: list[str], folder: Path) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one ``bip-talk`` command in its own process."""
    env = installed_env(folder / "data")
    start = time.perf_counter()
    done = subprocess.run(
        [python(), "-c", PROBE, *args],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    seconds = time.perf_counter() - start
    peaks = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("PEAK_KB ")]
    if done.returncode != 0 or not peaks:
        raise SystemExit(f"{args[2:4]} failed ({done.returncode}): {done.stderr[-500:]}")
    return seconds, int(peaks[-1]) / 1024


def fresh(path: Path) -> Path:
    for name in (path.name, path.name + "-wal", path.name + "-shm"):
        (path.parent / name).unlink(missing_ok=True)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    size_args(parser, default=BIP)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    small_n = max(2, args.citizens // 10)
    with tempfile.TemporaryDirectory(dir=args.out if args.out.is_dir() else None) as tmp:
        folder = Path(tmp)
        exports = {}
        for n in (args.citizens, small_n):
            source = cohort_database(n, folder=args.out)
            exports[n] = folder / f"export-{n}"
            run_cli(["--db", str(source), "export", "--out", str(exports[n])], folder)
        peaks: dict[str, list[float]] = {"import": [], "seed": [], "small": []}

        def imported(n: int = args.citizens, who: str = "import") -> float:
            db = fresh(folder / f"{who}.db")
            seconds, peak = run_cli(["--db", str(db), "import", str(exports[n])], folder)
            peaks[who].append(peak)
            return seconds

        def seeded() -> float:
            db = fresh(folder / "seed.db")
            args_ = ["seed", "--citizens", str(args.citizens), "--db", str(db)]
            seconds, peak = run_cli(args_, folder)
            peaks["seed"].append(peak)
            return seconds

        cand, base = interleaved(imported, seeded, rounds=args.rounds, warmup=0)
        imported(small_n, "small")
    c, b = statistics.median(cand), statistics.median(base)
    ratio = c / b
    ok = ratio <= TARGET
    print(
        f"import of {args.citizens:,} citizens' export: median {c:.1f} s; seed of the same "
        f"cohort {b:.1f} s; ratio {ratio:.2f} (target ≤ {TARGET}) {'OK' if ok else 'OVER TARGET'}"
    )
    peak, small_peak = max(peaks["import"]), max(peaks["small"])
    flat = peak / small_peak <= TARGET_MEMORY
    print(
        f"import peak RSS: {peak:.0f} MB for {args.citizens:,} citizens, {small_peak:.0f} MB for "
        f"{small_n:,}; ratio {peak / small_peak:.2f} (target ≤ {TARGET_MEMORY}) "
        f"{'OK' if flat else 'OVER TARGET'}; seed peak {max(peaks['seed']):.0f} MB"
    )
    row(
        "5. import ≤ 1.5× seed of the same rows",
        f"{c:.1f} s",
        f"{b:.1f} s (seed)",
        ratio,
        ok,
    )
    row(
        "5. import memory flat (≤ 1.25× a 1/10 export)",
        f"{peak:.0f} MB",
        f"{small_peak:.0f} MB",
        peak / small_peak,
        flat,
    )
    return 0 if ok and flat else 1


if __name__ == "__main__":
    raise SystemExit(main())
