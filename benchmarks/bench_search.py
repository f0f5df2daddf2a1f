"""Search-as-you-type on the citizens screen of a 10× BIP database, against the same
screen on a tiny database, run side by side. Target: under 50 ms of CPU per keystroke
on the large database (query + list update).

Measured in-process through Pilot like ``bench_answer.py``: process time over N
keystrokes minus the process time of the same number of idle Pilot pauses. The
keystrokes type parts of real names and ids from the cohort (first names, surnames,
id fragments), a character at a time, then delete them again with backspace; every
keystroke runs the search and refills the list.

    .venv/bin/python benchmarks/bench_search.py [--citizens 40000] [--presses 100] [--rounds 5]
    .venv/bin/python benchmarks/bench_search.py --small
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.cohort_db import cohort_database, size_args  # noqa: E402
from benchmarks.common import interleaved  # noqa: E402

TARGET_MS = 50.0
TINY = 20  # citizens in the baseline database
WORDS = 6  # search words taken from the cohort


def search_words(path: Path, count: int = WORDS) -> list[str]:
    """Words a caseworker types: first name, surname and id fragments of the first
    citizens (the same people are in every cohort of this seed, large or tiny)."""
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT id, display_name FROM citizens ORDER BY rowid LIMIT ?",
                            [count]).fetchall()
    finally:
        conn.close()
    words = []
    for n, (cid, name) in enumerate(rows):
        parts = name.split()
        words.append([parts[0], parts[-1], cid[2:6]][n % 3].casefold())
    return words


def keystrokes(words: list[str], presses: int) -> list[str]:
    """Type each word and erase it again, round and round, ``presses`` keys in all."""
    keys: list[str] = []
    while len(keys) < presses:
        for word in words:
            keys += list(word) + ["backspace"] * len(word)
    return keys[:presses]


def typed(keys: list[str]) -> str:
    text = ""
    for key in keys:
        text = text[:-1] if key == "backspace" else text + key
    return text


def caseworker_without_drafts(path: Path) -> tuple[str, str]:
    """A seeded caseworker with no unfinished meeting: signing in as them writes nothing
    and no "resume?" question covers the list."""
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT initials, name FROM caseworkers WHERE id NOT IN "
            "(SELECT caseworker_id FROM meetings WHERE status = 'draft') ORDER BY id LIMIT 1"
        ).fetchone()
    finally:
        conn.close()


async def _measure(app, keys: list[str]) -> float:
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(50):  # the database opens beside the first screen
            if app.workspace.store_is_open and app.caseworker is not None:
                break
            await pilot.pause(0.05)
        await pilot.pause()
        screen = app.screen
        assert type(screen).__name__ == "CitizensScreen", type(screen).__name__
        start = time.process_time()
        for key in keys:
            await pilot.press(key)
        busy = time.process_time() - start
        # Every key reached the search field (else we timed nothing).
        assert screen.query_one("#search").value == typed(keys)
        start = time.process_time()
        for _ in keys:
            await pilot.pause()
        idle = time.process_time() - start
    return (busy - idle) / len(keys)


def search_round(path: Path, keys: list[str]) -> float:
    from bip_talk.services.workspace import Workspace
    from bip_talk.settings import Preferences, Settings
    from bip_talk.ui.app import make_app

    initials, name = caseworker_without_drafts(path)
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Settings(data_dir=Path(tmp), db_path=path),
                       Preferences(caseworker_name=name, caseworker_initials=initials))
        try:
            return asyncio.run(_measure(make_app(ws), keys))
        finally:
            ws.close()


def query_ms(path: Path, words: list[str]) -> float:
    """The query alone: median over every prefix of the words (for the report)."""
    from bip_talk.store import Store, open_database

    store = Store(open_database(path))
    try:
        times = []
        for word in words:
            for end in range(1, len(word) + 1):
                start = time.perf_counter()
                store.search_citizens(word[:end], limit=51)
                times.append(time.perf_counter() - start)
        return statistics.median(times) * 1000
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    size_args(parser)
    parser.add_argument("--presses", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)

    big = cohort_database(args.citizens, folder=args.out)
    tiny = cohort_database(min(TINY, args.citizens), folder=args.out)
    words = search_words(tiny)
    keys = keystrokes(words, args.presses)
    cand, base = interleaved(lambda: search_round(big, keys), lambda: search_round(tiny, keys),
                             rounds=args.rounds)
    print(f"typed {len(keys)} keys per round ({', '.join(words)}), {args.rounds} rounds; "
          f"{args.citizens:,} vs {min(TINY, args.citizens)} citizens")
    print(f"search query alone: {query_ms(big, words):.1f} ms median on the large database, "
          f"{query_ms(tiny, words):.1f} ms on the tiny one")
    median_ms, tiny_ms = statistics.median(cand) * 1000, statistics.median(base) * 1000
    print(f"CPU per keystroke: median {median_ms:.1f} ms on the large database, {tiny_ms:.1f} ms "
          f"on the tiny one, ratio {median_ms / tiny_ms:.2f} (no target: for comparison)")
    ok = median_ms < TARGET_MS
    print(f"CPU per keystroke on the large database: median {median_ms:.1f} ms "
          f"(target < {TARGET_MS:.0f} ms) {'OK' if ok else 'OVER TARGET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
