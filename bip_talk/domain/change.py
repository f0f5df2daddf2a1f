"""The change engine: indicator scores per perspective, change against earlier
meetings labelled by the pack's thresholds, gaps between perspectives, history
series and the agenda. Pure functions over ``MeetingAnswers``; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from bip_talk.domain.meeting_history import MeetingAnswers
from bip_talk.domain.pack import Pack, Thresholds, is_private_indicator

ScoreState = Literal["answered", "declined", "missing"]
Level = Literal["unchanged", "moved", "clear"]
Direction = Literal["up", "down", "same"]

# An indicator at or below this is "low" for the agenda (the scale's middle, "delvist").
LOW_SCORE = 3.0


@dataclass(frozen=True, slots=True)
class Score:
    value: float | None
    state: ScoreState

    @property
    def known(self) -> bool:
        return self.value is not None


MISSING = Score(None, "missing")
DECLINED = Score(None, "declined")
_ANSWERED: dict[float, Score] = {}


def meeting_scores(pack: Pack, meeting: MeetingAnswers) -> dict[tuple[str, str], Score]:
    """Every indicator score of the meeting, by (perspective, indicator): the mean of
    the perspective's answered scale items for the indicator. "Won't answer" on every
    item gives a declined score (shown, never counted as 0); no answer, no key.
    """
    # One pass over the meeting's answers: a review scores every meeting of a history
    # for every perspective and indicator, and answered scores are shared (frozen).
    scored_by = pack.scored_by
    sums: dict[tuple[str, str], list[int]] = {}  # key → [total, counted]
    declined: set[tuple[str, str]] = set()
    for (perspective, item_id), answer in meeting.answers.items():
        indicator = scored_by.get((perspective, item_id))
        if indicator is None:
            continue
        key = (perspective, indicator)
        if answer.declined:
            declined.add(key)
        elif answer.value is not None:
            tally = sums.get(key)
            if tally is None:
                sums[key] = [answer.value, 1]
            else:
                tally[0] += answer.value
                tally[1] += 1
    out = dict.fromkeys(declined - sums.keys(), DECLINED)
    for key, (total, counted) in sums.items():
        mean = total / counted
        score = _ANSWERED.get(mean)
        if score is None:
            score = _ANSWERED[mean] = Score(mean, "answered")
        out[key] = score
    return out


def indicator_score(pack: Pack, meeting: MeetingAnswers, perspective: str, indicator: str) -> Score:
    """The perspective's score for one indicator at the meeting (``meeting_scores``)."""
    return meeting_scores(pack, meeting).get((perspective, indicator), MISSING)


@dataclass(frozen=True, slots=True)
class Change:
    delta: float | None
    level: Level | None  # None: nothing to compare with

    @property
    def direction(self) -> Direction | None:
        if self.delta is None:
            return None
        if self.level == "unchanged":
            return "same"
        return "up" if self.delta > 0 else "down"

    @property
    def notable(self) -> bool:
        return self.level in ("moved", "clear")


NO_CHANGE = Change(None, None)


def classify(delta: float | None, thresholds: Thresholds) -> Change:
    if delta is None:
        return NO_CHANGE
    size = abs(delta)
    if size >= thresholds.clear:
        return Change(delta, "clear")
    if size >= thresholds.moved:
        return Change(delta, "moved")
    return Change(delta, "unchanged")


def compare(now: Score, before: Score | None, thresholds: Thresholds) -> Change:
    if before is None or now.value is None or before.value is None:
        return NO_CHANGE
    return classify(round(now.value - before.value, 6), thresholds)


@dataclass(frozen=True, slots=True)
class Gap:
    size: float
    high: str  # perspective id with the highest score
    low: str
    flagged: bool


def gap_between(scores: dict[str, Score], thresholds: Thresholds) -> Gap | None:
    known = [(pid, s.value) for pid, s in scores.items() if s.value is not None]
    if len(known) < 2:
        return None
    high = max(known, key=lambda kv: kv[1])
    low = min(known, key=lambda kv: kv[1])
    size = round(high[1] - low[1], 6)
    return Gap(size, high[0], low[0], size >= thresholds.gap)


@dataclass(frozen=True, slots=True)
class PerspectiveRow:
    perspective: str
    now: Score
    before: Score | None  # the latest earlier meeting with a known score
    before_meeting: int | None
    first: Score | None  # the first meeting with a known score
    change: Change  # against ``before``
    since_first: Change
    series: tuple[float | None, ...]  # one value per meeting, oldest first, current last


@dataclass(frozen=True, slots=True)
class IndicatorRow:
    indicator: str
    job_linked: bool
    private: bool
    perspectives: dict[str, PerspectiveRow]
    gap: Gap | None

    @property
    def moved(self) -> bool:
        return any(r.change.notable for r in self.perspectives.values())

    @property
    def disagree(self) -> bool:
        return self.gap is not None and self.gap.flagged

    def mean_now(self) -> float | None:
        vals = [r.now.value for r in self.perspectives.values() if r.now.value is not None]
        return sum(vals) / len(vals) if vals else None

    def answered_now(self) -> list[str]:
        """The perspectives with a value at this meeting."""
        return [p for p, r in self.perspectives.items() if r.now.value is not None]


@dataclass(frozen=True, slots=True)
class Review:
    meeting_id: int | None
    meetings: tuple[MeetingAnswers, ...]
    rows: tuple[IndicatorRow, ...]

    def row(self, indicator: str) -> IndicatorRow:
        return next(r for r in self.rows if r.indicator == indicator)


