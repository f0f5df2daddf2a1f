"""The stats report's bar charts: bars proportional to the figures, BIP's bar hatched
beside ours, no bar for a suppressed figure (its words instead), negative changes to
the left of a marked zero, and every text escaped in the SVG."""

from __future__ import annotations

import re

from bip_talk.domain.stats_chart import BarRowIn, ChartTexts, build_bar_chart, nice_max
from bip_talk.render import environment

TEXTS = ChartTexts("Søger borgerne job?", "Søjlediagram", "Dette jobcenter", "BIP")


def _chart(rows, **kw):
    return build_bar_chart("t", TEXTS, rows, tick_text=lambda v: f"{v:g}", **kw)


def test_bars_are_proportional_and_bip_sits_under_ours():
    chart = _chart(
        [
            BarRowIn("Søger ikke", 60.0, "60 %", 64.0, "64 %"),
            BarRowIn("Søger", 30.0, "30 %", 30.0, "30 %"),
        ]
    )
    (ours, bip), (ours2, _) = (r.bars for r in chart.rows)
    assert (ours.kind, bip.kind) == ("ours", "published")
    assert ours.x == bip.x == chart.zero == chart.left
    assert abs(ours.width / ours2.width - 2.0) < 0.02
    assert bip.y > ours.y and bip.width > ours.width
    assert chart.ticks[-1].text == "100"  # a round top above 64
    assert chart.legend_published == "BIP"


def test_a_suppressed_row_has_no_bar_of_ours_only_its_words():
    chart = _chart([BarRowIn("Vikar", None, "<5 – for få borgere", 3.0, "3 %")])
    (row,) = chart.rows
    assert [b.kind for b in row.bars] == ["published"]
    assert row.note == "<5 – for få borgere"


def test_negative_changes_grow_left_of_zero():
    chart = _chart([BarRowIn("Praktik", 0.16, "+0,16"), BarRowIn("Ingen indsats", -0.09, "−0,09")])
    up, down = (r.bars[0] for r in chart.rows)
    assert chart.has_negative and chart.left < chart.zero < chart.right
    assert up.x == chart.zero and down.x + down.width == chart.zero
    assert down.text_anchor == "end"
    assert chart.legend_published is None  # nothing published to draw


def test_nice_max():
    assert [nice_max(v) for v in (0.16, 7, 27.1, 64, 100, 101)] == [0.2, 10, 50, 100, 100, 200]


def test_the_svg_escapes_every_text_and_uses_a_pattern_for_bip():
    chart = build_bar_chart(
        "x",
        ChartTexts("<b>titel</b>", "d & e", "vores", "BIP"),
        [BarRowIn("<script>", 10.0, "10 %", 12.0, "12 %")],
        tick_text=lambda v: f"{v:g} %",
    )
    svg = environment().get_template("shared/reports/bars.svg").render(chart=chart)
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "&lt;b&gt;titel&lt;/b&gt;" in svg and "d &amp; e" in svg
    assert re.search(r'class="published"[^>]*fill="url\(#hatch-x\)"', svg)
