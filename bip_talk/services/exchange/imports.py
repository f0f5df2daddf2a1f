"""Import an export folder (CSV or JSON) back into the database.

Every row is validated (pydantic for types and ranges, then the pack and the links
between files); the whole import is one transaction, so one bad row rejects
everything and the database stays as it was. Rows the database already holds are
recognised by natural keys (``domain.exchange.NATURAL_KEYS``) and updated instead of
duplicated, so importing the same folder twice changes nothing the second time.
"""

from __future__ import annotations

import csv
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from bip_talk import clock
from bip_talk.domain.evidence_model import evidence_of
from bip_talk.domain.exchange import (
    FORMAT_NAME,
    FORMAT_VERSION,
    FORMATS,
    MANIFEST,
    NATURAL_KEYS,
    ROW_MODELS,
    TABLE_BY_NAME,
    TABLES,
    Manifest,
    has_invalid_text,
    required_columns,
)
from bip_talk.domain.pack import Pack
from bip_talk.errors import InputError
from bip_talk.i18n import Translator
from bip_talk.services.citizen_facts import OLDEST
from bip_talk.services.exchange.files import FileProblem, read_csv, read_json_rows
from bip_talk.store import Store
from bip_talk.store.exchange.imports import (
    audit,
    begin_seen,
    citizen_exists,
    end_seen,
    first_seen,
    other_draft,
    sync_ids,
    upsert,
)
from bip_talk.store.failures import is_database_error, store_error
from bip_talk.store.repository import search_key

MAX_PROBLEMS = 20

# pydantic's error types -> our catalog keys (custom types from domain.exchange map to
# themselves); anything else is shown as "invalid" with pydantic's own words.
_ERROR_KEYS = {
    "missing": "missing",
    "extra_forbidden": "unknown_column",
    "int_parsing": "not_integer",
    "int_type": "not_integer",
    "int_from_float": "not_integer",
    "bool_parsing": "not_boolean",
    "bool_type": "not_boolean",
    "string_type": "not_text",
    "list_type": "not_list",
    "greater_than_equal": "out_of_range",
    "less_than_equal": "out_of_range",
    "string_too_long": "too_long",
}


class _Rejected(Exception):
    pass


@dataclass
class ImportResult:
    folder: Path
    counts: dict[str, Counter] = field(default_factory=dict)

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())


@dataclass(frozen=True)
class _Source:
    table: str
    path: Path
    fmt: str
    rows: int | None  # what the manifest promises, if there is one


def _short(value: Any) -> str:
    """A value quoted in a message: at most 40 characters, never a crash of its own
    (a list nested a thousand deep, an integer of thousands of digits)."""
    try:
        text = (
            value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
        )
    except (RecursionError, ValueError):
        text = type(value).__name__
    return text if len(text) <= 40 else text[:39] + "…"


class _Problems:
    def __init__(self, t: Translator) -> None:
        self.t = t
        self.lines: list[str] = []
        self.more = False

    def add(self, file: str, row: int | None, fld: str | None, key: str, /, **ctx: object) -> None:
        if len(self.lines) >= MAX_PROBLEMS:
            self.more = True
            return
        place = file if row is None else self.t("exchange.where_row", file=file, row=row)
        if fld:
            place += f": {fld}"
        try:
            text = self.t("exchange." + key, **ctx)
        except (KeyError, IndexError, ValueError):  # a catalog text wants a value we lack
            text = self.t("exchange.invalid", detail=key)
        self.lines.append(f"{place}: {text}")

    @property
    def full(self) -> bool:
        return len(self.lines) >= MAX_PROBLEMS

    def __bool__(self) -> bool:
        return bool(self.lines)

    def message(self) -> str:
        lines = [self.t("exchange.import_rejected"), *(f"  {line}" for line in self.lines)]
        if self.more:
            lines.append("  " + self.t("exchange.more_problems", count=MAX_PROBLEMS))
        return "\n".join(lines)


# -- finding the files ------------------------------------------------------------------