def _perspective_row(
    pack: Pack,
    history: list[MeetingAnswers],
    scored: list[dict[tuple[str, str], Score]],
    perspective: str,
    indicator: str,
) -> PerspectiveRow:
    key = (perspective, indicator)
    scores = [s.get(key, MISSING) for s in scored]
    now = scores[-1] if scores else MISSING
    earlier = [(m.meeting_id, s) for m, s in zip(history[:-1], scores[:-1], strict=True) if s.known]
    before_id, before = earlier[-1] if earlier else (None, None)
    first = earlier[0][1] if earlier else None
    return PerspectiveRow(
        perspective=perspective,
        now=now,
        before=before,
        before_meeting=before_id,
        first=first,
        change=compare(now, before, pack.thresholds),
        since_first=compare(now, first, pack.thresholds),
        series=tuple(s.value for s in scores),
    )


def build_review(pack: Pack, history: list[MeetingAnswers]) -> Review:
    """Rows for every indicator of the pack; ``history`` oldest first, the current meeting last."""
    ordered = sorted(history, key=lambda m: (m.held_on, m.meeting_id))
    scored = [meeting_scores(pack, m) for m in ordered]
    rows = []
    for ind in pack.indicators:
        perspectives = {
            pid: _perspective_row(pack, ordered, scored, pid, ind.id)
            for pid in pack.indicator_perspectives(ind.id)
        }
        if not perspectives:
            continue
        gap = gap_between({pid: r.now for pid, r in perspectives.items()}, pack.thresholds)
        rows.append(
            IndicatorRow(
                ind.id, ind.job_linked, is_private_indicator(pack, ind.id), perspectives, gap
            )
        )
    return Review(ordered[-1].meeting_id if ordered else None, tuple(ordered), tuple(rows))


TopicKind = Literal["citizen_choice", "drop", "gap", "low"]


@dataclass(frozen=True, slots=True)
class Topic:
    kind: TopicKind
    indicator: str
    perspective: str | None = None
    amount: float | None = None  # the drop (negative), the gap, or the low score
    # False: a drop or gap that is not the largest (the largest sits on a topic already
    # listed, which then carries it in ``largest_drop`` / ``largest_gap``).
    largest: bool = True
    largest_drop: float | None = None
    largest_gap: float | None = None


def agenda(review: Review, citizen_choice: str | None = None, limit: int = 3) -> list[Topic]:
    """Up to ``limit`` topics: the citizen's own choice first, then the largest drop,
    the largest gap and the lowest job-linked indicator. Private indicators never
    appear (the agenda is shown on the shared screen). Ties keep pack order.

    One indicator appears once. When the largest drop or gap sits on an indicator that
    is already listed, that topic says so (``largest_drop`` / ``largest_gap``) and the
    next drop or gap is listed as a drop or gap, not as the largest."""
    rows = [r for r in review.rows if not r.private]
    topics: list[Topic] = []
    taken: set[str] = set()

    def add(topic: Topic | None) -> None:
        if topic and topic.indicator not in taken and len(topics) < limit:
            topics.append(topic)
            taken.add(topic.indicator)

    def mention(indicator: str, *, drop: float | None = None, gap: float | None = None) -> None:
        """The largest drop or gap is on a topic already listed: it says so there."""
        for n, topic in enumerate(topics):
            if topic.indicator == indicator:
                topics[n] = replace(
                    topic,
                    largest_drop=topic.largest_drop if drop is None else drop,
                    largest_gap=topic.largest_gap if gap is None else gap,
                )

    if citizen_choice and any(r.indicator == citizen_choice for r in rows):
        add(Topic("citizen_choice", citizen_choice))

    drops = sorted(
        (pr.change.delta, n, r.indicator, pr.perspective)
        for n, r in enumerate(rows)
        for pr in r.perspectives.values()
        if pr.change.notable and pr.change.delta is not None and pr.change.delta < 0
    )
    if drops:
        delta, _, ind, _ = drops[0]
        if ind in taken:
            mention(ind, drop=delta)
        free = [d for d in drops if d[2] not in taken]
        if free:  # a drop as large as the largest is a largest drop too
            delta_free, _, ind, pid = free[0]
            add(Topic("drop", ind, pid, delta_free, largest=delta_free == delta))

    gaps = sorted(
        (-r.gap.size, n, r.indicator, r.gap.high)
        for n, r in enumerate(rows)
        if r.gap is not None and r.gap.flagged
    )
    if gaps:
        neg, _, ind, _ = gaps[0]
        if ind in taken:
            mention(ind, gap=-neg)
        free = [g for g in gaps if g[2] not in taken]
        if free:
            neg_free, _, ind, high = free[0]
            add(Topic("gap", ind, high, -neg_free, largest=neg_free == neg))

    lows = [
        (mean, n, r.indicator)
        for n, r in enumerate(rows)
        if r.job_linked
        and r.indicator not in taken
        and (mean := r.mean_now()) is not None
        and mean <= LOW_SCORE
    ]
    if lows:
        mean, n, ind = min(lows)
        # One side's answer alone is that side's, not "yours on average".
        sides = rows[n].answered_now()
        add(Topic("low", ind, sides[0] if len(sides) == 1 else None, mean))
    return topics
