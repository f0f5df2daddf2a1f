"""The review as text cells, with the shared-screen rules applied: private indicators
show no values. Used by the review screen, the citizen overview and the handover."""

from __future__ import annotations

from dataclasses import dataclass

from bip_talk.domain.change import Review, Score, Topic
from bip_talk.domain.pack import Pack
from bip_talk.domain.wording import change_text, gap_parts, number, sparkline
from bip_talk.i18n import Translator

HIDDEN = "●"


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
                name=pack.indicator(row.indicator).name.get(lang),
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
    name = pack.indicator(topic.indicator).name.get(t.lang)
    if topic.kind == "citizen_choice":
        return t("agenda.citizen_choice", name=name)
    if topic.kind == "drop":
        who = pack.perspective(topic.perspective).name.get(t.lang) if topic.perspective else ""
        return t(
            "agenda.drop", name=name, who=who, amount=number(topic.amount or 0, t.lang, signed=True)
        )
    if topic.kind == "gap":
        return t("agenda.gap", name=name, amount=number(topic.amount or 0, t.lang))
    return t("agenda.low", name=name, amount=number(topic.amount or 0, t.lang))
