"""The SQL behind ``bip-talk stats``: the BIP tables counted by the database, not in
Python (SQLite or PostgreSQL: the dialect spells dates, JSON lists and booleans).

One read transaction (a consistent snapshot while the app writes). The completed
meetings of the period go into a temporary table once, one row per measurement with
what every table needs (the citizen's mean score, the job-search answer, the
caseworker's belief answer); every table is then a GROUP BY over that table, joined to
outcomes, assignments and plan items through their indexes. Python only ever sees a
few dozen aggregate rows, so memory stays flat however many answers there are.

A "measurement" is a completed meeting. Every count comes with the number of distinct
citizens behind it, for the small-cell rule (``domain.bip_results.MIN_CITIZENS``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bip_talk.domain.bip_results import (
    BAND_HIGH,
    BAND_LOW,
    BANDS,
    NO_GROUP,
    NO_INTERVENTION,
    NOT_SEARCHING,
    QUARTER_DAYS,
    SEARCHING,
    WONT_ANSWER,
    YEAR_DAYS,
    Average,
    Part,
    StatsCounts,
    StatsSpec,
    Tally,
)
from bip_talk.store.dialect import Db, Dialect
from bip_talk.store.exchange.export import read_snapshot

FIRST_DAY, LAST_DAY = "0000-01-01", "9999-12-31"
# Plan items that never ran do not count as running (nor as an offer never made).
NOT_RUN = ("declined", "not_done")
_TEMP = (
    "stat_jobs",
    "stat_m",
    "stat_c",
    "stat_people",
    "stat_changes",
    "stat_d",
    "stat_p",
    "stat_cover",
)


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values)) or "NULL"


def _quoted(options: Sequence[str]) -> list[str]:
    """Option ids as they appear inside the stored JSON list (codes never hold quotes)."""
    return [f'"{o}"' for o in options]


def _has_any(d: Dialect, column: str, options: Sequence[str]) -> tuple[str, list[str]]:
    if not options:
        return "1 = 0", []
    return " OR ".join(d.contains(column) for _ in options), _quoted(options)


def _flag(condition: str) -> str:
    """A condition as 1 or 0 (NULL counts as 0): summable in both dialects."""
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END"


# Codes kept as small numbers in the temporary tables.
_CODE = {NOT_SEARCHING: 0, SEARCHING: 1, WONT_ANSWER: 2}
_SEARCH = {n: name for name, n in _CODE.items()}


def _band(score: str) -> str:
    """The score band of the slide "Hvem søger job?" (< 2.5, 2.5–3.5, > 3.5) in SQL, as
    its index in ``BANDS``."""
    return (
        f"CASE WHEN {score} IS NULL THEN NULL WHEN {score} < {BAND_LOW} THEN 0 "
        f"WHEN {score} <= {BAND_HIGH} THEN 1 ELSE 2 END"
    )


class _Counter:
    def __init__(self, db: Db, spec: StatsSpec) -> None:
        self.db = db
        self.d = db.dialect
        self.spec = spec
        self.date_from = spec.date_from or FIRST_DAY
        self.date_to = spec.date_to or LAST_DAY

    def rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.db.execute(sql, list(args)).fetchall())

    def run(self, sql: str, args: Sequence[Any] = ()) -> None:
        self.db.execute(sql, list(args))

    def index(self, name: str, table: str, columns: str) -> None:
        """An index on a temporary table (SQLite names the schema on the index,
        PostgreSQL on the table)."""
        if self.d.is_sqlite:
            self.run(f"CREATE INDEX temp.{name} ON {table} ({columns})")
        else:
            self.run(f"CREATE INDEX {name} ON pg_temp.{table} ({columns})")

    # -- the measurements ---------------------------------------------------------------

    def measurements(self) -> None:
        """``stat_m``: one row per measurement with the citizen's mean score, numbered
        ``k`` in (citizen, date) order, so a citizen's next measurement is row ``k + 1``.
        The mean is a lookup per meeting in the answers' key order (``+item_id``: walk
        the meeting's citizen answers rather than seek each item), cheaper than a
        separate pass over every answer and joining it back."""
        s, d = self.spec, self.d
        items = list(s.score_items)
        # Positive outcomes (job or education) of the period's citizens, for job_days.
        kinds = list(s.positive_outcomes)
        self.run(
            f"""CREATE TEMP TABLE stat_jobs AS
            SELECT citizen_id, occurred_on FROM outcomes WHERE kind IN ({_marks(kinds)})""",
            kinds,
        )
        self.index("stat_jobs_i", "stat_jobs", "citizen_id, occurred_on")
        wont, wont_args = _has_any(d, "choices", s.wont_answer_options)
        no, no_args = _has_any(d, "choices", s.not_searching_options)
        yes, yes_args = _has_any(d, "choices", s.channel_options)
        # Narrow rows (codes as small numbers) keep the sort and every later scan cheap.
        # The outer query names each subquery's value once: a flattened subquery named
        # twice would run twice per row.
        self.run(
            f"CREATE TEMP TABLE stat_m (k {d.integer} PRIMARY KEY, id {d.integer} NOT NULL, "
            f"citizen_id TEXT NOT NULL, held_on TEXT NOT NULL, job_days {d.real}, "
            f"score {d.real}, search INTEGER, choices TEXT, belief INTEGER)"
        )
        # k numbers the rows in the ORDER BY: SQLite's rowid does it as they come,
        # PostgreSQL says so with row_number().
        k, k_value = (
            ("", "")
            if d.is_sqlite
            else ("k, ", "row_number() OVER (ORDER BY citizen_id, held_on, id), ")
        )
        # SQLite's avg() is a float already; PostgreSQL's of integers would be numeric.
        value = "a.value" if d.is_sqlite else f"CAST(a.value AS {d.real})"
        next_job = (
            "(SELECT min(o.occurred_on) FROM stat_jobs o "
            "WHERE o.citizen_id = m.citizen_id AND o.occurred_on >= m.held_on)"
        )
        # job_days: days from the measurement to the next job or education, if any.
        self.run(
            f"""
            INSERT INTO stat_m ({k}id, citizen_id, held_on, job_days, score, search, choices,
                                belief)
            SELECT {k_value}id, citizen_id, held_on, job_days, score,
              CASE WHEN s_meeting IS NULL THEN NULL
                   WHEN declined <> 0 OR {wont} THEN {_CODE[WONT_ANSWER]}
                   WHEN {no} THEN {_CODE[NOT_SEARCHING]}
                   WHEN {yes} THEN {_CODE[SEARCHING]} END,
              CASE WHEN declined = 0 AND NOT ({wont}) AND NOT ({no}) AND ({yes})
                   THEN choices END,
              belief
            FROM (SELECT m.id, m.citizen_id, m.held_on,
              CASE WHEN m.citizen_id IN (SELECT citizen_id FROM stat_jobs) THEN
                {d.day_number(next_job)} - {d.day_number("m.held_on")} END AS job_days,
              (SELECT avg({value}) FROM answers a
                 WHERE a.meeting_id = m.id AND a.perspective = ?
                   AND {d.unindexed("a.item_id")} IN ({_marks(items)}) AND a.value IS NOT NULL)
                AS score,
              s.meeting_id AS s_meeting, s.declined, s.choices, b.value AS belief
            FROM meetings m
            LEFT JOIN answers s
              ON s.meeting_id = m.id AND s.perspective = ? AND s.item_id = ?
            LEFT JOIN answers b
              ON b.meeting_id = m.id AND b.perspective = ? AND b.item_id = ?
            WHERE m.status = 'complete' AND m.held_on BETWEEN ? AND ?) AS q
            ORDER BY citizen_id, held_on, id""",
            [
                *wont_args,
                *no_args,
                *yes_args,
                *wont_args,
                *no_args,
                *yes_args,
                s.citizen_perspective,
                *items,
                s.search_perspective,
                s.search_item,
                s.belief_perspective,
                s.belief_item,
                self.date_from,
                self.date_to,
            ],
        )
        # Every channel a searcher named, once: the channel tables group these rows.
        options = list(s.channel_options)
        if d.is_sqlite:
            lists = "stat_m m, json_each(m.choices) j"
            valid = "json_valid(m.choices)"
        else:  # PostgreSQL 15 has no JSON test short of casting: bip-talk stores lists only
            lists = (
                "stat_m m CROSS JOIN LATERAL jsonb_array_elements_text(CASE WHEN m.choices "
                "LIKE '[%]' THEN CAST(m.choices AS jsonb) END) AS j(value)"
            )
            valid = "1 = 1"
        self.run(
            f"""CREATE TEMP TABLE stat_c AS
            SELECT m.citizen_id, {_band("m.score")} AS band, j.value AS option
            FROM {lists}
            WHERE m.choices IS NOT NULL AND {valid}
              AND j.value IN ({_marks(options)})""",
            options,
        )

    def overview(self) -> tuple[Tally, str | None, str | None, str | None]:
        n, citizens, first, last = self.rows(
            "SELECT count(*), count(DISTINCT citizen_id), min(held_on), max(held_on) FROM stat_m"
        )[0]
        # Follow-up runs to the last date the database has anything for (the whole
        # database: a job after the period still counts for a measurement in it).
        (horizon,) = self.rows(
            "SELECT max(d) FROM (SELECT max(held_on) AS d FROM meetings WHERE status = 'complete'"
            " UNION ALL SELECT max(occurred_on) FROM outcomes) AS h"
        )[0]
        return Tally(n, citizens), first, last, horizon

    # -- job search ---------------------------------------------------------------------

    def search(self) -> tuple[Tally, dict[str, Tally]]:
        rows = self.rows(
            "SELECT search, count(*), count(DISTINCT citizen_id) FROM stat_m "
            "WHERE search IS NOT NULL GROUP BY search"
        )
        ((n, citizens),) = self.rows(
            "SELECT count(*), count(DISTINCT citizen_id) FROM stat_m WHERE search IS NOT NULL"
        )
        return Tally(n, citizens), {_SEARCH[r[0]]: Tally(r[1], r[2]) for r in rows}

    def channels(self) -> dict[str, Tally]:
        rows = self.rows(
            "SELECT option, count(*), count(DISTINCT citizen_id) FROM stat_c GROUP BY option"
        )
        return {r[0]: Tally(r[1], r[2]) for r in rows}

    def bands(self) -> tuple[dict[str, Tally], dict[tuple[str, str], Tally]]:
        whole = {
            BANDS[r[0]]: Tally(r[1], r[2])
            for r in self.rows(
                f"SELECT {_band('score')} AS band, count(*), count(DISTINCT citizen_id) "
                "FROM stat_m WHERE search IS NOT NULL AND score IS NOT NULL GROUP BY band"
            )
        }
        cells: dict[tuple[str, str], Tally] = {}
        for r in self.rows(
            f"SELECT {_band('score')} AS band, search, count(*), count(DISTINCT citizen_id) "
            "FROM stat_m WHERE score IS NOT NULL "
            f"AND search IN ({_CODE[NOT_SEARCHING]}, {_CODE[WONT_ANSWER]}) GROUP BY band, search"
        ):
            cells[(BANDS[r[0]], _SEARCH[r[1]])] = Tally(r[2], r[3])
        for r in self.rows(
            "SELECT band, option, count(*), count(DISTINCT citizen_id) FROM stat_c "
            "WHERE band IS NOT NULL GROUP BY band, option"
        ):
            cells[(BANDS[r[0]], r[1])] = Tally(r[2], r[3])
        return whole, cells

    # -- outcomes after a measurement ----------------------------------------------------

    @staticmethod
    def _parts(row: tuple[Any, ...]) -> Part:
        _, n, citizens, hits, hit_citizens = row
        return Part(Tally(int(hits or 0), hit_citizens), Tally(n, citizens))

    def belief(self, horizon: str | None) -> dict[int, Part]:
        if horizon is None:
            return {}
        d = self.d
        rows = self.rows(
            f"""SELECT belief, count(*), count(DISTINCT citizen_id), sum(job),
                count(DISTINCT CASE WHEN job = 1 THEN citizen_id END)
            FROM (SELECT belief, citizen_id, {_flag(f"job_days <= {YEAR_DAYS}")} AS job
                  FROM stat_m WHERE belief BETWEEN 1 AND 5
                    AND held_on <= {d.days_before("?", YEAR_DAYS)}) AS q
            GROUP BY belief""",
            [horizon],
        )
        return {int(r[0]): self._parts(r) for r in rows}

    # -- caseworker changes ---------------------------------------------------------------

    def people(self) -> None:
        """``stat_people``: the period's citizens, with their first meeting of all (not
        only of the period). ``stat_changes``: every change of caseworker (an assignment
        that is not the citizen's first), by day."""
        self.run("CREATE TEMP TABLE stat_people (citizen_id TEXT PRIMARY KEY, since TEXT NOT NULL)")
        self.run(
            "INSERT INTO stat_people SELECT p.citizen_id, "
            "(SELECT min(x.held_on) FROM meetings x WHERE x.citizen_id = p.citizen_id) "
            "FROM (SELECT DISTINCT citizen_id FROM stat_m) p"
        )
        self.run(
            """CREATE TEMP TABLE stat_changes AS
            SELECT a.citizen_id, substr(a.started_at, 1, 10) AS on_day FROM assignments a
            WHERE a.citizen_id IN (SELECT citizen_id FROM stat_people)
              AND a.started_at > (SELECT min(f.started_at) FROM assignments f
                                  WHERE f.citizen_id = a.citizen_id)"""
        )
        self.index("stat_changes_i", "stat_changes", "citizen_id, on_day")

    def with_change(self) -> tuple[Tally, Tally]:
        (citizens,) = self.rows("SELECT count(*) FROM stat_people")[0]
        (changed,) = self.rows(
            "SELECT count(DISTINCT citizen_id) FROM stat_changes WHERE on_day BETWEEN ? AND ?",
            [self.date_from, self.date_to],
        )[0]
        return Tally(citizens, citizens), Tally(changed, changed)

    def job_after_change(self, horizon: str | None) -> dict[int, Part]:
        """Measurements followed by a job or education within a quarter, by whether the
        caseworker changed in the year before. Only measurements after a full year of
        meetings: before that, "no change" would mostly mean "no time for one"."""
        if horizon is None:
            return {}
        days, d = round(QUARTER_DAYS), self.d
        changed = (
            "EXISTS (SELECT 1 FROM stat_changes c WHERE c.citizen_id = s.citizen_id "
            f"AND c.on_day >= {d.days_before('s.held_on', YEAR_DAYS)} AND c.on_day <= s.held_on)"
        )
        rows = self.rows(
            f"""SELECT changed, count(*), count(DISTINCT citizen_id), sum(job),
                count(DISTINCT CASE WHEN job = 1 THEN citizen_id END)
            FROM (SELECT s.citizen_id, {_flag(f"s.job_days <= {days}")} AS job,
                    {_flag(changed)} AS changed
                  FROM stat_m s JOIN stat_people f ON f.citizen_id = s.citizen_id
                  WHERE s.held_on <= {d.days_before("?", days)}
                    AND s.held_on >= {d.days_before("f.since", -YEAR_DAYS)}) AS q
            GROUP BY changed""",
            [horizon],
        )
        return {int(r[0]): self._parts(r) for r in rows}

    # -- company-based offers -------------------------------------------------------------

    def offers(self) -> dict[str, Part]:
        """Citizens of the period by target group, and of them those with a plan item of
        a company-based type that starts in the period (an offer, whatever came of it)."""
        kinds = list(self.spec.company_kinds)
        rows = self.rows(
            f"""SELECT coalesce(c.target_group, '{NO_GROUP}') AS grp, count(*), count(*),
                sum(offer), sum(offer)
            FROM (SELECT p.citizen_id, CASE WHEN p.citizen_id IN (
                    SELECT i.citizen_id FROM plan_items i WHERE i.kind IN ({_marks(kinds)})
                      AND coalesce(i.starts_on, substr(i.created_at, 1, 10)) BETWEEN ? AND ?)
                    THEN 1 ELSE 0 END AS offer
                  FROM stat_people p) o
            JOIN citizens c ON c.id = o.citizen_id
            GROUP BY grp""",
            [*kinds, self.date_from, self.date_to],
        )
        out = {str(r[0]): self._parts(r) for r in rows}
        if out:
            offered = sum(p.part.n for p in out.values())
            citizens = sum(p.whole.n for p in out.values())
            out["all"] = Part(Tally(offered, offered), Tally(citizens, citizens))
        return out

    # -- progression between two measurements -------------------------------------------

    def progression(self) -> dict[str, Average]:
        """Change of the citizen's mean score per quarter, between each measurement and
        the citizen's next one, by the intervention types running for at least half of
        that interval (an interval can count for several: parallel interventions);
        ``none`` where no intervention ran at all."""
        kinds, q = list(self.spec.intervention_kinds), self.d
        # Day numbers (julianday) once per row, so the overlaps below are plain arithmetic.
        self.run(
            f"CREATE TEMP TABLE stat_d (k {q.integer} PRIMARY KEY, citizen_id TEXT NOT NULL, "
            f"a {q.real} NOT NULL, b {q.real} NOT NULL, per_q {q.real} NOT NULL)"
        )
        self.run(
            f"""INSERT INTO stat_d
            SELECT k, citizen_id, a, b, (s1 - s0) * {QUARTER_DAYS} / {q.greatest("1.0", "b - a")}
            FROM (SELECT x.k, x.citizen_id, {q.day_number("x.held_on")} AS a,
                    {q.day_number("y.held_on")} AS b, x.score AS s0, y.score AS s1
                  FROM stat_m x JOIN stat_m y ON y.k = x.k + 1 AND y.citizen_id = x.citizen_id
                  WHERE x.score IS NOT NULL AND y.score IS NOT NULL) AS pairs"""
        )
        self.index("stat_d_citizen", "stat_d", "citizen_id, a")
        # The interventions that ran (not declined, not "not done"); no end: still running.
        self.run(
            f"""CREATE TEMP TABLE stat_p AS
            SELECT citizen_id, kind,
              CAST({q.day_number("coalesce(starts_on, substr(created_at, 1, 10))")} AS {q.real})
                AS s,
              CAST(coalesce({q.day_number("ends_on")}, 1e9) AS {q.real}) AS e
            FROM plan_items
            WHERE kind IN ({_marks(kinds)}) AND status NOT IN ({_marks(NOT_RUN)})
              AND citizen_id IN (SELECT citizen_id FROM stat_people)""",
            [*kinds, *NOT_RUN],
        )
        # SQLite: CROSS JOIN keeps the plan items as the outer loop.
        join = "CROSS JOIN" if q.is_sqlite else "JOIN"
        self.run(
            f"""CREATE TEMP TABLE stat_cover AS
            SELECT d.k, p.kind, sum({q.least("p.e", "d.b")} - {q.greatest("p.s", "d.a")})
              AS covered
            FROM stat_p p {join} stat_d d
              ON d.citizen_id = p.citizen_id AND d.a < p.e AND d.b > p.s
            GROUP BY d.k, p.kind"""
        )
        self.index("stat_cover_k", "stat_cover", "k")
        out = {
            r[0]: Average(float(r[3]), Tally(r[1], r[2]))
            for r in self.rows(
                """SELECT c.kind, count(*), count(DISTINCT d.citizen_id), sum(d.per_q)
                FROM stat_cover c JOIN stat_d d ON d.k = c.k
                WHERE c.covered >= (d.b - d.a) / 2 GROUP BY c.kind"""
            )
        }
        ((n, citizens, total),) = self.rows(
            """SELECT count(*), count(DISTINCT citizen_id), sum(per_q) FROM stat_d d
            WHERE NOT EXISTS (SELECT 1 FROM stat_cover c WHERE c.k = d.k)"""
        )
        if n:
            out[NO_INTERVENTION] = Average(float(total), Tally(n, citizens))
        return out

    def drop(self) -> None:
        for name in _TEMP:
            self.run(f"DROP TABLE IF EXISTS {self.d.temp}{name}")


def stats_counts(db: Db, spec: StatsSpec) -> StatsCounts:
    """Every count of the BIP tables for ``spec`` (period and the pack's items)."""
    counter = _Counter(db, spec)
    with read_snapshot(db):
        try:
            counter.drop()
            counter.measurements()
            measurements, first, last, horizon = counter.overview()
            searched, search = counter.search()
            channels = counter.channels()
            by_band, band_cells = counter.bands()
            belief = counter.belief(horizon)
            counter.people()
            citizens, with_change = counter.with_change()
            change = counter.job_after_change(horizon)
            offers = counter.offers()
            progression = counter.progression()
        finally:
            counter.drop()
    empty = Part(Tally(), Tally())
    return StatsCounts(
        measurements=measurements,
        first_on=first,
        last_on=last,
        followed_up_to=horizon,
        search=search,
        searched=searched,
        channels=channels,
        by_band=by_band,
        band_cells=band_cells,
        belief=belief,
        citizens=citizens,
        with_change=with_change,
        after_change=change.get(1, empty),
        without_change=change.get(0, empty),
        offers=offers,
        progression=progression,
    )
