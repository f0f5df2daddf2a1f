"""The checklist after a rehearsed meeting: what the trainee did, held against what a
good BIP conversation does. Pure: the UI fills a ``RehearsalLog`` while the meeting
runs; ``checklist`` reads it together with the meeting's review.

Six items, each passed, failed, or not applicable (nothing to do this time):
  last_actions_reviewed  every action agreed last time was asked about
  moved_followed_up      every indicator that moved was followed up
  gaps_discussed         every clear gap between the perspectives was talked about
  job_oriented_element   the plan has a company-based element
  belief_reflected       the caseworker rated their own belief and reflected on it
  no_contra_evidence     nothing the evidence advises against was chosen
"Followed up" / "talked about" = a prompt opened for the indicator, a note written
on it, or the trainee marked it as discussed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from bip_talk.domain.change import Review
from bip_talk.domain.evidence import Exclusion, Suggestion
from bip_talk.domain.evidence_model import EvidenceBase

Status = Literal["passed", "failed", "not_applicable"]
CHECKS: tuple[str, ...] = (
    "last_actions_reviewed",
    "moved_followed_up",
    "gaps_discussed",
    "job_oriented_element",
    "belief_reflected",
    "no_contra_evidence",
)
BELIEF_PROMPT = "belief_reflection"  # services.prompts' kind for the private reflection


@dataclass
class RehearsalLog:
    """What the trainee did in one rehearsed meeting. Counts and ids only: never the
    text of a note or an answer."""

    prompts_opened: list[tuple[str, str | None]] = field(default_factory=list)  # (kind, indicator)
    notes: dict[str, int] = field(default_factory=dict)  # indicator -> notes written on it
    discussed: set[str] = field(default_factory=set)  # indicators marked as talked about
    actions_to_review: dict[int, str] = field(default_factory=dict)  # plan item id -> kind
    actions_reviewed: set[int] = field(default_factory=set)
    belief_rating: int | None = None  # the caseworker's own belief, when entered
    belief_reflection_opened: bool = False
    plan: tuple[str, ...] = ()  # every kind in the plan the meeting ended with
    parallel: bool = True  # the plan's elements run at the same time (not a staircase)
    suggestions: tuple[Suggestion, ...] = ()  # what the evidence suggested, at hand
    exclusions: tuple[Exclusion, ...] = ()  # what the evidence advised against, at hand

    def open_prompt(self, kind: str, indicator: str | None) -> None:
        self.prompts_opened.append((kind, indicator))
        if kind == BELIEF_PROMPT:
            self.belief_reflection_opened = True

    def add_note(self, indicator: str | None) -> None:
        if indicator:
            self.notes[indicator] = self.notes.get(indicator, 0) + 1

    def followed_up(self, indicator: str) -> bool:
        return (
            indicator in self.discussed
            or self.notes.get(indicator, 0) > 0
            or any(ind == indicator for _, ind in self.prompts_opened)
        )


@dataclass(frozen=True, slots=True)
class Check:
    id: str  # one of CHECKS
    status: Status
    reason: str  # catalog key: training.check.<id>.<reason>
    indicators: tuple[str, ...] = ()  # the indicators concerned (missed when failed)
    kinds: tuple[str, ...] = ()  # plan kinds concerned
    rules: tuple[str | None, ...] = ()  # evidence rules behind an exclusion (None: target group)

    @property
    def passed(self) -> bool:
        return self.status == "passed"


def _moved_levels(level: str) -> tuple[str, ...]:
    return ("clear",) if level == "clear" else ("moved", "clear")


def _coverage(check: str, wanted: list[str], log: RehearsalLog) -> Check:
    if not wanted:
        return Check(check, "not_applicable", "none")
    missing = tuple(i for i in wanted if not log.followed_up(i))
    if missing:
        return Check(check, "failed", "missing", indicators=missing)
    return Check(check, "passed", "all", indicators=tuple(wanted))


def _actions(log: RehearsalLog) -> Check:
    check = "last_actions_reviewed"
    if not log.actions_to_review:
        return Check(check, "not_applicable", "none")
    missing = tuple(k for i, k in log.actions_to_review.items() if i not in log.actions_reviewed)
    if missing:
        return Check(check, "failed", "missing", kinds=missing)
    return Check(check, "passed", "all", kinds=tuple(log.actions_to_review.values()))


def _job_oriented(log: RehearsalLog, company_based: frozenset[str]) -> Check:
    check = "job_oriented_element"
    if not company_based:
        return Check(check, "not_applicable", "unknown")
    present = tuple(k for k in log.plan if k in company_based)
    if not present:
        return Check(check, "failed", "missing", kinds=tuple(sorted(company_based)))
    return Check(check, "passed", "present", kinds=present)


def _belief(review: Review, log: RehearsalLog) -> Check:
    check = "belief_reflected"
    rows = [r for r in review.rows if r.private]
    if not rows:
        return Check(check, "not_applicable", "none")
    indicators = tuple(r.indicator for r in rows)
    rated = log.belief_rating is not None or any(
        p.now.value is not None for r in rows for p in r.perspectives.values()
    )
    if not rated:
        return Check(check, "failed", "not_rated", indicators=indicators)
    if not log.belief_reflection_opened:
        return Check(check, "failed", "not_reflected", indicators=indicators)
    return Check(check, "passed", "reflected", indicators=indicators)


def _contra(log: RehearsalLog) -> Check:
    check = "no_contra_evidence"
    chosen = [e for e in log.exclusions if e.kind in log.plan]
    if chosen:
        return Check(
            check,
            "failed",
            "chosen",
            kinds=tuple(e.kind for e in chosen),
            rules=tuple(e.rule_id for e in chosen),
        )
    return Check(check, "passed", "none_chosen")


def company_kinds(evidence: EvidenceBase | None) -> frozenset[str]:
    if evidence is None:
        return frozenset()
    return frozenset(i.id for i in evidence.interventions if i.company_based)


def checklist(
    review: Review,
    log: RehearsalLog,
    *,
    evidence: EvidenceBase | None,
    moved: Literal["moved", "clear"] = "moved",
) -> list[Check]:
    """The six checks, in ``CHECKS`` order. ``moved``: which change counts as moved —
    "moved" (the pack's one-step "check together" and up) or only "clear"."""
    levels = _moved_levels(moved)
    shared = [r for r in review.rows if not r.private]
    moved_rows = [
        r.indicator
        for r in shared
        if any(p.change.level in levels for p in r.perspectives.values())
    ]
    gaps = [r.indicator for r in shared if r.disagree]
    return [
        _actions(log),
        _coverage("moved_followed_up", moved_rows, log),
        _coverage("gaps_discussed", gaps, log),
        _job_oriented(log, company_kinds(evidence)),
        _belief(review, log),
        _contra(log),
    ]


def passed_count(checks: Iterable[Check]) -> tuple[int, int]:
    """(passed, applicable): the not-applicable items count for neither."""
    items = [c for c in checks if c.status != "not_applicable"]
    return sum(c.passed for c in items), len(items)
