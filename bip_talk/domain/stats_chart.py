"""Geometry of the stats report's bar charts: one row per figure, this job centre's
bar and the published BIP bar under it. Pure: numbers and words in, coordinates out;
``prompts/shared/reports/bars.svg`` draws it (and escapes every text).

Readable in black and white, in the style of the citizen report's chart: this job
centre is a solid bar, BIP a hatched one, each with its number written at its end,
and a legend in words. A suppressed figure has no bar, only the words saying why.
Values below zero (a mean change) grow to the left of a marked zero line.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bip_talk.domain.report_chart import CHAR

WIDTH = 860
LABEL_MIN, LABEL_MAX = 120, 330  # room for the row labels on the left
VALUE_ROOM = 96  # room right of the longest bar for its number
TOP = 44  # the legend sits above the plot
BAR = 13
PAIR_GAP = 3
ROW_GAP = 13
AXIS_ROOM = 30
STEPS = (1, 2, 2.5, 5, 10)


@dataclass(frozen=True, slots=True)
class BarRowIn:
    label: str
    value: float | None  # None: suppressed (or not measured)
    value_text: str  # "63,3 %", or why there is no bar ("<5 borgere")
    published: float | None = None
    published_text: str = ""


@dataclass(frozen=True, slots=True)
class ChartTexts:
    title: str
    description: str
    ours: str  # "Dette jobcenter"
    published: str  # "BIP (offentliggjort)"


@dataclass(frozen=True, slots=True)
class BarOut:
    kind: str  # ours | published
    x: float
    y: float
    width: float
    height: float
    text: str
    text_x: float
    text_anchor: str


@dataclass(frozen=True, slots=True)
class RowOut:
    label: str
    label_y: float
    bars: tuple[BarOut, ...]
    note: str  # shown instead of our bar (suppressed)
    note_x: float
    note_y: float


@dataclass(frozen=True, slots=True)
class TickOut:
    x: float
    text: str


@dataclass(frozen=True, slots=True)
class BarChart:
    key: str
    width: float
    height: float
    title: str
    description: str
    left: float
    right: float
    top: float
    bottom: float
    zero: float
    ticks: tuple[TickOut, ...]
    rows: tuple[RowOut, ...]
    legend_ours: str
    legend_published: str | None
    has_negative: bool


def _f(value: float) -> float:
    return round(value, 1)


def nice_max(value: float) -> float:
    """The smallest 1/2/2.5/5 × 10^k at or above ``value`` (at least 1)."""
    value = max(value, 1e-9)
    magnitude = 1.0
    while magnitude * 10 < value:
        magnitude *= 10
    while magnitude > value:
        magnitude /= 10
    for step in STEPS:
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def build_bar_chart(
    key: str,
    texts: ChartTexts,
    rows: Sequence[BarRowIn],
    *,
    tick_text: Callable[[float], str],
    limit: float | None = None,
) -> BarChart:
    """``tick_text``: a function from a tick value to its words ("20 %"); ``limit``:
    the top of the scale (default: a round number above the largest value)."""
    values = [v for r in rows for v in (r.value, r.published) if v is not None]
    has_negative = any(v < 0 for v in values)
    top_value = limit or nice_max(max([abs(v) for v in values] or [1.0]))
    low_value = -top_value if has_negative else 0.0
    widest = max([len(r.label) * CHAR for r in rows] or [0.0])
    left, right = _f(min(max(widest + 16, LABEL_MIN), LABEL_MAX)), WIDTH - VALUE_ROOM
    has_published = any(r.published is not None for r in rows)

    def x(value: float) -> float:
        return _f(left + (value - low_value) / (top_value - low_value) * (right - left))

    zero = x(0.0)
    per_row = BAR * (2 if has_published else 1) + PAIR_GAP + ROW_GAP
    out_rows = []
    y = TOP
    for r in rows:
        bars = []
        slots = [("ours", r.value, r.value_text)]
        if has_published:
            slots.append(("published", r.published, r.published_text))
        for n, (kind, value, text) in enumerate(slots):
            if value is None:
                continue
            by = y + n * (BAR + PAIR_GAP)
            end = x(value)
            x0, x1 = min(zero, end), max(zero, end)
            negative = value < 0
            bars.append(
                BarOut(
                    kind,
                    x0,
                    _f(by),
                    _f(max(x1 - x0, 1.5)),
                    BAR,
                    text,
                    _f(x0 - 5 if negative else x1 + 5),
                    "end" if negative else "start",
                )
            )
        note = "" if r.value is not None else r.value_text
        out_rows.append(
            RowOut(r.label, _f(y + BAR - 2), tuple(bars), note, _f(zero + 5), _f(y + BAR - 2))
        )
        y += per_row
    bottom = y - ROW_GAP + 6
    tick_values = _ticks(low_value, top_value)
    ticks = tuple(TickOut(x(v), tick_text(v)) for v in tick_values)
    return BarChart(
        key=key,
        width=WIDTH,
        height=_f(bottom + AXIS_ROOM),
        title=texts.title,
        description=texts.description,
        left=left,
        right=right,
        top=TOP - 8,
        bottom=_f(bottom),
        zero=zero,
        ticks=ticks,
        rows=tuple(out_rows),
        legend_ours=texts.ours,
        legend_published=texts.published if has_published else None,
        has_negative=has_negative,
    )


def _ticks(low: float, high: float) -> list[float]:
    """Five to ten round values across the scale."""
    span = high - low
    step = nice_max(span / 5)
    if span / step > 10:
        step *= 2
    first = step * round(low / step)
    out, v = [], first
    while v <= high + 1e-9:
        out.append(round(v, 6))
        v += step
    return out
