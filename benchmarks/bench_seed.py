"""Seeding rate of ``bip-talk seed`` against a plain ``sqlite3`` ``executemany`` of the
same rows into the same schema, side by side. Target: ratio ≤ 1.5, and a 10× BIP file
(40,000 citizens) under 600 MB.

The candidate is ``bip-talk seed``'s whole run, as the user waits for it: open and
create the database, generate the cohort (in a second process on two cores), write
it, record the run. The baseline gets the same rows from the same generator
(``CohortModel`` + ``RowBuilder``), but only its writing is timed: a plain
``sqlite3.connect`` with SQLite's defaults (rollback journal, foreign keys off,
2 MiB cache), the schema copied from a bip-talk database, one ``executemany`` per
table and batch, one commit. So the ratio is the whole command against the bare cost
of putting those rows into SQLite.

Nothing is extrapolated: the file size is that of the cohort size asked for, and the
600 MB target is only checked at 40,000 citizens.

    .venv/bin/python benchmarks/bench_seed.py [--citizens 40000] [--rounds 2]
    .venv/bin/python benchmarks/bench_seed.py --small
"""

from __future__ import annotations

import argparse
import gc
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.cohort_db import TEN_X, load_pack, size_args  # noqa: E402
from benchmarks.common import interleaved, report, row  # noqa: E402

TARGET = 1.5
TARGET_MB = 600.0
TABLES = (
    "caseworkers",
    "citizens",
    "assignments",
    "meetings",
    "answers",
    "plan_items",
    "notes",
    "outcomes",
)


def table_counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()


def schema_sql(folder: Path) -> list[str]:
    """Every CREATE statement of a fresh bip-talk database, in creation order."""
    from bip_talk.store import open_database

    path = folder / "schema.db"
    open_database(path).close()
    conn = sqlite3.connect(path)
    try:
        return [
            r[0]
            for r in conn.execute(
                "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
            )
        ]
    finally:
        conn.close()


class Run:
    """One cohort size: the candidate and the baseline write files in ``folder``."""

    def __init__(self, citizens: int, seed: int, folder: Path) -> None:
        self.citizens, self.seed, self.folder = citizens, seed, folder
        self.pack = load_pack()
        self.schema = schema_sql(folder)
        self.sizes: dict[str, int] = {}
        self.counts: dict[str, dict[str, int]] = {}

    def candidate(self) -> float:
        from bip_talk.services.synthetic.seed import seed_database

        path = self.folder / "seed.db"
        start = time.perf_counter()
        seed_database(path, self.pack, citizens=self.citizens, seed=self.seed)
        seconds = time.perf_counter() - start
        self._keep("candidate", path)
        return seconds

    def baseline(self) -> float:
        from bip_talk.domain.synthetic.cohort import DEFAULT_START, CohortModel
        from bip_talk.i18n import Translator
        from bip_talk.services.synthetic.seed import stored_texts
        from bip_talk.store.bulk_writer import DEFAULT_BATCH, INSERT, ORDER, RowBuilder, stamp

        path = self.folder / "plain.db"
        conn = sqlite3.connect(path)  # SQLite's defaults throughout
        for statement in self.schema:
            conn.execute(statement)
        conn.commit()
        model = CohortModel(self.pack, self.seed, start=DEFAULT_START)
        pool = model.caseworkers(self.citizens)
        enabled = gc.isenabled()
        gc.disable()  # as the seed does; only matters for the untimed generation
        try:
            start = time.perf_counter()
            conn.executemany(
                "INSERT INTO caseworkers (id, initials, name, created_at) VALUES (?, ?, ?, ?)",
                [(n, c.initials, c.name, stamp(model.start)) for n, c in enumerate(pool, start=1)],
            )
            writing = time.perf_counter() - start
            builder = RowBuilder(
                pack_id=self.pack.id,
                pack_version=self.pack.version,
                texts=stored_texts(Translator("da")),
                caseworker_ids={c.key: n for n, c in enumerate(pool, start=1)},
                next_meeting=1,
            )
            histories = model.citizens(self.citizens, caseworkers=pool)
            for rows in builder.batches(histories, DEFAULT_BATCH):  # generated untimed
                start = time.perf_counter()
                for name in ORDER:
                    if rows[name]:
                        conn.executemany(INSERT[name], rows[name])
                writing += time.perf_counter() - start
            start = time.perf_counter()
            conn.commit()
            writing += time.perf_counter() - start
        finally:
            conn.close()
            if enabled:
                gc.enable()
        self._keep("baseline", path)
        return writing

    def _keep(self, who: str, path: Path) -> None:
        self.sizes[who] = path.stat().st_size
        self.counts[who] = table_counts(path)
        for name in (path.name, path.name + "-wal", path.name + "-shm"):
            (path.parent / name).unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    size_args(parser)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.out) as tmp:
        run = Run(args.citizens, args.seed, Path(tmp))
        cand, base = interleaved(run.candidate, run.baseline, rounds=args.rounds, warmup=0)
    counts = run.counts["candidate"]
    if counts != run.counts["baseline"]:
        print(f"different rows: seed {counts}, plain {run.counts['baseline']}")
        return 1
    rows = sum(counts.values())
    print(
        f"{args.citizens:,} citizens: {rows:,} rows ({counts['meetings']:,} meetings, "
        f"{counts['answers']:,} answers), the same in both files; {args.rounds} rounds"
    )
    print(
        f"rate: seed {rows / min(cand):,.0f} rows/s (fastest round), "
        f"plain executemany {rows / min(base):,.0f} rows/s"
    )
    ok = report("seeding time", cand, base, TARGET, unit="s", scale=1.0)
    c, b = statistics.median(cand), statistics.median(base)
    row(
        f"6. seed ≤ 1.5× plain executemany ({args.citizens:,} citizens)",
        f"{c:.1f} s",
        f"{b:.1f} s (executemany)",
        c / b,
        ok,
    )
    mb = run.sizes["candidate"] / 1e6
    print(
        f"file size: {mb:,.1f} MB for {args.citizens:,} citizens "
        f"(plain executemany file {run.sizes['baseline'] / 1e6:,.1f} MB)",
        end="",
    )
    if args.citizens == TEN_X:
        small = mb < TARGET_MB
        print(f"; target < {TARGET_MB:.0f} MB at 10× {'OK' if small else 'OVER TARGET'}")
        ok = ok and small
    else:
        print(f"; the {TARGET_MB:.0f} MB target applies to {TEN_X:,} citizens (not checked)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
