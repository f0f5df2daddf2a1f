"""A persona between meetings and at a meeting: latent levels move with the plan, and
the persona answers the pack's questions from them. Pure and deterministic: every
random draw comes from ``random.Random`` seeded by (seed, persona, quarter, purpose),
so the same seed gives the same story, and one quarter's draws never shift another's.

Between two meetings (one quarter) the effects of ``personas.toml`` move the latent
levels of every perspective: a company-based element moves all indicators; upskilling
or health work moves little alone and more in parallel with a company-based element;
no activity pulls everything down; a new caseworker is a setback; demanding activation
while health coping is low pulls health down unless health support runs alongside.
A plan that is not parallel is a staircase: the company-based element waits until
the other elements are done, so in the quarter only those run.

At a meeting the citizen answers from their own view of themselves, in their answer
style; an answer only changes from last time when the feeling behind it moved
``stickiness`` or more, so the story reads as a story and not as noise. Job-search
channels follow the persona's own answer on how much they search.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bip_talk.domain.meeting_history import Answer
from bip_talk.domain.pack import Item, Pack
from bip_talk.domain.training.personas import Effect, Persona, PersonaBook

# perspective -> indicator -> latent level on the 1–5 scale
Levels = Mapping[str, Mapping[str, float]]

LOW, HIGH = 1.0, 5.0
# How far an answer style shifts the citizen's answers from what they feel.
STYLE_SHIFT = {"plain": 0.0, "acquiescent": 1.0, "understates": -0.7, "straight_lines": 0.0}
STAFF_NOISE = 0.2  # a caseworker's read of the persona varies less than the persona's own


@dataclass(frozen=True, slots=True)
class PlanChoice:
    """What was agreed to run until the next meeting. ``kinds``: the activities
    (intervention ids); none at all is passivity. ``parallel``: at the same time, or a
    staircase (one after another)."""

    kinds: tuple[str, ...] = ()
    parallel: bool = True


@dataclass(frozen=True, slots=True)
class Applied:
    effect: str
    step: float  # per quarter, after the persona's response factor
    indicators: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Quarter:
    """The outcome of one quarter: the levels at the next meeting and why they moved."""

    levels: Levels
    running: tuple[str, ...]
    applied: tuple[Applied, ...]


def _rng(seed: int | str, persona: Persona, quarter: int, purpose: str) -> random.Random:
    return random.Random(f"{seed}/{persona.id}/{quarter}/{purpose}")


def _clamp(value: float) -> float:
    return min(HIGH, max(LOW, value))


def _round(value: float) -> int:
    return int(min(5, max(1, math.floor(value + 0.5))))


def start_levels(persona: Persona) -> dict[str, dict[str, float]]:
    return {pid: dict(view) for pid, view in persona.levels.items()}


# -- between meetings --------------------------------------------------------------------


def running_kinds(book: PersonaBook, plan: PlanChoice) -> tuple[str, ...]:
    """The kinds that actually ran in the quarter. A staircase starts with everything
    that is not company-based; the company-based element waits its turn."""
    kinds = tuple(dict.fromkeys(plan.kinds))
    company = [k for k in kinds if k in book.company_based]
    others = [k for k in kinds if k not in book.company_based]
    if plan.parallel or not company or not others:
        return kinds
    return tuple(others)


def _fires(
    book: PersonaBook,
    effect: Effect,
    running: Sequence[str],
    levels: Levels,
    caseworker_changed: bool,
) -> bool:
    if effect.on == "passivity":
        return not running
    if effect.on == "caseworker_change":
        return caseworker_changed
    if effect.on == "other_activity":
        named = {k for e in book.effects if e.on == "kinds" and e.step > 0 for k in e.kinds}
        return any(k not in named for k in running)
    if not any(k in effect.kinds for k in running):
        return False
    company = any(k in book.company_based for k in running)
    if effect.company == "alone" and company:
        return False
    if effect.company == "parallel" and not company:
        return False
    if any(k in effect.unless_kinds for k in running):
        return False
    if effect.if_indicator is not None and effect.if_at_most is not None:
        seen = [v[effect.if_indicator] for v in levels.values() if effect.if_indicator in v]
        if not seen or min(seen) > effect.if_at_most:
            return False
    return True


def effects_for(
    pack: Pack,
    book: PersonaBook,
    persona: Persona,
    levels: Levels,
    plan: PlanChoice,
    *,
    caseworker_changed: bool = False,
) -> tuple[tuple[str, ...], tuple[Applied, ...]]:
    """Which effects the quarter brings, with the persona's own response factor."""
    running = running_kinds(book, plan)
    applied = []
    for effect in book.effects:
        if not _fires(book, effect, running, levels, caseworker_changed):
            continue
        step = effect.step * persona.factor(effect.id)
        indicators = tuple(effect.indicators) or tuple(i.id for i in pack.indicators)
        applied.append(Applied(effect.id, step, indicators))
    return running, tuple(applied)