def _read_manifest(path: Path, t: Translator) -> Manifest:
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except OSError as exc:
        raise InputError(t("exchange.unreadable", path=path, reason=exc.strerror or exc)) from None
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise InputError(t("exchange.manifest_not_json", path=path)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise InputError(t("exchange.not_an_export", path=path))
    if data.get("pseudonymized") is True:
        raise InputError(t("exchange.pseudonymized_refused", path=path))
    try:
        manifest = Manifest.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise InputError(
            t("exchange.manifest_invalid", path=path, field=where, detail=err["msg"])
        ) from None
    if manifest.format_version > FORMAT_VERSION:
        raise InputError(
            t(
                "exchange.newer_format",
                path=path,
                found=manifest.format_version,
                known=FORMAT_VERSION,
            )
        )
    return manifest


def _sources(source: Path, t: Translator) -> tuple[Path, list[_Source]]:
    if not source.exists():
        raise InputError(t("exchange.import_missing", path=source))
    if source.is_dir():
        folder, manifest_path = source, source / MANIFEST
    elif source.name == MANIFEST:
        folder, manifest_path = source.parent, source
    else:
        raise InputError(t("exchange.import_not_folder", path=source))
    found: list[_Source] = []
    if manifest_path.is_file():
        manifest = _read_manifest(manifest_path, t)
        for table in TABLES:
            entry = manifest.files.get(table.name)
            if entry is None:
                continue
            path = folder / f"{table.name}.{manifest.file_format}"
            if not path.is_file():
                raise InputError(t("exchange.listed_file_missing", path=path))
            found.append(_Source(table.name, path, manifest.file_format, entry.rows))
    else:
        for table in TABLES:
            paths = [folder / f"{table.name}.{fmt}" for fmt in FORMATS]
            present = [p for p in paths if p.is_file()]
            if len(present) > 1:
                raise InputError(t("exchange.both_formats", folder=folder, table=table.name))
            if present:
                found.append(_Source(table.name, present[0], present[0].suffix[1:], None))
    if not found:
        raise InputError(t("exchange.no_files", folder=folder))
    return folder, found


# -- the import -------------------------------------------------------------------------


class _Run:
    def __init__(
        self, store: Store, pack: Pack, allow_items: Iterable[str], t: Translator, actor: int | None
    ) -> None:
        self.db = store.db
        self.pack = pack
        self.allow_items = set(allow_items)
        self.t = t
        self.actor = actor
        self.problems = _Problems(t)
        self.ids: dict[str, dict[int, int]] = {"caseworkers": {}, "meetings": {}}
        self.meeting_citizen: dict[int, str] = {}
        self.touched: set[str] = set()
        self.counts: dict[str, Counter] = {}
        self.indicators = {i.id for i in pack.indicators}
        self.perspectives = [p.id for p in pack.perspectives]
        self.groups = {g.id for g in pack.manifest.target_groups}
        evidence = evidence_of(pack)
        self.education_levels = {e.id for e in evidence.education_levels} if evidence else set()
        year = clock.today().year
        self.birth_years = (year - OLDEST, year)

    def prepare(self) -> None:
        """Inside the transaction: keys seen in the files so far live in a temporary
        table rather than Python memory (a job centre's answers would not fit a set)."""
        begin_seen(self.db)

    def close(self) -> None:
        end_seen(self.db)

    # -- files ---------------------------------------------------------------------------

    def load(self, src: _Source) -> None:
        name = src.path.name
        spec = TABLE_BY_NAME[src.table]
        lists = {c.name for c in spec.columns if c.type == "codes"}
        self.counts[src.table] = Counter()
        count, last = 0, None
        try:
            with src.path.open(encoding="utf-8-sig", newline="") as fh:
                if src.fmt == "csv":
                    header, rows = read_csv(fh, lists)
                    if not self._header_ok(name, src.table, header):
                        return
                else:
                    rows = read_json_rows(fh)
                for n, raw in rows:
                    count, last = count + 1, n
                    self._row(src.table, name, n, raw)
                    if self.problems.full:
                        return
        except FileProblem as p:
            self.problems.add(name, p.row, p.field, p.key, **p.ctx)
            return
        except UnicodeDecodeError:
            self.problems.add(name, None, None, "not_utf8", near=last or 1)
            return
        except csv.Error as exc:
            self.problems.add(name, None, None, "csv_syntax", near=(last or 1) + 1, detail=exc)
            return
        except OSError as exc:
            self.problems.add(name, None, None, "file_unreadable", reason=exc.strerror or exc)
            return
        if src.rows is not None and src.rows != count and not self.problems:
            self.problems.add(name, None, None, "rows_mismatch", expected=src.rows, found=count)

    def _header_ok(self, name: str, table: str, header: list[str]) -> bool:
        known = set(ROW_MODELS[table].model_fields)
        ok = True
        for col, n in Counter(header).items():
            if n > 1:
                self.problems.add(name, 1, col, "duplicate_column")
                ok = False
        for col in header:
            if col not in known:
                self.problems.add(
                    name,
                    1,
                    col or "''",
                    "unknown_column_known",
                    known=", ".join(TABLE_BY_NAME[table].column_names),
                )
                ok = False
        for col in required_columns(table):
            if col not in header:
                self.problems.add(name, 1, col, "missing_column")
                ok = False
        return ok

    # -- rows ----------------------------------------------------------------------------

    def _row(self, table: str, name: str, n: int, raw: Any) -> None:
        model: type[BaseModel] = ROW_MODELS[table]
        if isinstance(raw, dict) and (bad := has_invalid_text(raw)) is not None:
            self.problems.add(name, n, str(bad), "bad_text")
            return
        try:
            row = model.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                self._pydantic(name, n, err)
            return
        getattr(self, f"_{table}")(name, n, row)

    def _pydantic(self, name: str, n: int, err: ErrorDetails) -> None:
        fld = "".join(
            f"[{p}]" if isinstance(p, int) else (f".{p}" if i else str(p))
            for i, p in enumerate(err["loc"])
        )
        kind = err["type"]
        key = _ERROR_KEYS.get(kind, kind)
        ctx = {k: _short(v) for k, v in (err.get("ctx") or {}).items()}
        ctx.setdefault("value", _short(err.get("input")))
        if not self.t.has("exchange." + key):
            key, ctx = "invalid", {"detail": err["msg"]}
        self.problems.add(name, n, fld, key, **ctx)

    def _unique(self, name: str, n: int, label: str, key: Iterable[Any]) -> bool:
        """Record ``key`` as seen at row ``n``; False (and a problem) if seen before."""
        first = first_seen(self.db, repr((name, label, *key)), n)
        if first is None:
            return True
        self.problems.add(name, n, label, "duplicate_row", first=first)
        return False

    def _ref(self, name: str, n: int, fld: str, table: str, value: int | None) -> int | None:
        """The database id for a file id in ``table``; a problem if the file has no such row."""
        if value is None:
            return None
        found = self.ids[table].get(value)
        if found is None:
            self.problems.add(name, n, fld, "unknown_ref", value=value, file=table)
        return found

    def _citizen(self, name: str, n: int, citizen_id: str) -> bool:
        if citizen_exists(self.db, citizen_id):
            return True
        self.problems.add(name, n, "citizen_id", "unknown_citizen", value=citizen_id)
        return False

    def _code(self, name: str, n: int, fld: str, value: str | None, known: set[str]) -> None:
        if value is not None and value not in known:
            self.problems.add(
                name, n, fld, "unknown_code", value=value, known=", ".join(sorted(known)) or "-"
            )

    def _save(
        self, table: str, values: dict[str, Any], *, file_id: int | None, citizen_id: str | None
    ) -> Any:
        key = {k: values[k] for k in NATURAL_KEYS[table]}
        outcome, pk = upsert(
            self.db,
            table,
            values,
            key,
            preferred_id=file_id,
            actor=self.actor,
            citizen_id=citizen_id,
        )
        self.counts[table][outcome] += 1
        if outcome != "unchanged" and citizen_id is not None:
            self.touched.add(citizen_id)
        return pk

    # -- one method per table ------------------------------------------------------------

    def _caseworkers(self, name: str, n: int, row: Any) -> None:
        initials = row.initials.strip().upper()
        ok = self._unique(name, n, "id", [row.id]) & self._unique(name, n, "initials", [initials])
        if not ok or self.problems:
            return
        values = {"initials": initials, "name": row.name, "created_at": row.created_at}
        self.ids["caseworkers"][row.id] = self._save(
            "caseworkers", values, file_id=row.id, citizen_id=None
        )

    def _citizens(self, name: str, n: int, row: Any) -> None:
        self._unique(name, n, "id", [row.id])
        if self.groups or row.target_group:
            self._code(name, n, "target_group", row.target_group, self.groups)
        if self.education_levels or row.education:
            self._code(name, n, "education", row.education, self.education_levels)
        first, last = self.birth_years
        if row.birth_year is not None and not first <= row.birth_year <= last:
            self.problems.add(
                name,
                n,
                "birth_year",
                "bad_birth_year",
                value=row.birth_year,
                first=first,
                last=last,
            )
        if self.problems:
            return
        values = {
            "id": row.id,
            "display_name": row.display_name,
            "search_key": search_key(row.display_name, row.id),
            "target_group": row.target_group,
            "created_at": row.created_at,
            "birth_year": row.birth_year,
            "education": row.education,
        }
        self._save("citizens", values, file_id=None, citizen_id=row.id)

    def _assignments(self, name: str, n: int, row: Any) -> None:
        self._unique(name, n, "id", [row.id])
        self._citizen(name, n, row.citizen_id)
        cw = self._ref(name, n, "caseworker_id", "caseworkers", row.caseworker_id)
        by = self._ref(name, n, "assigned_by", "caseworkers", row.assigned_by)
        self._unique(
            name,
            n,
            "citizen_id/caseworker_id/started_at",
            [row.citizen_id, row.caseworker_id, row.started_at],
        )
        if self.problems:
            return
        values = {
            "citizen_id": row.citizen_id,
            "caseworker_id": cw,
            "started_at": row.started_at,
            "ended_at": row.ended_at,
            "reason": row.reason,
            "assigned_by": by,
        }
        self._save("assignments", values, file_id=row.id, citizen_id=row.citizen_id)

    def _meetings(self, name: str, n: int, row: Any) -> None:
        self._unique(name, n, "id", [row.id])
        self._citizen(name, n, row.citizen_id)
        cw = self._ref(name, n, "caseworker_id", "caseworkers", row.caseworker_id)
        if row.pack_id != self.pack.id:
            self.problems.add(
                name, n, "pack_id", "other_pack", value=row.pack_id, pack=self.pack.id
            )
        self._code(name, n, "priority", row.priority, self.indicators)
        self._unique(name, n, "citizen_id/started_at", [row.citizen_id, row.started_at])
        if row.status == "draft" and other_draft(self.db, row.citizen_id, row.started_at):
            # One unfinished meeting per citizen (schema m006).
            self.problems.add(name, n, "status", "second_draft", citizen=row.citizen_id)
        if self.problems:
            return
        values = {
            "citizen_id": row.citizen_id,
            "caseworker_id": cw,
            "pack_id": row.pack_id,
            "pack_version": row.pack_version,
            "status": row.status,
            "held_on": row.held_on,
            "started_at": row.started_at,
            "completed_at": row.completed_at,
            "priority": row.priority,
        }
        db_id = self._save("meetings", values, file_id=row.id, citizen_id=row.citizen_id)
        self.ids["meetings"][row.id] = db_id
        self.meeting_citizen[db_id] = row.citizen_id

    def _answers(self, name: str, n: int, row: Any) -> None:
        meeting = self._ref(name, n, "meeting_id", "meetings", row.meeting_id)
        by = self._ref(name, n, "answered_by", "caseworkers", row.answered_by)
        self._check_item(name, n, row)
        self._unique(
            name,
            n,
            "meeting_id/perspective/item_id",
            [row.meeting_id, row.perspective, row.item_id],
        )
        if self.problems or meeting is None:
            return
        values = {
            "meeting_id": meeting,
            "perspective": row.perspective,
            "item_id": row.item_id,
            "value": row.value,
            "declined": int(row.declined),
            "choices": json.dumps(row.choices) if row.choices else None,
            "text": row.text or None,
            "answered_at": row.answered_at,
            "answered_by": by,
        }
        self._save("answers", values, file_id=None, citizen_id=self.meeting_citizen[meeting])

    def _check_item(self, name: str, n: int, row: Any) -> None:
        if row.perspective not in self.perspectives:
            self._code(name, n, "perspective", row.perspective, set(self.perspectives))
            return
        if row.declined and (row.value is not None or row.choices or row.text):
            self.problems.add(name, n, "declined", "declined_with_answer")
        item = self.pack.item(row.perspective, row.item_id)
        if item is None:
            if row.item_id not in self.allow_items:
                known = ", ".join(i.id for i in self.pack.items(row.perspective))
                self.problems.add(
                    name,
                    n,
                    "item_id",
                    "unknown_item",
                    value=row.item_id,
                    perspective=row.perspective,
                    known=known,
                )
            return
        if item.type != "scale" and row.value is not None:
            self.problems.add(name, n, "value", "value_not_scale", item=item.id)
        if item.type != "multi" and row.choices:
            self.problems.add(name, n, "choices", "choices_not_multi", item=item.id)
        options = {o.id for o in item.options}
        for choice in row.choices:
            if item.type == "multi" and choice not in options:
                self.problems.add(
                    name,
                    n,
                    "choices",
                    "unknown_option",
                    value=choice,
                    item=item.id,
                    known=", ".join(o.id for o in item.options),
                )

    def _notes(self, name: str, n: int, row: Any) -> None:
        self._unique(name, n, "id", [row.id])
        meeting = self._ref(name, n, "meeting_id", "meetings", row.meeting_id)
        author = self._ref(name, n, "author_id", "caseworkers", row.author_id)
        self._code(name, n, "indicator", row.indicator, self.indicators)
        self._unique(
            name,
            n,
            "meeting_id/created_at/author_id/text",
            [row.meeting_id, row.created_at, row.author_id, row.text],
        )
        if self.problems or meeting is None:
            return
        values = {
            "meeting_id": meeting,
            "indicator": row.indicator,
            "visibility": row.visibility,
            "text": row.text,
            "author_id": author,
            "created_at": row.created_at,
            "updated_at": row.updated_at,
        }
        self._save("notes", values, file_id=row.id, citizen_id=self.meeting_citizen[meeting])

    def _plan_items(self, name: str, n: int, row: Any) -> None:
        self._unique(name, n, "id", [row.id])
        self._citizen(name, n, row.citizen_id)
        meeting = self._ref(name, n, "meeting_id", "meetings", row.meeting_id)
        reviewed = self._ref(name, n, "reviewed_in", "meetings", row.reviewed_in)
        self._unique(
            name,
            n,
            "citizen_id/created_at/kind/title",
            [row.citizen_id, row.created_at, row.kind, row.title],
        )
        if self.problems:
            return
        values = {
            "citizen_id": row.citizen_id,
            "meeting_id": meeting,
            "kind": row.kind,
            "title": row.title,
            "responsible": row.responsible,
            "due_on": row.due_on,
            "starts_on": row.starts_on,
            "ends_on": row.ends_on,
            "status": row.status,
            "rule_id": row.rule_id,
            "reason": row.reason,
            "decline_reason": row.decline_reason,
            "created_at": row.created_at,
            "reviewed_in": reviewed,
            "updated_at": row.updated_at,
        }
        self._save("plan_items", values, file_id=row.id, citizen_id=row.citizen_id)

    def _outcomes(self, name: str, n: int, row: Any) -> None:
        self._unique(name, n, "id", [row.id])
        self._citizen(name, n, row.citizen_id)
        by = self._ref(name, n, "recorded_by", "caseworkers", row.recorded_by)
        self._unique(
            name, n, "citizen_id/kind/occurred_on", [row.citizen_id, row.kind, row.occurred_on]
        )
        if self.problems:
            return
        values = {
            "citizen_id": row.citizen_id,
            "kind": row.kind,
            "occurred_on": row.occurred_on,
            "recorded_by": by,
            "recorded_at": row.recorded_at,
            "updated_at": row.updated_at,
        }
        self._save("outcomes", values, file_id=row.id, citizen_id=row.citizen_id)

    def finish(self) -> None:
        sync_ids(self.db)
        for citizen_id in sorted(self.touched):
            audit(
                self.db,
                actor=self.actor,
                citizen_id=citizen_id,
                entity="citizen",
                key=citizen_id,
                action="import",
            )


def import_data(
    store: Store,
    pack: Pack,
    source: Path,
    *,
    allow_items: Iterable[str] = (),
    t: Translator | None = None,
    actor: int | None = None,
) -> ImportResult:
    """Import the export at ``source`` (folder or its manifest.json) in one transaction."""
    t = t or Translator()
    folder, sources = _sources(Path(source), t)
    run = _Run(store, pack, allow_items, t, actor)
    try:
        with store.db.atomic():
            run.prepare()
            for src in sources:
                run.load(src)
                if run.problems:
                    raise _Rejected
            run.finish()
    except _Rejected:
        raise InputError(run.problems.message()) from None
    except Exception as exc:
        if not is_database_error(exc):
            raise
        # A full disk or a damaged file has its own message; otherwise validation should
        # have caught everything, and if the database still refuses, say so plainly.
        error = store_error(exc, path=getattr(store.db, "path", ""), lang=t.lang)
        if error is not None:
            raise error from None
        raise InputError(t("exchange.import_failed", detail=str(exc))) from None
    finally:
        run.close()
    return ImportResult(folder, run.counts)
