"""The questionnaire pack as data: what a pack file may say, validated by pydantic.

A pack defines its perspectives (the BIP pack: citizen and caseworker), indicators,
items per perspective, scales, change thresholds and target groups. Nothing in the
code assumes exactly two perspectives or a fixed indicator list.
"""

from __future__ import annotations

from datetime import date
from functools import cached_property
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

SCALE_STEPS = 5
Ident = Field(pattern=r"^[a-z][a-z0-9_]*$", min_length=1, max_length=40)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """Danish is required; English falls back to Danish when a pack leaves it out."""

    da: str = Field(min_length=1)
    en: str = ""

    def get(self, lang: str) -> str:
        return (self.en or self.da) if lang == "en" else self.da


class Labels(Strict):
    da: list[str]
    en: list[str] = []

    @field_validator("da", "en")
    @classmethod
    def _five(cls, value: list[str]) -> list[str]:
        if value and len(value) != SCALE_STEPS:
            raise PydanticCustomError(
                "labels_count", "needs exactly 5 labels, found {found}", {"found": len(value)}
            )
        if any(not v.strip() for v in value):
            raise PydanticCustomError("label_empty", "a scale label is empty")
        return value

    def get(self, lang: str) -> list[str]:
        return (self.en or self.da) if lang == "en" else self.da


class Scale(Strict):
    id: str = Ident
    labels: Labels


class Perspective(Strict):
    id: str = Ident
    name: Text
    respondent: Literal["citizen", "staff"]
    # Blind: this side's answer stays hidden on the shared screen until every side answered.
    blind: bool = False


class Indicator(Strict):
    id: str = Ident
    name: Text
    # The topic in the citizen's words, where the citizen reads it (the topic picker,
    # the meeting's header, the citizen's summary); ``name`` is the professional term.
    plain_name: Text | None = None
    description: Text | None = None
    # job_linked: confirmed BIP indicator with a direct link to getting a job;
    # confirmed: a BIP indicator without a reported job link; supplementary: not BIP.
    status: Literal["job_linked", "confirmed", "supplementary"]
    source: str = Field(min_length=1)

    @property
    def job_linked(self) -> bool:
        return self.status == "job_linked"

    def said(self, lang: str) -> str:
        """The topic's name as the citizen reads it (the professional name if none)."""
        return (self.plain_name or self.name).get(lang)


class Option(Strict):
    id: str = Ident
    text: Text
    # An exclusive option ("not searching", "won't answer") cannot be combined with others.
    exclusive: bool = False
    # The answer on the same step's scale this choice says in other words ("Jeg søger
    # ikke job" = 1, "Jeg søger ikke"): the meeting refuses it beside another rating, and
    # that rating beside any other, non-exclusive choice (domain/answer_clash.py).
    scale_value: int | None = Field(default=None, ge=1, le=5)

    @model_validator(mode="after")
    def _means_alone(self) -> Option:
        if self.scale_value is not None and not self.exclusive:
            raise PydanticCustomError("scale_value_not_exclusive", "scale_value on a shared option")
        return self


class Item(Strict):
    id: str = Ident
    type: Literal["scale", "multi", "text"] = "scale"
    # The indicator a scale item scores; other item types are asked at that indicator's step.
    indicator: str
    text: Text
    help: Text | None = None
    scale: str | None = None
    labels: Labels | None = None
    options: list[Option] = []
    # Private items (the caseworker's own belief) never appear on the shared screen.
    private: bool = False

    @model_validator(mode="after")
    def _shape(self) -> Item:
        if self.type == "scale":
            if self.scale is None and self.labels is None:
                raise PydanticCustomError("scale_needs_labels", "has no labels")
            if self.options:
                raise PydanticCustomError("options_only_multi", "options on a scale item")
        if self.type == "multi" and len(self.options) < 2:
            raise PydanticCustomError("multi_needs_options", "too few options")
        if self.type != "scale" and (self.scale or self.labels):
            raise PydanticCustomError("labels_only_scale", "labels on a non-scale item")
        return self


class Thresholds(Strict):
    """Steps on the 1–5 scale. Defaults: one step = look together, two = clear change."""

    moved: float = Field(default=1, ge=0.5, le=4)
    clear: float = Field(default=2, ge=1, le=4)
    gap: float = Field(default=2, ge=1, le=4)

    @model_validator(mode="after")
    def _ordered(self) -> Thresholds:
        if self.clear <= self.moved:
            raise PydanticCustomError("clear_not_above_moved", "clear <= moved")
        return self


class ChangeWords(Strict):
    unchanged: Text
    up_moved: Text
    up_clear: Text
    down_moved: Text
    down_clear: Text
    gap: Text


class Dated(Strict):
    """Something that holds only for a period (a law that starts or ends): outside it,
    the engine treats it as absent. Both ends are inclusive; either may be left out."""

    valid_from: date | None = None
    valid_until: date | None = None

    @model_validator(mode="after")
    def _period(self) -> Dated:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise PydanticCustomError(
                "valid_until_before_from",
                "valid_until before valid_from",
                {"start": str(self.valid_from), "end": str(self.valid_until)},
            )
        return self

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )


class TargetGroup(Dated):
    id: str = Ident
    name: Text
    note: Text | None = None


