"""The reports of one meeting: the citizen's take-home summary (Markdown or plain text),
the caseworker's journal note with a block for Jobnet's "Min Plan", and an HTML report
with a chart per indicator. Rendered by jinja2 from ``prompts/<lang>/reports/``.

Privacy: the citizen audience never sees a private indicator (the caseworker's belief
rating), a private note, a note made at a private indicator, or a plan item from a
caseworker-only rule. The journal note leaves them out too unless asked for: the
municipal case system is open to the citizen's request for access (aktindsigt), and
the belief rating must not reach them through it. With ``include_private`` they come
in a block of their own, marked as such. The caseworker's HTML report includes them,
each marked.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal

from bip_talk import clock
from bip_talk.domain import report_facts as facts
from bip_talk.domain.caseworker_change import assigned_at, caseworker_changes
from bip_talk.domain.change import IndicatorRow, Review, Score, build_review
from bip_talk.domain.dates import parse_day
from bip_talk.domain.entities import Meeting, Note, PlanItem
from bip_talk.domain.evidence_model import evidence_of
from bip_talk.domain.meeting_history import MeetingAnswers
from bip_talk.domain.pack import Pack, in_citizen_words, is_private_indicator
from bip_talk.domain.report_chart import Chart, MarkIn, SeriesIn, SpanIn, Texts, build_chart
from bip_talk.domain.text import escape_control
from bip_talk.domain.typography import no_break
from bip_talk.domain.wording import change_text, number
from bip_talk.errors import InputError, NotFoundError
from bip_talk.i18n import Translator
from bip_talk.render import render, render_shared
from bip_talk.services import plan as plan_service
from bip_talk.services.copies import record
from bip_talk.services.out_file import write_private
from bip_talk.services.plan import paired_with_change
from bip_talk.services.prompts import day
from bip_talk.store import Store

Audience = Literal["citizen", "caseworker"]
FORMATS = ("md", "txt", "html")
AUDIENCES = ("citizen", "caseworker")


# -- the context the templates read -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Side:
    """One perspective on one indicator."""

    perspective: str
    label: str  # "Du" / "Borger"
    short: str  # "B" for the journal
    now: str  # "3", "vil ikke svare" or ""
    now_words: str  # the scale word for a whole-number answer
    before: str
    before_words: str
    before_on: str  # date of the meeting ``before`` is from
    change: str  # "↓ −1 et trin ned – tjek sammen"
    moved: bool
    # For sentences (the journal): "Borgeren" / "borgeren" / "borgerens", the direction
    # of the change ("up" / "down" / "same" / None) and whether it was a clear one.
    subject: str = ""
    subject_mid: str = ""
    possessive: str = ""
    direction: str | None = None
    clear: bool = False
    declined: bool = False


@dataclass(frozen=True, slots=True)
class IndicatorLine:
    id: str
    name: str
    private: bool
    sides: tuple[Side, ...]
    gap: str  # "≠ 2 I ser forskelligt på det", "1", ""
    disagree: bool
    moved: bool
    name_mid: str = ""  # the name inside a sentence: "tro på at klare et job"
    gap_size: str = ""  # "2"; "" without two answers

    @property
    def answered(self) -> bool:
        return any(s.now for s in self.sides)

    def side(self, perspective: str) -> Side | None:
        return next((s for s in self.sides if s.perspective == perspective), None)


@dataclass(frozen=True, slots=True)
class ActionLine:
    title: str
    responsible: str
    due: str
    period: str  # "1.6.2026–31.8.2026", "" without dates
    kind: str  # the pack's name for the type, "" for a free item
    private: bool
    outcome: str = ""  # done/partly/... in words (follow-up only)
    outcome_key: str = ""
    moves: tuple[str, ...] = ()  # "Jobsøgning, Borger: ↑ +1 et trin op – tjek sammen"
    kind_note: str = ""  # the type, when the title does not already say it
    moved: tuple[MoveLine, ...] = ()  # the largest moves while it ran, for sentences
    more_moves: int = 0  # how many more moved than ``moved`` lists


@dataclass(frozen=True, slots=True)
class MoveLine:
    """One indicator that moved while a plan item ran, for a sentence."""

    name_mid: str
    possessive: str  # "borgerens"
    direction: str  # up | down
    before: str
    now: str


@dataclass(frozen=True, slots=True)
class DeclinedLine:
    """A suggestion turned down in the meeting, and why."""

    title: str
    kind_note: str
    reason: str
    private: bool


@dataclass(frozen=True, slots=True)
class CaseworkerChangeLine:
    """A new caseworker since the meeting before."""

    on: str
    before_initials: str
    before_name: str
    now_initials: str
    now_name: str


@dataclass(frozen=True, slots=True)
class SearchLine:
    """How the citizen searches for jobs: their answer on the scale and the channels."""

    name: str  # the indicator: "Jobsøgning"
    subject: str  # "Borgeren"
    answer: str  # the scale's word: "Hver uge"
    value: str
    before: str
    declined: bool
    question: str  # the channel question, for the record
    channels: tuple[str, ...]  # the chosen options' texts
    channels_declined: bool


@dataclass(frozen=True, slots=True)
class NoteLine:
    text: str
    indicator: str  # the indicator's name, "" for a general note
    private: bool


@dataclass(frozen=True, slots=True)
class ChartBlock:
    chart: Chart
    private: bool


@dataclass(frozen=True, slots=True)
class Report:
    lang: str
    audience: Audience
    include_private: bool
    citizen_id: str
    citizen_name: str
    meeting_id: int
    held_on: str
    held_on_iso: str
    draft: bool
    first_meeting: bool
    meetings: int
    caseworker_initials: str
    caseworker_name: str
    pack_name: str
    pack_version: str
    perspectives: tuple[str, ...]  # labels in pack order
    perspective_ids: tuple[str, ...]
    legend_short: str  # "B = Borger, S = Sagsbehandler"; "" when the journal uses full names
    indicators: tuple[IndicatorLine, ...]
    priority: str
    agreed: tuple[ActionLine, ...]
    followed: tuple[ActionLine, ...]
    notes: tuple[NoteLine, ...]
    next_meeting: str
    next_meeting_iso: str
    next_reason: str
    generated_on: str
    charts: tuple[ChartBlock, ...] = field(default=())
    previous_held_on: str = ""  # the meeting before, "" at the first
    declined: tuple[DeclinedLine, ...] = ()
    caseworker_change: CaseworkerChangeLine | None = None
    job_search: tuple[SearchLine, ...] = ()
    scale_low: int = 1
    scale_high: int = 0  # 0: the pack's scales differ in length

    @property
    def shared_indicators(self) -> tuple[IndicatorLine, ...]:
        return tuple(i for i in self.indicators if not i.private)

    @property
    def private_indicators(self) -> tuple[IndicatorLine, ...]:
        return tuple(i for i in self.indicators if i.private)

    @property
    def moved(self) -> list[tuple[IndicatorLine, Side]]:
        return [(i, s) for i in self.shared_indicators for s in i.sides if s.moved]

    @property
    def gaps(self) -> tuple[IndicatorLine, ...]:
        return tuple(i for i in self.shared_indicators if i.disagree)

    @property
    def shared_notes(self) -> tuple[NoteLine, ...]:
        return tuple(n for n in self.notes if not n.private)

    @property
    def private_notes(self) -> tuple[NoteLine, ...]:
        return tuple(n for n in self.notes if n.private)

    @property
    def shared_agreed(self) -> tuple[ActionLine, ...]:
        return tuple(a for a in self.agreed if not a.private)

    @property
    def private_agreed(self) -> tuple[ActionLine, ...]:
        return tuple(a for a in self.agreed if a.private)

    @property
    def priority_line(self) -> IndicatorLine | None:
        """The indicator the citizen chose as most important, when it was answered."""
        return next((i for i in self.indicators if i.name == self.priority), None)

    @property
    def shared_declined(self) -> tuple[DeclinedLine, ...]:
        return tuple(d for d in self.declined if not d.private)

    @property
    def private_declined(self) -> tuple[DeclinedLine, ...]:
        return tuple(d for d in self.declined if d.private)

    @property
    def unchanged(self) -> tuple[IndicatorLine, ...]:
        """Shared indicators where no side moved and each side has a before to compare."""
        return tuple(
            i
            for i in self.shared_indicators
            if not i.moved and all(s.before and s.now and not s.declined for s in i.sides)
        )

    @property
    def declined_now(self) -> list[tuple[IndicatorLine, Side]]:
        """Who would not answer what, this time."""
        return [(i, s) for i in self.shared_indicators for s in i.sides if s.declined]


# -- building it -------------------------------------------------------------------------------


def _words(pack: Pack, perspective: str, indicator: str, lang: str) -> list[str] | None:
    """The scale's words when one scale item scores the indicator for the perspective."""
    items = pack.scored_items(perspective, indicator)
    return pack.scale_labels(items[0], lang) if len(items) == 1 else None


