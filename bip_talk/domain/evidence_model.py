"""``evidence.toml`` as data: intervention types, conversation actions and the rules
that map a citizen's situation to suggestions.

A rule's condition is a small declarative language, never code: three lists of
predicates (``when`` all hold, ``when_any`` at least one holds, ``unless`` none
holds). Each predicate is one inline table that tests exactly one fact, e.g.
``{ indicator = "helbred", perspective = "any", at_most = 2 }`` or
``{ no_active = "company_based" }``. The engine (``domain.evidence``) evaluates
them; this module only validates their shape and cross-checks every id against the
pack. Pure: the loader gets an already parsed TOML table.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from bip_talk.domain.pack import Ident, Pack, Strict, Text
from bip_talk.domain.pack_findings import Finding, PackFindings, duplicates

Strength = Literal["strong", "moderate", "caution"]
STRENGTHS: tuple[str, ...] = ("strong", "moderate", "caution")  # ranking order
Audience = Literal["shared", "private"]
# How well the figures behind a rule are sourced (research/bip-facts.md's [C]/[I]):
# confirmed by a stored source; found only in the seed slides; our own inference.
EvidenceStatus = Literal["confirmed", "slides_only", "inferred"]

# Groups of interventions usable wherever an intervention id is expected.
CATEGORIES: tuple[str, ...] = ("any", "company_based")
PERSPECTIVE_WORDS: tuple[str, ...] = ("any", "all")

# Each predicate tests exactly one of these facts.
TESTS: tuple[str, ...] = (
    "indicator",
    "active",
    "no_active",
    "days_without_activity_at_least",
    "caseworker_changed_within_days",
    "not_searching",
    "channels_only_weak",
    "channel_unused",
    "target_group",
    "age_band",
)
# An indicator test needs exactly one of these measures.
MEASURES: tuple[str, ...] = ("at_most", "at_least", "fell_by_at_least", "rose_by_at_least")


class Intervention(Strict):
    id: str = Ident
    name: Text
    description: Text | None = None
    company_based: bool = False
    # False for "ingen": holding it in the plan is not an activity.
    activity: bool = True
    # The pack's target groups it is meant for; empty = every group.
    target_groups: list[str] = []
    # Indicators it usually works on (used when a free plan item is reviewed).
    addresses: list[str] = []


class Action(Strict):
    """Something to do or consider that is not an intervention (handover, reflection)."""

    id: str = Ident
    name: Text
    description: Text | None = None


class AgeBand(Strict):
    id: str = Ident
    name: Text


class SearchSettings(Strict):
    """Where the citizen's job-search channels are asked, and which channels work best."""

    perspective: str = "citizen"
    item: str  # a multi-choice item
    strong: list[str] = Field(min_length=1)
    not_searching: list[str] = []
    no_answer: list[str] = []
    # A scale item whose low answer also means "not searching" (BIP pack: jobsoeg = 1).
    scale_item: str | None = None
    not_searching_at_most: int = Field(default=1, ge=1, le=5)


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


class Predicate(Strict):
    indicator: str | None = None
    perspective: str = "any"
    at_most: float | None = Field(default=None, ge=1, le=5)
    at_least: float | None = Field(default=None, ge=1, le=5)
    fell_by_at_least: float | None = Field(default=None, ge=0.5, le=4)
    rose_by_at_least: float | None = Field(default=None, ge=0.5, le=4)
    active: str | None = None
    no_active: str | None = None
    days_without_activity_at_least: int | None = Field(default=None, ge=1)
    caseworker_changed_within_days: int | None = Field(default=None, ge=1)
    not_searching: Literal[True] | None = None
    channels_only_weak: Literal[True] | None = None
    channel_unused: str | None = None
    target_group: list[str] | None = None
    age_band: list[str] | None = None

    _lists = field_validator("target_group", "age_band", mode="before")(_as_list)

    @property
    def test(self) -> str:
        return next(t for t in TESTS if getattr(self, t) is not None)

    @property
    def measure(self) -> str | None:
        return next((m for m in MEASURES if getattr(self, m) is not None), None)

    @model_validator(mode="after")
    def _one_test(self) -> Predicate:
        tests = [t for t in TESTS if getattr(self, t) is not None]
        if len(tests) != 1:
            raise PydanticCustomError(
                "predicate_one_test",
                "one test per predicate",
                {"found": ", ".join(tests) or "-", "known": ", ".join(TESTS)},
            )
        measures = [m for m in MEASURES if getattr(self, m) is not None]
        if self.indicator is not None:
            if len(measures) != 1:
                raise PydanticCustomError(
                    "predicate_indicator_measure",
                    "one measure per indicator test",
                    {"found": ", ".join(measures) or "-", "known": ", ".join(MEASURES)},
                )
        elif measures or "perspective" in self.model_fields_set:
            given = "perspective" in self.model_fields_set
            extra = [*measures, *(["perspective"] if given else [])]
            raise PydanticCustomError(
                "predicate_measure_needs_indicator",
                "measure without indicator",
                {"found": ", ".join(extra)},
            )
        return self


