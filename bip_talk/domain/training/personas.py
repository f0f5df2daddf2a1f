"""``personas.toml`` as data: the synthetic citizens of training mode and the effects
that move them between meetings.

A persona has a back story, starting latent levels per indicator for every
perspective (the citizen's self-view and what a caseworker would see), an answer
style, the job-search channels they use, and how strongly they respond to each
effect. The effects themselves are shared by all personas: each names the kinds of
intervention (or passivity, or a caseworker change) that trigger it, a small step per
quarter on the latent 1–5 scale, the indicators it moves and the evidence rules it
rests on. The steps are illustrative teaching values, not measured effect sizes.

Pure: the loader gets an already parsed TOML table and the pack; ids are checked
against the pack (indicators, perspectives, items, options, target groups) and, when
the pack carries ``evidence.toml``, against its interventions, rules and age bands.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from bip_talk.domain.evidence_model import EvidenceBase
from bip_talk.domain.pack import Ident, Pack, Strict, Text
from bip_talk.domain.pack_findings import Finding, PackFindings, duplicates

# How an effect is triggered:
#   kinds             – the plan holds one of ``kinds`` (see ``company`` and ``unless_kinds``)
#   other_activity    – an activity that no effect with a positive step names
#   passivity         – no activity at all in the quarter
#   caseworker_change – the citizen got a new caseworker before the next meeting
Trigger = Literal["kinds", "other_activity", "passivity", "caseworker_change"]
# With a company-based element running at the same time, without one, or either way.
CompanyMode = Literal["any", "alone", "parallel"]
# plain: answers what they feel; acquiescent: rates everything high; understates: rates
# themselves lower than they are; straight_lines: the same answer to every question.
AnswerStyle = Literal["plain", "acquiescent", "understates", "straight_lines"]

LevelValue = Annotated[float, Field(ge=1, le=5)]
Chance = Annotated[float, Field(ge=0, le=1)]
Factor = Annotated[float, Field(ge=0, le=3)]


class Effect(Strict):
    id: str = Ident
    on: Trigger
    kinds: list[str] = []
    company: CompanyMode = "any"
    unless_kinds: list[str] = []  # running in parallel, one of these cancels the effect
    # Only while this indicator's latent level (any view) is at or below ``if_at_most``.
    if_indicator: str | None = None
    if_at_most: float | None = Field(default=None, ge=1, le=5)
    step: float = Field(ge=-1, le=1)  # per quarter on the latent 1–5 scale
    indicators: list[str] = []  # empty: every indicator of the pack
    rules: list[str] = []  # evidence.toml rule ids it rests on
    source: str = Field(min_length=1)


class Search(Strict):
    """Where a persona's job search shows in the pack's citizen questions."""

    perspective: str = "citizen"
    item: str  # multi-choice item listing the channels
    scale_item: str  # scale item saying how much they search (1 = not searching)
    not_searching: str  # the exclusive option "I am not searching"
    no_answer: str  # the exclusive option "prefer not to answer"
    # Picked up while a company-based element runs / with job-search support.
    via_company: str | None = None
    via_support: str | None = None
    support_kinds: list[str] = []


class HistoryStep(Strict):
    """One quarter before the rehearsal: what ran after an earlier meeting."""

    kinds: list[str] = []
    parallel: bool = True
    caseworker_changed: bool = False  # a new caseworker before the following meeting


class Persona(Strict):
    id: str = Ident
    display_name: str = Field(min_length=1)
    age: int = Field(ge=15, le=75)
    age_band: str | None = None  # an evidence.toml age band id
    target_group: str
    story: Text
    # Latent levels at the persona's first meeting, per perspective and indicator.
    levels: dict[str, dict[str, LevelValue]]
    answer_style: AnswerStyle = "plain"
    noise: float = Field(default=0.25, ge=0, le=1)
    declines: dict[str, Chance] = {}  # item id -> chance of "won't answer"
    channels: list[str] = []  # search channels in the order they take them up
    response: dict[str, Factor] = {}  # effect id -> factor (default 1)
    response_note: Text | None = None
    history: list[HistoryStep] = []
    trainer_note: Text | None = None

    def factor(self, effect_id: str) -> float:
        return self.response.get(effect_id, 1.0)


class PersonaBook(Strict):
    """``personas.toml``."""

    # Items about behaviour (how much you search), answered as a fact: answer styles
    # leave them alone.
    factual_items: list[str] = []
    company_based: list[str] = Field(min_length=1)
    drift: float = Field(default=0.05, ge=0, le=0.5)  # random wander per quarter
    # An answer moves away from the previous one only when the feeling behind it moved
    # at least this far: the same person answers the same way unless something changed.
    stickiness: float = Field(default=0.6, ge=0, le=2)
    search: Search | None = None
    effects: list[Effect] = Field(min_length=1)
    personas: list[Persona] = Field(min_length=1)

    def persona(self, persona_id: str) -> Persona | None:
        return next((p for p in self.personas if p.id == persona_id), None)

    def effect(self, effect_id: str) -> Effect | None:
        return next((e for e in self.effects if e.id == effect_id), None)


def personas_of(pack: Pack) -> PersonaBook | None:
    found = pack.extras.get("personas")
    return found if isinstance(found, PersonaBook) else None


# -- loading -------------------------------------------------------------------------------


def load_personas(pack: Pack, raw: dict[str, Any], where: str) -> PersonaBook:
    """The ``EXTRA_FILES`` loader: shape by pydantic, then every id checked against the
    pack (and its evidence, when loaded before). Raises ``ValidationError`` or
    ``PackFindings``; ``bip_talk.packs`` words them."""
    book = PersonaBook.model_validate(raw)
    findings = _cross_check(pack, book)
    if findings:
        raise PackFindings(findings)
    return book


def _known(ids: list[str] | set[str] | tuple[str, ...]) -> str:
    return ", ".join(sorted(ids)) or "-"


def _cross_check(pack: Pack, book: PersonaBook) -> list[Finding]:
    out: list[Finding] = []
    evidence = pack.extras.get("evidence")
    evidence = evidence if isinstance(evidence, EvidenceBase) else None
    indicators = [i.id for i in pack.indicators]
    groups = [g.id for g in pack.manifest.target_groups]
    perspectives = [p.id for p in pack.perspectives]
    citizen = next((p.id for p in pack.perspectives if p.respondent == "citizen"), None)
    citizen_items = [i.id for i in pack.items(citizen)] if citizen else []
    kinds = [i.id for i in evidence.interventions] if evidence else None
    rules = [r.id for r in evidence.rules] if evidence else None
    bands = [b.id for b in evidence.age_bands] if evidence else None
    effects = [e.id for e in book.effects]

    def bad(at: str, key: str, **values: object) -> None:
        out.append(Finding(at, key, values))

    def ref(at: str, value: str, allowed: list[str] | None) -> None:
        if allowed is not None and value not in allowed:
            bad(at, "unknown_reference", id=value, known=_known(allowed))

    def indicator(at: str, value: str) -> None:
        if value not in indicators:
            bad(at, "unknown_indicator", id=value, known=_known(indicators))

    for k, item in enumerate(book.factual_items):
        ref(f"factual_items[{k}]", item, citizen_items)
    for k, kind in enumerate(book.company_based):
        ref(f"company_based[{k}]", kind, kinds)

    options: list[str] = []
    if book.search is not None:
        s = book.search
        ref("search.perspective", s.perspective, perspectives)
        multi = pack.item(s.perspective, s.item)
        scale = pack.item(s.perspective, s.scale_item)
        if multi is None or multi.type != "multi":
            ref(
                "search.item",
                s.item,
                [i.id for i in pack.items(s.perspective) if i.type == "multi"] or ["-"],
            )
        else:
            options = [o.id for o in multi.options]
            for name in ("not_searching", "no_answer", "via_company", "via_support"):
                value = getattr(s, name)
                if value is not None:
                    ref(f"search.{name}", value, options)
        if scale is None or scale.type != "scale":
            ref(
                "search.scale_item",
                s.scale_item,
                [i.id for i in pack.items(s.perspective) if i.type == "scale"] or ["-"],
            )
        for k, kind in enumerate(s.support_kinds):
            ref(f"search.support_kinds[{k}]", kind, kinds)

    for n, dup in duplicates(effects):
        bad(f"effects[{n}] ({dup}).id", "duplicate_id", id=dup)
    for n, e in enumerate(book.effects):
        at = f"effects[{n}] ({e.id})"
        # The trigger decides which fields make sense; said with the pack's own words.
        if e.on == "kinds" and not e.kinds:
            bad(f"{at}.kinds", "missing")
        if e.on != "kinds":
            for name in ("kinds", "unless_kinds", "company"):
                if name in e.model_fields_set:
                    bad(f"{at}.{name}", "unknown_field")
        if e.if_indicator is not None and e.if_at_most is None:
            bad(f"{at}.if_at_most", "missing")
        if e.if_at_most is not None and e.if_indicator is None:
            bad(f"{at}.if_indicator", "missing")
        for name in ("kinds", "unless_kinds"):
            for k, kind in enumerate(getattr(e, name)):
                ref(f"{at}.{name}[{k}]", kind, kinds)
        for k, ind in enumerate(e.indicators):
            indicator(f"{at}.indicators[{k}]", ind)
        if e.if_indicator is not None:
            indicator(f"{at}.if_indicator", e.if_indicator)
        for k, rule in enumerate(e.rules):
            ref(f"{at}.rules[{k}]", rule, rules)

    for n, dup in duplicates([p.id for p in book.personas]):
        bad(f"personas[{n}] ({dup}).id", "duplicate_id", id=dup)
    for n, p in enumerate(book.personas):
        at = f"personas[{n}] ({p.id})"
        ref(f"{at}.target_group", p.target_group, groups)
        if p.age_band is not None:
            ref(f"{at}.age_band", p.age_band, bands)
        for pid in perspectives:
            scored = [i for i in indicators if pack.scored_items(pid, i)]
            view = p.levels.get(pid)
            if view is None:
                bad(f"{at}.levels.{pid}", "missing")
                continue
            for ind in scored:
                if ind not in view:
                    bad(f"{at}.levels.{pid}.{ind}", "missing")
            for ind in view:
                if ind not in scored:
                    bad(
                        f"{at}.levels.{pid}.{ind}",
                        "unknown_indicator",
                        id=ind,
                        known=_known(scored),
                    )
        for pid in p.levels:
            ref(f"{at}.levels.{pid}", pid, perspectives)
        for item in p.declines:
            ref(f"{at}.declines.{item}", item, citizen_items)
        for k, channel in enumerate(p.channels):
            if book.search is None:
                bad(f"{at}.channels[{k}]", "search_not_configured")
            elif options and channel in (book.search.not_searching, book.search.no_answer):
                exclusive = (book.search.not_searching, book.search.no_answer)
                bad(
                    f"{at}.channels[{k}]",
                    "not_allowed",
                    value=channel,
                    expected=_known([o for o in options if o not in exclusive]),
                )
            else:
                ref(f"{at}.channels[{k}]", channel, options or None)
        for effect in p.response:
            ref(f"{at}.response.{effect}", effect, effects)
        for h, step in enumerate(p.history):
            for k, kind in enumerate(step.kinds):
                ref(f"{at}.history[{h}].kinds[{k}]", kind, kinds)
    return out
