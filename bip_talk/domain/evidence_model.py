"""``evidence.toml`` as data: intervention types, conversation actions and the rules
that map a citizen's situation to suggestions.

A rule's condition is a small declarative language, never code: three lists of
predicates (``when`` all hold, ``when_any`` at least one holds, ``unless`` none
holds). Each predicate is one inline table that tests exactly one fact, e.g.
``{ indicator = "helbred", perspective = "any", at_most = 2 }`` or
``{ no_active = "company_based" }``. The engine (``domain.evidence``) evaluates
them; this module only validates their shape and cross-checks every id against the
pack. Pure: the loader gets an already parsed TOML table.

Every rule cites entries of the file's ``sources`` list (who published what, when,
where to read it, and how well it holds up), so nothing the app shows rests on a note
a caseworker cannot look up. Rules and interventions may carry ``valid_from`` /
``valid_until``: the engine reads the meeting's date.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from typing import Any, Literal

from pydantic import Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from bip_talk.domain.pack import Dated, Ident, Pack, Strict, Text
from bip_talk.domain.pack_findings import Finding, PackFindings, duplicates

# frame: not evidence of what works but the rules that apply (a law, a reform's dates).
Strength = Literal["strong", "moderate", "frame", "caution"]
STRENGTHS: tuple[str, ...] = ("strong", "moderate", "frame", "caution")  # ranking order
Audience = Literal["shared", "private"]
# How well the figures behind a rule are sourced: found in a public source; only in the
# BIP results presentation (not checked against the report); bip-talk's own inference.
EvidenceStatus = Literal["confirmed", "slides_only", "inferred"]
EVIDENCE_STATUSES: tuple[str, ...] = ("confirmed", "slides_only", "inferred")
# How well a source holds up: the figure used is stated in it; it is known only through
# another public source that cites it; it is only in the BIP results presentation; or it
# is an announced plan (a political agreement, expected dates) that may still change.
Standing = Literal["confirmed", "secondhand", "slides_only", "announced"]
STANDINGS: tuple[str, ...] = ("confirmed", "secondhand", "slides_only", "announced")
_URL = re.compile(r"^https?://[^\s]+$")

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
    "education",
    "education_qualifying",
    "doing_well",
)
# An indicator test needs exactly one of these measures.
MEASURES: tuple[str, ...] = ("at_most", "at_least", "fell_by_at_least", "rose_by_at_least")


class Source(Strict):
    """A public document a rule rests on."""

    id: str = Ident
    title: str = Field(min_length=1)
    year: int | None = Field(default=None, ge=1900, le=2100)  # None: the document is undated
    publisher: str | None = None
    authors: list[str] = []
    url: str | None = None
    standing: Standing
    note: Text | None = None  # what in it the rules use, or why it stands as it does

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is not None and not _URL.match(value):
            raise PydanticCustomError("bad_url", "not a web address", {"value": value})
        return value

    @model_validator(mode="after")
    def _who(self) -> Source:
        if not self.publisher and not self.authors:
            raise PydanticCustomError("source_needs_who", "publisher or authors missing")
        return self


class Intervention(Dated):
    id: str = Ident
    name: Text
    description: Text | None = None
    # How the name reads inside "<lead> with <this> alongside" ("en helbredsindsats").
    as_part: Text | None = None
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
    """An age band; a citizen's age is the age they reach in the year of the meeting."""

    id: str = Ident
    name: Text
    min_age: int | None = Field(default=None, ge=0, le=120)
    max_age: int | None = Field(default=None, ge=0, le=120)

    def holds(self, age: int) -> bool:
        return (self.min_age is None or age >= self.min_age) and (
            self.max_age is None or age <= self.max_age
        )


class EducationLevel(Strict):
    """A highest completed education; ``qualifying`` = it qualifies for a trade or
    profession (erhvervskompetencegivende), which several rules and laws turn on."""

    id: str = Ident
    name: Text
    qualifying: bool


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
    education: list[str] | None = None
    education_qualifying: bool | None = None
    # No job-linked indicator low or falling, on any side: the citizen is doing well.
    doing_well: Literal[True] | None = None

    _lists = field_validator("target_group", "age_band", "education", mode="before")(_as_list)

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


