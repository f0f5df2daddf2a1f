"""Seed a database with a synthetic cohort: the model streams citizens, the bulk
writer stores them. Used by ``bip-talk seed``, the demo and the benchmarks."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bip_talk import clock
from bip_talk.domain.pack import Pack
from bip_talk.domain.synthetic import MAX_CITIZENS
from bip_talk.domain.synthetic.cohort import (
    CHANGE_REASONS,
    DEFAULT_START,
    KINDS,
    CohortModel,
    SyntheticCaseworker,
)
from bip_talk.errors import InputError
from bip_talk.i18n import Translator
from bip_talk.services.forked import can_fork, from_helper
from bip_talk.services.gc_pause import paused_gc
from bip_talk.store.bulk_writer import (
    BulkCounts,
    BulkWriter,
    RowBuilder,
    audit_seed,
    count_citizens,
    existing_citizen_ids,
)
from bip_talk.store.dialect import Db
from bip_talk.store.failures import as_store_errors
from bip_talk.store.targets import Target, label, open_target, size_bytes


@dataclass(frozen=True)
class SeedResult:
    path: str  # the file, or the URL without its password
    counts: BulkCounts
    seconds: float
    size_bytes: int


def stored_texts(t: Translator) -> dict[str, str]:
    """Plan titles and assignment reasons, in the database's language."""
    texts = {f"plan.{kind}": t(f"seed.plan.{kind}") for kind in KINDS}
    texts.update({f"reason.{code}": t(f"seed.reason.{code}") for code in CHANGE_REASONS})
    return texts


# Below this many citizens a generator process costs more than it saves.
PARALLEL_MIN = 2000
# Citizens per message from the generator process: the writer starts after the first
# message and ends one message after the generator, so small ones keep both busy
# (1,000 left the writer idle for half a second at each end).
HANDOVER = 200


def write_cohort(
    db: Db,
    pack: Pack,
    model: CohortModel,
    pool: list[SyntheticCaseworker],
    *,
    citizens: int,
    first_index: int = 0,
    taken: set[str] | None = None,
    t: Translator,
    on_batch: Callable[[BulkCounts], None] | None = None,
    parallel: bool | None = None,
) -> BulkCounts:
    """Generate and store ``citizens`` citizens of ``model``.

    With two or more cores the model runs in a forked generator process and sends
    ready-made rows, while this process only inserts them: the generator's time then
    hides behind SQLite's. The rows are identical either way. The cyclic garbage
    collector is paused meanwhile: the rows hold no cycles and its scans only cost time.
    """
    writer = BulkWriter(
        db, pack_id=pack.id, pack_version=pack.version, texts=stored_texts(t), on_batch=on_batch
    )
    if parallel is None:
        parallel = citizens >= PARALLEL_MIN and can_fork()
    with paused_gc():
        ids, new_caseworkers = writer.caseworkers(pool, model.start)
        builder = writer.builder(ids)
        batch = min(writer.batch, HANDOVER) if parallel else writer.batch
        args = (model, citizens, first_index, pool, taken or set(), builder, batch)
        rows = from_helper("seed", _generate, *args) if parallel else _generate(*args)
        counts = writer.write_rows(rows)
    counts.caseworkers = new_caseworkers
    return counts


def _generate(
    model: CohortModel,
    citizens: int,
    first_index: int,
    pool: list[SyntheticCaseworker],
    taken: set[str],
    builder: RowBuilder,
    batch: int,
) -> Iterator[dict[str, list[tuple]]]:
    histories = model.citizens(citizens, first_index=first_index, caseworkers=pool, taken_ids=taken)
    return builder.batches(histories, batch)


def seed_database(
    path: Target,
    pack: Pack,
    *,
    citizens: int,
    seed: int = 1,
    append: bool = False,
    lang: str = "da",
    start: date = DEFAULT_START,
    on_batch: Callable[[BulkCounts], None] | None = None,
    parallel: bool | None = None,
) -> SeedResult:
    """Fill ``path`` (a file, or a PostgreSQL URL) with ``citizens`` synthetic citizens.
    Refuses a database that already has citizens unless ``append``; appended citizens
    continue the same cohort."""
    t = Translator(lang)
    if not 1 <= citizens <= MAX_CITIZENS:
        raise InputError(t("seed.bad_count", value=citizens, max=MAX_CITIZENS))
    db = open_target(path, lang=lang)
    try:
        # A full disk or a damaged file: a message, and the one transaction undone.
        with as_store_errors(db):
            existing = count_citizens(db)
            if existing and not append:
                raise InputError(t("seed.not_empty", path=label(path), count=existing))
            started = time.perf_counter()
            model = CohortModel(pack, seed, start=start)
            pool = model.caseworkers(existing + citizens)
            taken = existing_citizen_ids(db) if existing else set()
            counts = write_cohort(
                db,
                pack,
                model,
                pool,
                citizens=citizens,
                first_index=existing,
                taken=taken,
                t=t,
                on_batch=on_batch,
                parallel=parallel,
            )
            audit_seed(db, counts, seed, clock.now_iso())
            seconds = time.perf_counter() - started
            on_server = not db.dialect.is_sqlite
            size = size_bytes(db) if on_server else 0
    finally:
        db.close()
    if not on_server:  # after closing: SQLite has moved its log into the file by then
        size = Path(path).stat().st_size
    return SeedResult(label(path), counts, seconds, size)
