"""The review on one screen at 120×40 (the BIP pack, its agenda, last time's actions),
every column at 80×24, a visible cursor row, and an agenda whose "largest gap" is the
largest gap."""

from __future__ import annotations

from bip_talk.domain.meeting_history import Answer
from bip_talk.ui.screens.review import ReviewScreen
from bip_talk.ui.widgets.review_table import ReviewTable, fit_widths

from .conftest import add_history
from .screen_text import highlighted_rows, screen_text
from .test_meeting_screen import open_meeting

INDICATORS = 11  # the BIP pack's steps
LONG_TITLE = "Spørg lageret, om der er mulighed for løntilskud efter praktikken"


def _actions(db, cid: str) -> None:
    cw = db.caseworker_by_initials("TS")
    last = db.meetings_for(cid)[-1]
    for kind, title in (
        ("virksomhedspraktik", "Praktik i Netto"),
        ("helbredsindsats", "Forløb hos fysioterapeut"),
        ("other", LONG_TITLE),
    ):
        db.add_plan_item(cid, actor=cw.id, meeting_id=last.id, kind=kind, title=title)


async def _review(app, pilot, cid: str, answers: dict[str, tuple[int, int]]) -> ReviewScreen:
    from bip_talk.ui.screens.opening import OpeningScreen

    await pilot.pause()
    app.open_meeting(cid)
    await pilot.pause()
    assert isinstance(app.screen, OpeningScreen)
    await pilot.press("1", "down", "4", "down", "2", "enter")
    await pilot.pause()
    session = app.screen.session
    for indicator, (c, w) in answers.items():
        session.rate("citizen", indicator, c)
        session.rate("caseworker", indicator, w)
    await pilot.press("r")
    await pilot.pause()
    assert isinstance(app.screen, ReviewScreen)
    return app.screen


# helbred drops 2 and leaves a 3-step gap; tro_job a 2-step gap; jobsoeg rises.
ANSWERS = {"helbred": (1, 4), "tro_job": (5, 3), "jobsoeg": (4, 4), "hverdag": (2, 2)}


async def test_the_review_fits_one_screen_at_120x40(app, ws, db):
    cid = add_history(ws)
    _actions(db, cid)
    async with app.run_test(size=(120, 40)) as pilot:
        await _review(app, pilot, cid, ANSWERS)
        table = app.screen.query_one(ReviewTable)
        assert table.row_count == INDICATORS
        assert table.max_scroll_y == 0 and table.max_scroll_x == 0  # nothing out of sight
        text = screen_text(app)
        lines = text.splitlines()
        # The agenda with its topics, each action on one line, every indicator's row.
        assert "Forslag til dagsorden:" in text
        actions = [line for line in lines if "→ i dag" in line]
        assert len(actions) == 3, actions
        # The long title whole: there is room for it (walkthrough item 14 cut it at 40).
        assert any(LONG_TITLE + "," in line for line in actions), actions
        for name in ("Dit helbred", "Folk, der støtter dig", "Sagsbehandlerens vurdering"):
            assert name in text
        assert "▁▂▄▆█ forløb" in text  # the legend, on the same screen


async def test_every_column_at_80x24_and_the_cursor_row_is_marked(app, ws, db):
    cid = add_history(ws)
    _actions(db, cid)
    async with app.run_test(size=(80, 24)) as pilot:
        await _review(app, pilot, cid, ANSWERS)
        table = app.screen.query_one(ReviewTable)
        assert table.max_scroll_x == 0  # no column off to the right
        text = screen_text(app)
        header = next(line for line in text.splitlines() if "Emne" in line)
        for column in ("Borger", "Sagsbehandler", "Forskel"):
            assert column in header
        assert "I ser" in text and "≠ 3" in text  # the gap's size and words
        marked = [r for r in highlighted_rows(text) if "valgt" not in r]
        assert len(marked) == 1 and "Dit helbred" in marked[0]
        await pilot.press("down", "down")
        await pilot.pause()
        marked = [r for r in highlighted_rows(screen_text(app)) if "valgt" not in r]
        assert len(marked) == 1 and "Tro på et job" in marked[0]
        # Each action's line fits the width: nothing wraps, nothing is cut mid-word.
        actions = [line for line in screen_text(app).splitlines() if "→ i dag" in line]
        assert len(actions) == 3 and all(len(line.rstrip()) <= 80 for line in actions)
        (long,) = [line for line in actions if "Spørg lageret" in line]
        shown = long.rstrip().split("  ")[-1].split("…,")[0]  # the title, cut where it must be
        assert "…," in long and LONG_TITLE.startswith(shown) and len(shown) > 26
        assert LONG_TITLE[len(shown)] == " "  # at a word's end


async def test_the_agenda_never_calls_a_smaller_gap_the_largest(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await _review(app, pilot, cid, ANSWERS)
        agenda = str(app.screen.query_one("#agenda").render())
        # helbred: the largest drop (−3) and the largest gap (3); tro_job's 2
        # is a gap, not the largest.
        assert "Største fald: Dit helbred" in agenda
        assert "også største forskel (3)" in agenda
        assert "Største forskel: Tro" not in agenda
        assert "Forskel: Tro på et job (forskel 2)" in agenda


def test_columns_give_way_where_it_costs_no_lines_never_below_their_longest_word():
    widths = fit_widths([30, 30, 30, 24], [20, 12, 12, 11], 100)
    assert sum(widths) == 100 and widths == [25, 25, 26, 24]  # widest first on a tie
    assert fit_widths([10, 10], [8, 9], 10) == [8, 9]  # cannot fit: words stay whole
    assert fit_widths([10, 5], [1, 1], 20) == [10, 5]  # fits: nothing changes

    def height(widths: list[int]) -> int:  # only the second column costs a line
        return 2 + (widths[1] < 30)

    assert fit_widths([30, 30], [10, 10], 50, height) == [20, 30]


async def test_a_declined_answer_and_a_private_row_in_the_table(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await open_meeting(app, pilot, cid)
        session.rate("caseworker", "sb_tro", 1)
        db.record_answer(
            session.meeting.id,
            "citizen",
            "helbred",
            Answer(declined=True),
            actor=session.actor.id,
            citizen_id=cid,
        )
        session.answers[("citizen", "helbred")] = Answer(declined=True)
        await pilot.press("r")
        await pilot.pause()
        text = screen_text(app)
        assert "vil ikke" in text
        assert "●" in text  # the caseworker's own belief: hidden