class Rule(Dated):
    id: str = Ident
    when: list[Predicate] = []
    when_any: list[Predicate] = []
    unless: list[Predicate] = []
    # Exactly one: an intervention/action to suggest; an intervention (or category) that
    # must never be suggested while the condition holds (exclusions beat suggestions); or
    # an intervention category whose running items should keep going.
    suggest: str | None = None
    exclude: str | None = None
    keep: str | None = None
    reason: Text  # for the caseworker: the evidence behind it, in professional words
    # The reason in the citizen's words, for the shared screen (a shared rule that
    # suggests or keeps must have it; ``reason`` is then the caseworker's own view).
    said: Text | None = None
    strength: Strength | None = None
    addresses: list[str] = []
    sources: list[str] = Field(min_length=1)  # ids from the file's sources list
    evidence: EvidenceStatus
    caveat: Text | None = None
    # private: never shown on the citizen's screen (the caseworker's own reflection).
    audience: Audience = "shared"
    # The evidence says "in parallel": offered as one suggestion together with a
    # suggestion of this kind or category (the lead), never as a step before it.
    alongside: str | None = None
    # A caution that qualifies other suggestions (kinds or categories): shown beside
    # each of them, in ``beside``'s words (fit for the shared screen).
    qualifies: list[str] = []
    beside: Text | None = None

    @model_validator(mode="after")
    def _shape(self) -> Rule:
        kinds = [k for k in (self.suggest, self.exclude, self.keep) if k is not None]
        if len(kinds) != 1:
            raise PydanticCustomError("rule_suggest_or_exclude", "suggest, exclude or keep")
        if self.exclude is None and self.strength is None:
            raise PydanticCustomError("rule_needs_strength", "strength missing")
        if not self.when and not self.when_any:
            raise PydanticCustomError("rule_needs_condition", "no condition")
        if self.beside is not None and not self.qualifies:
            raise PydanticCustomError("beside_needs_qualifies", "beside without qualifies")
        if self.audience == "shared" and self.exclude is None and self.said is None:
            raise PydanticCustomError("rule_needs_said", "shared rule without said")
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
    education_levels: list[EducationLevel] = []
    sources: list[Source] = Field(min_length=1)
    interventions: list[Intervention] = Field(min_length=1)
    actions: list[Action] = []
    rules: list[Rule] = Field(min_length=1)

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def education_level(self, level_id: str | None) -> EducationLevel | None:
        return next((e for e in self.education_levels if e.id == level_id), None)

    def age_band_of(self, birth_year: int | None, on: date) -> str | None:
        """The band of the age reached in ``on``'s year (bands may overlap: first wins)."""
        if birth_year is None:
            return None
        age = on.year - birth_year
        return next((b.id for b in self.age_bands if b.holds(age)), None)

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
    levels = [e.id for e in ev.education_levels]
    sources = [s.id for s in ev.sources]

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
    for n, dup in duplicates(levels):
        bad(f"education_levels[{n}] ({dup}).id", "duplicate_id", id=dup)
    for n, dup in duplicates(sources):
        bad(f"sources[{n}] ({dup}).id", "duplicate_id", id=dup)

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
        for name in ("keep", "alongside"):
            value = getattr(rule, name)
            if value is not None:
                ref(f"{at}.{name}", value, [*interventions, *CATEGORIES])
        for k, q in enumerate(rule.qualifies):
            ref(f"{at}.qualifies[{k}]", q, [*kinds, *CATEGORIES])
        for k, src in enumerate(rule.sources):
            if src not in sources:
                bad(f"{at}.sources[{k}]", "unknown_source", id=src, known=_known(sources))
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
            for j, e in enumerate(p.education or []):
                ref(f"{pw}.education[{j}]", e, levels)
            if p.test in ("not_searching", "channels_only_weak", "channel_unused"):
                if ev.search is None:
                    bad(f"{pw}.{p.test}", "search_not_configured")
                elif p.channel_unused is not None and options:
                    ref(f"{pw}.channel_unused", p.channel_unused, options)
    return out
