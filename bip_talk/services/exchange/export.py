"""Research export: one file per table, a data dictionary and a manifest.

Rows stream from the database cursor to the file, so memory stays flat on a job
centre's whole history. With ``pseudonymize``: names and free text are emptied,
notes are left out, and citizen and caseworker ids become stable pseudonyms (HMAC of
the real id under the database's own secret, see ``store/schema.py`` m002).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bip_talk import __version__, clock
from bip_talk.domain.entities import MEETING_STATUSES, NOTE_VISIBILITIES, PLAN_STATUSES
from bip_talk.domain.evidence_model import evidence_of
from bip_talk.domain.exchange import (
    DICTIONARY,
    FORMAT_NAME,
    FORMAT_VERSION,
    FORMATS,
    LIST_SEP,
    MANIFEST,
    TABLE_BY_NAME,
    TABLES,
    Table,
    pseudonym,
    tables_for,
)
from bip_talk.domain.outcomes import OUTCOME_KINDS
from bip_talk.domain.pack import Pack
from bip_talk.errors import InputError
from bip_talk.i18n import Translator
from bip_talk.services.copies import record
from bip_talk.services.exchange.files import TableWriter, write_json
from bip_talk.store import Store
from bip_talk.store.exchange.export import (
    count_rows,
    iter_table,
    pseudonym_secret,
    read_snapshot,
    register_pseudonym,
)
from bip_talk.store.failures import kind_of

DICTIONARY_COLUMNS = ("file", "column", "code", "context", "type", "meaning")


@dataclass(frozen=True)
class ExportResult:
    folder: Path
    rows: dict[str, int]
    pseudonymized: bool
    file_format: str


def export_file_names() -> set[str]:
    """Every name an export may write (both formats): the only files we replace."""
    names = {MANIFEST}
    for stem in [*(t.name for t in TABLES), DICTIONARY]:
        names.update(f"{stem}.{fmt}" for fmt in FORMATS)
    return names


# -- the folder -------------------------------------------------------------------------


def _is_export_folder(folder: Path) -> bool:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("format") == FORMAT_NAME


def prepare_folder(folder: Path, t: Translator) -> bool:
    """Check ``folder`` without changing it: missing, empty, or an earlier export (whose
    files the new export replaces); never anything else. Creates the folder's parent.
    Returns True when ``folder`` holds an earlier export."""
    if folder.exists() and not folder.is_dir():
        raise InputError(t("exchange.out_not_folder", path=folder))
    parent = folder.parent
    try:
        parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise InputError(
            t("exchange.out_unwritable", path=folder, reason=exc.strerror or str(exc))
        ) from None
    if not os.access(parent, os.W_OK | os.X_OK) or (
        folder.exists() and not os.access(folder, os.W_OK | os.X_OK)
    ):
        raise InputError(t("exchange.out_unwritable", path=folder, reason="permission denied"))
    if not folder.exists() or not any(folder.iterdir()):
        return False
    if not _is_export_folder(folder):
        raise InputError(t("exchange.out_not_empty", path=folder))
    return True


def _staging(folder: Path) -> Path:
    """A private folder beside ``folder`` (same file system: renaming it is atomic)."""
    return Path(tempfile.mkdtemp(prefix=f".{folder.name}.", suffix=".tmp", dir=folder.parent))


def _put_in_place(staged: Path, folder: Path, earlier: bool) -> None:
    """Move a finished export from ``staged`` to ``folder``.

    A new or empty folder: one rename. An earlier export: its export files go first
    (the old manifest before anything else, so a half-replaced folder never passes
    for an export), then the new files move in, the manifest last. Other files a
    user keeps there stay. A pseudonymised export into a folder that held a full one
    must not keep the old notes or names next to it: every old export file goes.
    """
    if not earlier:
        if folder.exists():
            folder.rmdir()  # empty, checked by prepare_folder
        os.rename(staged, folder)
        return
    old = {p.name for p in folder.iterdir()} & export_file_names()
    for name in sorted(old, key=lambda n: n != MANIFEST):
        (folder / name).unlink()
    new = sorted(p.name for p in staged.iterdir())
    for name in sorted(new, key=lambda n: n == MANIFEST):
        os.replace(staged / name, folder / name)
    staged.rmdir()


# -- rows -------------------------------------------------------------------------------


def _choices_json(value: str | None) -> list[str]:
    return list(json.loads(value)) if value else []


def _choices_csv(value: str | None) -> str | None:
    return LIST_SEP.join(json.loads(value)) if value else None


def _pseudonymised(pseudo: Callable[[str, Any], str], kind: str) -> Callable[[Any], Any]:
    return lambda v: None if v is None else pseudo(kind, v)


def _row_transform(table: Table, pseudo: Callable[[str, Any], str] | None, fmt: str) -> Callable:
    """A function turning a database tuple into the exported values for ``table``.

    Only the columns that need it are touched (this runs once per answer): CSV takes
    the stored 0/1 and None as they are; JSON gets real booleans and lists.
    """
    steps: list[tuple[int, Callable[[Any], Any]]] = []
    for n, col in enumerate(table.columns):
        if pseudo is not None and col.personal:
            steps.append((n, lambda _v: None))
        elif pseudo is not None and col.pseudo:
            steps.append((n, _pseudonymised(pseudo, col.pseudo)))
        elif col.type == "boolean" and fmt == "json":
            steps.append((n, lambda v: None if v is None else bool(v)))
        elif col.type == "codes":
            steps.append((n, _choices_json if fmt == "json" else _choices_csv))
    if not steps:
        return lambda row: row

    def transform(row: tuple) -> list:
        out = list(row)
        for n, fn in steps:
            out[n] = fn(out[n])
        return out

    return transform


def _pseudonymizer(secret: bytes) -> Callable[[str, Any], str]:
    @lru_cache(maxsize=65536)
    def pseudo(kind: str, value: Any) -> str:
        return pseudonym(secret, kind, value)

    return pseudo


# -- data dictionary --------------------------------------------------------------------


def _text(t: Translator, key: str, fallback: str) -> str:
    return t(key) if t.has(key) else fallback


def dictionary_rows(
    pack: Pack, tables: Iterable[Table], *, pseudonymized: bool, fmt: str, t: Translator
) -> list[tuple[str, str, str, str, str, str]]:
    """Every column of every file, then every code a column can hold, with its meaning."""
    lang = t.lang
    rows: list[tuple[str, str, str, str, str, str]] = [
        (DICTIONARY, col, "", "", "text", t(f"exchange.col.{DICTIONARY}.{col}"))
        for col in DICTIONARY_COLUMNS
    ]
    names = set()
    for table in tables:
        names.add(table.name)
        for col in table.columns:
            meaning = t(f"exchange.col.{table.name}.{col.name}")
            if pseudonymized and col.personal:
                meaning += " " + t("exchange.dict.blank_when_pseudonymized")
            elif pseudonymized and col.pseudo:
                meaning += " " + t("exchange.dict.pseudonym")
            rows.append((table.name, col.name, "", "", col.type, meaning))

    def code(file: str, column: str, value: str, meaning: str, context: str = "") -> None:
        if file in names:
            type_ = next(c.type for c in TABLE_BY_NAME[file].columns if c.name == column)
            rows.append((file, column, value, context, type_, meaning))

    for status in MEETING_STATUSES:
        code("meetings", "status", status, t(f"exchange.code.meeting_status.{status}"))
    code(
        "meetings",
        "pack_id",
        pack.id,
        t("exchange.dict.pack", name=pack.manifest.name.get(lang), version=pack.version),
    )
    for ind in pack.indicators:
        meaning = t(
            "exchange.dict.indicator",
            name=ind.name.get(lang),
            status=t(f"exchange.code.indicator_status.{ind.status}"),
        )
        code("meetings", "priority", ind.id, meaning)
        code("notes", "indicator", ind.id, meaning)
    for group in pack.manifest.target_groups:
        code("citizens", "target_group", group.id, group.name.get(lang))
    evidence = evidence_of(pack)
    for level in evidence.education_levels if evidence else []:
        code("citizens", "education", level.id, level.name.get(lang))
    for p in pack.perspectives:
        code("answers", "perspective", p.id, p.name.get(lang))
    yes, no = ("1", "0") if fmt == "csv" else ("true", "false")
    code("answers", "declined", yes, t("exchange.code.declined.yes"))
    code("answers", "declined", no, t("exchange.code.declined.no"))
    for p in pack.perspectives:
        for item in pack.items(p.id):
            ind = pack.indicator(item.indicator)
            code(
                "answers",
                "item_id",
                item.id,
                t(
                    "exchange.dict.item",
                    indicator=item.indicator,
                    indicator_name=ind.name.get(lang),
                    kind=t(f"exchange.code.item_type.{item.type}"),
                    text=item.text.get(lang),
                    private=t("exchange.dict.private") if item.private else "",
                ),
                context=p.id,
            )
    for p in pack.perspectives:
        for item in pack.items(p.id):
            where = f"{p.id}/{item.id}"
            if item.type == "scale":
                for n, label in enumerate(pack.scale_labels(item, lang), start=1):
                    code("answers", "value", str(n), label, context=where)
            for option in item.options:
                extra = " " + t("exchange.dict.exclusive") if option.exclusive else ""
                code("answers", "choices", option.id, option.text.get(lang) + extra, context=where)
    for vis in NOTE_VISIBILITIES:
        code("notes", "visibility", vis, t(f"exchange.code.visibility.{vis}"))
    for status in PLAN_STATUSES:
        code(
            "plan_items", "status", status, _text(t, f"exchange.code.plan_status.{status}", status)
        )
    for kind in OUTCOME_KINDS:
        code("outcomes", "kind", kind, t(f"outcomes.kind.{kind}"))
    return rows


# -- the export -------------------------------------------------------------------------


def export_data(
    store: Store,
    pack: Pack,
    folder: Path,
    *,
    fmt: str = "csv",
    pseudonymize: bool = False,
    t: Translator | None = None,
) -> ExportResult:
    """Export everything into ``folder``: written into a private staging folder beside
    it and moved into place only when complete, so a failed export leaves no file."""
    t = t or Translator()
    if fmt not in FORMATS:
        raise InputError(t("exchange.bad_format", value=fmt, known=", ".join(FORMATS)))
    folder = Path(folder)
    earlier = prepare_folder(folder, t)
    if not pseudonymize:  # names and notes of everyone: erasure lists this folder
        record(store, folder, citizen_id=None, kind="export")
    try:
        staged = _staging(folder)
    except OSError as exc:
        raise _write_failed(exc, folder, t) from None
    try:
        rows = _write_export(store, pack, staged, fmt=fmt, pseudonymize=pseudonymize, t=t)
        _put_in_place(staged, folder, earlier)
    except OSError as exc:
        raise _write_failed(exc, folder, t) from None
    finally:
        # Whatever stopped the export (a full disk, a damaged row, Ctrl-C): nothing of
        # it stays behind, and an earlier export in ``folder`` is as it was.
        shutil.rmtree(staged, ignore_errors=True)
    return ExportResult(folder, rows, pseudonymize, fmt)


def write_export_files(
    store: Store, pack: Pack, folder: Path, *, fmt: str, pseudonymize: bool, t: Translator
) -> dict[str, int]:
    """The export's files into ``folder`` (no staging, no record of the copy): for
    ``export_data``, and for ``copy-db`` to compare two databases, inside their own
    transactions."""
    return _write_export(store, pack, folder, fmt=fmt, pseudonymize=pseudonymize, t=t)


def _write_export(
    store: Store, pack: Pack, folder: Path, *, fmt: str, pseudonymize: bool, t: Translator
) -> dict[str, int]:
    db = store.db
    pseudo = None
    if pseudonymize:
        pseudo = _pseudonymizer(pseudonym_secret(db))
        register_pseudonym(db, pseudo)
    tables = tables_for(pseudonymize)
    rows: dict[str, int] = {}
    writer: TableWriter | None = None
    try:
        with read_snapshot(db):
            for table in tables:
                writer = TableWriter(folder / f"{table.name}.{fmt}", fmt, table.column_names)
                transform = _row_transform(table, pseudo, fmt)
                for row in iter_table(db, table, pseudonymized=pseudonymize):
                    writer.write(transform(row))
                writer.close()
                rows[table.name] = writer.rows
                writer = None
        writer = TableWriter(folder / f"{DICTIONARY}.{fmt}", fmt, DICTIONARY_COLUMNS)
        for entry in dictionary_rows(pack, tables, pseudonymized=pseudonymize, fmt=fmt, t=t):
            writer.write(entry)
        writer.close()
        rows[DICTIONARY] = writer.rows
        writer = None
        write_json(folder / MANIFEST, _manifest(pack, rows, fmt, pseudonymize, t.lang))
    finally:
        if writer is not None:
            writer.abort()
    return rows


def _write_failed(exc: OSError, folder: Path, t: Translator) -> InputError:
    if kind_of(exc) == "full":
        return InputError(t("store.full", path=folder))
    return InputError(t("exchange.write_failed", path=folder, reason=exc.strerror or str(exc)))


def _manifest(
    pack: Pack, rows: dict[str, int], fmt: str, pseudonymized: bool, lang: str
) -> dict[str, Any]:
    return {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "file_format": fmt,
        "pseudonymized": pseudonymized,
        "pack": {"id": pack.id, "version": pack.version},
        "language": lang,
        "app_version": __version__,
        "exported_at": clock.now_iso(),
        "files": {name: {"file": f"{name}.{fmt}", "rows": n} for name, n in rows.items()},
    }


def database_counts(store: Store) -> dict[str, int]:
    return {t.name: count_rows(store.db, t.name) for t in TABLES}
