"""``bip-talk stats``: the BIP tables on this job centre's own data, beside the
published BIP figures, as text, JSON or a printable HTML report with bar charts.

The pack says which questions carry BIP's meanings (the job-search channels, the
caseworker's belief, the citizen's scale items, the company-based interventions);
the store counts (``store/bip_stats.py``); ``domain/bip_results.py`` turns counts into
shown figures and hides every cell built from fewer than five citizens. Nothing in
the output names or identifies a citizen or a caseworker.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from bip_talk import clock
from bip_talk.domain import bip_results as br
from bip_talk.domain.bip_results import Share, StatsSpec, Tables
from bip_talk.domain.dates import read_day
from bip_talk.domain.evidence_model import evidence_of
from bip_talk.domain.outcomes import IN_WORK_OR_EDUCATION
from bip_talk.domain.pack import Pack
from bip_talk.domain.stats_chart import BarChart, BarRowIn, ChartTexts, build_bar_chart
from bip_talk.domain.wording import number
from bip_talk.errors import InputError
from bip_talk.i18n import Translator, format_date
from bip_talk.render import render
from bip_talk.services.out_file import write_private
from bip_talk.store import Store
from bip_talk.store.bip_stats import stats_counts

FORMATS = ("text", "json", "html")
SUPPRESSED = "<5"


# -- the period and the pack -------------------------------------------------------------


def parse_period(
    date_from: str | None, date_to: str | None, t: Translator
) -> tuple[str | None, str | None]:
    """ISO dates (both ends included), checked; ``None`` for an open end."""
    days: list[str | None] = []
    for option, value in (("--from", date_from), ("--to", date_to)):
        if value is None or not value.strip():
            days.append(None)
            continue
        day = read_day(value)  # dd.mm.åååå as the screens show it, or ÅÅÅÅ-MM-DD
        if day is None:
            raise InputError(t("stats.bad_date", option=option, value=value))
        days.append(day.isoformat())
    start, end = days
    if start and end and start > end:
        raise InputError(t("stats.bad_period", start=start, end=end))
    return start, end


def stats_spec(pack: Pack, date_from: str | None = None, date_to: str | None = None) -> StatsSpec:
    """Which of the pack's questions and plan types the tables read."""
    citizen = next((p.id for p in pack.perspectives if p.respondent == "citizen"), "")
    ev = evidence_of(pack)
    search = ev.search if ev else None
    search_item = pack.item(search.perspective, search.item) if search else None
    search_indicators = set()
    channel_options: tuple[str, ...] = ()
    if search and search_item:
        search_indicators.add(search_item.indicator)
        if search.scale_item and (scale := pack.item(search.perspective, search.scale_item)):
            search_indicators.add(scale.indicator)
        special = {*search.not_searching, *search.no_answer}
        channel_options = tuple(
            o.id for o in search_item.options if not o.exclusive and o.id not in special
        )
    # The mean score leaves out the job-search questions: job search is what it sorts.
    score_items = tuple(
        i.id
        for i in pack.items(citizen)
        if i.type == "scale" and not i.private and i.indicator not in search_indicators
    )
    belief = br.belief_item(pack)
    interventions = [i for i in ev.interventions if i.activity] if ev else []
    return StatsSpec(
        citizen_perspective=citizen,
        score_items=score_items,
        search_perspective=search.perspective if search_item and search else None,
        search_item=search_item.id if search_item else None,
        channel_options=channel_options,
        not_searching_options=tuple(search.not_searching) if search_item and search else (),
        wont_answer_options=tuple(search.no_answer) if search_item and search else (),
        belief_perspective=belief[0] if belief else None,
        belief_item=belief[1].id if belief else None,
        company_kinds=tuple(i.id for i in interventions if i.company_based),
        intervention_kinds=tuple(i.id for i in interventions),
        positive_outcomes=IN_WORK_OR_EDUCATION,
        date_from=date_from,
        date_to=date_to,
    )


def compute_tables(store: Store, pack: Pack, spec: StatsSpec) -> Tables:
    groups = [g.id for g in pack.manifest.target_groups]
    return br.build_tables(stats_counts(store.db, spec), spec, groups)


# -- words for the figures ---------------------------------------------------------------


def count_text(value: int | None, lang: str) -> str:
    """27.108 in Danish, 27,108 in English; '–' when hidden."""
    if value is None:
        return "–"
    text = f"{value:,}"
    return text.replace(",", ".") if lang == "da" else text


