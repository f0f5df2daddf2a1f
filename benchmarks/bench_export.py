"""Peak memory of ``bip-talk export`` on a 10× BIP database, CSV and JSON, against the
same export of a database 1/100 of its size, side by side. Target: peak RSS under
200 MB; a ratio near 1 shows the rows stream (memory does not grow with the data).

Each export runs as its own process (the ``bip-talk --db … export`` command), which
reads its own peak resident set size (``VmHWM`` in ``/proc/self/status``) as it ends,
so nothing samples or slows it. (Not ``ru_maxrss``: Linux carries the parent's peak
over into a child at ``exec``, so every child would report at least this script's.)

    .venv/bin/python benchmarks/bench_export.py [--citizens 40000] [--rounds 1]
    .venv/bin/python benchmarks/bench_export.py --small
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.cohort_db import cohort_database, size_args  # noqa: E402
from benchmarks.common import installed_env, interleaved, python, row  # noqa: E402

TARGET_MB = 200.0
SMALLER = 100  # the small database has 1/SMALLER of the citizens
# The command as the CLI runs it, then this process's own high-water mark of memory.
PROBE = """
import sys
try:
    from bip_talk.cli import main
    main(sys.argv[1:])
finally:
    peak = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:"))
    sys.stderr.write("PEAK_KB " + peak.split()[1] + "\\n")
"""


def export_peak(db: Path, fmt: str, folder: Path, timings: list[float]) -> float:
    """Run one export; return its peak RSS in MB (and note its wall time)."""
    out = folder / f"export-{fmt}"
    env = installed_env(folder / "data")
    start = time.perf_counter()
    done = subprocess.run(
        [python(), "-c", PROBE, "--db", str(db), "export", "--format", fmt, "--out", str(out)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    timings.append(time.perf_counter() - start)
    peaks = [line.split()[1] for line in done.stderr.splitlines() if line.startswith("PEAK_KB ")]
    if done.returncode != 0 or not peaks:
        raise SystemExit(f"export failed ({done.returncode}): {done.stderr[-500:]}")
    shutil.rmtree(out)
    return int(peaks[-1]) / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    size_args(parser)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--formats", default="csv,json")
    args = parser.parse_args(argv)

    big = cohort_database(args.citizens, folder=args.out)
    small_n = max(2, args.citizens // SMALLER)
    small = cohort_database(small_n, folder=args.out)
    ok = True
    with tempfile.TemporaryDirectory(dir=args.out) as tmp:
        folder = Path(tmp)
        for fmt in args.formats.split(","):
            big_s, small_s = [], []
            cand, base = interleaved(
                lambda fmt=fmt, big_s=big_s: export_peak(big, fmt, folder, big_s),
                lambda fmt=fmt, small_s=small_s: export_peak(small, fmt, folder, small_s),
                rounds=args.rounds,
                warmup=0,
            )
            peak, base_peak = max(cand), max(base)
            fits = peak < TARGET_MB
            ok = ok and fits
            print(
                f"export {fmt}: {args.citizens:,} citizens in {statistics.median(big_s):.1f} s, "
                f"{small_n:,} citizens in {statistics.median(small_s):.1f} s"
            )
            print(
                f"export {fmt} peak RSS: {peak:.0f} MB on the large database, {base_peak:.0f} MB "
                f"on the small one, ratio {peak / base_peak:.2f}; target < {TARGET_MB:.0f} MB "
                f"{'OK' if fits else 'OVER TARGET'}"
            )
            row(
                f"export {fmt} peak RSS < 200 MB ({args.citizens:,} citizens)",
                f"{peak:.0f} MB",
                f"{base_peak:.0f} MB (1/100 db)",
                peak / base_peak,
                fits,
            )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