def _word(words: Sequence[str] | None, value: float | None) -> str:
    if not words or value is None or value != int(value) or not 1 <= value <= len(words):
        return ""
    return words[int(value) - 1]


def _score(score: Score | None, t: Translator) -> str:
    if score is None or (score.value is None and score.state != "declined"):
        return ""
    if score.value is None:
        return t("reports.declined")
    return number(score.value, t.lang)


def perspective_label(pack: Pack, perspective: str, audience: Audience, t: Translator) -> str:
    """Spoken to the citizen: "Du" and "Din sagsbehandler"; otherwise the pack's names."""
    p = pack.perspective(perspective)
    name = p.name.get(t.lang)
    if audience != "citizen":
        return name
    if p.respondent == "citizen":
        return t("reports.you")
    return t("reports.yours", name=name[:1].lower() + name[1:])


def lower_first(text: str) -> str:
    """A name inside a sentence: "Tro på at klare et job" -> "tro på at klare et job";
    an abbreviation ("BIP-indikator") is left as it is."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]


@dataclass(frozen=True, slots=True)
class Who:
    subject: str  # "Borgeren"
    mid: str  # "borgeren"
    possessive: str  # "borgerens"


def journal_who(pack: Pack, perspective: str, t: Translator) -> Who:
    """How the journal names a perspective in a sentence: the citizen, the caseworker
    (when the pack has one staff perspective), else the pack's own name."""
    p = pack.perspective(perspective)
    staff = [x for x in pack.perspectives if x.respondent != "citizen"]
    if p.respondent == "citizen" or len(staff) == 1:
        key = "citizen" if p.respondent == "citizen" else "caseworker"
        return Who(
            t(f"journal.subject_{key}"), t(f"journal.mid_{key}"), t(f"journal.possessive_{key}")
        )
    name = p.name.get(t.lang)
    return Who(name, name, t("journal.possessive_other", name=name))