def percent_text(value: float | None, lang: str) -> str:
    """'63,0 %': always one decimal, so a column lines up; '<5' when suppressed."""
    if value is None:
        return SUPPRESSED
    text = f"{value:.1f}"
    return f"{text.replace('.', ',') if lang == 'da' else text} %"


def mean_text(value: float | None, lang: str) -> str:
    if value is None:
        return SUPPRESSED
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    text = f"{abs(value):.2f}"
    return sign + (text.replace(".", ",") if lang == "da" else text)


def ratio_text(value: float | None, lang: str) -> str:
    if value is None:
        return SUPPRESSED
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "da" else text


# -- what the text and HTML reports show ------------------------------------------------


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    value: str  # "63,3 %", "<5", "+0,16"
    n: str
    published: str  # "64 %", "fremgang", "–"
    chart_value: float | None = None
    chart_published: float | None = None


@dataclass(frozen=True)
class Group:
    heading: str  # "" for a table of one group
    n: str
    lines: tuple[Line, ...]
    chart: BarChart | None = None


@dataclass(frozen=True)
class Section:
    key: str
    number: int
    title: str
    what: str  # what is counted, in one or two sentences
    value_heading: str
    groups: tuple[Group, ...]
    notes: tuple[str, ...]
    source: str
    available: bool = True

    @property
    def label_width(self) -> int:
        """The text report's first column: as wide as the longest label."""
        return max([len(ln.label) for g in self.groups for ln in g.lines] or [10])


@dataclass(frozen=True)
class StatsView:
    lang: str
    title: str
    generated: str  # "Lavet 05.01.2026"
    period: str
    overview: str
    empty: bool
    empty_text: str
    sections: tuple[Section, ...]
    methods_heading: str
    methods: tuple[str, ...]
    source_word: str
    col_n: str
    col_bip: str


class _Words:
    """Labels from the pack and the catalog, in one language."""

    def __init__(self, pack: Pack, t: Translator, spec: StatsSpec) -> None:
        self.pack, self.t, self.lang, self.spec = pack, t, t.lang, spec
        item = (
            pack.item(spec.search_perspective, spec.search_item)
            if spec.search_perspective and spec.search_item
            else None
        )
        self.options = {o.id: o.text.get(t.lang) for o in item.options} if item else {}
        belief = (
            pack.item(spec.belief_perspective, spec.belief_item)
            if spec.belief_perspective and spec.belief_item
            else None
        )
        self.belief_labels = pack.scale_labels(belief, t.lang) if belief else []
        self.groups = {g.id: g.name.get(t.lang) for g in pack.manifest.target_groups}
        ev = evidence_of(pack)
        self.kinds = {i.id: i.name.get(t.lang) for i in ev.interventions} if ev else {}

    def search(self, key: str) -> str:
        return self.t(f"stats.search.{key}")

    def channel(self, key: str) -> str:
        if key in (br.NOT_SEARCHING, br.WONT_ANSWER):
            return self.search(key)
        return self.options.get(key, key)

    def belief(self, key: str) -> str:
        n = int(key)
        label = self.belief_labels[n - 1] if n <= len(self.belief_labels) else ""
        return f"{n} {label}".strip()

    def group(self, key: str) -> str:
        if key == "all":
            return self.t("stats.offer.all")
        if key == br.NO_GROUP:
            return self.t("stats.offer.no_group")
        return self.groups.get(key, key)

    def kind(self, key: str) -> str:
        if key == br.NO_INTERVENTION:
            return self.t("stats.progression.none")
        return self.kinds.get(key, key)


def _share_line(cell: Share, label: str, lang: str) -> Line:
    return Line(
        label,
        percent_text(cell.percent, lang),
        count_text(cell.n, lang),
        f"{number(cell.published, lang)} %" if cell.published is not None else "–",
        cell.percent,
        cell.published,
    )


def _chart(
    key: str, title: str, lines: Sequence[Line], t: Translator, *, means: bool = False
) -> BarChart:
    lang = t.lang

    def tick(v: float) -> str:
        return mean_text(v, lang) if means else f"{number(v, lang)} %"

    rows = [
        BarRowIn(
            ln.label,
            ln.chart_value,
            ln.value if ln.chart_value is not None else t("stats.chart.suppressed"),
            ln.chart_published,
            ln.published,
        )
        for ln in lines
    ]
    texts = ChartTexts(
        title,
        t("stats.chart.description", title=title),
        t("stats.chart.ours"),
        t("stats.chart.published"),
    )
    return build_bar_chart(key, texts, rows, tick_text=tick)


