"""The change engine (``domain/change.py``) and how changes read (``domain/wording.py``).

Most tests use a tiny synthetic pack built here, so each rule can be set up exactly:
indicator ``a`` has two citizen items (to test the mean), ``p`` is a private
caseworker-only indicator, ``b`` is confirmed (not job-linked), ``c`` and ``d`` are job-linked.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bip_talk.domain.change import (
    MISSING,
    NO_CHANGE,
    Change,
    Gap,
    Score,
    Topic,
    agenda,
    build_review,
    classify,
    compare,
    gap_between,
    indicator_score,
    meeting_scores,
)
from bip_talk.domain.meeting_history import Answer, MeetingAnswers
from bip_talk.domain.pack import Pack, Thresholds
from bip_talk.domain.wording import change_text, change_word, gap_text, number, sparkline
from bip_talk.packs import load_pack
from bip_talk.resources import default_pack_dir

DECLINED = "declined"  # marker in the compact history tables below

_TEXT = {"da": "x", "en": "x"}
_LABELS = {"da": ["1", "2", "3", "4", "5"]}


def _indicator(ident: str, status: str) -> dict:
    return {"id": ident, "name": {"da": ident.upper()}, "status": status, "source": "test"}


def _scale_item(ident: str, indicator: str, private: bool = False) -> dict:
    return {"id": ident, "indicator": indicator, "text": _TEXT, "scale": "s", "private": private}


def tiny_pack(**thresholds: float) -> Pack:
    manifest = {
        "id": "tiny",
        "version": "1",
        "name": {"da": "Lille"},
        "perspectives": [
            {"id": "citizen", "name": {"da": "Borger"}, "respondent": "citizen"},
            {"id": "caseworker", "name": {"da": "Sagsbehandler"}, "respondent": "staff"},
        ],
        "indicators": [
            _indicator("a", "job_linked"),
            _indicator("p", "job_linked"),
            _indicator("b", "confirmed"),
            _indicator("c", "job_linked"),
            _indicator("d", "job_linked"),
        ],
        "scales": [{"id": "s", "labels": _LABELS}],
        "thresholds": thresholds,
        "change_words": {
            k: {"da": k, "en": k}
            for k in ("unchanged", "up_moved", "up_clear", "down_moved", "down_clear", "gap")
        },
    }
    citizen = {
        "perspective": "citizen",
        "items": [
            _scale_item("a1", "a"),
            _scale_item("a2", "a"),
            _scale_item("b", "b"),
            _scale_item("c", "c"),
            _scale_item("d", "d"),
            {
                "id": "ch",
                "indicator": "c",
                "type": "multi",
                "text": _TEXT,
                "options": [{"id": "o1", "text": _TEXT}, {"id": "o2", "text": _TEXT}],
            },
        ],
    }
    caseworker = {
        "perspective": "caseworker",
        "items": [
            _scale_item("a", "a"),
            _scale_item("p", "p", private=True),
            _scale_item("b", "b"),
            _scale_item("c", "c"),
            _scale_item("d", "d"),
        ],
    }
    return Pack.model_validate(
        {"manifest": manifest, "questionnaires": {"citizen": citizen, "caseworker": caseworker}}
    )


TINY = tiny_pack()


def _answer(value) -> Answer:
    if value == DECLINED:
        return Answer(declined=True)
    return Answer(value=value)


def meeting(n: int, **answers) -> MeetingAnswers:
    """``meeting(1, citizen__a1=4, caseworker__a=DECLINED)``; None leaves an item out."""
    out = {}
    for key, value in answers.items():
        perspective, item = key.split("__")
        if value is not None:
            out[(perspective, item)] = _answer(value)
    return MeetingAnswers(n, f"2026-0{n}-01", None, out)


def history(perspective: str, item: str, values: list) -> list[MeetingAnswers]:
    return [meeting(n, **{f"{perspective}__{item}": v}) for n, v in enumerate(values, 1)]


# -- scores ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a1", "a2", "expected"),
    [
        (4, 5, Score(4.5, "answered")),
        (2, 2, Score(2.0, "answered")),
        (1, None, Score(1.0, "answered")),
        (4, DECLINED, Score(4.0, "answered")),  # one declined item does not count as 0
        (DECLINED, DECLINED, Score(None, "declined")),
        (DECLINED, None, Score(None, "declined")),
        (None, None, MISSING),
    ],
)
def test_indicator_score_is_the_mean_of_answered_items(a1, a2, expected) -> None:
    m = meeting(1, citizen__a1=a1, citizen__a2=a2)
    assert indicator_score(TINY, m, "citizen", "a") == expected


def test_multi_choice_answers_do_not_score() -> None:
    m = MeetingAnswers(1, "2026-01-01", None, {("citizen", "ch"): Answer(choices=("o1",))})
    assert indicator_score(TINY, m, "citizen", "c") == MISSING


def test_each_perspective_scores_only_its_own_answers() -> None:
    m = meeting(1, citizen__b=5, caseworker__b=2)
    assert indicator_score(TINY, m, "citizen", "b").value == 5
    assert indicator_score(TINY, m, "caseworker", "b").value == 2


def _reference_score(pack: Pack, m: MeetingAnswers, perspective: str, indicator: str) -> Score:
    """The rule written out item by item, to hold the one-pass scoring to."""
    values, declined = [], False
    for item in pack.items(perspective):
        if item.type != "scale" or item.indicator != indicator:
            continue
        answer = m.get(perspective, item.id)
        if answer is not None and answer.declined:
            declined = True
        elif answer is not None and answer.value is not None:
            values.append(answer.value)
    if values:
        return Score(sum(values) / len(values), "answered")
    return Score(None, "declined") if declined else MISSING


def test_one_pass_scores_match_the_rule_item_by_item_on_the_real_pack() -> None:
    import random

    pack = load_pack(default_pack_dir())
    rng = random.Random(5)
    keys = [(p.id, i.id) for p in pack.perspectives for i in pack.items(p.id)]
    keys += [("citizen", "not-in-the-pack"), ("nobody", keys[0][1])]
    choices = [None, DECLINED, 1, 2, 3, 4, 5, ("o1",)]
    seen: set[str] = set()
    for n in range(200):
        answers = {}
        for key in keys:
            value = rng.choice(choices)
            if value is not None:
                answers[key] = Answer(choices=value) if isinstance(value, tuple) else _answer(value)
        m = MeetingAnswers(n, "2026-01-01", None, answers)
        scores = meeting_scores(pack, m)
        for ind in pack.indicators:
            for p in pack.perspectives:
                expected = _reference_score(pack, m, p.id, ind.id)
                assert scores.get((p.id, ind.id), MISSING) == expected, (n, p.id, ind.id)
                assert indicator_score(pack, m, p.id, ind.id) == expected
                seen.add(expected.state)
    assert seen == {"answered", "declined", "missing"}  # the draws reach every state


# -- change labels -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delta", "level", "direction"),
    [
        (0, "unchanged", "same"),
        (0.5, "unchanged", "same"),
        (-0.5, "unchanged", "same"),
        (0.99, "unchanged", "same"),
        (1, "moved", "up"),
        (-1, "moved", "down"),
        (1.5, "moved", "up"),
        (2, "clear", "up"),
        (-2, "clear", "down"),
        (3, "clear", "up"),
        (-3, "clear", "down"),
        (4, "clear", "up"),
    ],
)
def test_classify_with_default_thresholds(delta, level, direction) -> None:
    change = classify(delta, Thresholds())
    assert (change.delta, change.level, change.direction) == (delta, level, direction)
    assert change.notable == (level != "unchanged")


@pytest.mark.parametrize(
    ("delta", "level"),
    [
        (0.49, "unchanged"),
        (0.5, "moved"),
        (-1, "moved"),
        (1.49, "moved"),
        (1.5, "clear"),
        (-3, "clear"),
    ],
)
def test_classify_with_custom_thresholds(delta, level) -> None:
    assert classify(delta, Thresholds(moved=0.5, clear=1.5, gap=1)).level == level


def test_classify_without_a_delta_is_no_change() -> None:
    assert classify(None, Thresholds()) == NO_CHANGE
    assert NO_CHANGE.direction is None and not NO_CHANGE.notable


def test_compare_needs_two_known_scores() -> None:
    t = Thresholds()
    assert compare(Score(3, "answered"), None, t) == NO_CHANGE
    assert compare(MISSING, Score(3, "answered"), t) == NO_CHANGE
    assert compare(Score(3, "answered"), Score(None, "declined"), t) == NO_CHANGE
    assert compare(Score(4, "answered"), Score(2, "answered"), t) == Change(2, "clear")


def test_compare_rounds_away_float_noise() -> None:
    # (4+5+4)/3 - (3+4+4)/3 is 0.666…; a difference of means that is really 1 stays 1.
    now = Score((4 + 5 + 3) / 3, "answered")
    before = Score((3 + 4 + 2) / 3, "answered")
    assert compare(now, before, Thresholds()).level == "moved"


# -- against the previous and the first meeting -----------------------------------------


@pytest.mark.parametrize(
    ("values", "before", "before_meeting", "change", "since_first"),
    [
        ([3, 5], 3, 1, (2, "clear"), (2, "clear")),
        ([2, 3, 5], 3, 2, (2, "clear"), (3, "clear")),
        ([1, 2, 3, 4, 5], 4, 4, (1, "moved"), (4, "clear")),
        ([4, None, 2], 4, 1, (-2, "clear"), (-2, "clear")),  # skips a meeting without a score
        ([4, DECLINED, 3], 4, 1, (-1, "moved"), (-1, "moved")),  # and one that was declined
        ([None, 5, 4, 4], 4, 3, (0, "unchanged"), (-1, "moved")),  # first = first *known*
        ([None, 3], None, None, (None, None), (None, None)),
        ([3, 4, None], 4, 2, (None, None), (None, None)),  # nothing now: nothing to compare
        ([5], None, None, (None, None), (None, None)),
    ],
)
def test_change_against_previous_and_first(values, before, before_meeting, change, since_first):
    review = build_review(TINY, history("citizen", "b", values))
    row = review.row("b").perspectives["citizen"]
    assert (row.before.value if row.before else None) == before
    assert row.before_meeting == before_meeting
    assert (row.change.delta, row.change.level) == change
    assert (row.since_first.delta, row.since_first.level) == since_first


def test_series_has_one_value_per_meeting_oldest_first() -> None:
    meetings = history("citizen", "b", [2, None, DECLINED, 4])
    review = build_review(TINY, list(reversed(meetings)))  # order given does not matter
    assert review.row("b").perspectives["citizen"].series == (2, None, None, 4)
    assert review.meeting_id == 4
    assert [m.meeting_id for m in review.meetings] == [1, 2, 3, 4]


def test_review_rows_follow_pack_order_and_perspectives_that_score() -> None:
    review = build_review(TINY, [meeting(1, citizen__a1=3)])
    assert [r.indicator for r in review.rows] == ["a", "p", "b", "c", "d"]
    assert set(review.row("p").perspectives) == {"caseworker"}
    assert review.row("p").private and not review.row("a").private
    assert review.row("d").job_linked and not review.row("b").job_linked


def test_mean_of_items_flows_into_the_change() -> None:
    meetings = [meeting(1, citizen__a1=2, citizen__a2=3), meeting(2, citizen__a1=4, citizen__a2=4)]
    row = build_review(TINY, meetings).row("a").perspectives["citizen"]
    assert row.series == (2.5, 4.0)
    assert (row.change.delta, row.change.level) == (1.5, "moved")


# -- gaps --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("citizen", "caseworker", "gap"),
    [
        (5, 3, Gap(2, "citizen", "caseworker", True)),
        (1, 4, Gap(3, "caseworker", "citizen", True)),
        (4, 3, Gap(1, "citizen", "caseworker", False)),
        (3, 3, Gap(0, "citizen", "citizen", False)),
        (3, None, None),
        (None, 3, None),
        (DECLINED, 3, None),
        (None, None, None),
    ],
)
def test_gap_between_perspectives(citizen, caseworker, gap) -> None:
    review = build_review(TINY, [meeting(1, citizen__b=citizen, caseworker__b=caseworker)])
    found = review.row("b").gap
    if gap is None:
        assert found is None
    else:
        assert (found.size, found.high, found.flagged) == (gap.size, gap.high, gap.flagged)
        if gap.size:
            assert found.low == gap.low
    assert review.row("b").disagree == bool(gap and gap.flagged)


def test_gap_threshold_comes_from_the_pack() -> None:
    scores = {"citizen": Score(4, "answered"), "caseworker": Score(3, "answered")}
    assert not gap_between(scores, Thresholds()).flagged
    assert gap_between(scores, Thresholds(gap=1)).flagged


# -- agenda ------------------------------------------------------------------------------


def _review(*meetings: MeetingAnswers, pack: Pack = TINY):
    return build_review(pack, list(meetings))


# A baseline where nothing stands out: everything 4, both sides.
CALM = {
    f"{p}__{i}": 4
    for p, items in (
        ("citizen", ("a1", "a2", "b", "c", "d")),
        ("caseworker", ("a", "p", "b", "c", "d")),
    )
    for i in items
}


def _with(**changes) -> dict:
    return {**CALM, **changes}


def test_agenda_is_empty_when_nothing_stands_out() -> None:
    assert agenda(_review(meeting(1, **CALM), meeting(2, **CALM))) == []


def test_citizen_choice_comes_first() -> None:
    review = _review(meeting(1, **CALM), meeting(2, **_with(citizen__d=2)))
    topics = agenda(review, citizen_choice="b")
    assert topics[0] == Topic("citizen_choice", "b")
    assert topics[1].kind == "drop" and topics[1].indicator == "d"


@pytest.mark.parametrize("choice", ["p", "nope", None, ""])
def test_private_or_unknown_choice_is_ignored(choice) -> None:
    review = _review(meeting(1, **CALM), meeting(2, **CALM))
    assert agenda(review, citizen_choice=choice) == []


def test_largest_drop_wins_and_small_moves_are_not_drops() -> None:
    review = _review(
        meeting(1, **CALM),
        meeting(2, **_with(citizen__b=3, caseworker__c=2, citizen__d=5)),
    )
    topics = agenda(review)
    # c's caseworker fell to 2 while the citizen stayed at 4: also the largest gap.
    assert topics[0] == Topic("drop", "c", "caseworker", -2, largest_gap=2)
    assert all(t.indicator != "d" for t in topics)  # a rise is not a drop


def test_drop_below_the_moved_threshold_is_ignored() -> None:
    pack = tiny_pack(moved=1.5, clear=2)
    review = _review(meeting(1, **CALM), meeting(2, **_with(citizen__b=3)), pack=pack)
    assert agenda(review) == []


def test_largest_gap() -> None:
    review = _review(
        meeting(1, **_with(citizen__b=5, caseworker__b=3, citizen__d=5, caseworker__d=1))
    )
    topics = agenda(review)
    assert topics[0] == Topic("gap", "d", "citizen", 4)
    assert Topic("gap", "b", "citizen", 2) not in topics  # one gap topic only


def test_lowest_job_linked_at_or_below_three() -> None:
    review = _review(
        meeting(
            1,
            **_with(
                citizen__b=1,
                caseworker__b=1,
                citizen__c=3,
                caseworker__c=3,
                citizen__d=2,
                caseworker__d=3,
            ),
        )
    )
    topics = agenda(review)
    # b is lower but not job-linked; d's mean 2.5 beats c's 3.
    assert topics == [Topic("low", "d", None, 2.5)]


def test_a_low_score_only_one_side_gave_is_that_side_s() -> None:
    """ "jeres svar i snit 1" was said when only the citizen had answered."""
    review = _review(meeting(1, **_with(citizen__d=1, caseworker__d=None)))
    assert agenda(review) == [Topic("low", "d", "citizen", 1)]


def test_nothing_low_above_three() -> None:
    review = _review(meeting(1, **_with(citizen__c=3, caseworker__c=4)))
    assert agenda(review) == []  # mean 3.5


def test_private_indicator_is_never_on_the_agenda() -> None:
    review = _review(meeting(1, **CALM), meeting(2, **_with(caseworker__p=1)))
    assert review.row("p").perspectives["caseworker"].change.level == "clear"
    assert all(t.indicator != "p" for t in agenda(review))
    assert all(t.indicator != "p" for t in agenda(review, citizen_choice="p"))


def test_private_indicator_on_the_real_bip_pack(pack: Pack) -> None:
    """sb_tro (the caseworker's own belief) is private in the shipped pack."""
    before = MeetingAnswers(1, "2026-01-01", None, {("caseworker", "sb_tro"): Answer(value=5)})
    now = MeetingAnswers(2, "2026-04-01", None, {("caseworker", "sb_tro"): Answer(value=1)})
    review = build_review(pack, [before, now])
    assert review.row("sb_tro").private
    assert agenda(review, citizen_choice="sb_tro") == []


def test_at_most_three_in_the_fixed_order() -> None:
    review = _review(
        meeting(1, **CALM),
        meeting(
            2,
            **_with(
                citizen__b=2,
                caseworker__c=1,
                citizen__d=2,
                caseworker__d=5,
                citizen__a1=3,
                citizen__a2=3,
                caseworker__a=3,
            ),
        ),
    )
    topics = agenda(review, citizen_choice="a")
    assert [t.kind for t in topics] == ["citizen_choice", "drop", "gap"]
    assert [t.indicator for t in topics] == ["a", "c", "d"]
    assert len(agenda(review, citizen_choice="a", limit=2)) == 2


def test_ties_keep_pack_order() -> None:
    drops = _review(meeting(1, **CALM), meeting(2, **_with(citizen__d=2, citizen__c=2)))
    assert agenda(drops)[0].indicator == "c"  # c comes before d in the pack
    gaps = _review(
        meeting(1, **_with(citizen__d=5, caseworker__d=3, citizen__b=5, caseworker__b=3))
    )
    assert agenda(gaps)[0].indicator == "b"
    lows = _review(
        meeting(1, **_with(citizen__d=2, caseworker__d=2, citizen__c=2, caseworker__c=2))
    )
    assert agenda(lows)[0].indicator == "c"


def test_one_indicator_appears_once() -> None:
    # c has the largest drop, the largest gap and the lowest score; b has the next gap.
    review = _review(
        meeting(1, **CALM),
        meeting(2, **_with(citizen__c=1, caseworker__c=4, citizen__b=5, caseworker__b=3)),
    )
    topics = agenda(review)
    assert [(t.kind, t.indicator) for t in topics] == [("drop", "c"), ("gap", "b")]
    chosen = agenda(review, citizen_choice="c")
    assert [t.indicator for t in chosen] == ["c", "b"]


def test_the_largest_gap_is_never_a_smaller_one() -> None:
    """c: the largest drop and a three-step gap; b: a two-step gap. The agenda must not
    call b's gap the largest: c's topic names the largest gap, b's is just a gap."""
    review = _review(
        meeting(1, **CALM),
        meeting(2, **_with(citizen__c=1, caseworker__c=4, citizen__b=5, caseworker__b=3)),
    )
    drop, gap = agenda(review)
    assert (drop.kind, drop.indicator, drop.largest_gap) == ("drop", "c", 3)
    assert (gap.kind, gap.indicator, gap.amount, gap.largest) == ("gap", "b", 2, False)
    # Nothing taken: the largest gap is listed as the largest.
    alone = agenda(_review(meeting(1, **_with(citizen__b=5, caseworker__b=3))))
    assert alone == [Topic("gap", "b", "citizen", 2)] and alone[0].largest


def test_the_largest_drop_on_the_citizens_topic_is_named_there() -> None:
    review = _review(meeting(1, **CALM), meeting(2, **_with(citizen__c=1, citizen__d=2)))
    choice, drop = agenda(review, citizen_choice="c")[:2]
    assert choice.kind == "citizen_choice" and choice.largest_drop == -3
    assert (drop.indicator, drop.largest) == ("d", False)


# -- wording -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delta", "level", "lang", "text"),
    [
        (2, "clear", "da", "↑ +2 tydelig fremgang"),
        (-2, "clear", "da", "↓ −2 tydelig tilbagegang"),
        (1, "moved", "da", "↑ +1 et lille trin op"),
        (-1.5, "moved", "da", "↓ −1,5 et lille trin ned"),
        (0, "unchanged", "da", "→ ±0 uændret"),
        (0.5, "unchanged", "da", "→ +0,5 uændret"),
        (2, "clear", "en", "↑ +2 clear progress"),
        (-1.5, "moved", "en", "↓ −1.5 a small step down"),
    ],
)
def test_change_text(pack: Pack, delta, level, lang, text) -> None:
    assert change_text(Change(delta, level), pack, lang) == text


