"""Geometry of the report's chart: one indicator, every perspective over time, with
interventions and caseworker changes. Pure: numbers and words in, coordinates out;
``prompts/shared/reports/chart.svg`` draws it (and escapes every text).

Readable in black and white: each perspective has its own line pattern (solid,
dashed, dotted …) and marker (filled circle, hollow square …), a legend in words,
caseworker changes are labelled dashed vertical lines, interventions are hatched
bars with their name and dates. Colour only doubles what the shapes already say.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

WIDTH = 860
PLOT_HEIGHT = 190
AXIS_WORDS = 150  # room for the scale words beside the plot
EDGE = 40  # margin where there are no scale words
INSET = 22  # keeps the first and last marker off the frame
TOP = 18
LABEL_ROW = 15
LANE = 34
LEGEND_ROW = 22
CHAR = 6.6  # average width of a 12 px character, for laying out text
MIN_TICK_GAP = 74
# Events this far outside the meetings still widen the time axis; further ones are cut.
REACH = timedelta(days=183)
RUNNING = timedelta(days=30)


@dataclass(frozen=True, slots=True)
class Style:
    name: str  # css class suffix
    dash: str  # stroke-dasharray, "" for solid
    marker: str  # circle | square | triangle | diamond
    filled: bool
    colour: str  # dark tones; black and white prints rely on dash and marker


STYLES = (
    Style("a", "", "circle", True, "#1d3f73"),
    Style("b", "7 4", "square", False, "#7a3500"),
    Style("c", "2 3", "triangle", True, "#2b5d2b"),
    Style("d", "9 3 2 3", "diamond", False, "#5b2d6e"),
)


@dataclass(frozen=True, slots=True)
class SeriesIn:
    label: str
    points: Sequence[tuple[date, float | None]]
    words: Sequence[str] | None = None  # the scale's five words for this perspective


@dataclass(frozen=True, slots=True)
class MarkIn:
    """A caseworker change: a dashed vertical line with a label."""

    on: date
    label: str


@dataclass(frozen=True, slots=True)
class SpanIn:
    """An intervention: a hatched bar from start to end (``None``: still running)."""

    start: date
    end: date | None
    label: str


@dataclass(frozen=True, slots=True)
class Texts:
    title: str
    description: str
    change_legend: str  # "new caseworker"
    span_legend: str  # "intervention (start–end)"


@dataclass(frozen=True, slots=True)
class Marker:
    d: str  # svg path


@dataclass(frozen=True, slots=True)
class Line:
    style: Style
    label: str
    paths: tuple[str, ...]  # one path per run of consecutive known values
    markers: tuple[Marker, ...]


@dataclass(frozen=True, slots=True)
class Tick:
    pos: float
    text: str


@dataclass(frozen=True, slots=True)
class VLine:
    x: float
    top: float
    bottom: float
    label: str
    label_y: float
    anchor: str


@dataclass(frozen=True, slots=True)
class Bar:
    x1: float
    x2: float
    y: float
    label: str
    label_x: float
    label_y: float
    anchor: str
    open_start: bool  # started before the time axis
    open_end: bool  # runs on after the time axis (or has no end yet)


@dataclass(frozen=True, slots=True)
class LegendItem:
    kind: str  # series | change | span
    x: float
    y: float
    text: str
    style: Style | None = None
    marker: Marker | None = None


@dataclass(frozen=True, slots=True)
class AxisWords:
    x: float
    anchor: str
    heading: str
    words: tuple[Tick, ...]  # pos = y


@dataclass(frozen=True, slots=True)
class Chart:
    key: str  # unique in the page: ids of the svg's defs
    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    title: str
    description: str
    grid: tuple[Tick, ...]  # y of 1..5 with the number
    axes: tuple[AxisWords, ...]
    ticks: tuple[Tick, ...]  # x of each meeting with its date
    lines: tuple[Line, ...]
    changes: tuple[VLine, ...]
    bars: tuple[Bar, ...]
    legend: tuple[LegendItem, ...]
    tick_y: float


def _f(value: float) -> float:
    return round(value, 1)


def marker_path(shape: str, x: float, y: float, size: float = 5.0) -> str:
    if shape == "circle":
        return (
            f"M{_f(x - size)} {_f(y)}a{size} {size} 0 1 0 {2 * size} 0"
            f"a{size} {size} 0 1 0 {-2 * size} 0z"
        )
    if shape == "square":
        s = size * 1.3  # larger than the circle: a circle on the same spot sits inside it
        return f"M{_f(x - s)} {_f(y - s)}h{_f(2 * s)}v{_f(2 * s)}h{_f(-2 * s)}z"
    if shape == "triangle":
        s = size * 1.15
        return f"M{_f(x)} {_f(y - s)}L{_f(x + s)} {_f(y + s * 0.8)}L{_f(x - s)} {_f(y + s * 0.8)}z"
    s = size * 1.6  # diamond, larger than the triangle for the same reason
    return f"M{_f(x)} {_f(y - s)}L{_f(x + s)} {_f(y)}L{_f(x)} {_f(y + s)}L{_f(x - s)} {_f(y)}z"


def _text_width(text: str) -> float:
    return len(text) * CHAR


def build_chart(
    key: str,
    texts: Texts,
    series: Sequence[SeriesIn],
    *,
    dates: Sequence[date],
    tick_texts: Sequence[str],
    changes: Sequence[MarkIn] = (),
    spans: Sequence[SpanIn] = (),
) -> Chart:
    """``dates``: the meetings, oldest first, with ``tick_texts`` their labels; every
    series has one point per meeting (``None`` where there is no score)."""
    if not dates:
        raise ValueError("a chart needs at least one meeting")
    # -- the time axis: the meetings, widened (within reach) for the events
    first, last = min(dates), max(dates)
    events = (
        [c.on for c in changes]
        + [s.start for s in spans]
        + [s.end for s in spans if s.end is not None]
    )
    lo = min([first, *[d for d in events if d >= first - REACH]])
    hi = max([last, *[d for d in events if d <= last + REACH]])
    if any(s.end is None and s.start >= hi - RUNNING for s in spans):
        hi += RUNNING  # a running intervention that just began still gets a visible bar
    if lo == hi:
        lo, hi = lo - timedelta(days=45), hi + timedelta(days=45)

    worded = [s for s in series if s.words]
    left_words = worded[0] if worded else None
    # A second axis only for a perspective whose scale has other words.
    first_words = list(worded[0].words or ()) if worded else []
    right_words = next((s for s in worded[1:] if list(s.words or ()) != first_words), None)
    left = AXIS_WORDS if left_words else EDGE
    right = WIDTH - (AXIS_WORDS if right_words else EDGE)
    rows = _label_rows(changes, lo, hi, left, right)
    top = TOP + LABEL_ROW * max(rows, 1) + 6
    bottom = top + PLOT_HEIGHT
    span_days = (hi - lo).days

    def x(day: date) -> float:
        day = min(max(day, lo), hi)
        return _f(left + INSET + (day - lo).days / span_days * (right - left - 2 * INSET))

    def y(value: float) -> float:
        return _f(top + (5 - value) / 4 * PLOT_HEIGHT)

    def words(s: SeriesIn) -> tuple[Tick, ...]:
        return tuple(Tick(y(n + 1), w) for n, w in enumerate(s.words or ()))

    grid = tuple(Tick(y(v), str(v)) for v in range(1, 6))
    axes = []
    if left_words:
        axes.append(AxisWords(left - 26, "end", left_words.label, words(left_words)))
    if right_words:
        axes.append(AxisWords(right + 26, "start", right_words.label, words(right_words)))

    ticks: list[Tick] = []
    for day, text in sorted(zip(dates, tick_texts, strict=True)):
        pos = x(day)
        if not ticks or pos - ticks[-1].pos >= MIN_TICK_GAP:
            ticks.append(Tick(pos, text))

    lines = []
    for n, s in enumerate(series):
        style = STYLES[n % len(STYLES)]
        runs: list[list[tuple[float, float]]] = [[]]
        markers = []
        for day, value in s.points:
            if value is None:
                runs.append([])  # a missing answer breaks the line: nothing is invented
                continue
            px, py = x(day), y(value)
            runs[-1].append((px, py))
            markers.append(Marker(marker_path(style.marker, px, py)))
        paths = tuple(
            "M" + "L".join(f"{px} {py}" for px, py in run) for run in runs if len(run) > 1
        )
        lines.append(Line(style, s.label, paths, tuple(markers)))

    vlines = []
    for n, c in enumerate(sorted(changes, key=lambda c: c.on)):
        if not lo <= c.on <= hi:
            continue
        pos = x(c.on)
        anchor = "end" if pos + _text_width(c.label) > right else "start"
        vlines.append(
            VLine(
                pos,
                top - 4 - LABEL_ROW * (n % max(rows, 1)),
                bottom,
                c.label,
                top - 8 - LABEL_ROW * (n % max(rows, 1)),
                anchor,
            )
        )

    tick_y = bottom + 18
    bars = []
    lane_top = tick_y + 14
    for n, span in enumerate(spans):
        y0 = lane_top + n * LANE
        x1, x2 = x(span.start), x(span.end) if span.end is not None else x(hi)
        anchor = (
            "end"
            if x1 + _text_width(span.label) > right and x2 - _text_width(span.label) >= left
            else "start"
        )
        bars.append(
            Bar(
                x1,
                max(x2, x1 + 3),
                y0 + 16,
                span.label,
                x2 if anchor == "end" else x1,
                y0 + 11,
                anchor,
                open_start=span.start < lo,
                open_end=span.end is None or span.end > hi,
            )
        )
    legend_top = lane_top + len(spans) * LANE + 8
    legend, height = _legend(lines, texts, bool(vlines), bool(bars), left, right, legend_top)
    return Chart(
        key=key,
        width=WIDTH,
        height=height,
        left=left,
        right=right,
        top=top,
        bottom=bottom,
        title=texts.title,
        description=texts.description,
        grid=grid,
        axes=tuple(axes),
        ticks=tuple(ticks),
        lines=tuple(lines),
        changes=tuple(vlines),
        bars=tuple(bars),
        legend=legend,
        tick_y=tick_y,
    )


def _label_rows(changes: Sequence[MarkIn], lo: date, hi: date, left: float, right: float) -> int:
    """Two rows of labels when caseworker changes lie close together, else one."""
    days = sorted(c.on for c in changes if lo <= c.on <= hi)
    if len(days) < 2:
        return 1
    per_day = (right - left) / max((hi - lo).days, 1)
    widest = max(_text_width(c.label) for c in changes)
    close = any((b - a).days * per_day < widest + 8 for a, b in zip(days, days[1:], strict=False))
    return 2 if close else 1


def _legend(
    lines: Sequence[Line],
    texts: Texts,
    changes: bool,
    spans: bool,
    left: float,
    right: float,
    top: float,
) -> tuple[tuple[LegendItem, ...], float]:
    entries: list[tuple[str, str, Style | None]] = [("series", ln.label, ln.style) for ln in lines]
    if changes:
        entries.append(("change", texts.change_legend, None))
    if spans:
        entries.append(("span", texts.span_legend, None))
    items = []
    x, y = left, top + 12
    for kind, text, style in entries:
        width = 44 + _text_width(text) + 24
        if x > left and x + width > right:
            x, y = left, y + LEGEND_ROW
        marker = Marker(marker_path(style.marker, x + 18, y - 4)) if style else None
        items.append(LegendItem(kind, x, y, text, style, marker))
        x += width
    return tuple(items), y + 14