def kind_note(title: str, kind: str) -> str:
    """The type beside a title only when it adds something: never "Virksomhedspraktik
    [Virksomhedspraktik]"."""
    a, b = title.casefold(), kind.casefold()
    return "" if not kind or b in a or a in b else kind


def short_names(pack: Pack, lang: str) -> dict[str, str]:
    """One letter per perspective for the compact journal ("B", "S"); the full names
    when two would share a letter (English: Citizen, Caseworker)."""
    names = {p.id: p.name.get(lang) for p in pack.perspectives}
    letters = {pid: name[:1].upper() for pid, name in names.items()}
    return letters if len(set(letters.values())) == len(letters) else names


def _indicator_line(
    pack: Pack,
    row: IndicatorRow,
    held: dict[int, str],
    labels: dict[str, str],
    shorts: dict[str, str],
    t: Translator,
) -> IndicatorLine:
    lang = t.lang
    sides = []
    for pid, pr in row.perspectives.items():
        words = _words(pack, pid, row.indicator, lang)
        who = journal_who(pack, pid, t)
        sides.append(
            Side(
                perspective=pid,
                label=labels[pid],
                short=shorts[pid],
                now=_score(pr.now, t),
                now_words=_word(words, pr.now.value),
                before=_score(pr.before, t),
                before_words=_word(words, pr.before.value if pr.before else None),
                before_on=day(held.get(pr.before_meeting or -1), lang) or "",
                change=change_text(pr.change, pack, lang),
                moved=pr.change.notable,
                subject=who.subject,
                subject_mid=who.mid,
                possessive=who.possessive,
                direction=pr.change.direction,
                clear=pr.change.level == "clear",
                declined=pr.now.value is None and pr.now.state == "declined",
            )
        )
    gap = ""
    if row.gap is not None:
        gap = number(row.gap.size, lang)
        if row.gap.flagged:
            gap = f"≠ {gap} {pack.manifest.change_words.gap.get(lang)}"
    name = pack.indicator(row.indicator).name.get(lang)
    return IndicatorLine(
        row.indicator,
        name,
        row.private,
        tuple(sides),
        gap,
        row.disagree,
        row.moved,
        name_mid=lower_first(name),
        gap_size=number(row.gap.size, lang) if row.gap is not None else "",
    )


