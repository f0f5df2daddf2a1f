"""What the caseworker could say now: picks the conversation prompts that fit the
current step of a meeting (from the change engine's ``IndicatorRow``) and renders
them from ``prompts/<lang>/conversation/``.

The caseworker reads them out; they stand on the shared screen under the panes, so a
topic is named in the citizen's words ("Dit helbred"). ``Prompt.private`` marks the ones
that must not be read aloud or shown on a shared screen (the reflection on the
caseworker's own belief).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bip_talk.domain import wording
from bip_talk.domain.change import IndicatorRow, PerspectiveRow
from bip_talk.domain.entities import PlanItem
from bip_talk.domain.evidence_model import evidence_of
from bip_talk.domain.pack import Pack
from bip_talk.i18n import format_date
from bip_talk.render import render

PromptKind = Literal[
    "opening", "moved_up", "moved_down", "stayed_low", "gap", "closing", "belief_reflection"
]
STEP_KINDS: tuple[PromptKind, ...] = ("moved_up", "moved_down", "stayed_low", "gap")
# Without evidence.toml: at or below "I lav grad" counts as low.
DEFAULT_LOW = 2.0


@dataclass(frozen=True, slots=True)
class Prompt:
    kind: PromptKind
    indicator: str | None
    text: str
    private: bool = False

    @property
    def situation(self) -> str:
        """The first line of a step prompt: what happened ("Dit helbred: gået frem (…)")."""
        return self.text.split("\n", 1)[0].strip()

    @property
    def guide(self) -> str:
        """How to ask ("Spørg fx:"): the lines between the situation and the questions."""
        lines = self.text.splitlines()[1:]
        return " ".join(x.strip() for x in lines if x.strip() and not x.startswith("- "))

    @property
    def questions(self) -> tuple[str, ...]:
        """The questions to ask, one per ``- `` line of the template."""
        return tuple(x[2:].strip() for x in self.text.splitlines() if x.startswith("- "))


# -- choosing --------------------------------------------------------------------------


def _moved(row: IndicatorRow, direction: str) -> list[PerspectiveRow]:
    return [
        p for p in row.perspectives.values() if p.change.notable and p.change.direction == direction
    ]


def _low_now(row: IndicatorRow, low: float) -> list[PerspectiveRow]:
    return [p for p in row.perspectives.values() if p.now.value is not None and p.now.value <= low]


def _largest_move(row: IndicatorRow, direction: str) -> float:
    return max((abs(p.change.delta or 0) for p in _moved(row, direction)), default=0.0)


def kinds_for_row(row: IndicatorRow, low: float = DEFAULT_LOW) -> list[PromptKind]:
    """Which prompts fit one indicator step, the most useful first (the meeting shows
    one at a time).

    The order: a flagged gap first (in BIP at least two steps apart): when the two see
    the indicator differently, that is the conversation to have before reading any move,
    since a move on one side is often what the gap is made of. Then the moves, the
    larger first, a setback before progress of the same size (it may need a change in
    the plan). "Stayed low" comes last, and only when nothing moved: it says the least
    that is new. A private indicator (the caseworker's own belief) gets only the
    reflection."""
    if row.private:
        return ["belief_reflection"]
    kinds: list[PromptKind] = []
    if row.disagree:
        kinds.append("gap")
    directions: tuple[tuple[str, PromptKind], ...] = (("down", "moved_down"), ("up", "moved_up"))
    moves = [
        (_largest_move(row, direction), order, kind)
        for order, (direction, kind) in enumerate(directions)
        if _moved(row, direction)
    ]
    kinds += [kind for _, _, kind in sorted(moves, key=lambda m: (-m[0], m[1]))]
    if not moves and _low_now(row, low):
        kinds.append("stayed_low")
    return kinds


# -- rendering -------------------------------------------------------------------------


def number(value: float | None, lang: str) -> str:
    return "–" if value is None else wording.number(value, lang)


def day(iso: str | None, lang: str) -> str | None:
    """``2026-11-24`` -> ``24.11.2026`` (da) or ``24 Nov 2026`` (en)."""
    if not iso:
        return None
    try:
        return format_date(iso, lang)
    except ValueError:
        return iso


def _label(pack: Pack, perspective: str, indicator: str, value: float | None, lang: str) -> str:
    """The scale label of a whole-number answer to the indicator's single scale item."""
    items = pack.scored_items(perspective, indicator)
    if value is None or len(items) != 1 or value != int(value):
        return ""
    labels = pack.scale_labels(items[0], lang)
    return labels[int(value) - 1] if 1 <= value <= len(labels) else ""


def _who(pack: Pack, perspective: str, lang: str) -> str:
    return pack.perspective(perspective).name.get(lang)


def _low(pack: Pack) -> float:
    evidence = evidence_of(pack)
    return evidence.low_at_most if evidence else DEFAULT_LOW


def _citizen_side(pack: Pack) -> str | None:
    return next((p.id for p in pack.perspectives if p.respondent == "citizen"), None)


def _context(pack: Pack, row: IndicatorRow, kind: PromptKind, lang: str) -> dict[str, object]:
    name = pack.indicator(row.indicator).said(lang)  # read aloud: the citizen's words

    def score(p: PerspectiveRow) -> dict[str, str]:
        return {
            "who": _who(pack, p.perspective, lang),
            "now": number(p.now.value, lang),
            "label": _label(pack, p.perspective, row.indicator, p.now.value, lang),
        }

    if kind in ("moved_up", "moved_down"):
        moved = _moved(row, "up" if kind == "moved_up" else "down")
        changes = [
            {
                "who": _who(pack, p.perspective, lang),
                "before": number(p.before.value if p.before else None, lang),
                "now": number(p.now.value, lang),
            }
            for p in moved
        ]
        # "What did you do yourself that helped?" only asks the citizen who moved up:
        # when only the caseworker sees progress (the citizen may say they are not
        # searching), the caseworker says what they see and asks whether it fits.
        own = _citizen_side(pack)
        return {
            "indicator": name,
            "changes": changes,
            "citizen_moved": any(p.perspective == own for p in moved),
        }
    if kind == "stayed_low":
        low = _low(pack)
        lows = _low_now(row, low)
        first_time = all(p.before is None for p in lows)
        run = max(_trailing_low(p.series, low) for p in lows)
        return {
            "indicator": name,
            "scores": [score(p) for p in lows],
            "meetings_low": run,
            "first_time": first_time,
        }
    if kind == "gap":
        assert row.gap is not None
        high = row.perspectives[row.gap.high]
        low_side = row.perspectives[row.gap.low]
        citizen = row.perspectives.get(_citizen_side(pack) or "")
        answer = None
        if citizen is not None and citizen.now.value is not None:
            label = _label(pack, citizen.perspective, row.indicator, citizen.now.value, lang)
            answer = label or number(citizen.now.value, lang)
        return {
            "indicator": name,
            "high": score(high),
            "low": score(low_side),
            "citizen_answer": answer,
        }
    raise ValueError(kind)


def _trailing_low(series: Sequence[float | None], low: float) -> int:
    run = 0
    for value in reversed([v for v in series if v is not None]):
        if value > low:
            break
        run += 1
    return run


def step_prompts(
    pack: Pack, row: IndicatorRow, lang: str, *, citizen_belief: IndicatorRow | None = None
) -> list[Prompt]:
    """The rendered prompts for one indicator step of the meeting. ``citizen_belief``:
    the citizen's own belief row (BIP: ``tro_job``), quoted in the private reflection."""
    out: list[Prompt] = []
    for kind in kinds_for_row(row, _low(pack)):
        if kind == "belief_reflection":
            out.append(belief_prompt(pack, row, lang, citizen_belief=citizen_belief))
        else:
            text = render(f"conversation/{kind}.txt", lang, **_context(pack, row, kind, lang))
            out.append(Prompt(kind, row.indicator, text))
    return out


def _answer_label(pack: Pack, row: IndicatorRow | None, side: str | None, lang: str) -> str | None:
    if row is None or side is None or side not in row.perspectives:
        return None
    value = row.perspectives[side].now.value
    if value is None:
        return None
    return _label(pack, side, row.indicator, value, lang) or number(value, lang)


def belief_prompt(
    pack: Pack, row: IndicatorRow, lang: str, *, citizen_belief: IndicatorRow | None = None
) -> Prompt:
    """The private reflection on the caseworker's own belief in a job."""
    staff = next(
        (p.id for p in pack.perspectives if p.respondent == "staff" and p.id in row.perspectives),
        None,
    )
    text = render(
        "conversation/belief_reflection.txt",
        lang,
        rating=_answer_label(pack, row, staff, lang),
        citizen_rating=_answer_label(pack, citizen_belief, _citizen_side(pack), lang),
    )
    return Prompt("belief_reflection", row.indicator, text, private=True)


def _actions(
    items: Sequence[PlanItem], lang: str, held_on: str | None = None
) -> list[dict[str, str | bool | None]]:
    """The actions for a template; ``overdue``: due before ``held_on`` (ISO dates)."""
    return [
        {
            "title": i.title,
            "responsible": i.responsible,
            "due_on": day(i.due_on, lang),
            "overdue": i.overdue_on(held_on),
        }
        for i in items
    ]


def opening_prompt(
    lang: str,
    *,
    citizen: str,
    last_held_on: str | None,
    actions: Sequence[PlanItem],
    new_caseworker: bool = False,
    met_before: bool = True,
    held_on: str | None = None,
) -> Prompt:
    """Opening: reviews what was agreed last time, or welcomes a first meeting.
    ``held_on``: this meeting's day; an action due before it says its date has passed.
    ``new_caseworker``: the case has moved to whoever holds the meeting ("I am new on
    your case"); ``met_before``: they held an earlier meeting with the citizen ("good to
    see you again"); neither: a stand-in."""
    text = render(
        "conversation/opening.txt",
        lang,
        first_meeting=last_held_on is None,
        citizen=citizen,
        last_held_on=day(last_held_on, lang),
        # A follow-up the same day: "earlier today", not today's date as if long ago.
        last_today=bool(last_held_on and held_on and last_held_on[:10] == held_on[:10]),
        actions=_actions(actions, lang, held_on),
        new_caseworker=new_caseworker,
        met_before=met_before and not new_caseworker,
    )
    return Prompt("opening", None, text)


def closing_prompt(
    lang: str,
    *,
    citizen: str,
    topics: Sequence[str],
    agreed: Sequence[PlanItem],
    next_meeting: str | None = None,
) -> Prompt:
    """Solution-focused closing: the next smallest step, who does what by when."""
    text = render(
        "conversation/closing.txt",
        lang,
        citizen=citizen,
        topics=list(topics),
        agreed=_actions(agreed, lang),
        next_meeting=day(next_meeting, lang),
    )
    return Prompt("closing", None, text)