def _group(
    key: str, heading: str, n: str, lines: Sequence[Line], title: str, t: Translator, **kw: bool
) -> Group:
    return Group(heading, n, tuple(lines), _chart(key, title, lines, t, **kw))


def build_view(tables: Tables, pack: Pack, spec: StatsSpec, t: Translator) -> StatsView:
    lang = t.lang
    w = _Words(pack, t, spec)

    def section(key: str, number_: int, groups: Sequence[Group], **kw: object) -> Section:
        return Section(
            key=key,
            number=number_,
            title=t(f"stats.title.{key}"),
            what=t(f"stats.what.{key}", **kw),
            value_heading=t("stats.col.here"),
            groups=tuple(groups),
            notes=(),
            source=t(f"stats.source.{key}"),
        )

    searched = count_text(tables.searched, lang)
    no_search = not spec.search_item
    sections = []
    # 1 job search
    lines = [_share_line(c, w.search(c.key), lang) for c in tables.job_search]
    s = section(
        "job_search", 1, [_group("job_search", "", searched, lines, t("stats.title.job_search"), t)]
    )
    sections.append(_unavailable(s, t) if no_search else s)
    # 2 channels
    lines = [_share_line(c, w.channel(c.key), lang) for c in tables.channels]
    s = section(
        "channels", 2, [_group("channels", "", searched, lines, t("stats.title.channels"), t)]
    )
    sections.append(_unavailable(s, t) if no_search else s)
    # 3 channels by score band
    groups = []
    for band in tables.channels_by_score:
        heading = t(f"stats.band.{band.key}")
        lines = [_share_line(c, w.channel(c.key), lang) for c in band.cells]
        groups.append(
            _group(
                f"band-{band.key}",
                heading,
                count_text(band.n, lang),
                lines,
                f"{t('stats.title.channels_by_score')}: {heading}",
                t,
            )
        )
    s = section("channels_by_score", 3, groups)
    sections.append(_unavailable(s, t) if no_search or not spec.score_items else s)
    # 4 job by the caseworker's belief
    lines = [_share_line(c, w.belief(c.key), lang) for c in tables.job_by_belief]
    follow = format_date(tables.followed_up_to, lang) if tables.followed_up_to else "–"
    s = section(
        "job_by_belief",
        4,
        [_group("job_by_belief", "", "", lines, t("stats.title.job_by_belief"), t)],
        date=follow,
    )
    sections.append(_unavailable(s, t) if not spec.belief_item else s)
    # 5 caseworker change
    lines = [
        _share_line(tables.with_change, t("stats.change.with_change"), lang),
        _share_line(tables.after_change, t("stats.change.after_change"), lang),
        _share_line(tables.without_change, t("stats.change.without_change"), lang),
    ]
    s = section(
        "caseworker_change",
        5,
        [_group("caseworker_change", "", "", lines, t("stats.title.caseworker_change"), t)],
        date=follow,
    )
    ratio = tables.change_ratio
    sections.append(
        _with_notes(
            s,
            t(
                "stats.change.ratio",
                value=ratio_text(ratio.value, lang),
                published=ratio_text(ratio.published, lang),
            ),
        )
    )
    # 6 company-based offers
    lines = [_share_line(c, w.group(c.key), lang) for c in tables.company_based_offer]
    s = section(
        "company_based_offer",
        6,
        [_group("company_based_offer", "", "", lines, t("stats.title.company_based_offer"), t)],
    )
    sections.append(_unavailable(s, t) if not spec.company_kinds else s)
    # 7 progression by intervention
    lines = [
        Line(
            w.kind(m.key),
            mean_text(m.mean, lang),
            count_text(m.n, lang),
            t(f"stats.progression.published.{m.published}") if m.published else "–",
            m.mean,
            None,
        )
        for m in tables.progression
    ]
    s = section(
        "progression_by_intervention",
        7,
        [
            _group(
                "progression",
                "",
                "",
                lines,
                t("stats.title.progression_by_intervention"),
                t,
                means=True,
            )
        ],
    )
    sections.append(replace(s, value_heading=t("stats.col.mean")))
    period = _period_text(tables, spec, t)
    overview = t(
        "stats.overview",
        citizens=count_text(tables.citizens, lang),
        measurements=count_text(tables.measurements, lang),
    )
    return StatsView(
        lang=lang,
        title=t("stats.report_title"),
        generated=t("stats.generated", date=format_date(clock.today().isoformat(), lang)),
        period=period,
        overview=overview,
        empty=tables.empty,
        empty_text=t("stats.empty"),
        sections=tuple(sections),
        methods_heading=t("stats.methods.heading"),
        methods=tuple(t(f"stats.methods.{k}") for k in METHODS),
        source_word=t("stats.source_word"),
        col_n=t("stats.col.n"),
        col_bip=t("stats.col.bip"),
    )


