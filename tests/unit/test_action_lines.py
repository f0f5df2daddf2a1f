"""The overview's "Aftaler fra sidst" line: the meetings an action's change spans."""

from __future__ import annotations

from bip_talk.domain.entities import PlanItem
from bip_talk.domain.meeting_history import MeetingAnswers
from bip_talk.i18n import Translator
from bip_talk.presenters.review import action_lines
from bip_talk.services.plan import ReviewedItem


def _agreed_in(meeting_id: int) -> ReviewedItem:
    item = PlanItem(
        1, "c1", meeting_id, "other", "Virksomhedspraktik", None, None, None, None,
        "open", None, None, None, "2026-12-04T09:00:00+00:00", None,
    )  # fmt: skip
    return ReviewedItem(item, None, ())


def test_an_action_from_an_earlier_meeting_spans_its_date_to_today(pack):
    history = [MeetingAnswers(1, "2026-09-23"), MeetingAnswers(2, "2026-12-04")]
    (_, line) = action_lines(
        [_agreed_in(1)], history, pack, Translator("da"), 80, today="2026-12-04"
    )
    assert line.endswith("Virksomhedspraktik, 23.09.2026 → i dag"), line


def test_an_action_agreed_earlier_the_same_day_says_so_not_a_date_to_today(pack):
    """A follow-up the same day read "Virksomhedspraktik, 04.12.2026 → i dag", as if weeks
    had passed since it was agreed."""
    history = [MeetingAnswers(1, "2026-12-04"), MeetingAnswers(2, "2026-12-04")]
    for lang, words in (("da", "aftalt tidligere i dag"), ("en", "agreed earlier today")):
        (_, line) = action_lines(
            [_agreed_in(1)], history, pack, Translator(lang), 80, today="2026-12-04"
        )
        assert line.endswith(f"Virksomhedspraktik, {words}"), line
        assert "04.12.2026" not in line and "→" not in line
