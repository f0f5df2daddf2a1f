"""``bip-talk copy-db SOURCE TARGET``: a job centre's whole history from one database
into another – a SQLite file onto the job centre's PostgreSQL server, or back.

One transaction on the target: the copy, then its check (the same row count in every
table, and the full research export of both byte for byte the same, apart from its
time stamp), then the commit. Anything that stops it – a refused row, a failed check,
Ctrl-C, a server that goes away – leaves the target as it was. A SQLite target that
did not exist is built in a file beside it and takes its name only when complete.
A target that already holds data is refused unless ``replace`` is given.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from bip_talk.domain.exchange import MANIFEST
from bip_talk.domain.pack import Pack
from bip_talk.errors import InputError, StoreError
from bip_talk.i18n import Translator
from bip_talk.store import Store
from bip_talk.store.copy import copy_tables, counts, holds_data, read_snapshot
from bip_talk.store.dialect import Db, is_postgres_url
from bip_talk.store.exchange.imports import audit
from bip_talk.store.failures import is_database_error, store_error
from bip_talk.store.targets import Target, label, open_target


@dataclass(frozen=True)
class CopyResult:
    source: str  # as messages name them (no password)
    target: str
    rows: dict[str, int]  # rows copied, per table
    seconds: float


def _same(a: Target, b: Target) -> bool:
    if is_postgres_url(a) or is_postgres_url(b):
        return str(a) == str(b)
    return Path(a).resolve() == Path(b).resolve()


def _staging_file(target: Path) -> Path:
    """A private file beside ``target`` (same folder: renaming it is atomic)."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".copying", dir=target.parent)
    os.close(fd)
    os.unlink(name)  # open_database creates it private, as any new database
    return Path(name)


def copy_database(
    source: Target, target: Target, pack: Pack, *, replace: bool = False, lang: str = "da"
) -> CopyResult:
    t = Translator(lang)
    if _same(source, target):
        raise InputError(t("copy_db.same", target=label(target)))
    started = time.perf_counter()
    staged: Path | None = None
    if not is_postgres_url(target) and not Path(target).exists():
        if not Path(target).parent.is_dir():
            raise StoreError(t("store.no_folder", path=target, folder=Path(target).parent))
        staged = _staging_file(Path(target))
    src = open_target(source, create=False, write=False, lang=lang)
    try:
        dst = open_target(staged or target, create=True, write=True, lang=lang)
        try:
            rows = _copy(src, dst, pack, replace=replace, t=t, target=label(target))
        finally:
            dst.close()
        if staged is not None:
            os.replace(staged, target)
            staged = None
    finally:
        src.close()
        if staged is not None:
            for leftover in (staged, Path(f"{staged}-wal"), Path(f"{staged}-shm")):
                leftover.unlink(missing_ok=True)
    return CopyResult(label(source), label(target), rows, time.perf_counter() - started)


def _copy(
    src: Db, dst: Db, pack: Pack, *, replace: bool, t: Translator, target: str
) -> dict[str, int]:
    try:
        with read_snapshot(src):
            if (found := holds_data(dst)) and not replace:
                listed = ", ".join(f"{name} {n}" for name, n in found.items())
                raise InputError(t("copy_db.not_empty", target=target, tables=listed))
            if replace and found.get("access_log"):  # append-only: who looked stays
                raise InputError(t("copy_db.keeps_access_log", target=target))
            with dst.atomic():
                rows = copy_tables(src, dst, replace=replace)
                _check_counts(src, dst, t)
                _check_exports(src, dst, pack, t)
                audit(
                    dst,
                    actor=None,
                    citizen_id=None,
                    entity="database",
                    key=None,
                    action="copy",
                    new=json.dumps({"from": src.dialect.name, "rows": rows}),
                )
    except Exception as exc:
        if not is_database_error(exc):
            raise
        known = store_error(exc, path=target, lang=t.lang)
        if known is not None:
            raise known from None
        raise InputError(t("copy_db.refused", target=target, detail=_first_line(exc))) from None
    return rows


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _check_counts(src: Db, dst: Db, t: Translator) -> None:
    before, after = counts(src), counts(dst)
    wrong = [
        f"{name} {before[name]} → {after.get(name)}"
        for name in before
        if after.get(name) != before[name]
    ]
    if wrong:
        raise InputError(t("copy_db.count_mismatch", tables=", ".join(wrong)))


def _check_exports(src: Db, dst: Db, pack: Pack, t: Translator) -> None:
    """The full export of both, in their transactions, compared file by file; the
    files (everyone's data) live in a private folder for the moment of the check."""
    from bip_talk.services.exchange.export import write_export_files

    folder = Path(tempfile.mkdtemp(prefix="bip-talk-copy-check-"))
    try:
        for name, db in (("source", src), ("target", dst)):
            (folder / name).mkdir(mode=0o700)
            write_export_files(Store(db), pack, folder / name, fmt="json", pseudonymize=False, t=t)
        differ = [
            name
            for name in sorted(p.name for p in (folder / "source").iterdir())
            if comparable(folder / "source" / name) != comparable(folder / "target" / name)
        ]
        if differ:
            raise InputError(t("copy_db.export_differs", files=", ".join(differ)))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def comparable(path: Path) -> bytes:
    """An export file as two exports of the same data have it alike: the manifest
    without its time stamp, every other file as it is."""
    if not path.is_file():
        return b""
    if path.name != MANIFEST:
        return path.read_bytes()
    manifest = json.loads(path.read_text(encoding="utf-8"))
    manifest.pop("exported_at", None)
    return json.dumps(manifest, sort_keys=True).encode()
