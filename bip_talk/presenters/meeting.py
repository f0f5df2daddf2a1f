"""What each pane of the shared meeting screen may show, as plain data.

This is where the shared-screen rules live, away from the widgets so they can be
tested directly: a blind side's answer stays hidden until every side has answered
the step; private items never show their question, labels or value; private notes
are only ever counted, never shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from bip_talk.domain.pack import Item, Pack
from bip_talk.i18n import Translator, format_date
from bip_talk.presenters.layout import wrap_words
from bip_talk.services.meeting import MeetingSession
from bip_talk.services.prompts import Prompt

OPTION_KEYS = "abcdefgh"  # keys that toggle multi-choice options (never bound elsewhere)


@dataclass(frozen=True, slots=True)
class ScaleOption:
    digit: int
    label: str
    chosen: bool


@dataclass(frozen=True, slots=True)
class ChoiceOption:
    key: str
    option_id: str
    label: str
    checked: bool


@dataclass(frozen=True, slots=True)
class PaneView:
    perspective: str
    title: str
    active: bool
    asked: bool  # does this side answer anything at this step?
    private: bool = False
    item_id: str | None = None
    question: str = ""
    help: str = ""
    scale: tuple[ScaleOption, ...] = ()
    status: str = ""
    answered: bool = False
    earlier: str = ""
    choice_item: str | None = None
    choice_question: str = ""
    choice_later: str = ""  # the choices folded to one line (a short screen, scale first)
    choices: tuple[ChoiceOption, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class StepView:
    number: int
    total: int
    indicator: str
    description: str
    answered: int
    questions: int
    panes: tuple[PaneView, ...]
    revealed: bool


def _scale_item(items: list[Item]) -> Item | None:
    return next((i for i in items if i.type == "scale"), None)


def _choice_item(items: list[Item]) -> Item | None:
    return next((i for i in items if i.type == "multi"), None)


def _pane(session: MeetingSession, perspective: str, t: Translator, revealed: bool) -> PaneView:
    lang = t.lang
    pack = session.pack
    persp = pack.perspective(perspective)
    title = persp.name.get(lang)
    if persp.respondent == "staff":
        title = f"{title} ({session.actor.initials})"
    items = session.items_at(perspective)
    active = session.active == perspective
    if not items:
        # Said to the side that sits this topic out, in words for who reads them there:
        # the citizen should not read a bare "no question" under a "du" topic.
        status = t(f"meeting.not_asked_{persp.respondent}")
        return PaneView(perspective, title, active, asked=False, status=status)
    scale_item = _scale_item(items)
    choice_item = _choice_item(items)
    view: dict = {"perspective": perspective, "title": title, "active": active, "asked": True}

    if scale_item is not None:
        answer = session.answer(perspective, scale_item.id)
        hidden = scale_item.private or (persp.blind and session.blind_rating and not revealed)
        labels = pack.scale_labels(scale_item, lang)
        value = None if answer is None or hidden else answer.value
        view["item_id"] = scale_item.id
        view["private"] = scale_item.private
        if scale_item.private:
            view["question"] = t("meeting.private_question")
            view["help"] = t("meeting.private_help", low=labels[0], high=labels[-1])
        else:
            view["question"] = scale_item.text.get(lang)
            view["help"] = scale_item.help.get(lang) if scale_item.help else ""
            view["scale"] = tuple(
                ScaleOption(n, label, value == n) for n, label in enumerate(labels, start=1)
            )
        answered = session.answered(perspective, scale_item)
        view["answered"] = answered
        if not answered:
            view["status"] = t("meeting.status_missing")
        elif scale_item.private:
            view["status"] = t("meeting.status_private")
        elif hidden:
            view["status"] = t("meeting.status_hidden")
        elif answer is not None and answer.declined:
            view["status"] = t("meeting.status_declined")
        else:
            view["status"] = t("meeting.status_answered")
        earlier = session.earlier_answer(perspective, scale_item.id)
        if earlier is None:
            view["earlier"] = t("meeting.earlier_none")
        elif scale_item.private:
            view["earlier"] = t("meeting.earlier_private", date=format_date(earlier.held_on, lang))
        elif earlier.answer.declined:
            view["earlier"] = t("meeting.earlier_declined", date=format_date(earlier.held_on, lang))
        elif earlier.answer.value is not None:
            v = earlier.answer.value
            view["earlier"] = t(
                "meeting.earlier",
                date=format_date(earlier.held_on, lang),
                value=v,
                label=labels[v - 1],
            )
    if choice_item is not None:
        answer = session.answer(perspective, choice_item.id)
        chosen = set(answer.choices) if answer else set()
        view["choice_item"] = choice_item.id
        view["choice_question"] = choice_item.text.get(lang)
        keys = (
            f"{OPTION_KEYS[0]}–{OPTION_KEYS[min(len(choice_item.options), len(OPTION_KEYS)) - 1]}"
        )
        view["choice_later"] = t(
            "meeting.choices_later", question=choice_item.text.get(lang), keys=keys
        )
        view["choices"] = tuple(
            ChoiceOption(OPTION_KEYS[n], o.id, o.text.get(lang), o.id in chosen)
            for n, o in enumerate(choice_item.options[: len(OPTION_KEYS)])
        )
    return PaneView(**view)


def step_view(session: MeetingSession, t: Translator) -> StepView:
    pack = session.pack
    indicator = pack.indicator(session.step_id)
    revealed = session.revealed()
    answered, total = session.progress()
    return StepView(
        number=session.step + 1,
        total=len(session.steps),
        indicator=indicator.said(t.lang),  # the header is on the shared screen
        description=indicator.description.get(t.lang) if indicator.description else "",
        answered=answered,
        questions=total,
        panes=tuple(_pane(session, p, t, revealed) for p in session.perspective_ids),
        revealed=revealed,
    )


# -- conversation prompts, one page at a time ------------------------------------------

PROMPT_LINES = 3  # a prompt page, question included, never takes more (80×24 has room)


_wrap = wrap_words


def _private_item(item: Item, pack: Pack, lang: str) -> str:
    """A private item as only the caseworker sees it: the question, its help and, for
    a scale, every step in words (the shared screen names only its two ends)."""
    lines = [item.text.get(lang), item.help.get(lang) if item.help else ""]
    if item.type == "scale":
        labels = pack.scale_labels(item, lang)
        lines.append("  ·  ".join(f"{n} {label}" for n, label in enumerate(labels, start=1)))
    return "\n".join(line for line in lines if line)


def private_text(session: MeetingSession, prompts: Sequence[Prompt], lang: str) -> str:
    """What the private view (``v``) shows at this step: the question of a private item
    (the shared screen names it only as "the caseworker's own judgement"), then the
    private reflections among the prompts."""
    parts = [
        _private_item(item, session.pack, lang)
        for perspective in session.perspective_ids
        for item in session.items_at(perspective)
        if item.private
    ]
    parts += [p.text.strip() for p in prompts if p.private]
    return "\n\n".join(part for part in parts if part)


def wrapped(text: str, width: int) -> str:
    """``text`` wrapped at whole words to ``width`` cells, paragraph by paragraph."""
    return "\n".join(line for part in text.split("\n") for line in _wrap(part, max(width, 20)))


def prompt_pages(prompts: Sequence[Prompt], width: int, lines: int = PROMPT_LINES) -> list[str]:
    """The shared prompts of a step as pages of at most ``lines`` lines of ``width``
    cells, already wrapped: the situation on top, then how to ask and as many questions
    as fit; the questions that do not fit go on the next page under the same situation.
    One prompt after the other, in the order given (the most useful first). Only on a
    line too narrow for the situation and one question does a page run longer."""
    pages: list[str] = []
    width = max(width, 20)
    for prompt in prompts:
        if prompt.private:
            continue
        situation = _wrap(prompt.situation, width)
        room = lines - len(situation)
        questions = list(prompt.questions)
        if not questions:
            pages.append("\n".join(situation))
        while questions:
            guide = prompt.guide
            taken = 1
            while taken < len(questions):
                if len(_wrap(" ".join([guide, *questions[: taken + 1]]), width)) > room:
                    break
                taken += 1
            body = _wrap(" ".join([guide, *questions[:taken]]), width)
            if len(body) > room:  # the guide is the part that can go
                body = _wrap(" ".join(questions[:taken]), width)
            pages.append("\n".join([*situation, *body]))
            questions = questions[taken:]
    return pages