def test_change_text_uses_the_pack_words(pack: Pack) -> None:
    words = pack.manifest.change_words
    assert change_word(Change(3, "clear"), pack, "da") == words.up_clear.da
    assert change_word(Change(-1, "moved"), pack, "en") == words.down_moved.en
    assert change_text(NO_CHANGE, pack, "da") == ""


@pytest.mark.parametrize(
    ("value", "lang", "signed", "text"),
    [
        (1.5, "da", False, "1,5"),
        (1.5, "en", False, "1.5"),
        (2.0, "da", False, "2"),
        (10, "da", False, "10"),
        (0, "da", False, "0"),
        (-1.5, "da", False, "−1,5"),
        (-1, "da", True, "−1"),
        (1, "da", True, "+1"),
        (0, "en", True, "±0"),
        (-0.04, "da", True, "±0"),  # rounds to zero: no minus on a zero
        (4 / 3, "da", False, "1,3"),
    ],
)
def test_number(value, lang, signed, text) -> None:
    assert number(value, lang, signed=signed) == text
    assert "-" not in number(value, lang, signed=signed)  # a real minus sign, never a hyphen


@pytest.mark.parametrize(
    ("gap", "lang", "text"),
    [
        (Gap(2, "citizen", "caseworker", True), "da", "≠ 2 I ser forskelligt på det"),
        (Gap(2.5, "citizen", "caseworker", True), "en", "≠ 2.5 you see this differently"),
        (Gap(1, "citizen", "caseworker", False), "da", "1"),
        (None, "da", ""),
    ],
)
def test_gap_text(pack: Pack, gap, lang, text) -> None:
    assert gap_text(gap, pack, lang) == text


