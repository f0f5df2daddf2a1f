"""PostgreSQL beside SQLite on the same 10× BIP cohort: opening a citizen, recording an
answer, the research export and seeding, side by side.

The SQLite cohort is the cached one (``cohort_db``); PostgreSQL is filled from it with
``copy-db`` (timed too). The server is a throwaway one started here with the default,
durable settings (fsync on, like a production server; a Unix socket, so no network in
the figures), or the empty database named by ``--pg URL``.

- open citizen: what the app computes to open a citizen and start a meeting
  (``bench_open_citizen.open_citizen``), for the same sampled citizens, interleaved;
- record answer: one answer changed and saved (a transaction with its audit row), as
  each key press in a meeting does, on a copy of each database;
- export: ``bip-talk export --format json`` of the whole database (and the two
  exports compared: they must be the same);
- seed: ``bip-talk seed`` of the whole cohort into an empty database (``--skip-seed``
  leaves it out: it takes minutes).

    .venv/bin/python benchmarks/bench_postgres.py [--citizens 40000] [--sample 100]
    .venv/bin/python benchmarks/bench_postgres.py --small
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_open_citizen import open_citizen  # noqa: E402
from benchmarks.cohort_db import cohort_database, load_pack, size_args  # noqa: E402
from benchmarks.common import row  # noqa: E402

# PostgreSQL is held to the app's own targets (bench_open_citizen: < 20 ms to open a
# citizen; a saved answer well inside a key press).
OPEN_TARGET_MS = 20.0
ANSWER_TARGET_MS = 20.0


def verdict(name: str, values: list[float], target_ms: float) -> bool:
    median = statistics.median(values) * 1000
    ok = median < target_ms
    word = "OK" if ok else "OVER TARGET"
    print(f"{name}: median {median:.2f} ms (target < {target_ms:.0f} ms) {word}")
    row(f"{name} < {target_ms:.0f} ms", f"median {median:.2f} ms", "", None, ok)
    return ok


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def line(name: str, sqlite: list[float], postgres: list[float], unit: str = "ms") -> str:
    scale = 1000.0 if unit == "ms" else 1.0
    s, p = statistics.median(sqlite) * scale, statistics.median(postgres) * scale
    out = f"{name}: SQLite median {s:.2f} {unit}, PostgreSQL median {p:.2f} {unit}"
    if len(sqlite) > 2:
        out += f" (p95 {p95(sqlite) * scale:.2f} / {p95(postgres) * scale:.2f} {unit})"
    return out + f", ratio {p / s:.2f}"


class Server:
    """The PostgreSQL side: a throwaway durable server, or the database of ``--pg``."""

    def __init__(self, url: str | None) -> None:
        self.server = None
        if url:
            self.base = url
            return
        from tests import pg_server

        self.server = pg_server.start(durable=True)
        self.base = None

    def database(self, name: str) -> str:
        if self.server is None:
            assert self.base is not None
            return self.base
        from tests import pg_server

        with self.server.admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name} OWNER {pg_server.APP_USER}")
        return self.server.url(name)

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def open_citizens(sqlite_path: Path, url: str, sample: int, pack) -> tuple[list, list]:
    from bip_talk.i18n import Translator
    from bip_talk.store import Store
    from bip_talk.store.targets import open_target

    t = Translator("da")
    lite, server = Store(open_target(sqlite_path)), Store(open_target(url))
    try:
        ids = [r[0] for r in lite.db.execute("SELECT id FROM citizens ORDER BY id").fetchall()]
        rng = random.Random(7)
        chosen = rng.sample(ids, min(sample + 3, len(ids)))
        for cid in chosen[:3]:  # imports, pack extras, prepared statements
            open_citizen(lite, pack, cid, t)
            open_citizen(server, pack, cid, t)
        on_lite, on_server = [], []
        for n, cid in enumerate(chosen[3:]):
            pair = [
                (on_lite, lambda c=cid: open_citizen(lite, pack, c, t)),
                (on_server, lambda c=cid: open_citizen(server, pack, c, t)),
            ]
            for out, fn in pair if n % 2 == 0 else reversed(pair):
                out.append(timed(fn))
        return on_lite, on_server
    finally:
        lite.close()
        server.close()


def record_answers(target, answers: int) -> list[float]:
    """Each a changed answer saved in its own transaction, with its audit row."""
    from bip_talk.domain.meeting_history import Answer
    from bip_talk.store import Store
    from bip_talk.store.targets import open_target

    store = Store(open_target(target))
    try:
        cw = store.ensure_caseworker("BE", "Bench Sagsbehandler")
        citizen = store.create_citizen("Bench Borger", caseworker_id=cw.id)
        meeting = store.start_meeting(citizen.id, cw.id, "bip", "1")
        out = []
        for n in range(answers):
            answer = Answer(value=1 + n % 5)
            out.append(
                timed(
                    lambda a=answer: store.record_answer(
                        meeting.id, "citizen", "helbred", a, actor=cw.id, citizen_id=citizen.id
                    )
                )
            )
        return out
    finally:
        store.close()


def run_cli(*args: str) -> float:
    import subprocess

    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bip_talk", *args], check=True, capture_output=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    size_args(parser)
    parser.add_argument("--sample", type=int, default=100, help="citizens opened (default 100)")
    parser.add_argument("--answers", type=int, default=300, help="answers saved (default 300)")
    parser.add_argument("--pg", default=None, help="an empty PostgreSQL database to use")
    parser.add_argument("--skip-seed", action="store_true", help="leave out seeding")
    args = parser.parse_args(argv)

    pack = load_pack()
    lite = cohort_database(args.citizens, folder=args.out)
    server = Server(args.pg)
    ok = True
    try:
        url = server.database("bench_cohort")
        copy_s = run_cli("copy-db", str(lite), url, "--replace")
        print(f"{args.citizens:,} citizens; copy-db SQLite → PostgreSQL (checked): {copy_s:.1f} s")

        on_lite, on_pg = open_citizens(lite, url, args.sample, pack)
        print(line("open citizen", on_lite, on_pg))
        ok = verdict("open citizen on PostgreSQL", on_pg, OPEN_TARGET_MS) and ok

        with tempfile.TemporaryDirectory(dir=args.out) as tmp:
            # The exports first: the answers below change both databases.
            exports = {}
            for name, db in (("sqlite", str(lite)), ("postgresql", url)):
                out = Path(tmp) / f"export-{name}"
                exports[name] = (
                    out,
                    run_cli("--db", db, "export", "--format", "json", "--out", str(out)),
                )
            print(line("export (json)", [exports["sqlite"][1]], [exports["postgresql"][1]], "s"))
            from bip_talk.services.copy_db import comparable

            a, b = exports["sqlite"][0], exports["postgresql"][0]
            same = all(comparable(p) == comparable(b / p.name) for p in a.iterdir())
            print(f"the two exports are the same: {'OK' if same else 'OVER TARGET (they differ)'}")
            ok = same and ok

            copy = Path(tmp) / "answers.db"
            shutil.copyfile(lite, copy)
            lite_answers = record_answers(copy, args.answers)
            pg_answers = record_answers(url, args.answers)
            print(line("record answer", lite_answers, pg_answers))
            ok = verdict("record answer on PostgreSQL", pg_answers, ANSWER_TARGET_MS) and ok

            if args.pg and not args.skip_seed:
                print("seed: left out (--pg names one database, and copy-db has filled it)")
            elif not args.skip_seed:
                fresh = Path(tmp) / "seeded.db"
                n = str(args.citizens)
                s = run_cli("seed", "--citizens", n, "--db", str(fresh))
                p = run_cli("seed", "--citizens", n, "--db", server.database("bench_seed"))
                print(line("seed", [s], [p], "s"))
    finally:
        server.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