def _period(item: PlanItem, t: Translator) -> str:
    start, end = day(item.starts_on, t.lang), day(item.ends_on, t.lang)
    if start and end:
        return f"{start}–{end}"
    if start:
        return t("reports.period_from", start=start)
    return t("reports.period_until", end=end) if end else ""


def _action(pack: Pack, item: PlanItem, t: Translator, private: bool, **extra) -> ActionLine:
    kind = _kind_name(pack, item.kind, t.lang)
    title = display_title(pack, item, t.lang)
    return ActionLine(
        title=title,
        responsible=item.responsible or "",
        due=day(item.due_on, t.lang) or "",
        period=_period(item, t),
        kind=kind,
        private=private,
        kind_note=kind_note(title, kind) if _is_intervention_kind(pack, item.kind) else "",
        **extra,
    )


def _for_audience(line: ActionLine, audience: Audience, t: Translator) -> ActionLine:
    """The plan's proposed "who" ("Borger og sagsbehandler"), spoken to the citizen."""
    if audience == "citizen" and line.responsible == t("planui.default_responsible"):
        return replace(line, responsible=t("reports.both_of_us"))
    return line


def display_title(pack: Pack, item: PlanItem, lang: str) -> str:
    """The item's title; one that is just its type's name (as a suggestion is taken over)
    reads in the report's language: "Helbredsindsats" is "Health intervention" in English."""
    evidence = evidence_of(pack)
    name = evidence.name(item.kind) if evidence is not None else None
    plain = item.title.strip().casefold()
    if name is not None and plain in {name.da.casefold(), (name.en or name.da).casefold()}:
        return name.get(lang)
    return item.title


def _scale_high(pack: Pack) -> int:
    """The top of the scale when every scale item has the same number of steps, else 0."""
    lengths = {
        len(pack.scale_labels(i, "da"))
        for p in pack.perspectives
        for i in pack.items(p.id)
        if i.type == "scale"
    }
    return lengths.pop() if len(lengths) == 1 else 0


def _is_intervention_kind(pack: Pack, kind: str) -> bool:
    """An intervention (a placement, a course): its type is worth naming beside a title.
    A small action's type ("ask the internship company") would only repeat it."""
    evidence = evidence_of(pack)
    return evidence is not None and evidence.intervention(kind) is not None


def _kind_name(pack: Pack, kind: str, lang: str) -> str:
    evidence = evidence_of(pack)
    name = evidence.name(kind) if evidence is not None else None
    return name.get(lang) if name else ""


# The journal names at most this many moves beside a reviewed action, the largest first.
MOVES_SHOWN = 2


def _moved_lines(pack: Pack, found: Sequence, t: Translator) -> tuple[tuple[MoveLine, ...], int]:
    notable = [m for m in found if m.change.notable and m.change.delta is not None]
    order = {i.id: n for n, i in enumerate(pack.indicators)}
    notable.sort(key=lambda m: (-abs(m.change.delta), order.get(m.indicator, 0)))
    lines = tuple(
        MoveLine(
            name_mid=lower_first(pack.indicator(m.indicator).name.get(t.lang)),
            possessive=journal_who(pack, m.perspective, t).possessive,
            direction=m.change.direction or "same",
            before=number(m.before, t.lang) if m.before is not None else "–",
            now=number(m.now, t.lang) if m.now is not None else "–",
        )
        for m in notable[:MOVES_SHOWN]
    )
    return lines, max(0, len(notable) - MOVES_SHOWN)