class Rule(Strict):
    id: str = Ident
    when: list[Predicate] = []
    when_any: list[Predicate] = []
    unless: list[Predicate] = []
    # Exactly one: an intervention/action to suggest, or an intervention (or category)
    # that must never be suggested while the condition holds. Exclusions beat suggestions.
    suggest: str | None = None
    exclude: str | None = None
    reason: Text
    strength: Strength | None = None
    addresses: list[str] = []
    source: str = Field(min_length=1)
    evidence: EvidenceStatus
    caveat: Text | None = None
    # private: never shown on the citizen's screen (the caseworker's own reflection).
    audience: Audience = "shared"

    @model_validator(mode="after")
    def _shape(self) -> Rule:
        if (self.suggest is None) == (self.exclude is None):
            raise PydanticCustomError("rule_suggest_or_exclude", "suggest or exclude")
        if self.suggest is not None and self.strength is None:
            raise PydanticCustomError("rule_needs_strength", "strength missing")
        if not self.when and not self.when_any:
            raise PydanticCustomError("rule_needs_condition", "no condition")
        return self

    @property
    def predicates(self) -> list[tuple[str, int, Predicate]]:
        return [
            (group, n, p)
            for group in ("when", "when_any", "unless")
            for n, p in enumerate(getattr(self, group))
        ]


class EvidenceBase(Strict):
    """``evidence.toml``."""

    # An indicator at or below this (on any perspective) counts as low when ranking.
    low_at_most: float = Field(default=2, ge=1, le=5)
    search: SearchSettings | None = None
    age_bands: list[AgeBand] = []
    interventions: list[Intervention] = Field(min_length=1)
    actions: list[Action] = []
    rules: list[Rule] = Field(min_length=1)

    def intervention(self, kind: str) -> Intervention | None:
        return next((i for i in self.interventions if i.id == kind), None)

    def action(self, kind: str) -> Action | None:
        return next((a for a in self.actions if a.id == kind), None)

    def name(self, kind: str) -> Text | None:
        found = self.intervention(kind) or self.action(kind)
        return found.name if found else None

    def rule(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)

    def matches(self, kind: str, target: str) -> bool:
        """Does intervention ``kind`` belong to ``target`` (an id or a category)?"""
        intervention = self.intervention(kind)
        if intervention is None:
            return kind == target
        if target == "any":
            return intervention.activity
        if target == "company_based":
            return intervention.company_based
        return kind == target


def evidence_of(pack: Pack) -> EvidenceBase | None:
    found = pack.extras.get("evidence")
    return found if isinstance(found, EvidenceBase) else None


# -- loading -------------------------------------------------------------------------------


def load_evidence(pack: Pack, raw: dict[str, Any], where: str) -> EvidenceBase:
    """The ``EXTRA_FILES`` loader: shape by pydantic, then every id checked against
    the pack. Raises ``ValidationError`` or ``PackFindings``; ``bip_talk.packs`` words them."""
    evidence = EvidenceBase.model_validate(raw)
    findings = _cross_check(pack, evidence)
    if findings:
        raise PackFindings(findings)
    return evidence


def _known(ids: list[str] | set[str] | tuple[str, ...]) -> str:
    return ", ".join(sorted(ids)) or "-"


