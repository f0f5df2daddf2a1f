"""A deterministic generative model of BIP-like citizen trajectories (pure, no I/O).

What it makes, for ``CohortModel(pack, seed).citizens(n)``: citizens with pseudonymous
ids and obviously synthetic names, a target group, caseworkers (and changes of
caseworker), a meeting about every third month for up to ~4 years, both perspectives'
answers to every item of the pack, interventions as plan spells, and an outcome (job or
not) drawn from the latent state. The same ``seed`` always gives the same cohort; each
citizen has its own random stream (seed, index), so appending continues the cohort
instead of repeating it.

The model in one paragraph: every citizen has a latent level per indicator on the 1–5
scale; their *readiness* is the mean over the pack's job-linked indicators. Between two
meetings the levels move: up during company-based interventions (on all indicators),
less during upskilling (more when it runs in parallel with a company-based one), health
coping up during a health intervention, and down during passivity; a change of
caseworker is a small setback. Answers are the latent level plus a perspective bias
and noise, rounded to 1–5; now and then a "won't answer" (more often on wage). The
caseworker's belief item follows readiness through the caseworker's own optimism. Job
search (not searching / channels / won't answer) follows the citizen's mean score. The
chance of a job in each interval grows with readiness, job search, a company-based spell
and the caseworker's job orientation, and shrinks after a caseworker change.

Sources for the figures (see ``docs/cohort-model.md`` for the full table):
- BIP slides, Væksthusets Forskningscenter (``seed/bip-results-presentation.txt``):
  ~4,000 citizens, ~27,000 measurements over ~4 years, every ~3 months; 64 % do not
  search, 6 % won't answer; channel shares (aviser 14, internet 18, uopfordret 15,
  netværk 17, via praktik 8, vikarbureau 3); search share by mean citizen score; 40 %
  have a caseworker change, which cuts the job chance by 22 %; job share by the
  caseworker's belief (Nej 1.1 % … Ja 26.8 %); +32 % with a job-oriented caseworker;
  company-based interventions give progression on all indicators, during the
  intervention, and 45–85 % higher job chance 6 months after; upskilling also gives
  progression; any intervention beats passivity; 15 % of aktivitetsparate get a
  company-based offer (CK-udvalget 2015); mean scores by intervention group (KORA 2017).
- ``research/bip-facts.md`` §1 and §3: ~6 % of aktivitetsparate get a job within a year;
  parallel rather than staircase; avoid periods without activity.
Everything else (spell lengths, noise sizes, rates per quarter) is a modelling
assumption, named as a constant below and calibrated so the figures above come out.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import NormalDist
from typing import Any

from bip_talk.domain.bip_results import PUBLISHED_CHANNELS, belief_item
from bip_talk.domain.ids import new_citizen_id
from bip_talk.domain.meeting_history import Answer, MeetingAnswers
from bip_talk.domain.pack import Item, Pack

# --- names: Danish-looking first names, invented surnames (no real people) -----------

FIRST_NAMES = (
    "Anne",
    "Mette",
    "Kirsten",
    "Hanne",
    "Helle",
    "Susanne",
    "Lene",
    "Camilla",
    "Louise",
    "Sofie",
    "Maria",
    "Ida",
    "Julie",
    "Line",
    "Pia",
    "Birgitte",
    "Aisha",
    "Zeynep",
    "Peter",
    "Jens",
    "Lars",
    "Michael",
    "Henrik",
    "Thomas",
    "Søren",
    "Niels",
    "Martin",
    "Anders",
    "Rasmus",
    "Jesper",
    "Mads",
    "Jonas",
    "Kim",
    "Bo",
    "Ahmed",
    "Piotr",
)
# Invented on purpose: they look Danish and are plainly made up.
SURNAMES = (
    "Prøvesen",
    "Testrup",
    "Eksempelgaard",
    "Modelsen",
    "Fiktivholm",
    "Demobæk",
    "Skitsesen",
    "Kladdegaard",
    "Mønsterby",
    "Attrapsen",
    "Simulund",
    "Syntesen",
    "Forsøgsholm",
    "Øvelsesen",
    "Fantasigaard",
    "Dataskov",
    "Tænktsen",
    "Opdigtrup",
    "Prøvelund",
    "Eksempelsen",
    "Demostrup",
    "Udkasthøj",
    "Testhave",
    "Pseudonymsen",
)
MIDDLE = "ABCDEFGHIJKLMNOPRSTUVW"


def synthetic_name(rng: random.Random) -> tuple[str, str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(MIDDLE), rng.choice(SURNAMES)


# --- intervention kinds (plan item ``kind``) -----------------------------------------

PRAKTIK = "virksomhedspraktik"
LOENTILSKUD = "loentilskud"
UPSKILLING = "vejledning_opkvalificering"
HEALTH = "helbredsindsats"
MENTOR = "mentor"
NONE = "ingen"  # passivity (evidence.toml id): never stored, it is the absence of a spell
COMPANY_KINDS = frozenset({PRAKTIK, LOENTILSKUD})
KINDS = (PRAKTIK, LOENTILSKUD, UPSKILLING, HEALTH, MENTOR)

# --- BIP semantics the model needs (looked up, optional in a pack) --------------------

HEALTH_INDICATORS = ("helbred", "hverdag")  # moved by a health intervention
WAGE_INDICATOR = "loen"  # "won't answer" is more common here
NOT_SEARCHING_OPTION = "soeger_ikke"
WONT_ANSWER_OPTION = "vil_ikke_svare"
# Share of *all* measurements naming each channel (BIP slides "Hvordan søger du job?").
CHANNEL_SHARES = {option: percent / 100 for option, percent in PUBLISHED_CHANNELS.items()}
SEARCHING_SHARE = 0.30  # 64 % not searching, 6 % won't answer (BIP slides)
# Channels that work best (BIP slides "Hvilke søgekanaler virker særligt godt?").
STRONG_CHANNELS = frozenset({"praktik", "internet"})

# --- the calibrated constants (assumptions unless a source is named) ------------------

QUARTER = 91.3  # days
MEETING_GAP_SD = 12.0  # days of jitter around "every third month"
MEETING_GAP_MIN, MEETING_GAP_MAX = 56, 140
STUDY_YEARS = 4.0  # BIP measured over about four years
ENTRY_SPAN = 0.62  # citizens enter during the first 62 % of the window
CITIZENS_PER_CASEWORKER = 13  # BIP: ~4,000 citizens, more than 300 staff
DEFAULT_START = date(2022, 1, 3)

TARGET_GROUPS = {"aktivitetsparat": 0.90, "jobparat": 0.06, "uddannelse": 0.04}
GROUP_READINESS = {"aktivitetsparat": 2.55, "jobparat": 3.3, "uddannelse": 2.9}
READINESS_SD = 0.6
INDICATOR_OFFSET_SD = 0.45
CITIZEN_BIAS_MEAN, CITIZEN_BIAS_SD = 0.35, 0.35  # citizens rate themselves higher (KORA)
CASEWORKER_BIAS_MEAN, CASEWORKER_BIAS_SD = -0.1, 0.3
IMPRESSION_SD = 0.25  # each caseworker's own read of the citizen
CITIZEN_NOISE, STAFF_NOISE, BELIEF_NOISE = 0.62, 0.5, 0.45
LATENT_MIN, LATENT_MAX = 0.6, 5.4

DECLINE = {"citizen": 0.02, "staff": 0.005}
DECLINE_WAGE = {"citizen": 0.09, "staff": 0.025}

# Progress per quarter on the latent 1–5 scale while a spell runs (partly done = half).
RATE_COMPANY = 0.22  # all indicators (BIP: the only intervention that moves all)
RATE_UPSKILLING = 0.09  # all but health
RATE_UPSKILLING_PARALLEL = 0.10  # extra while it overlaps a company-based spell
RATE_HEALTH = 0.14  # the health indicators
RATE_HEALTH_OTHER = 0.02
RATE_MENTOR = 0.04
RATE_PASSIVE = -0.08  # any intervention beats passivity
SHOCK_SD, DRIFT_SD = 0.12, 0.08
CHANGE_SETBACK = 0.15  # a new caseworker: "start from the bottom again"

# Choosing an intervention at a meeting with nothing running.
COMPANY_BASE = 0.033  # per meeting, at readiness 2.6; calibrated to ~15 % ever
COMPANY_READINESS_SLOPE = 0.9  # more ready citizens get company offers (KORA 2017 table)
COMPANY_DECAY_AFTER_YEARS, COMPANY_DECAY = 2.0, 0.7  # the chance falls over time
COMPANY_GROUP_FACTOR = {"jobparat": 2.5}  # 41 % of jobparate vs 15 % (CK-udvalget)
P_UPSKILLING, P_HEALTH, P_HEALTH_LOW, P_MENTOR = 0.22, 0.08, 0.22, 0.05
HEALTH_LOW = 2.4
P_PARALLEL_UPSKILLING, P_PARALLEL_HEALTH, P_PARALLEL_HEALTH_LOW = 0.35, 0.15, 0.45
DURATIONS = {  # days: choices for company-based spells, (shortest, longest) for the rest
    PRAKTIK: (28, 56, 91),
    LOENTILSKUD: (91, 182),
    UPSKILLING: (42, 182),
    HEALTH: (91, 273),
    MENTOR: (91, 365),
}
SPELL_STATUS = (("done", 0.72), ("partly", 0.18), ("not_done", 0.10))
SPELL_EFFECT = {"done": 1.0, "partly": 0.5, "not_done": 0.0}

# Caseworker change: ~40 % of citizens have at least one (BIP slides).
P_CHANGE = 0.1  # per interval between meetings
CHANGE_REASONS = ("reorganisation", "caseworker_left", "leave", "workload")

# Job search by the mean of the citizen's other answers: the slides' bands (<2.5: 7 %,
# 2.5–3.5: 20 %, >3.5: 49 % search) give the slope, the overall 30 % the level.
SEARCH_SLOPE = 1.27  # logit per scale step
SEARCH_INTERCEPT = -0.6  # calibrated: ~64 % not searching overall
# The slides give 10 % / 6 % / 6 % by band; scaled to 6 % overall, keeping the ratio.
WONT_SAY_LOW, WONT_SAY = 0.085, 0.05
P_PRAKTIK_CHANNEL_IN_COMPANY = 0.75

# Job hazard per quarter: log-linear in readiness (calibrated to the belief table).
JOB_BASE = 0.0085
JOB_READINESS_SLOPE = 1.25
JOB_SEARCH_FACTOR = 1.9  # "jobsøgning øger klart sandsynligheden for job"
JOB_STRONG_CHANNEL_FACTOR = 1.3
JOB_COMPANY_FACTOR = 1.65  # during and 6 months after: +45–85 % (KORA 2017)
JOB_AFTER_COMPANY_DAYS = 182
JOB_CHANGE_FACTOR = 0.78  # a caseworker change: −22 % job chance (BIP slides)
JOB_CHANGE_DAYS = 365
JOB_ORIENTATION_SLOPE = 0.13  # top vs bottom third of caseworkers: ~+32 % (BIP slides)
OTHER_EXIT = 0.09  # per quarter: moved, education, other benefit, …


# --- the records the model produces ---------------------------------------------------

# One answer: (perspective, item_id, value, declined, choices). Tuples, not objects:
# a 10× cohort has millions of them.
AnswerRow = tuple[str, str, int | None, bool, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class SyntheticCaseworker:
    key: int  # index in the pool
    initials: str
    name: str
    optimism: float  # how high this caseworker rates, on the scale
    orientation: float  # job orientation, standard normal


@dataclass(frozen=True, slots=True)
class SyntheticMeeting:
    held_on: date
    caseworker: int  # pool key
    minute: int  # start time, minutes after midnight UTC
    answers: tuple[AnswerRow, ...]
    readiness: float  # latent readiness at the meeting (for tests and docs)
    searching: str = "no"  # "yes" / "no" / "wont"
    status: str = "complete"
    priority: str | None = None  # the indicator the citizen chose as most important


@dataclass(frozen=True, slots=True)
class Spell:
    """One intervention, agreed at a meeting: a plan item."""

    kind: str
    starts_on: date
    ends_on: date
    agreed_at: int  # meeting index
    status: str  # done / partly / not_done / open / cancelled
    reviewed_at: int | None = None  # meeting index where it was followed up


@dataclass(frozen=True, slots=True)
class Assignment:
    caseworker: int  # pool key
    starts_on: date
    ended_on: date | None
    reason: str  # "created" or a change reason code


@dataclass(frozen=True, slots=True)
class SyntheticNote:
    meeting: int  # meeting index
    indicator: str | None
    visibility: str  # shared / private
    text: str


@dataclass(frozen=True, slots=True)
class CitizenHistory:
    id: str
    display_name: str
    target_group: str | None
    created_on: date
    meetings: tuple[SyntheticMeeting, ...]
    spells: tuple[Spell, ...] = ()
    assignments: tuple[Assignment, ...] = ()
    notes: tuple[SyntheticNote, ...] = ()
    job: bool = False
    job_on: date | None = None
    caseworker_changes: int = 0
    left_on: date | None = None  # left for another reason (moved, other benefit, …)

    def meeting_answers(self, *, include_drafts: bool = False) -> list[MeetingAnswers]:
        """The history as the change engine reads it (meeting index as id)."""
        return [
            MeetingAnswers(
                n,
                m.held_on.isoformat(),
                m.caseworker,
                {(p, i): Answer(value=v, declined=d, choices=c) for p, i, v, d, c in m.answers},
            )
            for n, m in enumerate(self.meetings)
            if include_drafts or m.status == "complete"
        ]


# --- reading the pack once ------------------------------------------------------------

SCALE, BELIEF, SEARCH_SCALE, CHANNELS, MULTI = range(5)


def _channels_item(pack: Pack) -> tuple[str, Item] | None:
    for p in pack.perspectives:
        if p.respondent != "citizen":
            continue
        for item in pack.items(p.id):
            if item.type == "multi" and {o.id for o in item.options} & CHANNEL_SHARES.keys():
                return p.id, item
    return None


@dataclass(frozen=True, slots=True)
class _Plan:
    """How to answer one item: the kind of answer, its indicator, the decline chance."""

    item_id: str
    kind: int
    indicator: str
    decline: float
    options: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class _Side:
    perspective: str
    citizen: bool
    plans: tuple[_Plan, ...]  # everything but the job-search items
    search: tuple[_Plan, ...]  # job-search scale and channels: answered after the rest

    @property
    def scale(self) -> tuple[tuple[str, str, float], ...]:
        """(item id, indicator, decline chance) of the plain scale items: the hot path."""
        return tuple((p.item_id, p.indicator, p.decline) for p in self.plans if p.kind == SCALE)

    @property
    def other(self) -> tuple[_Plan, ...]:
        return tuple(p for p in self.plans if p.kind != SCALE)


class _PackPlan:
    """What the model needs from the pack, worked out once."""

    def __init__(self, pack: Pack) -> None:
        channels = _channels_item(pack)
        belief = belief_item(pack)  # the same question the stats read
        self.channel_options: tuple[str, ...] = ()
        self.not_searching: str | None = None
        self.wont_say: str | None = None
        self.search_indicator: str | None = None
        if channels:
            item = channels[1]
            ids = [o.id for o in item.options]
            exclusive = [o.id for o in item.options if o.exclusive]
            self.channel_options = tuple(o for o in ids if o not in exclusive)
            self.not_searching = (
                NOT_SEARCHING_OPTION
                if NOT_SEARCHING_OPTION in ids
                else (exclusive[0] if exclusive else None)
            )
            rest = [o for o in exclusive if o != self.not_searching]
            self.wont_say = (
                WONT_ANSWER_OPTION if WONT_ANSWER_OPTION in ids else (rest[0] if rest else None)
            )
            self.search_indicator = item.indicator
        elif any(i.id == "jobsoeg" for i in pack.indicators):
            self.search_indicator = "jobsoeg"
        self.belief_indicator = belief[1].indicator if belief else None
        self.latent = tuple(i.id for i in pack.indicators if i.id != self.belief_indicator)
        linked = [i.id for i in pack.indicators if i.job_linked and i.id in self.latent]
        self.readiness_indicators = tuple(linked or self.latent)
        self.health = tuple(i for i in HEALTH_INDICATORS if i in self.latent)
        self.health_probe = self.health[0] if self.health else None
        sides = []
        for p in pack.perspectives:
            citizen = p.respondent == "citizen"
            respondent = "citizen" if citizen else "staff"
            plans, search = [], []
            for item in pack.items(p.id):
                if item.type == "text":
                    continue  # free text: nothing a model could honestly say
                decline = (DECLINE_WAGE if item.indicator == WAGE_INDICATOR else DECLINE)[
                    respondent
                ]
                if item.type == "multi":
                    if channels and (p.id, item.id) == (channels[0], channels[1].id):
                        search.append(_Plan(item.id, CHANNELS, item.indicator, decline))
                    else:
                        options = tuple(o.id for o in item.options if not o.exclusive)
                        plans.append(_Plan(item.id, MULTI, item.indicator, decline, options))
                elif belief and (p.id, item.id) == (belief[0], belief[1].id):
                    plans.append(_Plan(item.id, BELIEF, item.indicator, decline))
                elif citizen and item.indicator == self.search_indicator:
                    search.append(_Plan(item.id, SEARCH_SCALE, item.indicator, decline))
                else:
                    plans.append(_Plan(item.id, SCALE, item.indicator, decline))
            sides.append(_Side(p.id, citizen, tuple(plans), tuple(search)))
        # Citizens first: the job-search status comes from their answers, and the
        # caseworker's view of job search follows it. Row order does not matter.
        self.sides = tuple(sorted(sides, key=lambda s: not s.citizen))
        self.fast = tuple((s, s.scale, s.other) for s in self.sides)


# --- small helpers --------------------------------------------------------------------


# Standard normal quantiles at 4,096 evenly spaced probabilities: one getrandbits call
# per draw, much cheaper than random.gauss, and fine for answers rounded to 1–5.
_ZBITS = 12
_Z = tuple(NormalDist().inv_cdf((i + 0.5) / (1 << _ZBITS)) for i in range(1 << _ZBITS))


def _clip(value: float) -> int:
    v = int(value + 0.5) if value > 0 else 0
    return 1 if v < 1 else 5 if v > 5 else v


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


# --- the model ------------------------------------------------------------------------


class CohortModel:
    """``CohortModel(pack, seed=7).citizens(2000)`` yields ``CitizenHistory`` one by one."""

    def __init__(
        self,
        pack: Pack,
        seed: int = 1,
        *,
        start: date = DEFAULT_START,
        years: float = STUDY_YEARS,
    ) -> None:
        self.pack = pack
        self.seed = seed
        self.start = start
        self.end = start + timedelta(days=round(years * 365.25))
        self.plan = _PackPlan(pack)
        known = [g.id for g in pack.manifest.target_groups]
        self.groups = {g: w for g, w in TARGET_GROUPS.items() if g in known}
        if not self.groups and known:
            self.groups = {known[0]: 1.0}

    def caseworkers(self, n_citizens: int) -> list[SyntheticCaseworker]:
        """A pool sized like BIP's (about one caseworker per 13 citizens)."""
        count = max(3, math.ceil(n_citizens / CITIZENS_PER_CASEWORKER))
        rng = random.Random(f"bip-talk-cohort:{self.seed}:caseworkers")
        pool: list[SyntheticCaseworker] = []
        taken: set[str] = set()
        for key in range(count):
            first, middle, last = synthetic_name(rng)
            base = f"{first[0]}{middle}{last[0]}".upper()
            initials, n = base, 1
            while initials in taken:
                n += 1
                initials = f"{base}{n}"
            taken.add(initials)
            pool.append(
                SyntheticCaseworker(
                    key,
                    initials,
                    f"{first} {middle}. {last}",
                    rng.gauss(CASEWORKER_BIAS_MEAN, CASEWORKER_BIAS_SD),
                    rng.gauss(0.0, 1.0),
                )
            )
        return pool

    def citizens(
        self,
        n: int,
        *,
        first_index: int = 0,
        caseworkers: list[SyntheticCaseworker] | None = None,
        taken_ids: Iterable[str] = (),
    ) -> Iterator[CitizenHistory]:
        """Citizens ``first_index`` … ``first_index + n - 1``; ids never repeat ``taken_ids``."""
        pool = caseworkers or self.caseworkers(n)
        taken = set(taken_ids)
        for index in range(first_index, first_index + n):
            history = self.citizen(index, pool, taken)
            taken.add(history.id)
            yield history

    def citizen(
        self,
        index: int,
        pool: list[SyntheticCaseworker],
        taken: set[str] | None = None,
    ) -> CitizenHistory:
        rng = random.Random(f"bip-talk-cohort:{self.seed}:{index}")
        return _Trajectory(self, rng, pool, taken or set()).run()