def _search_lines(
    pack: Pack, answers: MeetingAnswers | None, before: MeetingAnswers | None, t: Translator
) -> tuple[SearchLine, ...]:
    """The citizen's multi-choice items (the job-search channels), with the scale answer of
    the same indicator: what the journal says about job search."""
    lang = t.lang
    out = []
    for p in pack.perspectives:
        if p.respondent != "citizen":
            continue
        for item in pack.items(p.id):
            if item.type != "multi" or item.private or answers is None:
                continue
            chosen = answers.get(p.id, item.id)
            scale = next(
                (i for i in pack.scored_items(p.id, item.indicator) if i.type == "scale"), None
            )
            rated = answers.get(p.id, scale.id) if scale is not None else None
            earlier = before.get(p.id, scale.id) if scale is not None and before else None
            labels = pack.scale_labels(scale, lang) if scale is not None else []
            value = rated.value if rated is not None else None
            if chosen is None and value is None and not (rated and rated.declined):
                continue
            texts = {o.id: o.text.get(lang) for o in item.options}
            out.append(
                SearchLine(
                    name=pack.indicator(item.indicator).name.get(lang),
                    subject=journal_who(pack, p.id, t).subject,
                    answer=_word(labels, value),
                    value=number(value, lang) if value is not None else "",
                    before=number(earlier.value, lang)
                    if earlier is not None and earlier.value is not None
                    else "",
                    declined=bool(rated and rated.declined),
                    question=item.text.get(lang),
                    channels=tuple(texts.get(c, c) for c in (chosen.choices if chosen else ())),
                    channels_declined=bool(chosen and chosen.declined),
                )
            )
    return tuple(out)


def _caseworker_change(
    store: Store, citizen_id: str, seen: Sequence[Meeting], meeting: Meeting, lang: str
) -> CaseworkerChangeLine | None:
    """The latest change of caseworker after the meeting before and up to this one; a
    meeting held by a stand-in is none (domain.caseworker_change)."""
    if len(seen) < 2:
        return None
    before = seen[-2]
    start, until = parse_day(before.held_on), parse_day(meeting.held_on)
    if start is None or until is None:
        return None
    assignments = store.assignments(citizen_id)
    changes = [c for c in caseworker_changes(assignments, seen, until=until) if c.on > start]
    was = assigned_at(assignments, before)
    was = before.caseworker_id if was is None else was
    if not changes or changes[-1].caseworker_id == was:
        return None
    old, new = store.caseworker(was), store.caseworker(changes[-1].caseworker_id)
    return CaseworkerChangeLine(
        on=day(changes[-1].on.isoformat(), lang) or "",
        before_initials=old.initials if old else "",
        before_name=old.name if old else "",
        now_initials=new.initials if new else "",
        now_name=new.name if new else "",
    )


def _note(pack: Pack, note: Note, private_indicators: set[str], lang: str) -> NoteLine:
    name = (
        pack.indicator(note.indicator).name.get(lang)
        if note.indicator and pack.has_indicator(note.indicator)
        else ""
    )
    # A note taken at the caseworker's private step is private whatever it was marked.
    return NoteLine(note.text, name, note.private or note.indicator in private_indicators)


def _move_text(pack: Pack, move, labels: dict[str, str], lang: str) -> str:
    name = pack.indicator(move.indicator).name.get(lang)
    before = number(move.before, lang) if move.before is not None else "–"
    now = number(move.now, lang) if move.now is not None else "–"
    words = change_text(move.change, pack, lang)
    text = f"{name}, {labels[move.perspective]}: {before} → {now}"
    return f"{text} ({words})" if words else text


