"""Seed a database with a synthetic cohort: the model streams citizens, the bulk
writer stores them. Used by ``bip-talk seed``, the demo and the benchmarks."""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlite_utils import Database

from bip_talk import clock
from bip_talk.domain.cohort_model import (
    CHANGE_REASONS,
    DEFAULT_START,
    KINDS,
    CitizenHistory,
    CohortModel,
    SyntheticCaseworker,
)
from bip_talk.domain.pack import Pack
from bip_talk.errors import InputError
from bip_talk.i18n import Translator
from bip_talk.store import open_database
from bip_talk.store.bulk import BulkCounts, BulkWriter, count_citizens, existing_citizen_ids


@dataclass(frozen=True)
class SeedResult:
    path: Path
    counts: BulkCounts
    seconds: float
    size_bytes: int


def stored_texts(t: Translator) -> dict[str, str]:
    """Plan titles and assignment reasons, in the database's language."""
    texts = {f"plan.{kind}": t(f"seed.plan.{kind}") for kind in KINDS}
    texts.update({f"reason.{code}": t(f"seed.reason.{code}") for code in CHANGE_REASONS})
    return texts


def write_histories(
    db: Database, pack: Pack, pool: list[SyntheticCaseworker],
    histories: Iterable[CitizenHistory], *, created_on: date,
    t: Translator, on_batch: Callable[[BulkCounts], None] | None = None,
) -> BulkCounts:
    """Store caseworkers and citizens. The cyclic garbage collector is paused while the
    rows stream through: they hold no cycles, and its scans would only cost time."""
    writer = BulkWriter(db, pack_id=pack.id, pack_version=pack.version, texts=stored_texts(t),
                        on_batch=on_batch)
    enabled = gc.isenabled()
    gc.disable()
    try:
        ids, new_caseworkers = writer.caseworkers(pool, created_on)
        counts = writer.write(histories, ids)
    finally:
        if enabled:
            gc.enable()
    counts.caseworkers = new_caseworkers
    return counts


def _audit(db: Database, counts: BulkCounts, seed: int) -> None:
    """One content-free audit row for the whole run (not one per synthetic row)."""
    with db.atomic():
        db.conn.execute(
            "INSERT INTO audit (at, entity, action, new) VALUES (?, 'seed', 'bulk_insert', ?)",
            [clock.now_iso(), json.dumps({"seed": seed, **counts.__dict__})])


def seed_database(
    path: Path, pack: Pack, *, citizens: int, seed: int = 1, append: bool = False,
    lang: str = "da", start: date = DEFAULT_START,
    on_batch: Callable[[BulkCounts], None] | None = None,
) -> SeedResult:
    """Fill ``path`` with ``citizens`` synthetic citizens. Refuses a database that already
    has citizens unless ``append``; appended citizens continue the same cohort."""
    t = Translator(lang)
    if citizens < 1:
        raise InputError(t("seed.bad_count", value=citizens))
    db = open_database(path, lang=lang)
    try:
        existing = count_citizens(db)
        if existing and not append:
            raise InputError(t("seed.not_empty", path=path, count=existing))
        started = time.perf_counter()
        model = CohortModel(pack, seed, start=start)
        pool = model.caseworkers(existing + citizens)
        taken = existing_citizen_ids(db) if existing else set()
        histories = model.citizens(citizens, first_index=existing, caseworkers=pool,
                                   taken_ids=taken)
        counts = write_histories(db, pack, pool, histories, created_on=model.start, t=t,
                                 on_batch=on_batch)
        _audit(db, counts, seed)
        seconds = time.perf_counter() - started
    finally:
        db.close()
    return SeedResult(Path(path), counts, seconds, Path(path).stat().st_size)

