"""The research export/import format as data: which files, which columns in which
order, what each column may hold, and how ids are pseudonymised. Pure: no I/O.

One file per table. Rows refer to each other by the ids in the files (``meeting_id``,
``caseworker_id`` …); on import those ids only link the files together, and rows are
matched to what the database already holds by natural keys (see ``NATURAL_KEYS``).
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from bip_talk.domain.entities import MEETING_STATUSES, NOTE_VISIBILITIES, PLAN_STATUSES
from bip_talk.domain.ids import ALPHABET, PATTERN, looks_like_cpr
from bip_talk.domain.outcomes import OUTCOME_KINDS
from bip_talk.domain.text import TextRefused, check_user_text

FORMAT_NAME = "bip-talk-export"
FORMAT_VERSION = 2  # 2: citizens.birth_year and citizens.education
FORMATS = ("csv", "json")
LIST_SEP = ";"  # a list of codes in one CSV cell
MANIFEST = "manifest.json"
DICTIONARY = "data_dictionary"

ColumnType = Literal["id", "integer", "text", "boolean", "date", "timestamp", "code", "codes"]


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    type: ColumnType
    # Names and free text: always empty in a pseudonymised export.
    personal: bool = False
    # "citizen" / "caseworker": replaced by a pseudonymous id in a pseudonymised export.
    pseudo: str | None = None


@dataclass(frozen=True, slots=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    # False: the whole file is left out of a pseudonymised export (notes are free text).
    in_pseudonymized: bool = True

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, type_: ColumnType, **kw: Any) -> Column:
    return Column(name, type_, **kw)


_CW = {"pseudo": "caseworker"}
_CIT = {"pseudo": "citizen"}

# In dependency order: a table only refers to tables above it (export and import order).
TABLES: tuple[Table, ...] = (
    Table(
        "caseworkers",
        (
            _c("id", "id", **_CW),
            _c("initials", "text", personal=True),
            _c("name", "text", personal=True),
            _c("created_at", "timestamp"),
        ),
    ),
    Table(
        "citizens",
        (
            _c("id", "id", **_CIT),
            _c("display_name", "text", personal=True),
            _c("target_group", "code"),
            _c("created_at", "timestamp"),
            _c("birth_year", "integer"),
            _c("education", "code"),
        ),
    ),
    Table(
        "assignments",
        (
            _c("id", "id"),
            _c("citizen_id", "id", **_CIT),
            _c("caseworker_id", "id", **_CW),
            _c("started_at", "timestamp"),
            _c("ended_at", "timestamp"),
            _c("reason", "text", personal=True),
            _c("assigned_by", "id", **_CW),
        ),
    ),
    Table(
        "meetings",
        (
            _c("id", "id"),
            _c("citizen_id", "id", **_CIT),
            _c("caseworker_id", "id", **_CW),
            _c("pack_id", "code"),
            _c("pack_version", "text"),
            _c("status", "code"),
            _c("held_on", "date"),
            _c("started_at", "timestamp"),
            _c("completed_at", "timestamp"),
            _c("priority", "code"),
        ),
    ),
    Table(
        "answers",
        (
            _c("meeting_id", "id"),
            _c("perspective", "code"),
            _c("item_id", "code"),
            _c("value", "integer"),
            _c("declined", "boolean"),
            _c("choices", "codes"),
            _c("text", "text", personal=True),
            _c("answered_at", "timestamp"),
            _c("answered_by", "id", **_CW),
        ),
    ),
    Table(
        "notes",
        (
            _c("id", "id"),
            _c("meeting_id", "id"),
            _c("indicator", "code"),
            _c("visibility", "code"),
            _c("text", "text", personal=True),
            _c("author_id", "id", **_CW),
            _c("created_at", "timestamp"),
            _c("updated_at", "timestamp"),
        ),
        in_pseudonymized=False,
    ),
    Table(
        "plan_items",
        (
            _c("id", "id"),
            _c("citizen_id", "id", **_CIT),
            _c("meeting_id", "id"),
            _c("kind", "code"),
            _c("title", "text", personal=True),
            _c("responsible", "text", personal=True),
            _c("due_on", "date"),
            _c("starts_on", "date"),
            _c("ends_on", "date"),
            _c("status", "code"),
            _c("rule_id", "code"),
            _c("reason", "text", personal=True),
            _c("decline_reason", "text", personal=True),
            _c("created_at", "timestamp"),
            _c("reviewed_in", "id"),
            _c("updated_at", "timestamp"),
        ),
    ),
    Table(
        "outcomes",
        (
            _c("id", "id"),
            _c("citizen_id", "id", **_CIT),
            _c("kind", "code"),
            _c("occurred_on", "date"),
            _c("recorded_by", "id", **_CW),
            _c("recorded_at", "timestamp"),
            _c("updated_at", "timestamp"),
        ),
    ),
)
TABLE_BY_NAME = {t.name: t for t in TABLES}

# How an imported row is recognised as one the database already holds. Ids in the
# files are only links between the files: two databases number their rows differently.
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "caseworkers": ("initials",),
    "citizens": ("id",),
    "assignments": ("citizen_id", "caseworker_id", "started_at"),
    "meetings": ("citizen_id", "started_at"),
    "answers": ("meeting_id", "perspective", "item_id"),
    "notes": ("meeting_id", "created_at", "author_id", "text"),
    "plan_items": ("citizen_id", "created_at", "kind", "title"),
    "outcomes": ("citizen_id", "kind", "occurred_on"),
}


def tables_for(pseudonymize: bool) -> list[Table]:
    return [t for t in TABLES if t.in_pseudonymized or not pseudonymize]


# -- pseudonymous ids -------------------------------------------------------------------

PSEUDO_PREFIX = {"citizen": ("P-", 10), "caseworker": ("M-", 8)}


def pseudonym(secret: bytes, kind: str, value: object) -> str:
    """A stable id for ``value`` that cannot be turned back without ``secret``.

    Citizen ids are ``P-`` + 10 characters (never the ``B-`` form of a real id, so a
    pseudonymised file cannot pass for a full one), caseworkers ``M-`` + 8.
    """
    prefix, length = PSEUDO_PREFIX[kind]
    digest = hmac.new(secret, f"{kind}:{value}".encode(), hashlib.sha256).digest()
    n = int.from_bytes(digest, "big")
    out = []
    for _ in range(length):
        n, r = divmod(n, len(ALPHABET))
        out.append(ALPHABET[r])
    return prefix + "".join(out)


# -- import rows ------------------------------------------------------------------------

MAX_ID = 2**53  # far beyond any real table, well inside SQLite's 64-bit integers
CODE = re.compile(r"^[a-z][a-z0-9_]*$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _err(kind: str, message: str, **ctx: object) -> PydanticCustomError:
    return PydanticCustomError(kind, message, ctx)


def _timestamp(value: str) -> str:
    try:
        datetime.fromisoformat(value)
    except ValueError:
        raise _err("bad_timestamp", "not an ISO date-time", value=value) from None
    if "T" not in value and " " not in value:
        raise _err("bad_timestamp", "not an ISO date-time", value=value)
    return value


def _day(value: str) -> str:
    if not DAY.match(value):
        raise _err("bad_date", "not an ISO date", value=value)
    try:
        date.fromisoformat(value)
    except ValueError:
        raise _err("bad_date", "not an ISO date", value=value) from None
    return value


def _code(value: str) -> str:
    if not CODE.match(value) or len(value) > 60:
        raise _err("bad_code", "not a code", value=value)
    return value


def _nonempty(value: str) -> str:
    if not value.strip():
        raise _err("empty", "empty")
    return value


def _citizen_id(value: str) -> str:
    if looks_like_cpr(value):
        raise _err("cpr", "looks like a CPR number")
    if value.startswith("P-"):
        raise _err("pseudonymized_id", "a pseudonym", value=value)
    if not PATTERN.match(value):
        raise _err("bad_citizen_id", "not a citizen id", value=value)
    return value


def _not_pseudonym(value: Any) -> Any:
    if isinstance(value, str) and value[:2] in ("P-", "M-"):
        raise _err("pseudonymized_id", "a pseudonym", value=value)
    return value


def _user_text(multiline: bool) -> AfterValidator:
    """The same check as text typed in the app (``domain.text``): no control
    characters, no CPR numbers."""

    def check(value: str) -> str:
        try:
            return check_user_text(value, multiline=multiline)
        except TextRefused as exc:
            p = exc.problem
            kind = "control_char" if p.kind == "control" else "cpr_text"
            raise _err(kind, kind, position=p.position, code=p.code) from None

    return AfterValidator(check)


Id = Annotated[int, BeforeValidator(_not_pseudonym), Field(ge=1, le=MAX_ID)]
Timestamp = Annotated[str, AfterValidator(_timestamp)]
Day = Annotated[str, AfterValidator(_day)]
Code = Annotated[str, AfterValidator(_code)]
NonEmpty = Annotated[str, AfterValidator(_nonempty)]
CitizenId = Annotated[str, AfterValidator(_citizen_id)]
# Text people wrote: one line (names, titles) or several (notes, free answers, reasons).
Line = Annotated[str, _user_text(False)]
Lines = Annotated[str, _user_text(True)]
NonEmptyLine = Annotated[NonEmpty, _user_text(False)]
NonEmptyLines = Annotated[NonEmpty, _user_text(True)]


def has_invalid_text(raw: dict[str, Any]) -> str | None:
    """The first field holding a lone surrogate (possible in JSON, not in UTF-8 CSV):
    SQLite stores UTF-8 and could not save it. Checked before validation, cheaply."""
    for key, value in raw.items():
        for v in value if isinstance(value, list) else (value,):
            if isinstance(v, str) and not v.isascii():
                try:
                    v.encode("utf-8")
                except UnicodeEncodeError:
                    return key
    return None


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _one_of(value: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise _err("not_one_of", "not allowed", value=value, allowed=", ".join(allowed))
    return value


class CaseworkerRow(Row):
    id: Id
    initials: Annotated[NonEmptyLine, Field(max_length=12)]
    name: NonEmptyLine
    created_at: Timestamp


class CitizenRow(Row):
    id: CitizenId
    display_name: NonEmptyLine
    target_group: Code | None = None
    created_at: Timestamp
    # Added in format version 2; older files simply leave them out.
    birth_year: Annotated[int, Field(ge=1900, le=2100)] | None = None
    education: Code | None = None


class AssignmentRow(Row):
    id: Id
    citizen_id: CitizenId
    caseworker_id: Id
    started_at: Timestamp
    ended_at: Timestamp | None = None
    reason: Line | None = None
    assigned_by: Id | None = None


class MeetingRow(Row):
    id: Id
    citizen_id: CitizenId
    caseworker_id: Id
    pack_id: Code
    pack_version: NonEmptyLine
    status: str
    held_on: Day
    started_at: Timestamp
    completed_at: Timestamp | None = None
    priority: Code | None = None

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return _one_of(value, MEETING_STATUSES)


class AnswerRow(Row):
    meeting_id: Id
    perspective: Code
    item_id: Code
    value: int | None = None
    declined: bool = False
    choices: list[Code] = []
    text: Lines | None = None
    answered_at: Timestamp
    answered_by: Id | None = None

    @field_validator("value")
    @classmethod
    def _scale(cls, value: int | None) -> int | None:
        if value is not None and not 1 <= value <= 5:
            raise _err("scale_range", "must be 1-5", value=value)
        return value


class NoteRow(Row):
    id: Id
    meeting_id: Id
    indicator: Code | None = None
    visibility: str
    text: NonEmptyLines
    author_id: Id | None = None
    created_at: Timestamp
    updated_at: Timestamp | None = None

    @field_validator("visibility")
    @classmethod
    def _visibility(cls, value: str) -> str:
        return _one_of(value, NOTE_VISIBILITIES)


class PlanItemRow(Row):
    id: Id
    citizen_id: CitizenId
    meeting_id: Id | None = None
    kind: Annotated[NonEmptyLine, Field(max_length=60)]
    title: NonEmptyLine
    responsible: Line | None = None
    due_on: Day | None = None
    starts_on: Day | None = None
    ends_on: Day | None = None
    status: str = "open"
    rule_id: Line | None = None
    reason: Lines | None = None
    decline_reason: Lines | None = None
    created_at: Timestamp
    reviewed_in: Id | None = None
    updated_at: Timestamp | None = None

    @field_validator("status")
    @classmethod
    def _status(cls, value: str) -> str:
        return _one_of(value, PLAN_STATUSES)


class OutcomeRow(Row):
    id: Id
    citizen_id: CitizenId
    kind: str
    occurred_on: Day
    recorded_by: Id | None = None
    recorded_at: Timestamp
    updated_at: Timestamp | None = None

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        return _one_of(value, OUTCOME_KINDS)


ROW_MODELS: dict[str, type[Row]] = {
    "caseworkers": CaseworkerRow,
    "citizens": CitizenRow,
    "assignments": AssignmentRow,
    "meetings": MeetingRow,
    "answers": AnswerRow,
    "notes": NoteRow,
    "plan_items": PlanItemRow,
    "outcomes": OutcomeRow,
}


def required_columns(table: str) -> list[str]:
    model = ROW_MODELS[table]
    return [name for name, f in model.model_fields.items() if f.is_required()]


class FileEntry(BaseModel):
    model_config = ConfigDict(extra="ignore")
    file: str
    rows: int = Field(ge=0)


class PackRef(BaseModel):
    model_config = ConfigDict(extra="ignore")
    id: str
    version: str


class Manifest(BaseModel):
    """``manifest.json``: what the folder holds. Unknown keys are ignored (newer writers)."""

    model_config = ConfigDict(extra="ignore")
    format: str
    format_version: int
    file_format: Literal["csv", "json"]
    pseudonymized: bool
    pack: PackRef
    exported_at: str
    files: dict[str, FileEntry]