def build_report(
    store: Store,
    pack: Pack,
    citizen_id: str,
    *,
    meeting_id: int | None = None,
    lang: str = "da",
    audience: Audience = "citizen",
    include_private: bool = False,
    charts: bool = False,
) -> Report:
    """Everything a report shows, from the store. ``include_private`` (caseworker only):
    private indicators, notes and plan items are kept, each marked ``private``."""
    t = Translator(lang)
    if audience not in AUDIENCES:
        raise InputError(t("reports.bad_audience", value=audience, known=", ".join(AUDIENCES)))
    keep_private = include_private and audience == "caseworker"
    if audience == "citizen":
        pack = in_citizen_words(pack)  # every topic under the name the citizen knows
    try:
        citizen = store.citizen(citizen_id)
    except NotFoundError:
        raise NotFoundError(t("reports.unknown_citizen", id=citizen_id)) from None
    all_meetings = store.meetings_for(citizen_id)
    if not all_meetings:
        raise NotFoundError(t("reports.no_meetings", id=citizen_id))
    meeting = facts.pick_meeting(all_meetings, meeting_id)
    if meeting is None:
        known = ", ".join(str(m.id) for m in all_meetings)
        raise NotFoundError(
            t("reports.unknown_meeting", meeting=meeting_id, id=citizen_id, known=known)
        )
    seen = facts.meetings_until(all_meetings, meeting)
    seen_ids = {m.id for m in seen}
    history = [h for h in store.history(citizen_id) if h.meeting_id in seen_ids]
    review = build_review(pack, history)
    held = {m.id: m.held_on for m in seen}
    labels = {p.id: perspective_label(pack, p.id, audience, t) for p in pack.perspectives}
    shorts = short_names(pack, lang)

    evidence = evidence_of(pack)
    items = store.plan_items(citizen_id)

    def private_item(item: PlanItem) -> bool:
        return facts.is_private_item(evidence, item)

    indicators = tuple(
        line
        for row in review.rows
        if (line := _indicator_line(pack, row, held, labels, shorts, t)).answered
        and (keep_private or not row.private)
    )
    private_ids = {i.id for i in pack.indicators if is_private_indicator(pack, i.id)}
    agreed = tuple(
        _for_audience(_action(pack, i, t, private_item(i)), audience, t)
        for i in facts.agreed_in(items, meeting.id)
        if keep_private or not private_item(i)
    )
    followed_items = facts.followed_up(
        items, all_meetings, meeting, plan_service.review_marks(store, citizen_id)
    )
    paired = {
        r.item.id: r
        for r in paired_with_change(
            pack, [f.item for f in followed_items], history, include_private=keep_private
        )
    }
    followed = []
    for f in followed_items:
        if not keep_private and private_item(f.item):
            continue
        # Only what moved at least a step: the rest would bury it.
        found = paired[f.item.id].moves if f.outcome != "not_reviewed" else ()
        moved, more = _moved_lines(pack, found, t)
        followed.append(
            _action(
                pack,
                f.item,
                t,
                private_item(f.item),
                outcome=t(f"reports.outcome_{f.outcome}"),
                outcome_key=f.outcome,
                moves=tuple(_move_text(pack, m, labels, lang) for m in found if m.change.notable),
                moved=moved,
                more_moves=more,
            )
        )
    declined = tuple(
        DeclinedLine(
            title=display_title(pack, i, lang),
            kind_note=kind_note(display_title(pack, i, lang), _kind_name(pack, i.kind, lang))
            if _is_intervention_kind(pack, i.kind)
            else "",
            reason=i.decline_reason or "",
            private=private_item(i),
        )
        for i in items
        if i.meeting_id == meeting.id
        and i.status == "declined"
        and (keep_private or not private_item(i))
    )
    notes = tuple(
        n
        for n in (
            _note(pack, note, private_ids, lang)
            for note in store.notes([meeting.id], include_private=keep_private)
        )
        if keep_private or not n.private
    )
    nxt = plan_service.next_meeting(store, pack, citizen_id, meeting.id)
    reason = (
        t("reports.next_because", title=nxt.because.title)
        if nxt.because
        else t("reports.next_default")
    )
    caseworker = store.caseworker(meeting.caseworker_id)
    priority = meeting.priority
    priority_name = ""
    if priority and pack.has_indicator(priority) and (keep_private or priority not in private_ids):
        priority_name = pack.indicator(priority).name.get(lang)
    order = [p.id for p in pack.perspectives]
    legend_short = ", ".join(
        f"{shorts[p]} = {pack.perspective(p).name.get(lang)}"
        for p in order
        if shorts[p] != pack.perspective(p).name.get(lang)
    )

    report = Report(
        lang=lang,
        audience=audience,
        include_private=keep_private,
        citizen_id=citizen.id,
        citizen_name=citizen.display_name,
        meeting_id=meeting.id,
        held_on=day(meeting.held_on, lang) or meeting.held_on,
        held_on_iso=meeting.held_on,
        draft=meeting.is_draft,
        first_meeting=len(seen) == 1,
        meetings=len(seen),
        caseworker_initials=caseworker.initials if caseworker else "",
        caseworker_name=caseworker.name if caseworker else "",
        pack_name=pack.manifest.name.get(lang),
        pack_version=pack.version,
        perspectives=tuple(labels[p] for p in order),
        perspective_ids=tuple(order),
        legend_short=legend_short,
        indicators=indicators,
        priority=priority_name,
        agreed=agreed,
        followed=tuple(followed),
        notes=notes,
        next_meeting=day(nxt.on.isoformat(), lang) or "",
        next_meeting_iso=nxt.on.isoformat(),
        next_reason=reason,
        generated_on=day(clock.today().isoformat(), lang) or "",
        previous_held_on=(day(seen[-2].held_on, lang) or "") if len(seen) > 1 else "",
        declined=declined,
        caseworker_change=_caseworker_change(store, citizen_id, seen, meeting, lang),
        job_search=_search_lines(
            pack,
            next((h for h in history if h.meeting_id == meeting.id), None),
            next((h for h in history if len(seen) > 1 and h.meeting_id == seen[-2].id), None),
            t,
        ),
        scale_low=1,
        scale_high=_scale_high(pack),
    )
    if not charts:
        return report
    return replace(
        report,
        charts=tuple(
            _charts(
                store,
                pack,
                citizen_id,
                review,
                all_meetings,
                seen,
                meeting,
                items,
                labels,
                keep_private,
                private_item,
                t,
            )
        ),
    )


