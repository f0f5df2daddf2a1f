"""Many browser sessions on one database: N processes at once (a served browser tab is
one process), each logged in with its own caseworker account, each recording M answers
through the same service the meeting screen uses (``Casework.open_meeting`` and
``MeetingSession.rate``: one transaction per answer, with its audit row and, where the
meeting is new, the access log). Counts what the database holds afterwards against what
every session said it saved, and what a user would have seen go wrong.

Target: 0 answers lost, 0 errors shown ("database is locked" or any other). The time
per answer (the ``rate`` call: waiting for the write lock included) is printed as p50
and p95 over all sessions.

On a new SQLite file by default; ``--db postgresql://…`` names an empty PostgreSQL
database instead, and ``--postgres`` runs on a throwaway durable server started here
(``tests/pg_server.py``: fsync on, a Unix socket).

    .venv/bin/python benchmarks/bench_sessions.py [--sessions 20] [--answers 100]
    .venv/bin/python benchmarks/bench_sessions.py --postgres
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import row  # noqa: E402

PASSWORD = "bench-adgangskode"

# One session: wait for the starting gun, log in, then meeting after meeting (a new
# citizen each time) until its quota of answers is recorded. Prints its figures as JSON.
WORKER = r"""
import json, sys, time
from pathlib import Path
from bip_talk.errors import BipTalkError
from bip_talk.services.workstation import Workstation
from bip_talk.settings import Settings

db, data, initials, quota, gun = sys.argv[1:6]
quota = int(quota)
ws = Workstation(Settings(data_dir=Path(data)).with_database(db))
casework = ws.open(channel="web").log_in(initials, sys.argv[6])
_ = casework.pack
Path(f"{gun}.{initials}").touch()
while not Path(gun).exists():
    time.sleep(0.005)
times, errors, written, n = [], [], [], 0
while len(written) < quota:
    citizen = casework.create_citizen(f"Syntetisk {initials}-{n}")
    session = casework.open_meeting(citizen.id, blind_rating=False)
    for step in range(len(session.steps)):
        session.go(step=step)
        for side in session.perspective_ids:
            for item in session.items_at(side, step):
                if item.type != "scale" or len(written) >= quota:
                    continue
                value = 1 + len(written) % 5
                start = time.perf_counter()
                try:
                    session.rate(side, item.id, value)
                except BipTalkError as exc:  # what the screen would show
                    errors.append(str(exc))
                    continue
                times.append(time.perf_counter() - start)
                written.append([session.meeting.id, side, item.id, value])
    casework.complete_meeting(session)
    n += 1
ws.close()
print(json.dumps({"times": times, "errors": errors, "written": written}))
"""


def build(folder: Path, sessions: int, db: str) -> list[str]:
    from bip_talk.services.workstation import Workstation
    from bip_talk.settings import Settings

    ws = Workstation(Settings(data_dir=folder / "data").with_database(db))
    try:
        admin = ws.open(channel="cli")
        admin.add_account("AD", "Bench Admin", "admin", PASSWORD)
        admin = admin.log_in("AD", PASSWORD)
        initials = [f"S{n:02d}" for n in range(sessions)]
        for who in initials:
            admin.add_account(who, f"Bench Sagsbehandler {who}", "caseworker", PASSWORD)
    finally:
        ws.close()
    return initials


def run(folder: Path, sessions: int, answers: int, db: str, kind: str) -> bool:
    initials = build(folder, sessions, db)
    gun = folder / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, db, str(folder / "data"), who, str(answers)]
            + [str(gun), PASSWORD],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in initials
    ]
    deadline = time.monotonic() + 300
    while not all(Path(f"{gun}.{who}").exists() for who in initials):
        if any(p.poll() is not None for p in procs) or time.monotonic() > deadline:
            for p in procs:
                p.kill()
            failed = next((p for p in procs if p.poll() not in (None, 0)), procs[0])
            print(f"sessions did not start: {failed.communicate()[1][-1000:]}", file=sys.stderr)
            return False
        time.sleep(0.02)
    started = time.perf_counter()
    gun.touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        if p.returncode != 0:
            print(f"a session crashed: {err[-1000:]}", file=sys.stderr)
            return False
        results.append(json.loads(out.strip().splitlines()[-1]))
    wall = time.perf_counter() - started

    said = {(m, side, item): value for r in results for m, side, item, value in r["written"]}
    from bip_talk.store.targets import open_target

    store = open_target(db, create=False)
    try:
        held = {
            (m, side, item): value
            for m, side, item, value in store.execute(
                "SELECT meeting_id, perspective, item_id, value FROM answers"
            ).fetchall()
        }
    finally:
        store.close()
    lost = sum(1 for key, value in said.items() if held.get(key) != value)
    errors = [e for r in results for e in r["errors"]]
    times = sorted(t for r in results for t in r["times"])
    p50 = statistics.median(times) * 1000
    p95 = times[max(0, round(0.95 * len(times)) - 1)] * 1000
    ok = lost == 0 and not errors and len(said) == sessions * answers
    print(
        f"sessions: {sessions} processes × {answers} answers on one {kind} database: "
        f"{len(said)} recorded, {lost} lost, {len(errors)} errors shown "
        f"{'OK' if ok else 'OVER TARGET'}"
    )
    print(
        f"time per answer: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {times[-1] * 1000:.1f} ms "
        f"({sessions} sessions at once, {wall:.1f} s in all)"
    )
    for message in sorted(set(errors))[:5]:
        print(f"  shown: {message}")
    row(
        f"{sessions} sessions at once lose nothing",
        f"{lost} lost, {len(errors)} errors",
        f"{sessions * answers} answers",
        None,
        ok,
    )
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--answers", type=int, default=100)
    parser.add_argument("--out", type=Path, help="a folder for the database (else a temporary one)")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--db", help="an empty database: a new file or a postgresql:// URL")
    where.add_argument("--postgres", action="store_true", help="a throwaway PostgreSQL server")
    args = parser.parse_args(argv)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    server = None
    with tempfile.TemporaryDirectory(dir=args.out) as tmp:
        db = args.db or str(Path(tmp) / "server.db")
        try:
            if args.postgres:
                from tests import pg_server

                server = pg_server.start(durable=True)
                with server.admin() as conn:
                    conn.execute(f"CREATE DATABASE bench_sessions OWNER {pg_server.APP_USER}")
                db = server.url("bench_sessions")
            kind = "PostgreSQL" if db.startswith(("postgresql://", "postgres://")) else "SQLite"
            return 0 if run(Path(tmp), args.sessions, args.answers, db, kind) else 1
        finally:
            if server is not None:
                server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
