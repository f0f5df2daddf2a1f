"""The demo database: a separate file (``Settings.demo_database``), never the user's own.

Seven hand-shaped synthetic citizens show every highlight of the meeting and review
screens — a clear rise, a clear drop, a gap of two or more steps between the two
perspectives, a citizen who does not search, a caseworker change waiting for a
handover, open plan items, a caseworker-only note and shared notes, an unfinished
meeting to resume, ups and downs over six meetings — plus a few hundred citizens from
the cohort model to search among. The showcase citizens have surnames the cohort never
uses (Fremgaard, Faldborg, Kløftsen, …), so searching the surname finds exactly one, and
``showcase`` lists them with what each one shows (``bip-talk demo --list``; the start
screen can list them first). Dates count back from today; everything else is fixed, so
the same day always gives the same file.
"""

from __future__ import annotations

import contextlib
import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bip_talk import clock
from bip_talk.domain.entities import CitizenSummary
from bip_talk.domain.ids import new_citizen_id
from bip_talk.domain.pack import Pack
from bip_talk.domain.synthetic.cohort import (
    HEALTH,
    LOENTILSKUD,
    MENTOR,
    PRAKTIK,
    UPSKILLING,
    AnswerRow,
    Assignment,
    CitizenHistory,
    CohortModel,
    Spell,
    SyntheticCaseworker,
    SyntheticMeeting,
    SyntheticNote,
)
from bip_talk.i18n import Translator
from bip_talk.packs import load_pack
from bip_talk.services.synthetic.seed import stored_texts, write_cohort
from bip_talk.settings import Settings, ensure_private_dir, load_preferences
from bip_talk.store import Store, open_database
from bip_talk.store.bulk_writer import BulkWriter

COHORT_CITIZENS = 300  # for search-as-you-type; the hand-shaped ones come first
COHORT_SEED = 2026
QUARTER_DAYS = 91

CASEWORKERS = (
    SyntheticCaseworker(0, "LMD", "Lise M. Demobæk", 0.0, 0.0),
    SyntheticCaseworker(1, "KJO", "Kasper J. Opdigtrup", 0.0, 0.0),
    SyntheticCaseworker(2, "HVT", "Hanne V. Tænktsen", 0.0, 0.0),
    SyntheticCaseworker(3, "NOS", "Niels O. Skitsesen", 0.0, 0.0),
)


@dataclass(frozen=True)
class DemoCitizen:
    """One hand-shaped citizen. ``scores`` gives, per indicator, the citizen's and the
    caseworker's answer at each meeting as digit strings ("-" = won't answer);
    indicators not listed sit at ``base`` with a gentle wiggle of at most one step."""

    key: str
    name: str
    group: str
    caseworkers: tuple[int, ...]  # one per meeting, oldest first
    base: tuple[int, int]
    scores: dict[str, tuple[str, str]] = field(default_factory=dict)
    channels: tuple[tuple[str, ...], ...] = ()  # per meeting; () = skip the item
    spells: tuple[tuple[str, int, int, str], ...] = ()  # kind, agreed at, days, status
    notes: tuple[tuple[int, str | None, str, str], ...] = ()  # meeting, indicator, vis, key
    priorities: dict[int, str] = field(default_factory=dict)  # meeting -> indicator
    draft_steps: int | None = None  # the last meeting is a draft answered this far
    reassigned: tuple[int, int, str] | None = None  # caseworker, days ago, reason
    # In the latest held meeting: agreed (kind, title key, responsible key, due in days)
    # and turned down (kind, reason key), so the journal note shows every part.
    agreed_last: tuple[tuple[str, str, str, int], ...] = ()
    declined_last: tuple[tuple[str, str], ...] = ()


