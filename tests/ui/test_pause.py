"""Esc in a meeting (the opening included): a neutral pause screen for this citizen
(resume, finish, leave after asking), never the list of citizens. Finishing with
answers missing has "No" focused; the pause key's word is the same in the footer and in
the list, and no other key says "Afslut" (finish) about quitting the app."""

from __future__ import annotations

from bip_talk.ui.screens.citizen import CitizenScreen
from bip_talk.ui.screens.confirm import ConfirmScreen
from bip_talk.ui.screens.meeting import MeetingScreen
from bip_talk.ui.screens.opening import OpeningScreen
from bip_talk.ui.screens.pause import PauseScreen

from .conftest import add_history
from .screen_text import highlighted_rows, screen_text
from .test_meeting_screen import open_meeting

OTHER = "Zacharias Fremmedsen"


async def _paused(app, pilot, cid):
    await pilot.pause()  # the database opens beside the first screen
    app.open_citizen(cid)
    await pilot.pause()
    session = await open_meeting(app, pilot, cid)
    await pilot.press("3", "3", "enter")  # one indicator answered, on to the next
    await pilot.press("escape")
    await pilot.pause()
    assert isinstance(app.screen, PauseScreen)
    return session


async def test_pause_shows_only_this_citizen_and_resumes_where_it_was(app, ws, db):
    cid = add_history(ws)
    db.create_citizen(OTHER, caseworker_id=db.caseworker_by_initials("TS").id)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await _paused(app, pilot, cid)
        text = screen_text(app)
        assert "Anna Testesen" in text and OTHER not in text
        assert "2\u00a0af" in text  # how far the meeting got (two answers given)
        assert len(highlighted_rows(text)) == 1 and "Fortsæt samtalen" in highlighted_rows(text)[0]
        step = session.step
        await pilot.press("escape")  # Esc again: back to the questions
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.session is session and session.step == step
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # Enter on the highlighted "resume" does the same
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)


async def test_leave_asks_first(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(100, 30)) as pilot:
        session = await _paused(app, pilot, cid)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")  # no: still on pause
        await pilot.pause()
        assert isinstance(app.screen, PauseScreen)
        await pilot.press("q", "j")
        await pilot.pause()
        assert isinstance(app.screen, CitizenScreen)
        assert db.meeting(session.meeting.id).status == "draft"  # kept for another day


async def test_finish_from_the_pause_completes_the_meeting(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(100, 30)) as pilot:
        session = await _paused(app, pilot, cid)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "mangler" in app.screen.question  # not every answer is given
        await pilot.press("j")
        await pilot.pause()
        assert db.meeting(session.meeting.id).status == "complete"
        assert isinstance(app.screen, CitizenScreen) and app.screen.citizen_id == cid


async def test_esc_in_the_opening_pauses_and_resumes_the_opening(app, ws, db):
    """The walkthrough: m, Enter, Esc left an empty draft behind without a word."""
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_citizen(cid)
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        session = app.screen.session
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PauseScreen)
        assert "0\u00a0af" in screen_text(app)  # nothing answered yet, and it says so
        await pilot.press("escape")  # resume: back to the opening, not the questions
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen) and app.screen.session is session
        await pilot.press("escape", "q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, CitizenScreen)
        assert db.meeting(session.meeting.id).status == "draft"


async def test_finishing_with_answers_missing_has_no_focused(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await _paused(app, pilot, cid)
        await pilot.press("f")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "mangler" in app.screen.question
        assert app.screen.focused is not None and app.screen.focused.id == "no"
        (row,) = highlighted_rows(screen_text(app))
        assert "▶ Nej ◀" in row and "▶ Ja" not in row
        await pilot.press("enter")  # Enter takes the safe choice
        await pilot.pause()
        assert isinstance(app.screen, PauseScreen)
        assert db.meeting(session.meeting.id).status == "draft"


async def test_the_pause_keys_say_the_same_everywhere(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await _paused(app, pilot, cid)
        text = screen_text(app)
        footer = text.splitlines()[-1]
        leave = app.t("pause.leave")
        assert app.t("keys.leave_meeting") == leave and f"q {leave}" in footer
        (row,) = [line for line in text.splitlines()[:-1] if leave in line]
        assert row.split(leave, 1)[1].split()[0] == "q"  # the list names the same key
        # Quitting the app and finishing the meeting never share a word.
        quit_words = set(app.t("keys.quit").lower().split())
        assert not quit_words & set(app.t("keys.finish").lower().split())
