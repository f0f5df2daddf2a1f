"""Seeded cohort databases for the benchmarks, built once and reused.

A 10× BIP database takes about a minute to seed, so it is kept in ``benchmarks/out/``
(git-ignored) and reused as long as it is complete, of the asked size and of the
current schema; anything else is rebuilt from scratch with ``bip-talk seed``'s code.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from benchmarks.common import ROOT

OUT = ROOT / "benchmarks" / "out"
TEN_X = 40_000  # citizens in a 10× BIP database (BIP followed about 4,000)


def load_pack():
    from bip_talk.packs import load_pack as load
    from bip_talk.settings import Settings

    return load(Settings().pack, "da")


def is_complete(path: Path, citizens: int) -> bool:
    """Seeded to the end (the run's audit row is written last), with ``citizens``
    citizens, at the schema version this code expects (so opening it migrates nothing)."""
    from bip_talk.store.schema import SCHEMA_VERSION

    if not path.is_file():
        return False
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            count = conn.execute("SELECT count(*) FROM citizens").fetchone()[0]
            seeded = conn.execute("SELECT count(*) FROM audit WHERE entity = 'seed'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return False
    return version == SCHEMA_VERSION and count == citizens and seeded == 1


def cohort_database(
    citizens: int, *, seed: int = 1, folder: Path = OUT, quiet: bool = False
) -> Path:
    """The path of a database seeded with ``citizens`` citizens of cohort ``seed``."""
    from bip_talk.services.synthetic.seed import seed_database

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"cohort-{citizens}-s{seed}.db"
    if is_complete(path, citizens):
        return path
    for stale in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        stale.unlink(missing_ok=True)
    if not quiet:
        print(f"building {path.name} ({citizens:,} citizens, once) …", flush=True)
    started = time.perf_counter()
    seed_database(path, load_pack(), citizens=citizens, seed=seed)
    if not quiet:
        print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
    return path


def size_args(parser, default: int = TEN_X) -> None:
    """``--citizens N`` / ``--small`` and ``--out DIR``, the same in every script."""
    parser.add_argument(
        "--citizens",
        type=int,
        default=default,
        help=f"cohort size of the large database (default {default:,})",
    )
    parser.add_argument(
        "--small", action="store_const", const=200, dest="citizens", help="smoke size: 200 citizens"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=OUT,
        help="folder for the cached databases (default benchmarks/out)",
    )