SEARCH = ("internet", "praktik")
DEMO: tuple[DemoCitizen, ...] = (
    # A clear rise during a work placement, with open plan items and both kinds of note.
    DemoCitizen(
        "rise",
        "Mette Fremgaard",
        "aktivitetsparat",
        (0, 0, 1, 1, 1),
        (3, 3),
        scores={
            "tro_job": ("22224", "22234"),
            "kendskab": ("22335", "22234"),
            "sb_tro": ("", "22234"),
            "samarbejde": ("33344", "33344"),
            "jobsoeg": ("11134", "11223"),
        },
        channels=(("soeger_ikke",), ("soeger_ikke",), ("soeger_ikke",), ("internet",), SEARCH),
        spells=((HEALTH, 0, 150, "done"), (PRAKTIK, 3, 120, "open"), (UPSKILLING, 3, 120, "open")),
        notes=(
            (4, "samarbejde", "shared", "note_praktik_shared"),
            (4, "sb_tro", "private", "note_praktik_private"),
        ),
        priorities={4: "kendskab"},
        agreed_last=(("ask_internship_company", "agreed_ask_company", "who_both", 21),),
        declined_last=((MENTOR, "declined_mentor"),),
    ),
    # A clear drop on health after a passive half year.
    DemoCitizen(
        "drop",
        "Jonas Faldborg",
        "aktivitetsparat",
        (2, 2, 2, 2),
        (3, 3),
        scores={"helbred": ("3442", "3442"), "hverdag": ("4443", "3443"), "sb_tro": ("", "3332")},
        channels=(("netvaerk",), ("netvaerk", "internet"), ("netvaerk",), ("soeger_ikke",)),
        spells=((MENTOR, 0, 180, "done"),),
        notes=(
            (3, "helbred", "shared", "note_back_shared"),
            (3, "helbred", "private", "note_back_private"),
        ),
        priorities={3: "helbred"},
    ),
    # The two see it differently (gaps of three steps) and the citizen does not search.
    DemoCitizen(
        "gap",
        "Aisha Kløftsen",
        "aktivitetsparat",
        (0, 0, 2, 2),
        (3, 3),
        scores={
            "kendskab": ("4455", "2222"),
            "loen": ("4-55", "2322"),
            "jobsoeg": ("1111", "1211"),
            "sb_tro": ("", "2222"),
        },
        channels=(("soeger_ikke",),) * 4,
        notes=(
            (3, "jobsoeg", "shared", "note_search_shared"),
            (2, "loen", "shared", "note_wage_shared"),
        ),
    ),
    # A new caseworker since the last meeting: the handover shows first.
    DemoCitizen(
        "handover",
        "Søren Skiftholm",
        "aktivitetsparat",
        (3, 1, 1, 1),
        (3, 3),
        scores={"maal": ("2334", "2334"), "sb_tro": ("", "2334")},
        channels=(("aviser",), ("aviser", "uopfordret"), ("internet",), ("internet", "vikar")),
        spells=((UPSKILLING, 1, 90, "done"), (LOENTILSKUD, 3, 182, "open")),
        notes=((0, None, "shared", "note_new_caseworker_shared"),),
        reassigned=(0, 14, "caseworker_left"),
    ),
    # Ups and downs over six meetings with three caseworkers; won't say the wage.
    DemoCitizen(
        "waves",
        "Lene Bølgesen",
        "aktivitetsparat",
        (0, 2, 2, 0, 1, 1),
        (3, 3),
        scores={
            "tro_job": ("343243", "333233"),
            "maal": ("342334", "332334"),
            "hverdag": ("434334", "334334"),
            "loen": ("33434-", "333333"),
        },
        channels=(
            ("internet",),
            ("soeger_ikke",),
            ("netvaerk",),
            ("vil_ikke_svare",),
            ("internet",),
            ("internet", "netvaerk"),
        ),
        spells=(
            (UPSKILLING, 0, 120, "partly"),
            (HEALTH, 2, 200, "done"),
            (PRAKTIK, 4, 56, "not_done"),
        ),
        notes=((2, "tro_job", "private", "note_back_private"),),
    ),
    # An unfinished meeting from yesterday to resume.
    DemoCitizen(
        "draft",
        "Ahmed Pauselund",
        "aktivitetsparat",
        (1, 1, 1, 1),
        (3, 2),
        scores={"samarbejde": ("3444", "3344"), "sb_tro": ("", "2333")},
        channels=(("uopfordret",), ("internet",), ("internet",), ("internet",)),
        spells=((PRAKTIK, 0, 91, "done"),),
        notes=((3, None, "shared", "note_draft_shared"),),
        draft_steps=4,
    ),
    # Steady and nearly ready: little moves, which is worth seeing too.
    DemoCitizen(
        "steady",
        "Birgitte Stabilsen",
        "jobparat",
        (3, 3, 3),
        (4, 4),
        scores={"sb_tro": ("", "444")},
        channels=(SEARCH, SEARCH, ("internet", "praktik", "netvaerk")),
        spells=((LOENTILSKUD, 1, 182, "open"),),
    ),
)


def _series(
    spec: DemoCitizen, indicator: str, side: int, n: int, wiggle: random.Random
) -> list[int | None]:
    given = spec.scores.get(indicator)
    if given and given[side]:
        return [None if ch == "-" else int(ch) for ch in given[side]]
    base = spec.base[side]
    # Unlisted indicators: never more than one step between meetings.
    return [min(5, base + (wiggle.random() < 0.3)) for _ in range(n)]


