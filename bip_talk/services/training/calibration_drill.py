"""The calibration drill: the pack's vignettes in an order set by the seed (a whole
group can get the same order), the trainee's ratings held against the reference
ratings, and a summary framed as learning – what to look at again, never a score
to compare people by. Needs no database at all.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bip_talk.domain.pack import Pack
from bip_talk.domain.training.calibration import Agreement, agreement
from bip_talk.domain.training.vignettes import Vignette, VignetteSet, vignettes_of
from bip_talk.domain.wording import decimal, with_unit
from bip_talk.errors import InputError
from bip_talk.i18n import DEFAULT_LANGUAGE, Translator
from bip_talk.packs import load_pack
from bip_talk.services.prompts import number
from bip_talk.settings import Settings

# A mean difference below this (in steps) reads as "in line with the reference".
IN_LINE = 0.5


@dataclass(frozen=True, slots=True)
class Task:
    vignette: Vignette
    indicator: str


@dataclass(frozen=True, slots=True)
class Compared:
    vignette: str
    indicator: str
    yours: int
    reference: int


@dataclass(frozen=True, slots=True)
class DrillResult:
    overall: Agreement
    by_indicator: dict[str, Agreement]  # pack order, only indicators rated
    compared: tuple[Compared, ...]


def order(vignettes: VignetteSet, seed: int | str) -> list[Vignette]:
    """The drill's order: the same for the same seed, whoever runs it."""
    out = list(vignettes.vignettes)
    random.Random(f"{seed}/calibration").shuffle(out)
    return out


def tasks(pack: Pack, vignettes: Sequence[Vignette]) -> list[Task]:
    """One task per reference rating, the vignette's indicators in pack order."""
    ids = [i.id for i in pack.indicators]
    return [Task(v, ind) for v in vignettes for ind in sorted(v.reference, key=ids.index)]


def score(
    pack: Pack,
    vignettes: VignetteSet,
    ratings: Mapping[tuple[str, str], int],
) -> DrillResult:
    """``ratings``: (vignette id, indicator) -> the trainee's rating. Unrated tasks are
    left out (a drill may stop early)."""
    compared = []
    for (vid, ind), yours in ratings.items():
        v = vignettes.vignette(vid)
        if v is not None and ind in v.reference:
            compared.append(Compared(vid, ind, yours, v.reference[ind]))
    overall = agreement([(c.yours, c.reference) for c in compared])
    by_indicator = {}
    for indicator in pack.indicators:
        pairs = [(c.yours, c.reference) for c in compared if c.indicator == indicator.id]
        if pairs:
            by_indicator[indicator.id] = agreement(pairs)
    return DrillResult(overall, by_indicator, tuple(compared))


def _pct(share: float) -> int:
    return round(share * 100)


def summary(pack: Pack, result: DrillResult, t: Translator) -> list[str]:
    """Plain sentences for the end of the drill. About the ratings, not the person."""
    a = result.overall
    if a.n == 0 or a.exact is None or a.within_one is None:
        return [t("training.drill.nothing_rated")]
    lines = [
        t(
            "training.drill.exact",
            count=round(a.exact * a.n),
            n=a.n,
            pct=with_unit(_pct(a.exact), "%", t.lang),
        ),
        t(
            "training.drill.within_one",
            count=round(a.within_one * a.n),
            n=a.n,
            pct=with_unit(_pct(a.within_one), "%", t.lang),
        ),
    ]
    kappa = decimal(a.kappa, t.lang)
    if a.kappa is None:
        lines.append(t("training.drill.kappa_undefined", kappa=kappa))
    else:
        lines.append(t("training.drill.kappa", kappa=kappa))
    for ind, found in result.by_indicator.items():
        name = pack.indicator(ind).name.get(t.lang)
        diff = found.mean_difference or 0.0
        if abs(diff) < IN_LINE:
            lines.append(t("training.drill.in_line", indicator=name))
        else:
            key = "higher" if diff > 0 else "lower"
            lines.append(
                t(f"training.drill.{key}", indicator=name, diff=number(round(abs(diff), 1), t.lang))
            )
    lines.append(t("training.drill.closing"))
    return lines


class Drill:
    """A drill in progress: rate, then read the reference and the reasoning."""

    def __init__(
        self,
        pack: Pack,
        vignettes: VignetteSet,
        *,
        seed: int | str,
        lang: str,
        limit: int | None = None,
    ) -> None:
        self.pack = pack
        self.vignettes = vignettes
        self.seed = seed
        self.t = Translator(lang)
        chosen = order(vignettes, seed)
        self.order = chosen[:limit] if limit else chosen
        self.ratings: dict[tuple[str, str], int] = {}

    @classmethod
    def start(
        cls,
        settings: Settings,
        *,
        seed: int | str = 1,
        lang: str | None = None,
        limit: int | None = None,
    ) -> Drill:
        lang = lang or settings.language or DEFAULT_LANGUAGE
        pack = load_pack(settings.pack, lang)
        vignettes = vignettes_of(pack)
        if vignettes is None:
            raise InputError(Translator(lang)("training.no_vignettes", pack=pack.id))
        return cls(pack, vignettes, seed=seed, lang=lang, limit=limit)

    @property
    def intro(self) -> str:
        return self.t("training.drill.intro")

    def tasks(self) -> list[Task]:
        return tasks(self.pack, self.order)

    def rate(self, vignette_id: str, indicator: str, value: int) -> None:
        v = self.vignettes.vignette(vignette_id)
        if v is None:
            known = ", ".join(x.id for x in self.order)
            raise InputError(self.t("training.unknown_vignette", id=vignette_id, known=known))
        if indicator not in v.reference:
            raise InputError(
                self.t(
                    "training.not_in_vignette",
                    id=vignette_id,
                    indicator=indicator,
                    known=", ".join(v.reference),
                )
            )
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise InputError(self.t("training.bad_rating", value=value))
        self.ratings[(vignette_id, indicator)] = value

    def label(self, indicator: str, value: int) -> str:
        items = self.pack.scored_items(self.vignettes.perspective, indicator)
        return self.pack.scale_labels(items[0], self.t.lang)[value - 1] if items else str(value)

    def reveal(self, vignette_id: str) -> list[str]:
        """After rating a vignette: the reference next to yours, and why."""
        v = self.vignettes.vignette(vignette_id)
        assert v is not None
        lines = []
        for task in tasks(self.pack, [v]):
            name = self.pack.indicator(task.indicator).name.get(self.t.lang)
            ref = v.reference[task.indicator]
            lines.append(
                f"{name}: "
                + self.t(
                    "training.drill.reference", value=ref, label=self.label(task.indicator, ref)
                )
            )
            yours = self.ratings.get((v.id, task.indicator))
            if yours is not None:
                lines.append(
                    f"{name}: "
                    + self.t(
                        "training.drill.yours", value=yours, label=self.label(task.indicator, yours)
                    )
                )
        lines.append(v.why.get(self.t.lang))
        return lines

    def result(self) -> DrillResult:
        return score(self.pack, self.vignettes, self.ratings)

    def summary(self) -> list[str]:
        return summary(self.pack, self.result(), self.t)