METHODS = ("associations", "not_a_prediction", "units", "outcomes", "suppression", "bip")


def _unavailable(s: Section, t: Translator) -> Section:
    """The pack lacks the questions this table needs."""
    return replace(s, available=False, notes=(t("stats.unavailable"),))


def _with_notes(s: Section, *notes: str) -> Section:
    return replace(s, notes=(*s.notes, *notes))


def _period_text(tables: Tables, spec: StatsSpec, t: Translator) -> str:
    lang = t.lang
    asked_from = format_date(spec.date_from, lang) if spec.date_from else None
    asked_to = format_date(spec.date_to, lang) if spec.date_to else None
    if asked_from or asked_to:
        return t("stats.period_asked", start=asked_from or "…", end=asked_to or "…")
    if tables.first_on and tables.last_on:
        return t(
            "stats.period_all",
            start=format_date(tables.first_on, lang),
            end=format_date(tables.last_on, lang),
        )
    return t("stats.period_none")


# -- the output --------------------------------------------------------------------------


def render_stats(
    store: Store,
    pack: Pack,
    *,
    fmt: str,
    lang: str,
    date_from: str | None = None,
    date_to: str | None = None,
) -> str:
    """The whole output in ``fmt`` (text, json or html)."""
    t = Translator(lang)
    if fmt not in FORMATS:
        raise InputError(t("stats.bad_format", value=fmt, known=", ".join(FORMATS)))
    if fmt == "json":
        tables, _ = _counted(store, pack, t, date_from, date_to)
        sources = {key: t(key_) for key, key_ in br.SOURCES.items()}
        return json.dumps(br.tables_json(tables, sources), ensure_ascii=False, indent=2) + "\n"
    view = stats_view(store, pack, lang=lang, date_from=date_from, date_to=date_to)
    if fmt == "html":
        return render("reports/stats.html", lang, v=view) + "\n"
    return stats_text(view, lang)


def stats_view(
    store: Store,
    pack: Pack,
    *,
    lang: str,
    date_from: str | None = None,
    date_to: str | None = None,
) -> StatsView:
    """The tables counted and put into words (the slow part: every measurement is read)."""
    t = Translator(lang)
    tables, spec = _counted(store, pack, t, date_from, date_to)
    return build_view(tables, pack, spec, t)


def _counted(
    store: Store, pack: Pack, t: Translator, date_from: str | None, date_to: str | None
) -> tuple[Tables, StatsSpec]:
    """The period checked, then every table counted over it."""
    start, end = parse_period(date_from, date_to, t)
    spec = stats_spec(pack, start, end)
    return compute_tables(store, pack, spec), spec


TEXT_WIDTH = 92


def stats_text(view: StatsView, lang: str, width: int = TEXT_WIDTH) -> str:
    """The text report, its paragraphs wrapped to ``width`` columns (the tables keep
    theirs): the file at 92, a screen at its own width."""

    def wrap(text: str, indent: str = "", first: str | None = None) -> str:
        return textwrap.fill(
            text,
            max(width, 40),
            initial_indent=indent if first is None else first,
            subsequent_indent=indent,
            break_on_hyphens=False,
        )

    return render("reports/stats.txt", lang, v=view, pad=_pad, wrap=wrap) + "\n"


def _pad(text: str, width: int, right: bool = False) -> str:
    """Fixed-width columns for the text report."""
    return text.rjust(width) if right else text.ljust(width)


def default_name(fmt: str, t: Translator) -> str:
    ext = {"text": "txt", "json": "json", "html": "html"}[fmt]
    return t("stats.default_name", date=clock.today().isoformat(), ext=ext)


def write_stats(path: Path, text: str, t: Translator, *, replace: bool = False) -> Path:
    return write_private(path, text, t, replace=replace)