@pytest.mark.parametrize(
    ("series", "line"),
    [
        ((1, 2, 3, 4, 5), "▁▂▄▆█"),
        ((None, 3), "·▄"),
        ((2.5, 3.5, 4.5), "▄▆█"),  # half up, consistently
        ((1.4, 1.5), "▁▂"),
        ((), ""),
        ([None, None], "··"),
    ],
)
def test_sparkline(series, line) -> None:
    assert sparkline(series) == line


# -- a pack with three perspectives -------------------------------------------------------

MENTOR = """perspective = "mentor"

[[items]]
id = "samarbejde"
indicator = "samarbejde"
text = { da = "Borgeren samarbejder godt på arbejdspladsen.", en = "Cooperates well at work." }
scale = "grad"

[[items]]
id = "tro_job"
indicator = "tro_job"
text.da = "Borgeren virker til at tro på at kunne klare jobbet."
text.en = "Seems to believe in the job."
scale = "grad"
"""

MENTOR_PERSPECTIVE = """
[[perspectives]]
id = "mentor"
name = { da = "Mentor", en = "Mentor" }
respondent = "staff"
"""


@pytest.fixture
def three_pack(tmp_path: Path) -> Pack:
    d = tmp_path / "bip3"
    d.mkdir()
    # The core files only: optional extras (evidence, personas, …) have their own tests.
    for name in ("pack.toml", "citizen.toml", "caseworker.toml"):
        shutil.copy(default_pack_dir() / name, d / name)
    manifest = (d / "pack.toml").read_text(encoding="utf-8")
    anchor = "\n# Change thresholds"
    assert anchor in manifest
    (d / "pack.toml").write_text(
        manifest.replace(anchor, MENTOR_PERSPECTIVE + anchor, 1), encoding="utf-8"
    )
    (d / "mentor.toml").write_text(MENTOR, encoding="utf-8")
    return load_pack(d)


