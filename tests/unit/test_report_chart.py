"""The chart's geometry and its SVG: values on the right height, one style per
perspective (line pattern and marker, not colour alone), gaps left open, events on
the time axis, every text escaped, and valid XML."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

import pytest

from bip_talk.domain.report_chart import (
    PLOT_HEIGHT,
    STYLES,
    MarkIn,
    SeriesIn,
    SpanIn,
    Texts,
    build_chart,
)
from bip_talk.render import environment

SVG = "{http://www.w3.org/2000/svg}"
DATES = [date(2026, 2, 1), date(2026, 5, 1), date(2026, 8, 1), date(2026, 11, 1)]
TICKS = ["1.2.2026", "1.5.2026", "1.8.2026", "1.11.2026"]
WORDS_A = ["a1", "a2", "a3", "a4", "a5"]
WORDS_B = ["b1", "b2", "b3", "b4", "b5"]
TEXTS = Texts("Helbred over tid", "Borger: …", "ny sagsbehandler", "indsats")


def chart(series=None, **kw):
    series = series or [
        SeriesIn("Borger", list(zip(DATES, [1, 2, None, 5], strict=True)), WORDS_A),
        SeriesIn("Sagsbehandler", list(zip(DATES, [2, 2, 3, 4], strict=True)), WORDS_B),
    ]
    return build_chart("helbred", TEXTS, series, dates=DATES, tick_texts=TICKS, **kw)


def svg(c) -> str:
    return environment().get_template("shared/reports/chart.svg").render(chart=c)


def test_values_sit_at_their_height():
    c = chart()
    ys = {t.text: t.pos for t in c.grid}
    assert ys["5"] == c.top and ys["1"] == c.bottom == c.top + PLOT_HEIGHT
    assert ys["1"] > ys["2"] > ys["3"] > ys["4"] > ys["5"]  # higher value, higher up


def test_each_perspective_has_its_own_pattern_and_marker():
    c = chart()
    a, b = c.lines
    assert (a.style.dash, a.style.marker, a.style.filled) != (
        b.style.dash,
        b.style.marker,
        b.style.filled,
    )
    assert len({(s.dash, s.marker, s.filled) for s in STYLES}) == len(STYLES)


def test_a_missing_answer_breaks_the_line():
    c = chart()
    citizen, caseworker = c.lines
    assert len(citizen.markers) == 3 and len(citizen.paths) == 1  # 1→2, then 5 alone
    assert len(caseworker.markers) == 4 and len(caseworker.paths) == 1


def test_meetings_left_to_right_and_scale_words_on_both_sides():
    c = chart()
    xs = [t.pos for t in c.ticks]
    assert xs == sorted(xs) and len(xs) == 4
    assert c.left < xs[0] and xs[-1] < c.right
    assert [a.heading for a in c.axes] == ["Borger", "Sagsbehandler"]
    assert [w.text for w in c.axes[0].words] == WORDS_A
    assert c.axes[0].words[4].pos == c.top  # "a5" beside 5


def test_same_scale_words_are_shown_once():
    series = [
        SeriesIn("A", list(zip(DATES, [1, 2, 3, 4], strict=True)), WORDS_A),
        SeriesIn("B", list(zip(DATES, [1, 2, 3, 4], strict=True)), WORDS_A),
    ]
    assert len(chart(series).axes) == 1


def test_close_meetings_do_not_print_dates_over_each_other():
    dates = [date(2026, 1, 1), date(2026, 1, 3), date(2026, 12, 1)]
    c = build_chart(
        "x",
        TEXTS,
        [SeriesIn("A", list(zip(dates, [1, 2, 3], strict=True)))],
        dates=dates,
        tick_texts=["a", "b", "c"],
    )
    assert [t.text for t in c.ticks] == ["a", "c"]


def test_events_widen_the_axis_within_reach():
    changes = [MarkIn(date(2026, 12, 15), "ny: BN"), MarkIn(date(2030, 1, 1), "far away")]
    spans = [
        SpanIn(date(2026, 5, 10), date(2026, 7, 1), "Praktik"),
        SpanIn(date(2026, 11, 20), None, "Mentor"),
    ]
    c = chart(changes=changes, spans=spans)
    assert [v.label for v in c.changes] == ["ny: BN"]  # 2030 is out of reach
    assert c.changes[0].x > c.ticks[-1].pos
    praktik, mentor = c.bars
    assert not praktik.open_end and praktik.x1 < praktik.x2
    assert mentor.open_end and mentor.x2 - mentor.x1 > 10  # a running bar stays visible
    assert praktik.y < mentor.y  # one lane each


def test_a_single_meeting_still_draws():
    c = build_chart(
        "x", TEXTS, [SeriesIn("A", [(DATES[0], 3.0)])], dates=DATES[:1], tick_texts=TICKS[:1]
    )
    assert c.left < c.ticks[0].pos < c.right
    assert len(c.lines[0].markers) == 1 and c.lines[0].paths == ()


def test_chart_needs_a_meeting():
    with pytest.raises(ValueError):
        build_chart("x", TEXTS, [], dates=[], tick_texts=[])


def test_svg_is_valid_xml_with_legend_in_words():
    c = chart(
        changes=[MarkIn(date(2026, 6, 1), "Ny sagsbehandler: BN")],
        spans=[SpanIn(date(2026, 5, 10), date(2026, 7, 1), "Praktik")],
    )
    root = ET.fromstring(svg(c))
    assert root.tag == f"{SVG}svg"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for word in (
        "Borger",
        "Sagsbehandler",
        "ny sagsbehandler",
        "indsats",
        "Praktik",
        "Ny sagsbehandler: BN",
        "1.2.2026",
        "a1",
        "b5",
        "1",
        "5",
    ):
        assert word in texts, word
    assert root.find(f"{SVG}title").text == "Helbred over tid"
    dashed = [p for p in root.iter(f"{SVG}path") if p.get("stroke-dasharray")]
    assert dashed, "the second perspective's line is dashed"
    assert root.find(f".//{SVG}pattern") is not None  # hatched bars, not a colour


def test_svg_escapes_every_text():
    nasty = '<script>alert("x")</script> & </svg>'
    series = [SeriesIn(nasty, list(zip(DATES, [1, 2, 3, 4], strict=True)), [nasty] * 5)]
    c = build_chart(
        "x",
        Texts(nasty, nasty, nasty, nasty),
        series,
        dates=DATES,
        tick_texts=[nasty] * 4,
        changes=[MarkIn(DATES[1], nasty)],
        spans=[SpanIn(DATES[0], None, nasty)],
    )
    text = svg(c)
    assert "<script>" not in text
    root = ET.fromstring(text)  # still well-formed
    assert nasty in [t.text for t in root.iter(f"{SVG}text")]