def advance(
    pack: Pack,
    book: PersonaBook,
    persona: Persona,
    levels: Levels,
    plan: PlanChoice,
    *,
    caseworker_changed: bool = False,
    quarter: int,
    seed: int | str,
) -> Quarter:
    """The persona's latent levels at the next meeting, after ``plan`` ran for the
    quarter that starts at meeting number ``quarter``."""
    running, applied = effects_for(
        pack, book, persona, levels, plan, caseworker_changed=caseworker_changed
    )
    rng = _rng(seed, persona, quarter, "levels")
    out: dict[str, dict[str, float]] = {}
    for p in pack.perspectives:  # fixed order: the draws line up run after run
        view = levels.get(p.id)
        if view is None:
            continue
        moved = {}
        for ind in pack.indicators:
            if ind.id not in view:
                continue
            total = sum(a.step for a in applied if ind.id in a.indicators)
            moved[ind.id] = _clamp(view[ind.id] + total + rng.gauss(0, book.drift))
        out[p.id] = moved
    return Quarter(out, running, applied)


def outcome(book: PersonaBook, kind: str, quarter: Quarter, *, still_running: bool = False) -> str:
    """What the persona says when asked about an agreed activity at the next meeting:
    done, partly (it went on, but health suffered from the pace), not done (it never
    started, e.g. the company-based step of a staircase), or still running (it ran and
    goes on: a placement with no end yet; ``still_running`` says it is not over)."""
    if kind not in quarter.running:
        return "not_done"
    for applied in quarter.applied:
        effect = book.effect(applied.effect)
        if applied.step < 0 and effect is not None and kind in effect.kinds:
            return "partly"
    return "running" if still_running else "done"


# -- at a meeting ------------------------------------------------------------------------


def _previous(previous: Mapping[str, Answer] | None, item_id: str) -> int | None:
    if not previous:
        return None
    found = previous.get(item_id)
    return found.value if found is not None else None


def _settle(target: float, before: int | None, stickiness: float) -> int:
    """Keep last time's answer unless the feeling behind it moved far enough."""
    if before is not None and abs(target - before) < stickiness:
        return before
    return _round(target)


def _channels(
    book: PersonaBook,
    persona: Persona,
    item: Item,
    searching: int | None,
    running: Sequence[str],
) -> tuple[str, ...]:
    s = book.search
    assert s is not None
    if searching is None or searching <= 1:
        return (s.not_searching,)
    company = any(k in book.company_based for k in running)
    support = any(k in s.support_kinds for k in running)
    own = [c for c in persona.channels if c != s.via_company or company]
    chosen = own[: searching - 1]
    if support and s.via_support:
        chosen.append(s.via_support)
    if support and company and s.via_company:
        chosen.append(s.via_company)
    if not chosen:  # they say they search, so some channel: the first ordinary one
        chosen = [next(o.id for o in item.options if not o.exclusive)]
    order = [o.id for o in item.options]
    return tuple(sorted(set(chosen), key=order.index))