def _bip(
    n: int,
    citizen: int | None,
    caseworker: int | None,
    mentor: int | None,
    item: str = "samarbejde",
) -> MeetingAnswers:
    answers = {}
    for pid, value in (("citizen", citizen), ("caseworker", caseworker), ("mentor", mentor)):
        if value is not None:
            answers[(pid, item)] = Answer(value=value)
    return MeetingAnswers(n, f"2026-0{n}-01", None, answers)


def test_three_perspectives_are_all_in_the_review(three_pack: Pack) -> None:
    assert [p.id for p in three_pack.perspectives] == ["citizen", "caseworker", "mentor"]
    review = build_review(three_pack, [_bip(1, 4, 4, 4), _bip(2, 4, 3, 1)])
    row = review.row("samarbejde")
    assert list(row.perspectives) == ["citizen", "caseworker", "mentor"]
    mentor = row.perspectives["mentor"]
    assert (mentor.change.delta, mentor.change.level) == (-3, "clear")
    assert mentor.series == (4, 1)
    # The gap spans the highest and lowest of all three views.
    assert (row.gap.size, row.gap.high, row.gap.low, row.gap.flagged) == (
        3,
        "citizen",
        "mentor",
        True,
    )
    # Indicators the mentor does not rate keep two perspectives.
    assert list(review.row("helbred").perspectives) == ["citizen", "caseworker"]