def _charts(
    store: Store,
    pack: Pack,
    citizen_id: str,
    review: Review,
    all_meetings: list[Meeting],
    seen: list[Meeting],
    meeting: Meeting,
    items: list[PlanItem],
    labels: dict[str, str],
    keep_private: bool,
    private_item: Callable[[PlanItem], bool],
    t: Translator,
) -> list[ChartBlock]:
    lang = t.lang
    dates = [parse_day(m.held_on) or clock.today() for m in review.meetings]
    tick_texts = [day(m.held_on, lang) or m.held_on for m in review.meetings]
    until = facts.chart_until(all_meetings, meeting)
    marks = []
    for change in caseworker_changes(store.assignments(citizen_id), seen, until=until):
        cw = store.caseworker(change.caseworker_id)
        marks.append(
            MarkIn(
                change.on, t("reports.chart_new_caseworker", initials=cw.initials if cw else "?")
            )
        )
    spans = []
    evidence = evidence_of(pack)
    for s in facts.intervention_spans(evidence, items, seen, until):
        if not keep_private and private_item(s.item):
            continue
        start = day(s.start.isoformat(), lang)
        end = day(s.end.isoformat(), lang) if s.end else t("reports.chart_running")
        spans.append(
            SpanIn(
                s.start, s.end, t("reports.chart_span", title=s.item.title, start=start, end=end)
            )
        )
    out = []
    for row in review.rows:
        if row.private and not keep_private:
            continue
        if not any(v is not None for pr in row.perspectives.values() for v in pr.series):
            continue
        name = pack.indicator(row.indicator).name.get(lang)
        series = [
            SeriesIn(
                labels[pid],
                list(zip(dates, pr.series, strict=True)),
                _words(pack, pid, row.indicator, lang),
            )
            for pid, pr in row.perspectives.items()
        ]
        description = "; ".join(
            f"{s.label}: "
            + ", ".join(
                f"{tick} {number(v, lang) if v is not None else '–'}"
                for tick, (_, v) in zip(tick_texts, s.points, strict=True)
            )
            for s in series
        )
        texts = Texts(
            title=t("reports.chart_title", name=name),
            description=description,
            change_legend=t("reports.chart_legend_change"),
            span_legend=t("reports.chart_legend_span"),
        )
        out.append(
            ChartBlock(
                build_chart(
                    row.indicator,
                    texts,
                    series,
                    dates=dates,
                    tick_texts=tick_texts,
                    changes=marks,
                    spans=spans,
                ),
                row.private,
            )
        )
    return out


