"""The questions are built while the opening is read (ui/ahead.py): Enter shows the
screen already built, which reads exactly as one built on the key would, at the size
the terminal has then; a screen not used is removed, and closing the app while one
is being built goes quietly. These also pin the private Textual steps it uses."""

from __future__ import annotations

import asyncio

import pytest

from bip_talk.ui import ahead
from bip_talk.ui.app import make_app
from bip_talk.ui.screens.meeting import MeetingScreen
from bip_talk.ui.screens.opening import OpeningScreen
from bip_talk.ui.screens.pause import PauseScreen

from .conftest import add_history, workstation_for
from .screen_text import screen_text

BUILT = ahead.AHEAD_DELAY + 0.6  # seconds: built and laid out, on a busy machine too


def _meeting_screens(app) -> list[MeetingScreen]:
    """Every meeting screen the app holds, shown or not."""
    return [w for w in app._registry if isinstance(w, MeetingScreen)]


async def _built(pilot) -> MeetingScreen:
    for _ in range(50):
        await pilot.pause(0.1)
        screen = pilot.app.ahead.screen
        if screen is not None and screen.is_mounted and not screen._layout_required:
            return screen
    raise AssertionError("the questions were not built ahead")


async def _opening_then_questions(app, pilot, cid: str, *, wait: float) -> str:
    app.open_meeting(cid)
    await pilot.pause()
    assert isinstance(app.screen, OpeningScreen)
    await pilot.pause(wait)
    await pilot.press("enter")
    await pilot.pause(0.5)  # the prompt line settles
    assert isinstance(app.screen, MeetingScreen)
    return screen_text(app)


async def test_enter_shows_the_screen_built_while_the_opening_was_read(app, ws) -> None:
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        built = await _built(pilot)
        assert built not in app.screen_stack  # built, not shown
        assert built.query_one("#pane-citizen").region.width > 0  # laid out already
        composed: list[MeetingScreen] = []
        compose = MeetingScreen.compose

        def counted(self):
            composed.append(self)
            return compose(self)

        MeetingScreen.compose = counted  # type: ignore[method-assign]
        try:
            await pilot.press("enter")
            await pilot.pause()
        finally:
            MeetingScreen.compose = compose  # type: ignore[method-assign]
        assert app.screen is built and composed == []  # Enter only showed it
        assert app.ahead.screen is None
        text = screen_text(app)
        assert "▶ Borger" in text and "Dit helbred" in text
        await pilot.press("2")  # and it works as any meeting screen does
        await pilot.pause()
        assert built.session.answer("citizen", "helbred").value == 2


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_the_screen_built_ahead_reads_as_one_built_on_the_key(
    app, ws, monkeypatch, tmp_path, size
) -> None:
    cid = add_history(ws)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        ahead_text = await _opening_then_questions(app, pilot, cid, wait=BUILT)
        await pilot.press("escape")  # the pause screen; back to the opening from there
        await pilot.pause()
    monkeypatch.setattr(ahead, "AHEAD_DELAY", 3600.0)  # never built ahead
    fresh = make_app(workstation_for(tmp_path))  # the same database, a new app
    async with fresh.run_test(size=size) as pilot:
        await pilot.pause()
        fresh_text = await _opening_then_questions(fresh, pilot, cid, wait=0.1)
    fresh.workstation.close()
    assert ahead_text == fresh_text


async def test_a_resize_while_the_opening_is_read_is_taken_into_account(app, ws) -> None:
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        built = await _built(pilot)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause(0.5)
        assert app.screen is built
        assert built.compact  # the short screen's layout: one item of a side at a time
        rows = screen_text(app).splitlines()
        assert len(rows) == 24 and all(len(r.rstrip()) <= 80 for r in rows)
        assert not any(p.max_scroll_y for p in built.query("PerspectivePane"))


async def test_enter_before_it_is_built_builds_it_then(app, ws, monkeypatch) -> None:
    monkeypatch.setattr(ahead, "AHEAD_DELAY", 3600.0)
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = await _opening_then_questions(app, pilot, cid, wait=0.0)
        assert "▶ Borger" in text
        assert _meeting_screens(app) == [app.screen]


async def test_leaving_the_opening_removes_what_was_built(app, ws) -> None:
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        await _built(pilot)
        await pilot.press("escape")  # Esc on the opening: the pause screen
        await pilot.pause(0.3)
        assert isinstance(app.screen, PauseScreen)
        assert _meeting_screens(app) == []


async def test_leaving_while_it_is_built_removes_it_once_built(app, ws) -> None:
    """Esc on the opening while the screen is half built: removed once it is built
    (never halfway: its own on_mount would find its parts gone), nothing fails."""
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for after in (0.0, 0.01, 0.02, 0.04, 0.06, 0.08):
            app.open_meeting(cid)
            await asyncio.sleep(ahead.AHEAD_DELAY + after)
            await pilot.press("escape")  # the pause screen
            await pilot.pause(0.3)
            assert isinstance(app.screen, PauseScreen)
            assert _meeting_screens(app) == [], after
            app.pop_screen()  # back to where the meeting was opened
            await pilot.pause()


async def test_closing_the_app_while_it_is_built_goes_quietly(ws, tmp_path) -> None:
    """The app closing (a quit, the end of a run) while the screen is half built: no
    error, nothing left running. Textual would close it halfway if it were left."""
    cid = add_history(ws)
    for n in range(12):
        app = make_app(workstation_for(tmp_path))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            app.open_meeting(cid)
            await asyncio.sleep(ahead.AHEAD_DELAY + 0.01 * n)
        app.workstation.close()
        assert app.return_code in (None, 0), n


async def test_the_citizen_screen_is_not_filled_again_on_the_way_to_the_questions(
    app, ws, monkeypatch
) -> None:
    """Enter on the opening takes the opening away and shows the questions in the same
    moment: the citizen's screen under it is not read and filled again in between (it
    is when it shows again)."""
    from bip_talk.ui.screens.citizen import CitizenScreen

    filled: list[str] = []
    refresh_view = CitizenScreen.refresh_view

    def counted(self) -> None:
        filled.append(type(self.app.screen).__name__)
        refresh_view(self)

    monkeypatch.setattr(CitizenScreen, "refresh_view", counted)
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_citizen(cid)
        await pilot.pause()
        assert filled == ["CitizenScreen"]
        await _opening_then_questions(app, pilot, cid, wait=BUILT)
        assert filled == ["CitizenScreen"]
        app.pop_screen()  # the questions gone: the citizen's screen shows, filled again
        await pilot.pause()
        assert isinstance(app.screen, CitizenScreen) and filled == ["CitizenScreen"] * 2
