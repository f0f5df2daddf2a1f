"""What the change engine reads: a citizen's meetings with their answers, as plain data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Answer:
    """One answer: a scale value 1–5, chosen options, free text, or "won't answer"."""

    value: int | None = None
    declined: bool = False
    choices: tuple[str, ...] = ()
    text: str = ""


@dataclass(frozen=True, slots=True)
class MeetingAnswers:
    meeting_id: int
    held_on: str  # ISO date, used for ordering and display
    caseworker_id: int | None = None
    answers: Mapping[tuple[str, str], Answer] = field(default_factory=dict)

    def get(self, perspective: str, item_id: str) -> Answer | None:
        return self.answers.get((perspective, item_id))