# -- rendering ---------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def markdown_text(text: str) -> str:
    """Text from the database inside Markdown: its marks are taken literally."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _plain(text: str) -> str:
    return text


# Every renderer's text passes ``escape_control``: a name or note with terminal control
# characters (from an older database or another tool) prints as visible escapes.


def citizen_summary(report: Report, fmt: str = "md") -> str:
    if report.audience != "citizen":
        raise ValueError("the summary is for the citizen")
    esc = markdown_text if fmt == "md" else _plain
    text = render_shared(f"reports/summary.{fmt}", report.lang, "summary", r=report, esc=esc)
    return escape_control(text + "\n")


# The journal note is pasted into case systems that show it as it is: no line longer.
JOURNAL_WIDTH = 80


def wrap_plain(text: str, width: int = JOURNAL_WIDTH) -> str:
    """Break every line longer than ``width`` at spaces, continuing under the text of a
    "- " bullet or the line's own indent. A no-break space (between a number and its
    unit) never breaks; a word longer than a line is cut rather than left too long."""
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        body = line.lstrip(" ")
        indent = len(line) - len(body) + (2 if body.startswith("- ") else 0)
        out.extend(
            textwrap.wrap(
                line,
                width,
                subsequent_indent=" " * indent,
                break_on_hyphens=False,
                break_long_words=True,
            )
        )
    return "\n".join(out)


def journal_note(report: Report) -> str:
    text = render("reports/journal.txt", report.lang, r=report, nobreak=no_break)
    return escape_control(wrap_plain(text) + "\n")


def html_report(report: Report) -> str:
    return escape_control(
        render_shared("reports/report.html", report.lang, "report_html", r=report) + "\n"
    )


@dataclass(frozen=True, slots=True)
class Rendered:
    text: str
    held_on: str  # ISO date of the meeting, for file names
    private: bool  # holds the caseworker's private data


def render_report(
    store: Store,
    pack: Pack,
    citizen_id: str,
    *,
    fmt: str = "md",
    lang: str = "da",
    audience: Audience = "citizen",
    meeting_id: int | None = None,
    include_private: bool = False,
) -> Rendered:
    """The one entry point for the command line: which text ``fmt`` × ``audience`` gives.

    citizen: md / txt = the take-home summary, html = the report without private data.
    caseworker: txt = the journal note, html = the report with private data marked."""
    t = Translator(lang)
    if fmt not in FORMATS:
        raise InputError(t("reports.bad_format", value=fmt, known=", ".join(FORMATS)))
    if audience not in AUDIENCES:
        raise InputError(t("reports.bad_audience", value=audience, known=", ".join(AUDIENCES)))
    if audience == "caseworker" and fmt == "md":
        raise InputError(t("reports.journal_is_text"))
    if include_private and audience != "caseworker":
        raise InputError(t("reports.private_needs_caseworker"))
    report = build_report(
        store,
        pack,
        citizen_id,
        meeting_id=meeting_id,
        lang=lang,
        audience=audience,
        include_private=include_private or (audience == "caseworker" and fmt == "html"),
        charts=fmt == "html",
    )
    if fmt == "html":
        text = html_report(report)
    elif audience == "caseworker":
        text = journal_note(report)
    else:
        text = citizen_summary(report, fmt)
    return Rendered(text, report.held_on_iso, report.include_private)


# -- files -------------------------------------------------------------------------------------


def default_name(kind: str, citizen_id: str, held_on: str, fmt: str) -> str:
    """``report-B-7K3M9Q-2026-11-24.html``: kind, citizen, the meeting's date."""
    safe = re.sub(r"[^A-Za-z0-9-]", "_", citizen_id)
    return f"{kind}-{safe}-{held_on[:10]}.{fmt}"


@dataclass(frozen=True, slots=True)
class Saved:
    summary: Path
    html: Path


def save_meeting_reports(
    store: Store,
    pack: Pack,
    citizen_id: str,
    meeting_id: int,
    folder: Path,
    lang: str,
) -> Saved:
    """The in-app "save": the citizen's summary (Markdown) and the citizen's HTML report –
    the two things that may be printed and handed over – into ``folder`` (created 0700)."""
    t = Translator(lang)
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise InputError(
            t("reports.out_unwritable", path=folder, reason=exc.strerror or str(exc))
        ) from None
    report = build_report(
        store, pack, citizen_id, meeting_id=meeting_id, lang=lang, audience="citizen", charts=True
    )
    summary = folder / default_name("summary", citizen_id, report.held_on_iso, "md")
    html = folder / default_name("report", citizen_id, report.held_on_iso, "html")
    # Recorded before they are written: an erasure finds every copy (services.copies).
    record(store, summary, citizen_id=citizen_id, kind="summary")
    record(store, html, citizen_id=citizen_id, kind="report")
    # The app's own names in the app's folder: saving again brings them up to date.
    write_private(summary, citizen_summary(report, "md"), t, replace=True)
    write_private(html, html_report(report), t, replace=True)
    return Saved(summary, html)


def meeting_journal(
    store: Store,
    pack: Pack,
    citizen_id: str,
    meeting_id: int,
    lang: str,
) -> str:
    """The in-app copy: the journal note without private data."""
    return journal_note(
        build_report(
            store, pack, citizen_id, meeting_id=meeting_id, lang=lang, audience="caseworker"
        )
    )
