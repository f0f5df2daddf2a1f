"""The review as text cells, with the shared-screen rules applied: private indicators
show no values, and every topic is named in the citizen's words (``Indicator.said``:
"Dit helbred", not "Helbredsmestring"). Used by the review screen and the citizen
overview, both on the shared screen; the handover and the journal keep the
professional names."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bip_talk.domain.change import Review, Score, Topic
from bip_talk.domain.entities import Note
from bip_talk.domain.meeting_history import MeetingAnswers
from bip_talk.domain.pack import Pack
from bip_talk.domain.plan_review import baseline_meeting
from bip_talk.domain.wording import ARROWS, change_text, gap_parts, number, sparkline
from bip_talk.i18n import Translator, format_date
from bip_talk.presenters.layout import cells, cut_at_word, hanging
from bip_talk.services.plan import ReviewedItem

# A note's line goes on under its text, not under the mark.
NOTE_MARK = re.compile(r"✎ +")

HIDDEN = "●"
MIN_TITLE = 20  # a reviewed action's title keeps at least this much of its line


@dataclass(frozen=True, slots=True)
class SideCells:
    now: str
    before: str
    change: str
    trend: str

    @property
    def summary(self) -> str:
        """'▂▄█ 4 (2)': trend, now and (before) in one compact cell."""
        if not self.now:
            return ""
        if self.now == HIDDEN:
            return HIDDEN
        before = f" ({self.before})" if self.before and self.before != "–" else ""
        return f"{self.trend} {self.now}{before}".strip()


@dataclass(frozen=True, slots=True)
class ReviewLine:
    indicator: str
    name: str
    sides: dict[str, SideCells]
    gap_size: str  # "≠ 2" when flagged, "1" when not, "" without two answers
    gap_word: str  # "I ser forskelligt på det" when flagged
    moved: bool
    disagree: bool
    private: bool

    @property
    def gap(self) -> str:
        return f"{self.gap_size} {self.gap_word}".strip()


def _topic(pack: Pack, indicator: str, lang: str, *, shared: bool = True) -> str:
    """A topic's name: the citizen's words on the shared screen, else the professional one."""
    ind = pack.indicator(indicator)
    return ind.said(lang) if shared else ind.name.get(lang)


def score_text(score: Score | None, t: Translator) -> str:
    if score is None:
        return "–"
    if score.state == "declined":
        return t("review.declined")
    if score.value is None:
        return "–"
    return number(score.value, t.lang)


def review_lines(
    pack: Pack, review: Review, t: Translator, *, shared: bool = True
) -> list[ReviewLine]:
    lang = t.lang
    out = []
    for row in review.rows:
        hide = shared and row.private
        sides = {}
        for pid in pack.perspectives:
            pr = row.perspectives.get(pid.id)
            if pr is None:
                sides[pid.id] = SideCells("", "", "", "")
            elif hide:
                sides[pid.id] = SideCells(HIDDEN, HIDDEN, "", "")
            else:
                sides[pid.id] = SideCells(
                    score_text(pr.now, t),
                    score_text(pr.before, t),
                    change_text(pr.change, pack, lang),
                    sparkline(pr.series),
                )
        gap_size, gap_word = ("", "") if hide else gap_parts(row.gap, pack, lang)
        out.append(
            ReviewLine(
                indicator=row.indicator,
                name=_topic(pack, row.indicator, lang, shared=shared),
                sides=sides,
                gap_size=gap_size,
                gap_word=gap_word,
                moved=row.moved and not hide,
                disagree=row.disagree and not hide,
                private=row.private,
            )
        )
    return out


def topic_text(topic: Topic, pack: Pack, t: Translator) -> str:
    """One agenda line, the topic in the citizen's words (it is on the shared screen).
    A drop or gap that is not the largest is not called the largest; the topic that
    holds the largest says so."""
    lang = t.lang
    name = _topic(pack, topic.indicator, lang)
    if topic.kind == "citizen_choice":
        text = t("agenda.citizen_choice", name=name)
    elif topic.kind == "drop":
        who = pack.perspective(topic.perspective).name.get(lang) if topic.perspective else ""
        amount = number(topic.amount or 0, lang, signed=True)
        text = t(
            "agenda.drop" if topic.largest else "agenda.drop_other",
            name=name,
            who=who,
            amount=amount,
        )
    elif topic.kind == "gap":
        amount = number(topic.amount or 0, lang)
        text = t("agenda.gap" if topic.largest else "agenda.gap_other", name=name, amount=amount)
    elif topic.perspective:  # a low score only one side gave
        who = pack.perspective(topic.perspective).name.get(lang)
        text = t("agenda.low_one", name=name, who=who, amount=number(topic.amount or 0, lang))
    else:
        text = t("agenda.low", name=name, amount=number(topic.amount or 0, lang))
    also = []
    if topic.largest_drop is not None:
        also.append(t("agenda.also_drop", amount=number(topic.largest_drop, lang, signed=True)))
    if topic.largest_gap is not None:
        also.append(t("agenda.also_gap", amount=number(topic.largest_gap, lang)))
    return " – ".join([text, *also])


# -- last time's actions, as reviewed in this meeting ----------------------------------


def _moves_text(
    r: ReviewedItem, pack: Pack, t: Translator, names: dict[str, str]
) -> list[tuple[str, str]]:
    """What moved clearly on the indicators the action works on, one part per indicator,
    the largest move first, each in full ("Helbredsmestring ↓ −3 (borger), ↑ +1
    (sagsbehandler)"; "begge" when both sides moved alike) and short (only its largest
    move). Arrow and sign; the table below has the words."""
    lang = t.lang
    by_indicator: dict[str, list[tuple[float, str]]] = {}
    for m in r.moves:
        if m.change.notable and m.change.delta is not None:
            by_indicator.setdefault(m.indicator, []).append((m.change.delta, m.perspective))

    def move(d: float, who: str) -> str:
        return t(
            "review.action_move",
            arrow=ARROWS["up" if d > 0 else "down"],
            delta=number(d, lang, signed=True),
            who=who,
        )

    parts: list[tuple[float, str, str]] = []
    for ind, found in by_indicator.items():
        name = _topic(pack, ind, lang)
        every = len(found) > 1 and len({d for d, _ in found}) == 1
        if every:
            full = move(found[0][0], t("review.both"))
        else:
            full = ", ".join(move(d, names.get(w, w).lower()) for d, w in found)
        d, w = max(found, key=lambda x: abs(x[0]))
        short = move(d, t("review.both") if every else names.get(w, w).lower())
        parts.append(
            (
                abs(d),
                t("review.action_indicator", name=name, moves=full),
                t("review.action_indicator", name=name, moves=short),
            )
        )
    return [(full, short) for _, full, short in sorted(parts, key=lambda x: -x[0])]


def action_lines(
    reviewed: Sequence[ReviewedItem],
    history: Sequence[MeetingAnswers],
    pack: Pack,
    t: Translator,
    width: int,
    *,
    today: str | None = None,
) -> list[str]:
    """One line per action reviewed in this meeting: its mark (an unmarked one due before
    ``today``, the meeting's day, "dato passeret" as in the opening), its title, the meetings
    the change spans (from the one where it was agreed to today: the table compares
    with the last meeting, so the two never seem to disagree) and what moved on the
    indicators it works on, as many as the line holds. The title has the room the line
    leaves beside the span and the shortest word of what moved; it is cut (at a word,
    with "…") only when that room is too small. When not even that shortest word fits
    beside the title (80 columns), what moved goes on a second line under the title."""
    if not reviewed:
        return []
    lang = t.lang
    held = {m.meeting_id: m.held_on for m in history}
    names = {p.id: p.name.get(lang) for p in pack.perspectives}
    marks = ("done", "partly", "not_done", "running", "open", "overdue")
    states = [t(f"opening.state_{s}") for s in marks]
    # The marks in a column where the line has room for it.
    state_width = max(len(s) for s in states) if width >= 100 else 0
    out = [t("review.actions_heading")]
    for r in reviewed:
        unmarked = "overdue" if r.item.overdue_on(today) else "open"
        state = t(f"opening.state_{r.outcome or unmarked}").ljust(state_width)
        prefix = f"  {state}  "
        since = baseline_meeting(r.item, history)
        moved = _moves_text(r, pack, t, names)
        if since is None or since not in held:
            tail = ""
        else:
            # Agreed at an earlier meeting the same day: a date "→ i dag" would read as
            # if weeks had passed.
            earlier = today is not None and held[since] == today
            span = (
                t("review.action_span_today")
                if earlier
                else t("review.action_span", since=format_date(held[since], lang))
            )
            tail = ", " + span
            if r.moves:
                tail += ":"
        shortest = _shortest_moves(r, moved, t)
        room = max(width - len(prefix) - len(tail) - len(shortest), MIN_TITLE)
        line = prefix + cut_at_word(r.item.title, room) + tail
        if tail.endswith(":"):
            moves = _moves_in(line, moved, t, width)
            if len(f"{line} {moves}") > width:
                # Not even its shortest word fits beside the title: what moved goes on
                # the next line, under the title, in full where it fits.
                under = " " * (len(prefix) - 1)
                whole = max(width - len(prefix) - len(tail), MIN_TITLE)  # the line is its own
                out.append(prefix + cut_at_word(r.item.title, whole) + tail)
                line = f"{under} {_moves_in(under, moved, t, width)}"
            else:
                line = f"{line} {moves}"
        out.append(hanging(line, width, extra=len(prefix) - 2) if len(line) > width else line)
    return out


def _shortest_moves(r: ReviewedItem, moved: list[tuple[str, str]], t: Translator) -> str:
    """What moved in its fewest cells (" ↓ −2 (borger); +1 mere", " tydelige ændringer:
    2" or " ingen tydelig ændring"), with its leading space; "" without moves."""
    if not r.moves:
        return ""
    if not moved:
        return " " + t("review.action_steady")
    rest = len(moved) - 1
    more = f"; {t('review.action_more', count=rest)}" if rest else ""
    counted = t("review.action_count", count=len(moved))
    return " " + min(moved[0][1] + more, counted, key=len)


def _moves_in(line: str, moved: list[tuple[str, str]], t: Translator, width: int) -> str:
    """What moved, after ``line`` within ``width``: as many moves in full as fit, the
    rest counted ("+2 mere"); when not even the first fits in full, its largest move
    alone, or how many moved, in words."""
    if not moved:
        return t("review.action_steady")
    shown: list[str] = []
    for full, _ in moved:
        rest = len(moved) - len(shown) - 1
        more = f"; {t('review.action_more', count=rest)}" if rest else ""
        if len(f"{line} {'; '.join([*shown, full])}{more}") > width:
            break
        shown.append(full)
    if not shown:
        rest = len(moved) - 1
        short = moved[0][1] + (f"; {t('review.action_more', count=rest)}" if rest else "")
        fits = len(f"{line} {short}") <= width
        return short if fits else t("review.action_count", count=len(moved))
    left = len(moved) - len(shown)
    tail = f"; {t('review.action_more', count=left)}" if left else ""
    return "; ".join(shown) + tail


# -- today's notes ---------------------------------------------------------------------


def note_lines(
    notes: Sequence[Note],
    pack: Pack,
    t: Translator,
    width: int,
    *,
    most: int,
    rows_each: int,
    save_key: str = "s",
    heading: str | None = None,
    more: str = "review.notes_more",
) -> list[str]:
    """The meeting's shared notes under a heading, oldest first: "✎ topic: text", the
    topic in the citizen's words. At most ``most`` notes of at most ``rows_each`` lines
    (the last one cut at a word with "…"); the rest counted, with the key that saves
    the summary holding them all. The opening lists the last meeting's notes the same way
    under its own ``heading`` and ``more``. Only notes the citizen may
    read may be passed (``MeetingSession.shared_notes``)."""
    if not notes:
        return []
    lang = t.lang
    if rows_each == 1 and len(notes) == most + 1:
        most += 1  # the one more takes the line "+1 mere" would
    out = [heading or t("review.notes_heading")]
    for note in notes[:most]:
        text = " ".join(note.text.split())  # its line breaks and runs of spaces as one
        if note.indicator and pack.has_indicator(note.indicator):
            text = t("review.note_on", topic=_topic(pack, note.indicator, lang), text=text)
        line = t("review.note_line", text=text)
        rows = hanging(line, width, extra=2, under_mark=True, mark_of=NOTE_MARK).split("\n")
        if len(rows) > rows_each or any(cells(r) > width for r in rows):
            # Cut where the room ends; wide letters (textwrap counts characters, the
            # terminal cells) or a word longer than the line: one line, cut to fit.
            keep = rows_each - 1 if all(cells(r) <= width for r in rows[:rows_each]) else 0
            last = rows[keep]
            indent = len(last) - len(last.lstrip(" "))
            rest = " ".join(r.strip() for r in rows[keep:])
            rows = [*rows[:keep], " " * indent + cut_at_word(rest, width - indent)]
        out.extend(rows)
    if len(notes) > most:
        out.append(t(more, count=len(notes) - most, keys=save_key))
    return out