def test_three_perspective_gap_needs_only_two_known(three_pack: Pack) -> None:
    review = build_review(three_pack, [_bip(1, None, 2, 5)])
    gap = review.row("samarbejde").gap
    assert (gap.high, gap.low, gap.size) == ("mentor", "caseworker", 3)


def test_three_perspective_agenda(three_pack: Pack) -> None:
    review = build_review(three_pack, [_bip(1, 4, 4, 5), _bip(2, 4, 4, 2)])
    topics = agenda(review)
    assert topics[0] == Topic("drop", "samarbejde", "mentor", -3, largest_gap=2)


def test_three_perspectives_round_trip_through_the_store(three_pack: Pack, store) -> None:
    cw = store.ensure_caseworker("ts", "Test")
    citizen = store.create_citizen("Tre Perspektiver", caseworker_id=cw.id)
    m = store.start_meeting(citizen.id, cw.id, three_pack.id, three_pack.version)
    for pid, value in (("citizen", 4), ("caseworker", 3), ("mentor", 2)):
        store.record_answer(
            m.id, pid, "samarbejde", Answer(value=value), actor=cw.id, citizen_id=citizen.id
        )
    review = build_review(three_pack, store.history(citizen.id))
    row = review.row("samarbejde")
    assert {pid: r.now.value for pid, r in row.perspectives.items()} == {
        "citizen": 4,
        "caseworker": 3,
        "mentor": 2,
    }


def test_the_agenda_line_names_the_one_side_behind_a_low_score(pack) -> None:
    from bip_talk.i18n import Translator
    from bip_talk.presenters.review import topic_text

    t = Translator("da")
    one = topic_text(Topic("low", "jobsoeg", "citizen", 1), pack, t)
    both = topic_text(Topic("low", "jobsoeg", None, 1.5), pack, t)
    assert one == "Lavest af de jobrettede: At søge job (Borger 1)"
    assert both == "Lavest af de jobrettede: At søge job (jeres svar i snit 1,5)"