def _answers(
    pack: Pack, spec: DemoCitizen, index: int, series: dict, steps: int | None
) -> tuple[AnswerRow, ...]:
    order = {s: n for n, s in enumerate(pack.steps())}
    rows: list[AnswerRow] = []
    for side, perspective in enumerate(pack.perspectives):
        for item in pack.items(perspective.id):
            if steps is not None and order.get(item.indicator, 0) >= steps - (side > 0):
                continue  # the draft: the citizen is one step ahead of the caseworker
            if item.type == "scale":
                value = series[(item.indicator, min(side, 1))][index]
                rows.append((perspective.id, item.id, value, value is None, ()))
            elif item.type == "multi" and spec.channels:
                options = {o.id for o in item.options}
                chosen = tuple(c for c in spec.channels[index] if c in options)
                if chosen:
                    rows.append((perspective.id, item.id, None, False, chosen))
    return tuple(rows)


def _meeting_dates(spec: DemoCitizen, number: int, today: date) -> list[date]:
    n = len(spec.caseworkers)
    if spec.draft_steps is not None:
        done = [today - timedelta(days=QUARTER_DAYS * (n - 1 - j) + 1) for j in range(n)]
        return done
    last = today - timedelta(days=70 + 5 * number)
    return [last - timedelta(days=QUARTER_DAYS * (n - 1 - j) - 3 * (j % 2)) for j in range(n)]


def _assignments(
    spec: DemoCitizen, dates: list[date], created: date, today: date
) -> list[Assignment]:
    runs: list[Assignment] = []
    for j, cw in enumerate(spec.caseworkers):
        if runs and runs[-1].caseworker == cw:
            continue
        starts = created if not runs else dates[j] - timedelta(days=10)
        if runs:
            runs[-1] = Assignment(runs[-1].caseworker, runs[-1].starts_on, starts, runs[-1].reason)
        runs.append(Assignment(cw, starts, None, "created" if not runs else "reorganisation"))
    if spec.reassigned:
        cw, days_ago, reason = spec.reassigned
        on = today - timedelta(days=days_ago)
        runs[-1] = Assignment(runs[-1].caseworker, runs[-1].starts_on, on, runs[-1].reason)
        runs.append(Assignment(cw, on, None, reason))
    return runs


def demo_histories(pack: Pack, t: Translator, today: date) -> list[CitizenHistory]:
    """The hand-shaped citizens as histories (pure: dates count back from ``today``)."""
    out = []
    taken: set[str] = set()
    for number, spec in enumerate(DEMO):
        rng = random.Random(f"bip-talk-demo:{spec.key}")
        cid = new_citizen_id(rng)
        while cid in taken:
            cid = new_citizen_id(rng)
        taken.add(cid)
        n = len(spec.caseworkers)
        dates = _meeting_dates(spec, number, today)
        series = {
            (ind, side): _series(spec, ind, side, n, rng) for ind in pack.steps() for side in (0, 1)
        }
        meetings = []
        for j, (held_on, cw) in enumerate(zip(dates, spec.caseworkers, strict=True)):
            draft = spec.draft_steps is not None and j == n - 1
            answers = _answers(pack, spec, j, series, spec.draft_steps if draft else None)
            meetings.append(
                SyntheticMeeting(
                    held_on,
                    cw,
                    9 * 60 + 30 * (number % 6),
                    answers,
                    0.0,
                    status="draft" if draft else "complete",
                    priority=spec.priorities.get(j),
                )
            )
        spells = []
        for kind, agreed_at, days, status in spec.spells:
            starts = dates[agreed_at] + timedelta(days=7)
            ends = starts + timedelta(days=days)
            held_later = [j for j in range(agreed_at + 1, n) if meetings[j].status == "complete"]
            reviewed = next((j for j in held_later if dates[j] >= ends), None)
            if reviewed is None and status == "open" and held_later:
                # Still under way at the latest meeting: reviewed there as "still running"
                # (it stays open), the way a caseworker records a placement that goes on.
                reviewed = held_later[-1]
            spells.append(
                Spell(
                    kind,
                    starts,
                    ends,
                    agreed_at,
                    status,
                    reviewed,
                )
            )
        notes = tuple(
            SyntheticNote(j, ind, vis, t(f"seed.demo.{key}")) for j, ind, vis, key in spec.notes
        )
        created = dates[0] - timedelta(days=10)
        assignments = _assignments(spec, dates, created, today)
        out.append(
            CitizenHistory(
                cid,
                spec.name,
                spec.group,
                created,
                tuple(meetings),
                tuple(spells),
                tuple(assignments),
                notes,
                caseworker_changes=len(assignments) - 1,
            )
        )
    return out