class _Trajectory:
    """One citizen, simulated from meeting to meeting."""

    def __init__(
        self,
        model: CohortModel,
        rng: random.Random,
        pool: list[SyntheticCaseworker],
        taken: set[str],
    ) -> None:
        self.model = model
        self.plan = model.plan
        self.rng = rng
        self.pool = pool
        cid = new_citizen_id(rng)
        while cid in taken:
            cid = new_citizen_id(rng)
        self.id = cid
        first, middle, last = synthetic_name(rng)
        self.name = f"{first} {middle}. {last}"
        self.group = _weighted(rng, model.groups) if model.groups else None
        base = rng.gauss(GROUP_READINESS.get(self.group or "", 2.7), READINESS_SD)
        self.x = {k: base + rng.gauss(0.0, INDICATOR_OFFSET_SD) for k in self.plan.latent}
        self.citizen_bias = rng.gauss(CITIZEN_BIAS_MEAN, CITIZEN_BIAS_SD)
        self.cw = rng.randrange(len(pool))
        self.impression = rng.gauss(0.0, IMPRESSION_SD)
        self.readiness()
        # Spells while simulating: [kind, starts_on, ends_on, agreed_at, status].
        self.spells: list[list[Any]] = []

    def readiness(self) -> float:
        """Mean latent level over the job-linked indicators; kept in ``self.g``."""
        keys = self.plan.readiness_indicators
        self.g = sum(map(self.x.__getitem__, keys)) / len(keys) if keys else 3.0
        return self.g

    # -- answers -------------------------------------------------------------------------

    def answers(self, in_company: bool) -> tuple[tuple[AnswerRow, ...], str]:
        # The hot loop of a 10× seed (millions of answers): table normals, inlined
        # rounding and clipping (the +0.5 of rounding rides on the bias).
        rand, bits, z = self.rng.random, self.rng.getrandbits, _Z
        cw = self.pool[self.cw]
        rows: list[AnswerRow] = []
        append = rows.append
        citizen_values: list[int] = []
        searching: str | None = None
        for side, scale, other in self.plan.fast:
            pid, citizen = side.perspective, side.citizen
            x = self.x
            if citizen:
                bias, noise = self.citizen_bias, CITIZEN_NOISE
            else:
                bias, noise = cw.optimism + self.impression, STAFF_NOISE
                if searching is None:
                    searching = self._search_status(citizen_values)
                search_ind = self.plan.search_indicator
                if searching != "yes" and search_ind in x:
                    # The caseworker knows the citizen is not searching.
                    x = {**x, search_ind: x[search_ind] - 0.7}
            shift = bias + 0.5
            for item_id, indicator, decline in scale:
                if rand() < decline:
                    append((pid, item_id, None, True, ()))
                    continue
                v = int(x[indicator] + shift + z[bits(_ZBITS)] * noise)
                v = 1 if v < 1 else 5 if v > 5 else v
                append((pid, item_id, v, False, ()))
                if citizen:
                    citizen_values.append(v)
            for pl in other:
                if pl.kind == BELIEF:
                    v = _clip(self.g + bias + z[bits(_ZBITS)] * BELIEF_NOISE)
                    append((pid, pl.item_id, v, False, ()))
                else:  # another multi-choice item: a plausible pick
                    k = 1 + int(rand() * min(3, len(pl.options)))
                    append((pid, pl.item_id, None, False, tuple(self.rng.sample(pl.options, k))))
            if side.search:
                if searching is None:
                    searching = self._search_status(citizen_values)
                for pl in side.search:
                    row = self._search_answer(pid, pl, searching, bias, in_company)
                    if row is not None:
                        append(row)
        if searching is None:
            searching = self._search_status(citizen_values)
        return tuple(rows), searching

    def _search_status(self, values: list[int]) -> str:
        """yes / no / wont, from the citizen's mean answer (BIP's "who searches" table)."""
        mean = sum(values) / len(values) if values else self.g + self.citizen_bias
        wont = WONT_SAY_LOW if mean < 2.5 else WONT_SAY
        search = (1 - wont) * _sigmoid(SEARCH_INTERCEPT + SEARCH_SLOPE * (mean - 3.0))
        u = self.rng.random()
        return "wont" if u < wont else "yes" if u < wont + search else "no"

    def _search_answer(
        self, pid: str, pl: _Plan, searching: str, bias: float, in_company: bool
    ) -> AnswerRow | None:
        rng = self.rng
        if pl.kind == SEARCH_SCALE:
            if searching == "no":
                return (pid, pl.item_id, 1, False, ())  # the scale's "I am not searching"
            if searching == "wont" and rng.random() < 0.5:
                return (pid, pl.item_id, None, True, ())
            v = _clip(self.x[pl.indicator] + bias + rng.gauss(0.0, CITIZEN_NOISE))
            return (pid, pl.item_id, max(v, 2) if searching == "yes" else v, False, ())
        plan = self.plan
        if searching == "wont":
            return (
                (pid, pl.item_id, None, False, (plan.wont_say,))
                if plan.wont_say
                else (pid, pl.item_id, None, True, ())
            )
        if searching == "no":
            return (
                (pid, pl.item_id, None, False, (plan.not_searching,))
                if plan.not_searching
                else None
            )
        chosen = tuple(
            o for o in plan.channel_options if rng.random() < _channel_chance(o, in_company)
        )
        if not chosen and plan.channel_options:
            weights = [CHANNEL_SHARES.get(o, 0.05) for o in plan.channel_options]
            chosen = (rng.choices(plan.channel_options, weights)[0],)
        return (pid, pl.item_id, None, False, chosen)

    # -- interventions -------------------------------------------------------------------

    def _add_spell(self, kind: str, starts_on: date, agreed_at: int) -> None:
        rng = self.rng
        lengths = DURATIONS[kind]
        # Company-based spells come in standard lengths; the others anywhere in a range.
        days = rng.choice(lengths) if kind in COMPANY_KINDS else rng.randint(*lengths)
        u, status = rng.random(), "done"
        for name, share in SPELL_STATUS:
            if u < share:
                status = name
                break
            u -= share
        self.spells.append([kind, starts_on, starts_on + timedelta(days=days), agreed_at, status])

    def _plan_spells(self, t: date, index: int, entry: date) -> None:
        """At a meeting with nothing running, maybe agree on an intervention."""
        if any(s[2] > t for s in self.spells):
            return
        rng = self.rng
        g = self.g
        years_in = (t - entry).days / 365.25
        company = (
            COMPANY_BASE
            * math.exp(COMPANY_READINESS_SLOPE * (g - 2.6))
            * COMPANY_GROUP_FACTOR.get(self.group or "", 1.0)
            * COMPANY_DECAY ** max(0.0, years_in - COMPANY_DECAY_AFTER_YEARS)
        )
        health_low = (
            self.plan.health_probe is not None and self.x[self.plan.health_probe] < HEALTH_LOW
        )
        start = t + timedelta(days=rng.randint(3, 21))
        if rng.random() < company:
            # Wage subsidy goes to the more ready (KORA 2017: highest scores there).
            kind = LOENTILSKUD if rng.random() < _sigmoid(1.5 * (g - 3.1)) else PRAKTIK
            self._add_spell(kind, start, index)
            if rng.random() < P_PARALLEL_UPSKILLING:
                self._add_spell(UPSKILLING, start, index)
            if rng.random() < (P_PARALLEL_HEALTH_LOW if health_low else P_PARALLEL_HEALTH):
                self._add_spell(HEALTH, start, index)
            return
        u = rng.random()
        p_health = P_HEALTH_LOW if health_low else P_HEALTH
        if u < P_UPSKILLING:
            self._add_spell(UPSKILLING, start, index)
        elif u < P_UPSKILLING + p_health:
            self._add_spell(HEALTH, start, index)
        elif u < P_UPSKILLING + p_health + P_MENTOR:
            self._add_spell(MENTOR, start, index)

    def _in_company(self, day: date) -> bool:
        return bool(self.spells) and any(
            s[0] in COMPANY_KINDS and s[1] <= day < s[2] and s[4] != "not_done" for s in self.spells
        )

    def _recent_company(self, day: date) -> bool:
        return bool(self.spells) and any(
            s[0] in COMPANY_KINDS
            and s[1] <= day
            and (day - s[2]).days <= JOB_AFTER_COMPANY_DAYS
            and s[4] != "not_done"
            for s in self.spells
        )

    def _progress(self, t0: date, t1: date) -> None:
        """Move the latent levels over [t0, t1): interventions up, passivity down."""
        bits, z = self.rng.getrandbits, _Z
        days = max(1, (t1 - t0).days)
        q = 1.0 / QUARTER
        active = [s for s in self.spells if s[2] > t0 and s[1] < t1 and SPELL_EFFECT[s[4]]]
        if active:
            general, health, non_health = self._spell_rates(active, t0, t1, days)
        else:  # the common case: nothing running, the whole interval is passive
            general, health, non_health = RATE_PASSIVE * days * q, 0.0, 0.0
        shock = z[bits(_ZBITS)] * SHOCK_SD * math.sqrt(days * q)
        health_set = self.plan.health
        x = self.x
        for k, v in x.items():
            v += (
                general
                + shock
                + z[bits(_ZBITS)] * DRIFT_SD
                + (health if k in health_set else non_health)
            )
            x[k] = LATENT_MIN if v < LATENT_MIN else LATENT_MAX if v > LATENT_MAX else v
        self.readiness()

    @staticmethod
    def _spell_rates(
        active: list[list[Any]], t0: date, t1: date, days: int
    ) -> tuple[float, float, float]:
        """(all indicators, health indicators, the others) for the spells over [t0, t1)."""
        per = dict.fromkeys(KINDS, 0.0)
        covered: list[tuple[date, date]] = []
        company_windows = []
        for kind, s0, s1, _, status in active:
            a, b = max(s0, t0), min(s1, t1)
            per[kind] += (b - a).days * SPELL_EFFECT[status]
            covered.append((a, b))
            if kind in COMPANY_KINDS:
                company_windows.append((a, b))
        parallel = 0.0
        for kind, s0, s1, _, status in active:
            if kind == UPSKILLING:
                for a, b in company_windows:
                    lo, hi = max(s0, a), min(s1, b)
                    if hi > lo:
                        parallel += (hi - lo).days * SPELL_EFFECT[status]
        passive = days - _union_days(covered)
        q = 1.0 / QUARTER
        general = (
            RATE_COMPANY * (per[PRAKTIK] + per[LOENTILSKUD])
            + RATE_MENTOR * per[MENTOR]
            + RATE_PASSIVE * passive
        ) * q
        non_health = (
            RATE_UPSKILLING * per[UPSKILLING]
            + RATE_UPSKILLING_PARALLEL * parallel
            + RATE_HEALTH_OTHER * per[HEALTH]
        ) * q
        return general, RATE_HEALTH * per[HEALTH] * q, non_health

    # -- the whole trajectory ------------------------------------------------------------

    def run(self) -> CitizenHistory:
        rng, model = self.rng, self.model
        span = (model.end - model.start).days
        entry = model.start + timedelta(days=int(rng.random() * span * ENTRY_SPAN))
        meetings: list[SyntheticMeeting] = []
        assignments: list[Assignment] = []
        assigned_on, reason = entry, "created"
        last_change: date | None = None
        job_on: date | None = None
        left_on: date | None = None
        ended_early = False
        t = entry
        while True:
            index = len(meetings)
            answers, searching = self.answers(self._in_company(t))
            minute = 8 * 60 + 15 * int(rng.random() * 28)
            meetings.append(
                SyntheticMeeting(
                    t, self.pool[self.cw].key, minute, answers, round(self.g, 3), searching
                )
            )
            gap = int(QUARTER + MEETING_GAP_SD * _Z[rng.getrandbits(_ZBITS)])
            gap = MEETING_GAP_MIN if gap < MEETING_GAP_MIN else min(gap, MEETING_GAP_MAX)
            nxt = t + timedelta(days=gap)
            self._plan_spells(t, index, entry)
            stop = min(nxt, model.end)
            self._progress(t, stop)
            if stop > t and self._job(t, stop, searching, meetings[-1], last_change):
                job_on = t + timedelta(days=rng.randint(1, (stop - t).days))
                break
            if rng.random() < OTHER_EXIT * gap / QUARTER:
                ended_early = True
                # The last draw of this citizen's stream: nothing else moves.
                left_on = t + timedelta(days=rng.randint(1, max(1, (stop - t).days)))
                break
            if nxt > model.end:
                break
            if rng.random() < P_CHANGE:
                change_on = t + timedelta(days=rng.randint(7, gap - 7))
                assignments.append(
                    Assignment(self.pool[self.cw].key, assigned_on, change_on, reason)
                )
                self.cw = (self.cw + 1 + rng.randrange(len(self.pool) - 1)) % len(self.pool)
                self.impression = rng.gauss(0.0, IMPRESSION_SD)
                for k in self.x:
                    self.x[k] = max(LATENT_MIN, self.x[k] - CHANGE_SETBACK)
                self.readiness()
                assigned_on, reason, last_change = change_on, rng.choice(CHANGE_REASONS), change_on
            t = nxt
        assignments.append(Assignment(self.pool[self.cw].key, assigned_on, None, reason))
        stopped_on = job_on or (meetings[-1].held_on if ended_early else None)
        return CitizenHistory(
            id=self.id,
            display_name=self.name,
            target_group=self.group,
            created_on=entry,
            meetings=tuple(meetings),
            spells=tuple(self._final_spells(meetings, stopped_on)),
            assignments=tuple(assignments),
            job=job_on is not None,
            job_on=job_on,
            caseworker_changes=len(assignments) - 1,
            left_on=left_on,
        )

    def _job(
        self,
        t0: date,
        t1: date,
        searching: str,
        meeting: SyntheticMeeting,
        last_change: date | None,
    ) -> bool:
        """Does the citizen find a job in [t0, t1)? Log-linear hazard per quarter."""
        mid = t0 + (t1 - t0) / 2
        h = JOB_BASE * math.exp(JOB_READINESS_SLOPE * (self.g - 2.6))
        if searching == "yes":
            h *= JOB_SEARCH_FACTOR
            channels = next((c for p, i, v, d, c in meeting.answers if c), ())
            if STRONG_CHANNELS.intersection(channels):
                h *= JOB_STRONG_CHANNEL_FACTOR
        if self._recent_company(mid):
            h *= JOB_COMPANY_FACTOR
        if last_change is not None and (mid - last_change).days <= JOB_CHANGE_DAYS:
            h *= JOB_CHANGE_FACTOR
        h *= math.exp(JOB_ORIENTATION_SLOPE * self.pool[self.cw].orientation)
        return self.rng.random() < 1.0 - math.exp(-h * (t1 - t0).days / QUARTER)

    def _final_spells(
        self, meetings: list[SyntheticMeeting], stopped_on: date | None
    ) -> list[Spell]:
        """Each spell is followed up at the first meeting after it ends; what has not been
        followed up is still open, or cancelled when the citizen left while it ran."""
        out = []
        for kind, s0, s1, agreed_at, status in self.spells:
            reviewed = next(
                (n for n in range(agreed_at + 1, len(meetings)) if meetings[n].held_on >= s1), None
            )
            if reviewed is None:
                if stopped_on is None:
                    status = "open"
                elif s1 > stopped_on:
                    status = "cancelled"
            out.append(Spell(kind, s0, s1, agreed_at, status, reviewed))
        return out


def _channel_chance(option: str, in_company: bool) -> float:
    """Chance a searcher names a channel: the published share over the searching share;
    "via praktik" mostly while in a company-based spell."""
    if option == "praktik":
        return P_PRAKTIK_CHANNEL_IN_COMPANY if in_company else PRAKTIK_CHANNEL_OUTSIDE
    return CHANNEL_SHARES.get(option, 0.05) / SEARCHING_SHARE


PRAKTIK_CHANNEL_OUTSIDE = 0.25  # calibrated so "via praktik" lands near 8 % overall


def _union_days(spans: list[tuple[date, date]]) -> int:
    total, end = 0, None
    for a, b in sorted(spans):
        if end is None or a > end:
            total += (b - a).days
            end = b
        elif b > end:
            total += (b - end).days
            end = b
    return total
