"""Run every benchmark and print one table: target, measured, baseline, ratio, pass/fail.

Each script runs as its own process, one after another (they measure CPU and time, so
never two at once), and prints its rows (``ROW {json}`` lines) beside its usual report;
this collects them. A script that crashes is a FAIL row of its own. Exit 0 when every
row passes, else 1.

    .venv/bin/python benchmarks/run_all.py                 # full sizes (an hour or more)
    .venv/bin/python benchmarks/run_all.py --small         # a quick run at smoke sizes
    .venv/bin/python benchmarks/run_all.py --only search,startup
    .venv/bin/python benchmarks/run_all.py --with-100x     # also open citizen at 400,000

The 10× database is built once into ``--out`` (default ``benchmarks/out``); the 100×
one (400,000 citizens, about 4.7 GB, 10 minutes) only with ``--with-100x``, into
``--big-out`` (default ``~/.cache/bip-talk-bench``, outside git).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.cohort_db import OUT  # noqa: E402
from benchmarks.common import ROW, python  # noqa: E402

HERE = Path(__file__).resolve().parent
BIG_OUT = Path.home() / ".cache" / "bip-talk-bench"

# name: (script, full-size arguments, --small arguments); "{out}" is the cache folder.
RUNS: dict[str, tuple[str, list[str], list[str]]] = {
    "search": (
        "bench_search.py",
        ["--out", "{out}"],
        ["--small", "--out", "{out}", "--presses", "20", "--rounds", "1"],
    ),
    "open": (
        "bench_open_citizen.py",
        ["--out", "{out}"],
        ["--small", "--out", "{out}", "--sample", "20"],
    ),
    "answer": ("bench_answer.py", [], ["--presses", "20", "--rounds", "1"]),
    "startup": ("bench_startup.py", [], ["--rounds", "2"]),
    "import": ("bench_import.py", ["--out", "{out}"], ["--small", "--out", "{out}"]),
    "seed": ("bench_seed.py", ["--out", "{out}"], ["--small", "--out", "{out}", "--rounds", "1"]),
    "first-key": ("bench_first_key.py", ["--out", "{out}"], ["--small", "--out", "{out}"]),
    "export": ("bench_export.py", ["--out", "{out}"], ["--small", "--out", "{out}"]),
    "stats": ("bench_stats.py", ["--out", "{out}"], ["--small", "--out", "{out}", "--rounds", "1"]),
    "sessions": ("bench_sessions.py", [], ["--sessions", "3", "--answers", "10"]),
}
HUNDRED_X = ("bench_open_citizen.py", ["--citizens", "400000", "--out", "{big}"])
COLUMNS = ("target", "measured", "baseline", "ratio", "result")


def run_script(script: str, args: list[str]) -> tuple[list[dict], float]:
    """The rows one script printed, and its wall time; a crash is a FAIL row."""
    start = time.perf_counter()
    done = subprocess.run(
        [python(), str(HERE / script), *args], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - start
    for line in done.stdout.splitlines():  # the script's own report: the run behind a row
        if not line.startswith(ROW):
            print(f"    {line}", flush=True)
    rows = [
        json.loads(line[len(ROW) :]) for line in done.stdout.splitlines() if line.startswith(ROW)
    ]
    if done.returncode not in (0, 1) or not rows:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        rows.append(
            {
                "target": script,
                "measured": f"crashed: {last[:60]}",
                "baseline": "",
                "ratio": None,
                "ok": False,
            }
        )
    return rows, seconds


def table(rows: list[dict]) -> str:
    cells = [
        (
            r["target"],
            r["measured"],
            r["baseline"],
            "" if r["ratio"] is None else f"{r['ratio']:.2f}",
            "PASS" if r["ok"] else "FAIL",
        )
        for r in rows
    ]
    widths = [max(len(c[i]) for c in [COLUMNS, *cells]) for i in range(len(COLUMNS))]
    lines = ["  ".join(h.ljust(w) for h, w in zip(COLUMNS, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True)) for cell in cells]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", action="store_true", help="smoke sizes: a quick run")
    parser.add_argument("--only", help=f"comma-separated, of: {', '.join(RUNS)}")
    parser.add_argument("--with-100x", action="store_true", help="open citizen at 400,000 too")
    parser.add_argument("--out", type=Path, default=OUT, help="cache folder for databases")
    parser.add_argument("--big-out", type=Path, default=BIG_OUT, help="folder for the 100× db")
    args = parser.parse_args(argv)
    names = args.only.split(",") if args.only else list(RUNS)
    unknown = [n for n in names if n not in RUNS]
    if unknown:
        parser.error(f"unknown benchmark {', '.join(unknown)}; known: {', '.join(RUNS)}")
    plan = [(RUNS[n][0], RUNS[n][2] if args.small else RUNS[n][1]) for n in names]
    if args.with_100x:
        plan.append(HUNDRED_X)
    rows: list[dict] = []
    for script, template in plan:
        script_args = [a.format(out=args.out, big=args.big_out) for a in template]
        print(f"running {script} {' '.join(script_args)} …", flush=True)
        got, seconds = run_script(script, script_args)
        print(f"  {len(got)} rows in {seconds:.0f} s", flush=True)
        rows += got
    print()
    print(table(rows))
    return 0 if all(r["ok"] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