def build_demo_database(
    path: Path, pack: Pack, lang: str, *, cohort: int = COHORT_CITIZENS
) -> None:
    """Write the demo into ``path`` (a new file)."""
    t = Translator(lang)
    today = clock.today()
    db = open_database(path, lang=lang)
    try:
        writer = BulkWriter(db, pack_id=pack.id, pack_version=pack.version, texts=stored_texts(t))
        ids, _ = writer.caseworkers(list(CASEWORKERS), today - timedelta(days=5 * 365))
        hand_made = demo_histories(pack, t, today)
        writer.write(hand_made, ids)
        store = Store(db)
        _place_drafts(store, pack, hand_made)
        _agree_last(store, hand_made, ids, t)
        if cohort:
            model = CohortModel(pack, COHORT_SEED, start=today - timedelta(days=round(4.2 * 365)))
            pool = model.caseworkers(cohort)
            write_cohort(
                db,
                pack,
                model,
                pool,
                citizens=cohort,
                taken={h.id for h in hand_made},
                t=t,
                parallel=False,
            )
    finally:
        db.close()


def _place_drafts(store: Store, pack: Pack, histories: list[CitizenHistory]) -> None:
    """An unfinished demo meeting resumes where it stopped: at the first step the
    caseworker has not answered yet (the citizen is a step ahead), on the caseworker's
    side – as a meeting interrupted in the app would."""
    by_name = {spec.name: spec for spec in DEMO}
    staff = next((p.id for p in pack.perspectives if p.respondent != "citizen"), None)
    for h in histories:
        spec = by_name.get(h.display_name)
        draft = store.draft_meeting(h.id) if spec and spec.draft_steps else None
        if draft is None or spec is None or spec.draft_steps is None:
            continue
        step = min(spec.draft_steps - 1, len(pack.steps()) - 1)
        store.set_position(draft.id, {"step": step, "side": staff or pack.perspectives[0].id})


def _agree_last(
    store: Store, histories: list[CitizenHistory], cw_ids: dict[int, int], t: Translator
) -> None:
    """What was agreed and turned down in the latest held meeting (through the store, so
    the audit trail has it as if it had been done in the app)."""
    by_name = {spec.name: spec for spec in DEMO}
    for h in histories:
        spec = by_name.get(h.display_name)
        if spec is None or not (spec.agreed_last or spec.declined_last):
            continue
        held = [m for m in store.meetings_for(h.id) if not m.is_draft]
        if not held:
            continue
        last = held[-1]
        actor = cw_ids[h.meetings[len(held) - 1].caseworker]
        day = date.fromisoformat(last.held_on[:10])
        for kind, title, who, due in spec.agreed_last:
            store.add_plan_item(
                h.id,
                actor=actor,
                meeting_id=last.id,
                kind=kind,
                title=t(f"seed.demo.{title}"),
                responsible=t(f"seed.demo.{who}"),
                due_on=(day + timedelta(days=due)).isoformat(),
            )
        for kind, reason in spec.declined_last:
            store.add_plan_item(
                h.id,
                actor=actor,
                meeting_id=last.id,
                kind=kind,
                title=t(f"seed.plan.{kind}"),
                status="declined",
                decline_reason=t(f"seed.demo.{reason}"),
            )


@dataclass(frozen=True, slots=True)
class Showcase:
    """A hand-shaped demo citizen and what they show."""

    citizen_id: str
    name: str
    shows: str
    has_draft: bool


def showcase(search: Callable[..., list[CitizenSummary]], t: Translator) -> list[Showcase]:
    """The hand-shaped citizens of a demo database, in a fixed order with what each one
    shows; empty for any other database (no citizen of that name). ``search``: a
    citizen search such as ``Casework.search_citizens``."""
    out = []
    for spec in DEMO:
        found = [c for c in search(spec.name, limit=5) if c.display_name == spec.name]
        if len(found) != 1:
            continue
        c = found[0]
        out.append(Showcase(c.id, c.display_name, t(f"seed.demo.shows_{spec.key}"), c.has_draft))
    return out


def _language(settings: Settings) -> str:
    if settings.language:
        return settings.language
    with contextlib.suppress(Exception):  # a broken settings file must not block the demo
        return load_preferences(settings.preferences_file).language
    return "da"


def ensure_demo_database(settings: Settings, reset: bool = False) -> Path:
    """The demo database's path, built first if missing (or ``reset``). It is built
    beside the target and moved into place, so a half-built demo never appears; the
    user's own database is never opened."""
    target = settings.demo_database
    if target.exists() and not reset:
        return target
    ensure_private_dir(target.parent)
    building = target.with_name(target.name + ".building")
    for leftover in _with_sidecars(building):
        leftover.unlink(missing_ok=True)
    pack = load_pack(settings.pack, _language(settings))
    try:
        build_demo_database(building, pack, _language(settings))
        # A stale write-ahead log next to the target would be replayed into the new file.
        for sidecar in _with_sidecars(target)[1:]:
            sidecar.unlink(missing_ok=True)
        os.replace(building, target)
    finally:
        for leftover in _with_sidecars(building):
            leftover.unlink(missing_ok=True)
    return target


def _with_sidecars(path: Path) -> list[Path]:
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]
