"""Many sessions on one database at once, as the job-centre server runs them (one app
process per browser tab): ``--sessions`` processes each open a citizen of their own
and record ``--answers`` answers one by one, through the same services the meeting
screen calls, all starting at the same moment. Run it on a SQLite file and on
PostgreSQL (``--db postgresql://…``; without ``--db`` both, PostgreSQL on a
throwaway server started here).

Reported per database: answers lost (asked for minus found in the database and their
audit rows), errors shown to a session (any "database is locked" among them), and the
time per saved answer, p50 and p95. Target: 0 lost, 0 errors.

    .venv/bin/python benchmarks/bench_sessions_db.py [--sessions 20] [--answers 100]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_postgres import p95  # noqa: E402

SESSION = textwrap.dedent(
    """
    import json, sys, time, traceback
    from pathlib import Path
    from bip_talk.services.workstation import Workstation
    from bip_talk.settings import Preferences, Settings

    target, tag, gun, answers = sys.argv[1], sys.argv[2], Path(sys.argv[3]), int(sys.argv[4])
    settings = (
        Settings(data_dir=gun.parent / f"data-{tag}", db_url=target)
        if target.startswith("postgresql://")
        else Settings(data_dir=gun.parent / f"data-{tag}", db_path=Path(target))
    )
    prefs = Preferences(caseworker_name=f"Session {tag}", caseworker_initials=f"S{tag}")
    ws = Workstation(settings, prefs)
    out = {"times": [], "errors": []}
    try:
        casework = ws.open(sign_in=True)
        citizen = casework.create_citizen(f"Syntetisk Borger {tag}")
        _ = casework.pack
        Path(f"{gun}.{tag}.ready").touch()
        while not gun.exists():
            time.sleep(0.002)
        session = casework.open_meeting(citizen.id, blind_rating=False)
        items = [i for i in casework.pack.items("citizen") if i.type == "scale"]
        for n in range(answers):
            item = items[n % len(items)]
            start = time.perf_counter()
            try:
                session.rate("citizen", item.id, 1 + (n // len(items)) % 5)
            except Exception as exc:
                out["errors"].append(f"{type(exc).__name__}: {exc}")
            out["times"].append(time.perf_counter() - start)
        out["meeting"] = session.meeting.id
        out["citizen"] = citizen.id
    except BaseException:
        out["errors"].append(traceback.format_exc())
        Path(f"{gun}.{tag}.ready").touch()
    finally:
        ws.close()
    print(json.dumps(out))
    """
)


def run(target: str, sessions: int, answers: int, folder: Path) -> dict:
    gun = folder / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", SESSION, target, str(n), str(gun), str(answers)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "BIP_TALK_DATA_DIR": str(folder / "data")},
        )
        for n in range(sessions)
    ]
    deadline = time.monotonic() + 120
    while not all(Path(f"{gun}.{n}.ready").exists() for n in range(sessions)):
        if time.monotonic() > deadline:
            raise SystemExit("the sessions did not start")
        time.sleep(0.02)
    started = time.perf_counter()
    gun.touch()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=600)
        results.append(
            json.loads(out.strip().splitlines()[-1]) if out.strip() else {"errors": [err]}
        )
    wall = time.perf_counter() - started
    return {"results": results, "wall": wall, "expected": sessions * answers}


def found(target: str, results: list[dict]) -> tuple[int, int]:
    """Answers in the database (each session's meeting), and their audit rows."""
    from bip_talk.store.targets import open_target

    db = open_target(target, create=False)
    try:
        meetings = [r["meeting"] for r in results if "meeting" in r]
        citizens = [r["citizen"] for r in results if "citizen" in r]
        marks = ",".join("?" * len(meetings)) or "NULL"
        answers = db.execute(
            f"SELECT count(*) FROM answers WHERE meeting_id IN ({marks})", meetings
        ).fetchone()[0]
        marks = ",".join("?" * len(citizens)) or "NULL"
        changes = db.execute(
            f"SELECT count(*) FROM audit WHERE entity = 'answer' AND citizen_id IN ({marks})",
            citizens,
        ).fetchone()[0]
        return int(answers), int(changes)
    finally:
        db.close()


def report(name: str, target: str, outcome: dict, answers: int, items: int) -> bool:
    results = outcome["results"]
    times = [t for r in results for t in r.get("times", [])]
    errors = [e for r in results for e in r.get("errors", [])]
    locked = sum("locked" in e for e in errors)
    in_db, audited = found(target, results)
    sessions = len(results)
    # Each session rates ``items`` distinct items, then changes them: the first round
    # inserts, every later one changes a value (and leaves an audit row).
    first = min(answers, items)
    expected_rows, expected_changes = sessions * first, sessions * (answers - first)
    lost = (expected_rows - in_db) + (expected_changes - audited)
    print(
        f"{name}: {sessions} sessions × {answers} answers in {outcome['wall']:.1f} s; "
        f"lost {lost}, errors {len(errors)} ('database is locked': {locked}); "
        f"per answer p50 {statistics.median(times) * 1000:.1f} ms, p95 {p95(times) * 1000:.1f} ms"
    )
    for e in errors[:3]:
        print("   ", e.strip().splitlines()[-1])
    ok = lost == 0 and not errors
    print(f"{name}: 0 lost and no errors (target) {'OK' if ok else 'OVER TARGET'}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--answers", type=int, default=100)
    parser.add_argument("--db", default=None, help="a database file or postgresql:// URL")
    args = parser.parse_args(argv)

    from bip_talk.packs import load_pack
    from bip_talk.resources import default_pack_dir

    items = sum(1 for i in load_pack(default_pack_dir()).items("citizen") if i.type == "scale")
    ok = True
    server = None
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        targets = []
        if args.db:
            targets.append(("database", args.db))
        else:
            from tests import pg_server

            server = pg_server.start(durable=True)
            with server.admin() as conn:
                conn.execute(f"CREATE DATABASE bench_sessions OWNER {pg_server.APP_USER}")
            targets += [
                ("SQLite", str(folder / "sessions.db")),
                ("PostgreSQL", server.url("bench_sessions")),
            ]
        try:
            for name, target in targets:
                run_folder = folder / name
                run_folder.mkdir()
                outcome = run(target, args.sessions, args.answers, run_folder)
                ok = report(name, target, outcome, args.answers, items) and ok
        finally:
            if server is not None:
                server.stop()
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
