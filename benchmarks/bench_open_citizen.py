"""Opening a citizen and starting a meeting on a 10× BIP database, against the same
citizen in a database that holds only them. Target: ratio ≤ 1.25 (the cost must not
grow with the database, up to 100× BIP: ``--citizens 400000``) and a median of at most
5 ms on the 10× database.

"Opening" is everything the app computes: the citizen screen (citizen, current
caseworker, meetings, history, review table) and the start of a meeting (handover
check, unfinished meeting, earlier answers, actions to review, review and agenda,
evidence suggestions). The one write — inserting the new draft meeting — is left out
so the cached database stays as seeded; its cost does not depend on the database size
(``bench_answer.py`` measures writes).

Each sampled citizen is opened once in each database, interleaved, with the SQLite page
cache cold for that citizen (a caseworker rarely reopens the one they just closed): the
large database's connection is long open, the small one is opened just before. A
second, warm open of each is printed for comparison.

    .venv/bin/python benchmarks/bench_open_citizen.py [--citizens 40000] [--sample 200]
    .venv/bin/python benchmarks/bench_open_citizen.py --small
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

from benchmarks.cohort_db import cohort_database, load_pack, size_args  # noqa: E402
from benchmarks.common import report, row  # noqa: E402

TARGET = 1.25
TARGET_MS = 5.0
# Copied for the one-citizen database, in foreign-key order; ``{ids}`` is the
# citizen's meetings.
COPY = (
    (
        "caseworkers",
        "id IN (SELECT caseworker_id FROM src.assignments WHERE citizen_id = :c "
        "UNION SELECT assigned_by FROM src.assignments WHERE citizen_id = :c "
        "UNION SELECT caseworker_id FROM src.meetings WHERE citizen_id = :c)",
    ),
    ("citizens", "id = :c"),
    ("assignments", "citizen_id = :c"),
    ("meetings", "citizen_id = :c"),
    ("answers", "meeting_id IN (SELECT id FROM src.meetings WHERE citizen_id = :c)"),
    ("plan_items", "citizen_id = :c"),
    ("notes", "meeting_id IN (SELECT id FROM src.meetings WHERE citizen_id = :c)"),
    ("audit", "citizen_id = :c"),
)


def open_citizen(store, pack, citizen_id: str, t) -> int:
    """What the app runs when a citizen is opened and a meeting started (no writes).
    Returns a count of what was built, so nothing is optimised away."""
    from bip_talk import clock
    from bip_talk.domain.change import build_review
    from bip_talk.domain.entities import Meeting, unfinished
    from bip_talk.presenters.review import review_lines
    from bip_talk.services import plan
    from bip_talk.services.casework import Casework, handover_is_due
    from bip_talk.services.meeting import MeetingSession

    casework = Casework(store, lambda: pack, t.lang, None, reports_folder=Path("unused"))
    # The citizen screen (CitizenScreen.refresh_view).
    overview = casework.citizen_overview(citizen_id)
    citizen, caseworker, history = overview.citizen, overview.caseworker, overview.history
    lines = review_lines(pack, build_review(pack, history), t, shared=True) if history else []

    # Starting the meeting (BipTalkApp.open_meeting, Casework.open_meeting,
    # MeetingSession.open: the meetings read once for the handover check and the
    # session), without the insert of a new draft and its access-log row.
    meetings = store.meetings_for(citizen_id)
    handover_is_due(store, citizen_id, meetings)
    draft = unfinished(meetings)
    meeting = draft or Meeting(  # stands in for the row start_meeting would insert
        -1,
        citizen_id,
        caseworker.id if caseworker else 0,
        pack.id,
        pack.version,
        "draft",
        clock.today().isoformat(),  # as start_meeting holds it: today
        clock.now_iso(),
        None,
        None,
        None,
    )
    session = MeetingSession.of(
        store, pack, citizen, meeting, caseworker, meetings if draft else [*meetings, meeting]
    )
    to_review = plan.items_to_review(store, citizen_id, meeting.id)
    topics = session.agenda()
    suggestions = plan.suggestions_in(store, session)  # Casework.suggestions(session)
    return len(lines) + len(topics) + len(suggestions) + len(to_review)


def one_citizen_database(big: Path, citizen_id: str, template: Path, target: Path) -> None:
    """A database holding only this citizen (and their caseworkers): their rows copied."""
    import sqlite3

    shutil.copyfile(template, target)
    conn = sqlite3.connect(target)
    try:
        conn.execute("ATTACH DATABASE ? AS src", [str(big)])
        with conn:
            for table, where in COPY:
                conn.execute(
                    f"INSERT INTO main.{table} SELECT * FROM src.{table} WHERE {where}",
                    {"c": citizen_id},
                )
        conn.execute("DETACH DATABASE src")
    finally:
        conn.close()


def timed(fn, results: list) -> float:
    start = time.perf_counter()
    results.append(fn())
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    size_args(parser)
    parser.add_argument("--sample", type=int, default=200, help="citizens opened (default 200)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    from bip_talk.i18n import Translator
    from bip_talk.store import Store, open_database

    pack, t = load_pack(), Translator("da")
    big_path = cohort_database(args.citizens, seed=args.seed, folder=args.out)
    big = Store(open_database(big_path))
    ids = [r[0] for r in big.db.conn.execute("SELECT id FROM citizens ORDER BY id")]
    rng = random.Random(7)
    sample = rng.sample(ids, min(args.sample, len(ids)))
    warm_up = [i for i in rng.sample(ids, min(len(ids), len(sample) + 3)) if i not in sample][:3]

    cold_big, cold_small, warm_big, warm_small = [], [], [], []
    with tempfile.TemporaryDirectory(dir=args.out) as tmp:
        template = Path(tmp) / "template.db"
        open_database(template).close()
        for cid in warm_up:  # imports, pack extras, the large file's top index pages
            open_citizen(big, pack, cid, t)
        for n, cid in enumerate(sample):
            path = Path(tmp) / "one.db"
            one_citizen_database(big_path, cid, template, path)
            small = Store(open_database(path))
            small.db.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            on_big = lambda c=cid: open_citizen(big, pack, c, t)  # noqa: E731
            on_small = lambda c=cid, small=small: open_citizen(small, pack, c, t)  # noqa: E731
            # First the cold open, then the warm one; who goes first alternates.
            got_big, got_small = [], []
            for big_out, small_out in ((cold_big, cold_small), (warm_big, warm_small)):
                if n % 2:
                    small_out.append(timed(on_small, got_small))
                    big_out.append(timed(on_big, got_big))
                else:
                    big_out.append(timed(on_big, got_big))
                    small_out.append(timed(on_small, got_small))
            if got_big != got_small:  # the copy must hold everything the open reads
                raise SystemExit(f"citizen {cid}: different results in the one-citizen database")
            small.close()
            path.unlink()
    big.close()

    print(
        f"large database: {len(ids):,} citizens, {big_path.stat().st_size / 1e6:.0f} MB; "
        f"{len(sample)} citizens opened in each database"
    )
    warm, warm_base = statistics.median(warm_big) * 1000, statistics.median(warm_small) * 1000
    print(
        f"open citizen again (warm cache, for comparison): {warm:.1f} ms on the large "
        f"database, {warm_base:.1f} ms on the one-citizen database, ratio {warm / warm_base:.2f}"
    )
    ok = report("open citizen", cold_big, cold_small, TARGET)
    median_ms = statistics.median(cold_big) * 1000
    fast = median_ms <= TARGET_MS
    print(
        f"open citizen on the large database: median {median_ms:.1f} ms "
        f"(target ≤ {TARGET_MS:.0f} ms) {'OK' if fast else 'OVER TARGET'}"
    )
    base_ms = statistics.median(cold_small) * 1000
    size = f"{len(ids):,} citizens"
    row(
        f"2. open citizen ≤ 5 ms median ({size})",
        f"{median_ms:.1f} ms",
        f"{base_ms:.1f} ms (one-citizen db)",
        None,
        fast,
    )
    row(
        f"2. open citizen ≤ 1.25× one-citizen db ({size})",
        f"{median_ms:.1f} ms",
        f"{base_ms:.1f} ms",
        median_ms / base_ms,
        ok,
    )
    return 0 if ok and fast else 1


if __name__ == "__main__":
    raise SystemExit(main())