class PackManifest(Strict):
    """``pack.toml``."""

    id: str = Ident
    version: str = Field(min_length=1)
    name: Text
    description: Text | None = None
    languages: list[Literal["da", "en"]] = ["da", "en"]
    perspectives: list[Perspective] = Field(min_length=1)
    indicators: list[Indicator] = Field(min_length=1)
    scales: list[Scale] = []
    thresholds: Thresholds = Thresholds()
    change_words: ChangeWords
    target_groups: list[TargetGroup] = []

    @field_validator("languages")
    @classmethod
    def _danish_first(cls, value: list[str]) -> list[str]:
        if "da" not in value:
            raise PydanticCustomError("danish_required", "da missing from languages")
        return value


class Questionnaire(Strict):
    """``<perspective>.toml``: the items one perspective answers, in the order asked."""

    perspective: str = Ident
    items: list[Item] = Field(min_length=1)


class Pack(Strict):
    """A validated pack: manifest plus one questionnaire per perspective, cross-checked."""

    manifest: PackManifest
    questionnaires: dict[str, Questionnaire]
    extras: dict[str, object] = {}

    @property
    def id(self) -> str:
        return self.manifest.id

    @property
    def version(self) -> str:
        return self.manifest.version

    @property
    def perspectives(self) -> list[Perspective]:
        return self.manifest.perspectives

    @property
    def indicators(self) -> list[Indicator]:
        return self.manifest.indicators

    @property
    def thresholds(self) -> Thresholds:
        return self.manifest.thresholds

    def perspective(self, perspective_id: str) -> Perspective:
        return next(p for p in self.perspectives if p.id == perspective_id)

    def indicator(self, indicator_id: str) -> Indicator:
        return next(i for i in self.indicators if i.id == indicator_id)

    def has_indicator(self, indicator_id: str | None) -> bool:
        """The pack knows this indicator (a note or priority from another pack may not)."""
        return indicator_id is not None and any(i.id == indicator_id for i in self.indicators)

    def items(self, perspective_id: str) -> list[Item]:
        q = self.questionnaires.get(perspective_id)
        return list(q.items) if q else []

    def item(self, perspective_id: str, item_id: str) -> Item | None:
        return next((i for i in self.items(perspective_id) if i.id == item_id), None)

    def scale_labels(self, item: Item, lang: str) -> list[str]:
        if item.labels is not None:
            return item.labels.get(lang)
        scale = next(s for s in self.manifest.scales if s.id == item.scale)
        return scale.labels.get(lang)

    def scored_items(self, perspective_id: str, indicator_id: str) -> tuple[Item, ...]:
        return self.scored_index.get((perspective_id, indicator_id), ())

    @cached_property
    def scored_index(self) -> dict[tuple[str, str], tuple[Item, ...]]:
        """(perspective, indicator) → its scale items, in the order asked. Built once: a
        review asks it for every meeting, perspective and indicator (the pack is frozen)."""
        index: dict[tuple[str, str], list[Item]] = {}
        for perspective_id, q in self.questionnaires.items():
            for i in q.items:
                if i.type == "scale":
                    index.setdefault((perspective_id, i.indicator), []).append(i)
        return {key: tuple(items) for key, items in index.items()}

    def steps(self) -> list[str]:
        """Indicator ids in the order the meeting walks through them: the pack's order,
        keeping indicators that some item of any perspective is asked under."""
        asked = {i.indicator for q in self.questionnaires.values() for i in q.items}
        return [i.id for i in self.indicators if i.id in asked]

    def step_items(self, perspective_id: str, indicator_id: str) -> list[Item]:
        """Items one perspective answers at a step: the scale item first, then the rest."""
        items = [i for i in self.items(perspective_id) if i.indicator == indicator_id]
        return sorted(items, key=lambda i: i.type != "scale")

    @cached_property
    def scored_by(self) -> dict[tuple[str, str], str]:
        """(perspective, item) → the indicator the scale item scores: a meeting's
        answers are scored in one pass over them (change.meeting_scores)."""
        return {
            (perspective_id, item.id): indicator_id
            for (perspective_id, indicator_id), items in self.scored_index.items()
            for item in items
        }

    def indicator_perspectives(self, indicator_id: str) -> list[str]:
        return [p.id for p in self.perspectives if (p.id, indicator_id) in self.scored_index]


def is_private_indicator(pack: Pack, indicator_id: str) -> bool:
    """True when every item that scores the indicator is private (never on the shared screen)."""
    items = [i for p in pack.perspectives for i in pack.items(p.id) if i.indicator == indicator_id]
    return bool(items) and all(i.private for i in items)


def citizen_topics(pack: Pack) -> list[Indicator]:
    """The topics the citizen answers, in the meeting's order: what the citizen may pick
    as most important (a caseworker-only topic is never offered)."""
    citizen = {p.id for p in pack.perspectives if p.respondent == "citizen"}
    answered = {i.indicator for pid in citizen for i in pack.items(pid) if not i.private}
    steps = pack.steps()
    return [ind for ind in pack.indicators if ind.id in steps and ind.id in answered]


def in_citizen_words(pack: Pack) -> Pack:
    """The pack with every topic under its citizen name: what the citizen's summary and
    report are written from, so no professional topic name reaches them."""
    indicators = [
        ind.model_copy(update={"name": ind.plain_name}) if ind.plain_name else ind
        for ind in pack.indicators
    ]
    manifest = pack.manifest.model_copy(update={"indicators": indicators})
    return pack.model_copy(update={"manifest": manifest})
