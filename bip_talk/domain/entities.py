"""Stored things as plain frozen records (what the repository returns)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

MEETING_STATUSES = ("draft", "complete")
NOTE_VISIBILITIES = ("shared", "private")
PLAN_STATUSES = ("open", "done", "partly", "not_done", "declined", "cancelled")


@dataclass(frozen=True, slots=True)
class Caseworker:
    id: int
    initials: str
    name: str


@dataclass(frozen=True, slots=True)
class Citizen:
    id: str  # pseudonymous, never a CPR number
    display_name: str
    target_group: str | None
    created_at: str
    birth_year: int | None = None
    education: str | None = None  # highest completed: an evidence.toml education level id


# The citizen facts a caseworker can change after creating the citizen.
CITIZEN_FACTS = ("display_name", "target_group", "birth_year", "education")


# Which citizens a list on the start screen shows: everyone (a search), or one
# caseworker's caseload, the citizens they met today, those with a meeting unfinished.
CitizenScope = Literal["all", "caseload", "today", "unfinished"]


@dataclass(frozen=True, slots=True)
class CitizenSummary:
    id: str
    display_name: str
    last_meeting_on: str | None
    caseworker_initials: str | None
    has_draft: bool


@dataclass(frozen=True, slots=True)
class Meeting:
    id: int
    citizen_id: str
    caseworker_id: int
    pack_id: str
    pack_version: str
    status: str
    held_on: str
    started_at: str
    completed_at: str | None
    position: str | None
    priority: str | None

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"


def unfinished(meetings: Iterable[Meeting]) -> Meeting | None:
    """The unfinished meeting among a citizen's meetings: at most one (schema m006)."""
    return next((m for m in meetings if m.is_draft), None)


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    meeting_id: int
    indicator: str | None
    visibility: str
    text: str
    author_id: int | None
    created_at: str

    @property
    def private(self) -> bool:
        return self.visibility == "private"


@dataclass(frozen=True, slots=True)
class Assignment:
    id: int
    citizen_id: str
    caseworker_id: int
    started_at: str
    ended_at: str | None
    reason: str | None


@dataclass(frozen=True, slots=True)
class PlanItem:
    id: int
    citizen_id: str
    meeting_id: int | None
    kind: str
    title: str
    responsible: str | None
    due_on: str | None
    starts_on: str | None
    ends_on: str | None
    status: str
    rule_id: str | None
    reason: str | None
    decline_reason: str | None
    created_at: str
    reviewed_in: int | None

    def overdue_on(self, day: str | None) -> bool:
        """Due before ``day`` (ISO dates; a timestamp's date counts)."""
        return bool(day and self.due_on and self.due_on[:10] < day[:10])


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: str
    actor_id: int | None
    citizen_id: str | None
    entity: str
    entity_key: str | None
    action: str
    old: str | None
    new: str | None