def answer_sheet(
    pack: Pack,
    book: PersonaBook,
    persona: Persona,
    levels: Levels,
    perspective: str,
    *,
    running: Sequence[str] = (),
    quarter: int,
    seed: int | str,
    previous: Mapping[str, Answer] | None = None,
) -> dict[str, Answer]:
    """Answers to every item of ``perspective`` at meeting number ``quarter``: item id ->
    Answer. The citizen side answers in the persona's style, declines now and then, and
    names channels; a staff side gives the plain read a caseworker would likely have.
    ``running``: the kinds that ran in the quarter before (channels follow them)."""
    view = levels.get(perspective, {})
    citizen = pack.perspective(perspective).respondent == "citizen"
    rng = _rng(seed, persona, quarter, f"answers/{perspective}")
    style = persona.answer_style if citizen else "plain"
    noise = persona.noise if citizen else STAFF_NOISE
    items = pack.items(perspective)
    styled = [i for i in items if i.type == "scale" and i.id not in book.factual_items]
    # Straight-lining: one answer for every styled question, from the overall feeling.
    line: int | None = None
    if style == "straight_lines" and styled:
        mean = sum(view.get(i.indicator, 3.0) for i in styled) / len(styled)
        line = _settle(
            mean + rng.gauss(0, noise), _previous(previous, styled[0].id), book.stickiness
        )

    out: dict[str, Answer] = {}
    for item in items:
        # Always draw both numbers, in item order: one answer's outcome never shifts another's.
        declines = rng.random() < (persona.declines.get(item.id, 0.0) if citizen else 0.0)
        wobble = rng.gauss(0, noise)
        if item.type == "scale":
            if declines:
                out[item.id] = Answer(declined=True)
                continue
            if line is not None and item in styled:
                out[item.id] = Answer(value=line)
                continue
            shift = STYLE_SHIFT[style] if item in styled else 0.0
            target = view.get(item.indicator, 3.0) + shift + wobble
            out[item.id] = Answer(
                value=_settle(target, _previous(previous, item.id), book.stickiness)
            )
    search = book.search
    if search is not None and search.perspective == perspective:
        channels = pack.item(perspective, search.item)
        if channels is not None:
            rng_c = _rng(seed, persona, quarter, f"channels/{perspective}")
            if rng_c.random() < persona.declines.get(channels.id, 0.0):
                out[channels.id] = Answer(choices=(search.no_answer,))
            else:
                said = out.get(search.scale_item)
                searching = (
                    said.value
                    if said is not None and said.value is not None
                    else (_round(view.get(channels.indicator, 1.0)))
                )
                out[channels.id] = Answer(
                    choices=_channels(book, persona, channels, searching, running)
                )
    return out


@dataclass(frozen=True, slots=True)
class Meeting:
    """One simulated meeting of a story."""

    quarter: int
    levels: Levels
    answers: Mapping[str, Mapping[str, Answer]]  # perspective -> item id -> answer
    before: Quarter | None  # the quarter that led here; None for the first meeting


def meeting(
    pack: Pack,
    book: PersonaBook,
    persona: Persona,
    levels: Levels,
    *,
    quarter: int,
    seed: int | str,
    before: Quarter | None = None,
    previous: Meeting | None = None,
    perspectives: Sequence[str] | None = None,
) -> Meeting:
    """Every perspective's answers at one meeting (``perspectives`` limits which)."""
    wanted = perspectives or [p.id for p in pack.perspectives if p.id in levels]
    running = before.running if before else ()
    answers = {
        pid: answer_sheet(
            pack,
            book,
            persona,
            levels,
            pid,
            running=running,
            quarter=quarter,
            seed=seed,
            previous=previous.answers.get(pid) if previous else None,
        )
        for pid in wanted
    }
    return Meeting(quarter, levels, answers, before)


def story(
    pack: Pack,
    book: PersonaBook,
    persona: Persona,
    plans: Sequence[tuple[PlanChoice, bool]],
    *,
    seed: int | str,
    first_quarter: int = 0,
    levels: Levels | None = None,
) -> list[Meeting]:
    """Meetings in a row: the first at ``levels`` (default: the persona's start), then
    one more per (plan, caseworker changed) pair."""
    current = levels or start_levels(persona)
    out = [meeting(pack, book, persona, current, quarter=first_quarter, seed=seed)]
    for n, (plan, changed) in enumerate(plans):
        q = first_quarter + n
        step = advance(
            pack, book, persona, current, plan, caseworker_changed=changed, quarter=q, seed=seed
        )
        current = step.levels
        out.append(
            meeting(
                pack,
                book,
                persona,
                current,
                quarter=q + 1,
                seed=seed,
                before=step,
                previous=out[-1],
            )
        )
    return out


def history_plans(persona: Persona) -> list[tuple[PlanChoice, bool]]:
    """The persona's quarters before the rehearsal, as (plan, caseworker changed)."""
    return [(PlanChoice(tuple(h.kinds), h.parallel), h.caseworker_changed) for h in persona.history]