def _cross_check(pack: Pack, ev: EvidenceBase) -> list[Finding]:
    out: list[Finding] = []
    indicators = [i.id for i in pack.indicators]
    groups = [g.id for g in pack.manifest.target_groups]
    perspectives = [p.id for p in pack.perspectives]
    interventions = [i.id for i in ev.interventions]
    kinds = interventions + [a.id for a in ev.actions]
    bands = [b.id for b in ev.age_bands]

    def bad(where: str, key: str, **values: object) -> None:
        out.append(Finding(where, key, values))

    def ref(where: str, value: str, allowed: list[str] | tuple[str, ...]) -> None:
        if value not in allowed:
            bad(where, "unknown_reference", id=value, known=_known(allowed))

    def indicator_refs(where: str, ids: list[str]) -> None:
        for k, ind in enumerate(ids):
            if ind not in indicators:
                bad(f"{where}[{k}]", "unknown_indicator", id=ind, known=_known(indicators))

    for n, dup in duplicates(kinds):
        table = "interventions" if n < len(interventions) else "actions"
        pos = n if n < len(interventions) else n - len(interventions)
        bad(f"{table}[{pos}] ({dup}).id", "duplicate_id", id=dup)
    for n, dup in duplicates([r.id for r in ev.rules]):
        bad(f"rules[{n}] ({dup}).id", "duplicate_id", id=dup)
    for n, dup in duplicates(bands):
        bad(f"age_bands[{n}] ({dup}).id", "duplicate_id", id=dup)

    kinds_by_table: tuple[tuple[str, Sequence[Intervention | Action]], ...] = (
        ("interventions", ev.interventions),
        ("actions", ev.actions),
    )
    for table, entries in kinds_by_table:
        for n, entry in enumerate(entries):
            if entry.id in CATEGORIES:
                bad(
                    f"{table}[{n}] ({entry.id}).id",
                    "reserved_id",
                    id=entry.id,
                    known=_known(CATEGORIES),
                )
    for n, i in enumerate(ev.interventions):
        for k, g in enumerate(i.target_groups):
            ref(f"interventions[{n}] ({i.id}).target_groups[{k}]", g, groups)
        indicator_refs(f"interventions[{n}] ({i.id}).addresses", i.addresses)

    options: list[str] = []
    if ev.search is not None:
        s = ev.search
        ref("search.perspective", s.perspective, perspectives)
        item = pack.item(s.perspective, s.item)
        if item is None:
            ref("search.item", s.item, [i.id for i in pack.items(s.perspective)])
        elif item.type != "multi":
            bad("search.item", "search_item_not_multi", id=s.item)
        else:
            options = [o.id for o in item.options]
            for name in ("strong", "not_searching", "no_answer"):
                for k, opt in enumerate(getattr(s, name)):
                    ref(f"search.{name}[{k}]", opt, options)
        if s.scale_item is not None:
            scale = pack.item(s.perspective, s.scale_item)
            if scale is None or scale.type != "scale":
                ref(
                    "search.scale_item",
                    s.scale_item,
                    [i.id for i in pack.items(s.perspective) if i.type == "scale"],
                )

    for n, rule in enumerate(ev.rules):
        at = f"rules[{n}] ({rule.id})"
        if rule.suggest is not None:
            ref(f"{at}.suggest", rule.suggest, kinds)
        if rule.exclude is not None:
            ref(f"{at}.exclude", rule.exclude, [*interventions, *CATEGORIES])
        indicator_refs(f"{at}.addresses", rule.addresses)
        for group, k, p in rule.predicates:
            pw = f"{at}.{group}[{k}]"
            if p.indicator is not None:
                if p.indicator not in indicators:
                    bad(
                        f"{pw}.indicator",
                        "unknown_indicator",
                        id=p.indicator,
                        known=_known(indicators),
                    )
                ref(f"{pw}.perspective", p.perspective, [*PERSPECTIVE_WORDS, *perspectives])
            for name in ("active", "no_active"):
                value = getattr(p, name)
                if value is not None:
                    ref(f"{pw}.{name}", value, [*interventions, *CATEGORIES])
            for j, g in enumerate(p.target_group or []):
                ref(f"{pw}.target_group[{j}]", g, groups)
            for j, b in enumerate(p.age_band or []):
                ref(f"{pw}.age_band[{j}]", b, bands)
            if p.test in ("not_searching", "channels_only_weak", "channel_unused"):
                if ev.search is None:
                    bad(f"{pw}.{p.test}", "search_not_configured")
                elif p.channel_unused is not None and options:
                    ref(f"{pw}.channel_unused", p.channel_unused, options)
    return out
