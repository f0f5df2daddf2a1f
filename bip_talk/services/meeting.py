"""A meeting in progress: walk the indicators, record each answer the moment it is
given, know what to reveal, and build the review. The UI drives it; so can tests
and the training simulator.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bip_talk.domain.answer_clash import Clash, choice_clash, rating_clash, toggled
from bip_talk.domain.change import Review, Topic, agenda, build_review
from bip_talk.domain.entities import Caseworker, Citizen, Meeting, Note, unfinished
from bip_talk.domain.meeting_history import Answer, MeetingAnswers
from bip_talk.domain.pack import Item, Pack, is_private_indicator
from bip_talk.store import Store


@dataclass(frozen=True, slots=True)
class Earlier:
    answer: Answer
    held_on: str


class MeetingSession:
    def __init__(
        self,
        store: Store,
        pack: Pack,
        citizen: Citizen,
        meeting: Meeting,
        actor: Caseworker,
        earlier: list[MeetingAnswers],
        answers: dict[tuple[str, str], Answer],
    ) -> None:
        self.store = store
        self.pack = pack
        self.citizen = citizen
        self.meeting = meeting
        self.actor = actor
        self.earlier = earlier  # completed meetings before this one, oldest first
        self.answers = answers
        # The user's setting: with blind rating off, no side waits for the other.
        self.blind_rating = True
        # The caseworker changed since the last meeting and the conversation has not
        # begun (set by Casework.open_meeting): the opening says so.
        self.handover_due = False
        self.steps = pack.steps()
        position = json.loads(meeting.position) if meeting.position else {}
        self.step = min(int(position.get("step", 0)), len(self.steps) - 1)
        first = pack.perspectives[0].id
        self.active = (
            position.get("side", first) if position.get("side") in self.perspective_ids else first
        )

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        store: Store,
        pack: Pack,
        citizen_id: str,
        actor: Caseworker,
        meetings: Sequence[Meeting] | None = None,
    ) -> MeetingSession:
        """Resume the citizen's unfinished meeting, or start a new one. ``meetings``:
        the citizen's meetings, when the caller has just read them."""
        citizen = store.citizen(citizen_id)
        if meetings is None:
            meetings = store.meetings_for(citizen_id)
        meeting = unfinished(meetings)
        if meeting is None:
            meeting = store.start_meeting(citizen_id, actor.id, pack.id, pack.version)
            meetings = [*meetings, meeting]
        return cls.of(store, pack, citizen, meeting, actor, meetings)

    @classmethod
    def of(
        cls,
        store: Store,
        pack: Pack,
        citizen: Citizen,
        meeting: Meeting,
        actor: Caseworker,
        meetings: Sequence[Meeting] | None = None,
    ) -> MeetingSession:
        """The session for this meeting of the citizen: the earlier meetings' answers and
        its own, read once (``benchmarks/bench_open_citizen.py`` times this, not a copy).
        ``meetings``: the citizen's meetings, this one among them, if just read."""
        if meetings is None:
            meetings = store.meetings_for(citizen.id)
        history = store.answered(meetings)
        earlier = [
            h
            for m, h in zip(meetings, history, strict=True)
            if not m.is_draft and m.id != meeting.id
        ]
        own = next((h.answers for h in history if h.meeting_id == meeting.id), {})
        return cls(store, pack, citizen, meeting, actor, earlier, dict(own))

    # -- structure -----------------------------------------------------------------------

    @property
    def perspective_ids(self) -> list[str]:
        return [p.id for p in self.pack.perspectives]

    @property
    def step_id(self) -> str:
        return self.steps[self.step]

    def items_at(self, perspective: str, step: int | None = None) -> list[Item]:
        return self.pack.step_items(perspective, self.steps[self.step if step is None else step])

    def perspectives_at(self, step: int | None = None) -> list[str]:
        return [p for p in self.perspective_ids if self.items_at(p, step)]

    # -- answers -------------------------------------------------------------------------

    def answer(self, perspective: str, item_id: str) -> Answer | None:
        return self.answers.get((perspective, item_id))

    def earlier_answer(self, perspective: str, item_id: str) -> Earlier | None:
        for m in reversed(self.earlier):
            found = m.get(perspective, item_id)
            if found is not None:
                return Earlier(found, m.held_on)
        return None

    def _save(self, perspective: str, item_id: str, answer: Answer) -> None:
        self.store.record_answer(
            self.meeting.id,
            perspective,
            item_id,
            answer,
            actor=self.actor.id,
            citizen_id=self.citizen.id,
        )
        self.answers[(perspective, item_id)] = answer

    def rate(self, perspective: str, item_id: str, value: int) -> None:
        if not 1 <= value <= 5:
            raise ValueError(value)
        self._save(perspective, item_id, Answer(value=value))

    def decline(self, perspective: str, item_id: str) -> None:
        self._save(perspective, item_id, Answer(declined=True))

    def toggle_choice(self, perspective: str, item: Item, option_id: str) -> Answer:
        current = self.answer(perspective, item.id) or Answer()
        answer = replace(current, choices=toggled(item, current.choices, option_id), declined=False)
        if answer.choices:
            self._save(perspective, item.id, answer)
        else:
            self.store.clear_answer(
                self.meeting.id,
                perspective,
                item.id,
                actor=self.actor.id,
                citizen_id=self.citizen.id,
            )
            self.answers.pop((perspective, item.id), None)
        return answer

    # -- answers that would contradict each other (domain/answer_clash.py) ------------

    def _step_item(self, perspective: str, kind: str) -> Item | None:
        return next((i for i in self.items_at(perspective) if i.type == kind), None)

    def rating_clash(self, perspective: str, value: int) -> Clash | None:
        """Would rating ``value`` here say the opposite of this side's choices?"""
        item = self._step_item(perspective, "multi")
        chosen = self.answer(perspective, item.id) if item else None
        return rating_clash(item, chosen.choices if chosen else (), value)

    def choice_clash(self, perspective: str, item: Item, option_id: str) -> Clash | None:
        """Would choosing ``option_id`` here say the opposite of this side's rating?"""
        scale = self._step_item(perspective, "scale")
        rated = self.answer(perspective, scale.id) if scale else None
        chosen = self.answer(perspective, item.id)
        return choice_clash(
            item, option_id, chosen.choices if chosen else (), rated.value if rated else None
        )

    def set_text(self, perspective: str, item_id: str, text: str) -> None:
        self._save(perspective, item_id, Answer(text=text.strip()))

    def answered(self, perspective: str, item: Item) -> bool:
        a = self.answer(perspective, item.id)
        return a is not None and (
            a.declined or a.value is not None or bool(a.choices) or bool(a.text)
        )

    def step_done(self, perspective: str, step: int | None = None) -> bool:
        """The perspective gave its rating (or declined) at the step."""
        scale = [i for i in self.items_at(perspective, step) if i.type == "scale"]
        return all(self.answered(perspective, i) for i in scale)

    def revealed(self, step: int | None = None) -> bool:
        """Blind perspectives stay hidden until every side has answered the step."""
        return all(self.step_done(p, step) for p in self.perspectives_at(step))

    def progress(self) -> tuple[int, int]:
        scale = [
            (p, i) for p in self.perspective_ids for i in self.pack.items(p) if i.type == "scale"
        ]
        return sum(self.answered(p, i) for p, i in scale), len(scale)

    def first_unanswered(self) -> int | None:
        for n in range(len(self.steps)):
            if not all(self.step_done(p, n) for p in self.perspectives_at(n)):
                return n
        return None

    # -- navigation ----------------------------------------------------------------------

    def go(self, step: int | None = None, side: str | None = None) -> None:
        if step is not None:
            self.step = max(0, min(step, len(self.steps) - 1))
        if side is not None and side in self.perspective_ids:
            self.active = side
        self.store.set_position(self.meeting.id, {"step": self.step, "side": self.active})

    def next_side(self) -> str:
        sides = self.perspectives_at() or self.perspective_ids
        idx = sides.index(self.active) if self.active in sides else -1
        return sides[(idx + 1) % len(sides)]

    # -- notes ---------------------------------------------------------------------------

    def add_note(self, text: str, *, private: bool, indicator: str | None) -> Note:
        return self.store.add_note(
            self.meeting.id,
            text.strip(),
            visibility="private" if private else "shared",
            indicator=indicator,
            actor=self.actor.id,
            citizen_id=self.citizen.id,
        )

    def notes(self, *, include_private: bool) -> list[Note]:
        return self.store.notes([self.meeting.id], include_private=include_private)

    def shared_notes(self, meeting_id: int | None = None) -> list[Note]:
        """A meeting's notes the citizen may read (this one's unless ``meeting_id``),
        oldest first: shared, and not taken at a caseworker-only step (such a note is
        private whatever it was marked, as in the reports)."""
        mid = self.meeting.id if meeting_id is None else meeting_id
        return [
            n
            for n in self.store.notes([mid], include_private=False)
            if not (n.indicator and is_private_indicator(self.pack, n.indicator))
        ]

    def last_meeting_notes(self) -> list[Note]:
        """The shared notes of the last completed meeting: what the opening recalls."""
        return self.shared_notes(self.earlier[-1].meeting_id) if self.earlier else []

    def shared_note_on(self, indicator: str) -> Note | None:
        """The latest shared note on this topic in this meeting: what ``n`` opens to
        correct. A private one is never offered (its text would be on the shared screen)."""
        here = [n for n in self.shared_notes() if n.indicator == indicator]
        return here[-1] if here else None

    def update_note(self, note: Note, text: str, *, private: bool) -> None:
        """Correct a note's text, or make a shared one private (the audit trail keeps
        what it said before)."""
        self.store.update_note(
            note.id,
            text.strip(),
            visibility="private" if private else "shared",
            actor=self.actor.id,
            citizen_id=self.citizen.id,
        )

    # -- review --------------------------------------------------------------------------

    def current(self) -> MeetingAnswers:
        return MeetingAnswers(
            self.meeting.id, self.meeting.held_on, self.meeting.caseworker_id, dict(self.answers)
        )

    def review(self) -> Review:
        return build_review(self.pack, [*self.earlier, self.current()])

    def agenda(self) -> list[Topic]:
        return agenda(self.review(), self.meeting.priority)

    def choose_priority(self, indicator: str | None) -> None:
        self.store.set_priority(self.meeting.id, indicator, actor=self.actor.id)
        self.meeting = replace(self.meeting, priority=indicator)

    def complete(self) -> None:
        self.store.complete_meeting(self.meeting.id, actor=self.actor.id)
        self.meeting = replace(self.meeting, status="complete")
