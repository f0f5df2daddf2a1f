"""The BIP tables on a job centre's own data: the published figures to compare with,
the counts the store delivers, and the rules that turn counts into shown figures
(percentages, small-cell suppression). Pure: no I/O, no SQL, no words.

Published figures: the BIP results presentation of Væksthusets Forskningscenter
(slide titles in ``SOURCES``), which also cites the CK-udvalget report (2015) and the
KORA analysis of BIP data (2017). The cohort model (``synthetic/cohort.py``) is
calibrated to the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from bip_talk.domain.pack import Item, Pack

# A cell built from fewer citizens than this is not shown (statistical confidentiality).
MIN_CITIZENS = 5

TABLE_KEYS = (
    "job_search",
    "channels",
    "channels_by_score",
    "job_by_belief",
    "caseworker_change",
    "company_based_offer",
    "progression_by_intervention",
)

# Job search at a measurement, from the channels answer.
NOT_SEARCHING, SEARCHING, WONT_ANSWER = "not_searching", "searching", "wont_answer"
SEARCH_STATES = (NOT_SEARCHING, SEARCHING, WONT_ANSWER)

# The citizen's mean score bands of the slide "Hvem søger job?": < 2.5, 2.5–3.5, > 3.5.
BANDS = ("below_2_5", "from_2_5_to_3_5", "above_3_5")
BAND_LOW, BAND_HIGH = 2.5, 3.5

NO_INTERVENTION = "none"  # nothing running between two measurements
NO_GROUP = "none"  # a citizen without a target group

YEAR_DAYS = 365  # "in a job within a year" after a measurement
QUARTER_DAYS = 91.3  # change per quarter; also "a job within the next quarter"

# -- the published figures (percent unless named otherwise) ---------------------------

PUBLISHED_JOB_SEARCH = {NOT_SEARCHING: 64.0, SEARCHING: 30.0, WONT_ANSWER: 6.0}
# Share of all measurements naming each channel, keyed by the BIP pack's option ids.
PUBLISHED_CHANNELS = {
    "aviser": 14.0,
    "internet": 18.0,
    "uopfordret": 15.0,
    "netvaerk": 17.0,
    "praktik": 8.0,
    "vikar": 3.0,
}
PUBLISHED_CHANNELS_BY_SCORE: dict[str, dict[str, float]] = {
    "below_2_5": {
        "aviser": 2.0,
        "internet": 2.0,
        "uopfordret": 1.0,
        "netvaerk": 4.0,
        "praktik": 2.0,
        "vikar": 0.0,
        NOT_SEARCHING: 83.0,
        WONT_ANSWER: 10.0,
    },
    "from_2_5_to_3_5": {
        "aviser": 7.0,
        "internet": 10.0,
        "uopfordret": 8.0,
        "netvaerk": 10.0,
        "praktik": 5.0,
        "vikar": 2.0,
        NOT_SEARCHING: 74.0,
        WONT_ANSWER: 6.0,
    },
    "above_3_5": {
        "aviser": 20.0,
        "internet": 27.0,
        "uopfordret": 24.0,
        "netvaerk": 26.0,
        "praktik": 18.0,
        "vikar": 6.0,
        NOT_SEARCHING: 45.0,
        WONT_ANSWER: 6.0,
    },
}
# In a job, by the caseworker's answer to "a job within the next year?" (Nej … Ja).
PUBLISHED_JOB_BY_BELIEF = {1: 1.1, 2: 2.7, 3: 4.9, 4: 10.4, 5: 26.8}
PUBLISHED_WITH_CHANGE = 40.0  # at least one change of caseworker
PUBLISHED_CHANGE_RATIO = 0.78  # "a change cuts the job chance by 22 %"
# Share with a company-based offer, by target group (CK-udvalget 2015).
PUBLISHED_COMPANY_OFFER = {"aktivitetsparat": 15.0, "jobparat": 41.0}
# KORA 2017 on BIP data: company-based interventions give the most progression (on all
# indicators, during the intervention); guidance and upskilling give progression too;
# any intervention beats none. A direction, not a number.
UP, LOWEST = "up", "lowest"
PUBLISHED_PROGRESSION = {
    "company_based": UP,
    "vejledning_opkvalificering": UP,
    NO_INTERVENTION: LOWEST,
}

BELIEF_INDICATOR = "sb_tro"  # the caseworker's belief in a job within a year


def belief_item(pack: Pack) -> tuple[str, Item] | None:
    """(perspective, item) of the caseworker's belief question: the staff scale item of
    ``sb_tro``, or failing that a private staff scale item (the belief is private)."""
    staff = [p.id for p in pack.perspectives if p.respondent == "staff"]
    scale = [(p, i) for p in staff for i in pack.items(p) if i.type == "scale"]
    for pid, item in scale:
        if item.indicator == BELIEF_INDICATOR:
            return pid, item
    return next(((pid, i) for pid, i in scale if i.private), None)


# Where each table's published figure comes from: a catalog key per table
# (``stats.source.<table>``) holds the citation in words.
SOURCES = {key: f"stats.source.{key}" for key in TABLE_KEYS}


# -- what the store counts -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tally:
    """How many observations (measurements, citizens or intervals) and from how many
    distinct citizens."""

    n: int = 0
    citizens: int = 0


EMPTY = Tally()


@dataclass(frozen=True, slots=True)
class Part:
    """``part`` of ``whole``: one share."""

    part: Tally
    whole: Tally


@dataclass(frozen=True, slots=True)
class Average:
    total: float  # the sum of the values
    tally: Tally


@dataclass(frozen=True, slots=True)
class StatsSpec:
    """What the store needs to know about the pack, worked out by the service."""

    citizen_perspective: str
    score_items: tuple[str, ...]  # citizen scale items in the mean score
    search_perspective: str | None = None
    search_item: str | None = None  # the multi-choice channels item
    channel_options: tuple[str, ...] = ()
    not_searching_options: tuple[str, ...] = ()
    wont_answer_options: tuple[str, ...] = ()
    belief_perspective: str | None = None
    belief_item: str | None = None
    company_kinds: tuple[str, ...] = ()
    intervention_kinds: tuple[str, ...] = ()
    positive_outcomes: tuple[str, ...] = ()
    date_from: str | None = None  # ISO dates, both ends included
    date_to: str | None = None


@dataclass(frozen=True)
class StatsCounts:
    """Every count the tables need (the store's answer to a ``StatsSpec``)."""

    measurements: Tally = EMPTY
    first_on: str | None = None
    last_on: str | None = None
    followed_up_to: str | None = None  # the last date the database has anything for
    search: dict[str, Tally] = field(default_factory=dict)  # state -> measurements
    searched: Tally = EMPTY  # measurements with a job-search answer
    channels: dict[str, Tally] = field(default_factory=dict)  # option -> measurements
    by_band: dict[str, Tally] = field(default_factory=dict)  # band -> measurements
    band_cells: dict[tuple[str, str], Tally] = field(default_factory=dict)
    belief: dict[int, Part] = field(default_factory=dict)
    citizens: Tally = EMPTY  # citizens with a measurement
    with_change: Tally = EMPTY
    after_change: Part = Part(EMPTY, EMPTY)
    without_change: Part = Part(EMPTY, EMPTY)
    offers: dict[str, Part] = field(default_factory=dict)  # target group -> citizens
    progression: dict[str, Average] = field(default_factory=dict)


# -- what is shown -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Share:
    """A percentage with its n; ``None`` where suppressed."""

    key: str
    percent: float | None
    n: int | None
    published: float | None = None

    @property
    def suppressed(self) -> bool:
        return self.percent is None


@dataclass(frozen=True, slots=True)
class MeanChange:
    key: str
    mean: float | None  # steps on the 1–5 scale per quarter
    n: int | None  # intervals between two measurements
    published: str | None = None  # UP / LOWEST / None


@dataclass(frozen=True)
class Band:
    key: str
    n: int | None
    cells: tuple[Share, ...]  # channels, then not searching and won't answer


@dataclass(frozen=True)
class Ratio:
    value: float | None
    published: float


@dataclass(frozen=True)
class Tables:
    measurements: int | None
    citizens: int | None
    first_on: str | None
    last_on: str | None
    followed_up_to: str | None
    job_search: tuple[Share, ...]
    searched: int | None
    channels: tuple[Share, ...]
    channels_by_score: tuple[Band, ...]
    job_by_belief: tuple[Share, ...]
    with_change: Share
    after_change: Share
    without_change: Share
    change_ratio: Ratio
    company_based_offer: tuple[Share, ...]  # "all" first, then each target group
    progression: tuple[MeanChange, ...]

    @property
    def empty(self) -> bool:
        return not self.measurements


def shown(tally: Tally) -> bool:
    return tally.citizens >= MIN_CITIZENS


def share(key: str, part: Tally, whole: Tally, published: float | None = None) -> Share:
    """A percentage of ``whole``, hidden when the part or the whole has fewer than
    ``MIN_CITIZENS`` citizens (the n is hidden with the whole)."""
    n = whole.n if shown(whole) else None
    if n is None or not shown(part) or not whole.n:
        return Share(key, None, n, published)
    return Share(key, round(100.0 * part.n / whole.n, 1), n, published)


def protect_partition(cells: Sequence[Share], sizes: Mapping[str, int]) -> tuple[Share, ...]:
    """Cells that add up to a shown total: one hidden cell alone could be worked out
    from the others, so the smallest shown one (by ``sizes``) is hidden with it."""
    hidden = [c for c in cells if c.suppressed]
    if len(hidden) != 1:
        return tuple(cells)
    rest = [c for c in cells if not c.suppressed]
    if not rest:
        return tuple(cells)
    smallest = min(rest, key=lambda c: (sizes.get(c.key, 0), c.key))
    # A hidden n (too few citizens in the whole) could be worked out too: hide it as well.
    n_hidden = hidden[0].n is None
    return tuple(
        replace(c, percent=None, n=None if n_hidden else c.n) if c.key == smallest.key else c
        for c in cells
    )


def mean_change(key: str, avg: Average | None, published: str | None) -> MeanChange:
    """A mean, hidden (with its n) when it comes from fewer than ``MIN_CITIZENS`` citizens."""
    if avg is None or not shown(avg.tally) or not avg.tally.n:
        return MeanChange(key, None, None, published)
    return MeanChange(key, round(avg.total / avg.tally.n, 2), avg.tally.n, published)


def band_of(score: float) -> str:
    if score < BAND_LOW:
        return BANDS[0]
    return BANDS[1] if score <= BAND_HIGH else BANDS[2]


def _published_progression(kind: str, company_kinds: Iterable[str]) -> str | None:
    if kind in set(company_kinds):
        return PUBLISHED_PROGRESSION["company_based"]
    return PUBLISHED_PROGRESSION.get(kind)


def build_tables(counts: StatsCounts, spec: StatsSpec, groups: Sequence[str]) -> Tables:
    """The shown tables from the counts. ``groups``: the pack's target groups, in order
    (groups present in the data but not in the pack come after them)."""
    searched = counts.searched
    job_search = protect_partition(
        [
            share(s, counts.search.get(s, EMPTY), searched, PUBLISHED_JOB_SEARCH[s])
            for s in SEARCH_STATES
        ],
        {s: counts.search.get(s, EMPTY).n for s in SEARCH_STATES},
    )
    not_searching = next(c for c in job_search if c.key == NOT_SEARCHING)
    channels = tuple(
        share(o, counts.channels.get(o, EMPTY), searched, PUBLISHED_CHANNELS.get(o))
        for o in spec.channel_options
    ) + (not_searching,)
    bands = []
    for b in BANDS:
        whole = counts.by_band.get(b, EMPTY)
        published = PUBLISHED_CHANNELS_BY_SCORE[b]
        keys = (*spec.channel_options, NOT_SEARCHING, WONT_ANSWER)
        cells = tuple(
            share(k, counts.band_cells.get((b, k), EMPTY), whole, published.get(k)) for k in keys
        )
        bands.append(Band(b, whole.n if shown(whole) else None, cells))
    belief = tuple(
        share(
            str(v),
            counts.belief.get(v, Part(EMPTY, EMPTY)).part,
            counts.belief.get(v, Part(EMPTY, EMPTY)).whole,
            PUBLISHED_JOB_BY_BELIEF.get(v),
        )
        for v in range(1, 6)
    )
    after = share("after_change", counts.after_change.part, counts.after_change.whole)
    without = share("without_change", counts.without_change.part, counts.without_change.whole)
    # From the counts, not the rounded percentages; hidden with either of its parts.
    a, w = counts.after_change, counts.without_change
    ratio = (
        round((a.part.n / a.whole.n) / (w.part.n / w.whole.n), 2)
        if after.percent is not None and without.percent
        else None
    )
    known = [g for g in groups if g in counts.offers]
    known += sorted(g for g in counts.offers if g not in known and g != "all")
    all_offers = counts.offers.get("all", Part(EMPTY, EMPTY))
    by_group = protect_partition(
        [
            share(g, counts.offers[g].part, counts.offers[g].whole, PUBLISHED_COMPANY_OFFER.get(g))
            for g in known
        ],
        {g: counts.offers[g].whole.n for g in known},
    )
    company = (share("all", all_offers.part, all_offers.whole), *by_group)
    progression = tuple(
        mean_change(k, counts.progression.get(k), _published_progression(k, spec.company_kinds))
        for k in (*spec.intervention_kinds, NO_INTERVENTION)
    )
    return Tables(
        measurements=counts.measurements.n if shown(counts.measurements) else None,
        citizens=counts.citizens.n if shown(counts.citizens) else None,
        first_on=counts.first_on,
        last_on=counts.last_on,
        followed_up_to=counts.followed_up_to,
        job_search=job_search,
        searched=searched.n if shown(searched) else None,
        channels=channels,
        channels_by_score=tuple(bands),
        job_by_belief=belief,
        with_change=share(
            "with_change", counts.with_change, counts.citizens, PUBLISHED_WITH_CHANGE
        ),
        after_change=after,
        without_change=without,
        change_ratio=Ratio(ratio, PUBLISHED_CHANGE_RATIO),
        company_based_offer=company,
        progression=progression,
    )


# -- JSON --------------------------------------------------------------------------------


def _share_json(c: Share) -> dict[str, object]:
    return {"percent": c.percent, "n": c.n, "published": c.published}


def tables_json(tables: Tables, sources: Mapping[str, str]) -> dict[str, object]:
    """One object with exactly the keys of ``TABLE_KEYS``; percentages 0–100, ``None``
    (JSON null) where a cell is suppressed; ``sources``: the citation per table."""
    return {
        "job_search": {
            "unit": "measurements",
            "n": tables.searched,
            "cells": {c.key: _share_json(c) for c in tables.job_search},
            "source": sources["job_search"],
        },
        "channels": {
            "unit": "measurements",
            "n": tables.searched,
            "cells": {c.key: _share_json(c) for c in tables.channels},
            "source": sources["channels"],
        },
        "channels_by_score": {
            "unit": "measurements",
            "bands": {
                b.key: {"n": b.n, "cells": {c.key: _share_json(c) for c in b.cells}}
                for b in tables.channels_by_score
            },
            "source": sources["channels_by_score"],
        },
        "job_by_belief": {
            "unit": "measurements",
            "window_days": YEAR_DAYS,
            "followed_up_to": tables.followed_up_to,
            "cells": {c.key: _share_json(c) for c in tables.job_by_belief},
            "source": sources["job_by_belief"],
        },
        "caseworker_change": {
            "with_change": {"unit": "citizens", **_share_json(tables.with_change)},
            "job_after_change": {"unit": "measurements", **_share_json(tables.after_change)},
            "job_without_change": {"unit": "measurements", **_share_json(tables.without_change)},
            "ratio": {
                "value": tables.change_ratio.value,
                "published": tables.change_ratio.published,
            },
            "window_days": round(QUARTER_DAYS),
            "followed_up_to": tables.followed_up_to,
            "source": sources["caseworker_change"],
        },
        "company_based_offer": {
            "unit": "citizens",
            "cells": {c.key: _share_json(c) for c in tables.company_based_offer},
            "source": sources["company_based_offer"],
        },
        "progression_by_intervention": {
            "unit": "intervals",
            "cells": {
                m.key: {"mean_per_quarter": m.mean, "n": m.n, "published": m.published}
                for m in tables.progression
            },
            "source": sources["progression_by_intervention"],
        },
    }
