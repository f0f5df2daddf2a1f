"""The figures a synthetic cohort should reproduce, measured on the cohort itself.

Pure functions over ``CitizenHistory``; the tests check them against the published BIP
figures and ``docs/cohort-model.md`` reports them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from bip_talk.domain.synthetic.cohort import (
    CHANNEL_SHARES,
    COMPANY_KINDS,
    QUARTER,
    UPSKILLING,
    CitizenHistory,
    SyntheticMeeting,
)

YEAR = 365


@dataclass
class CohortStats:
    citizens: int = 0
    meetings: int = 0
    answers: int = 0
    searching: Counter[str] = field(default_factory=Counter)  # yes / no / wont per measurement
    channels: Counter[str] = field(default_factory=Counter)  # option id -> measurements naming it
    with_change: int = 0
    with_company: int = 0
    jobs: int = 0
    # progress per quarter of the citizen's mean score, by what the interval held
    progress: dict[str, list[float]] = field(default_factory=dict)
    # caseworker belief answer -> [measurements, of which a job within a year]
    belief: dict[int, list[int]] = field(default_factory=dict)

    def share(self, what: str) -> float:
        return self.searching[what] / max(1, sum(self.searching.values()))

    def channel_share(self, option: str) -> float:
        return self.channels[option] / max(1, self.meetings)

    @property
    def change_share(self) -> float:
        return self.with_change / max(1, self.citizens)

    @property
    def company_share(self) -> float:
        return self.with_company / max(1, self.citizens)

    @property
    def meetings_per_citizen(self) -> float:
        return self.meetings / max(1, self.citizens)

    def mean_progress(self, kind: str) -> float:
        values = self.progress.get(kind, [])
        return sum(values) / len(values) if values else 0.0

    def job_rate_by_belief(self) -> dict[int, float]:
        return {v: jobs / n for v, (n, jobs) in sorted(self.belief.items()) if n}


def _citizen_mean(meeting: SyntheticMeeting, perspective: str) -> float | None:
    values = [v for p, _, v, d, _ in meeting.answers if p == perspective and v is not None]
    return sum(values) / len(values) if values else None


def _interval_kind(history: CitizenHistory, m0: SyntheticMeeting, m1: SyntheticMeeting) -> str:
    """company: a company-based spell ran for at least half the interval; upskilling:
    upskilling alone did; passive: no spell touched it; mixed: anything else."""
    days = max(1, (m1.held_on - m0.held_on).days)
    cover: Counter[str] = Counter()
    for s in history.spells:
        if s.status == "not_done":
            continue
        overlap = (min(s.ends_on, m1.held_on) - max(s.starts_on, m0.held_on)).days
        if overlap > 0:
            cover["company" if s.kind in COMPANY_KINDS else s.kind] += overlap
    if not cover:
        return "passive"
    if cover["company"] >= days / 2:
        return "company"
    if set(cover) == {UPSKILLING} and cover[UPSKILLING] >= days / 2:
        return "upskilling"
    return "mixed"


def cohort_stats(
    histories: Iterable[CitizenHistory],
    *,
    citizen: str = "citizen",
    belief_item: str = "sb_tro",
    channels_item: str = "kanaler",
) -> CohortStats:
    stats = CohortStats()
    for h in histories:
        stats.citizens += 1
        stats.with_change += h.caseworker_changes > 0
        stats.with_company += any(s.kind in COMPANY_KINDS for s in h.spells)
        stats.jobs += h.job
        done = [m for m in h.meetings if m.status == "complete"]
        for n, m in enumerate(done):
            stats.meetings += 1
            stats.answers += len(m.answers)
            stats.searching[m.searching] += 1
            for _, item, value, _, choices in m.answers:
                if item == channels_item:
                    stats.channels.update(c for c in choices if c in CHANNEL_SHARES)
                elif item == belief_item and value is not None:
                    cell = stats.belief.setdefault(value, [0, 0])
                    cell[0] += 1
                    cell[1] += h.job_on is not None and (h.job_on - m.held_on).days <= YEAR
            if n + 1 < len(done):
                nxt = done[n + 1]
                a, b = _citizen_mean(m, citizen), _citizen_mean(nxt, citizen)
                if a is not None and b is not None:
                    quarters = max(1, (nxt.held_on - m.held_on).days) / QUARTER
                    stats.progress.setdefault(_interval_kind(h, m, nxt), []).append(
                        (b - a) / quarters
                    )
    return stats
