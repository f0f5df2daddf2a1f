"""The start screen (the desk) with the citizen possibly beside the caseworker: it names
nobody before the caseworker acts, lists only what a key asks for, says so when a list
is empty, and is blank again after a citizen."""

from __future__ import annotations

from bip_talk import clock
from bip_talk.ui.screens.citizen import CitizenScreen
from bip_talk.ui.screens.citizens import CitizensScreen
from bip_talk.ui.screens.meeting import MeetingScreen
from bip_talk.ui.screens.pause import PauseScreen

from .conftest import add_history
from .screen_text import highlighted_rows, screen_text

MINE = "Anna Testesen"  # two meetings with TS (add_history)
OTHERS = ("Bodil Fremmed", "Carl Naboborger")  # another caseworker's citizens


def _setup(ws, db) -> tuple[str, list[str]]:
    cid = add_history(ws, MINE)
    other = db.ensure_caseworker("ZZ", "Zara Kollega")
    ids = [db.create_citizen(name, caseworker_id=other.id).id for name in OTHERS]
    # An unfinished meeting of TS with Anna, and one of the colleague's with Bodil.
    cw = db.caseworker_by_initials("TS")
    db.start_meeting(cid, cw.id, ws.pack.id, ws.pack.version)
    db.start_meeting(ids[0], other.id, ws.pack.id, ws.pack.version)
    return cid, ids


def _names_on(app) -> list[str]:
    text = screen_text(app)
    return [name for name in (MINE, *OTHERS) if name in text]


async def test_start_up_names_nobody_and_counts_the_unfinished_meeting(app, ws, db):
    _setup(ws, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CitizensScreen)  # no "resume … with <name>?" question
        assert _names_on(app) == []
        text = screen_text(app)
        assert "Ufærdige samtaler: 1 – F8 viser dem." in text  # a number, never a name
        assert "Viser" not in text  # no list at all


async def test_each_key_lists_only_the_caseworkers_own(app, ws, db):
    cid, _ = _setup(ws, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f6")  # caseload
        await pilot.pause()
        assert _names_on(app) == [MINE]
        assert "Dine borgere" in screen_text(app)
        await pilot.press("f7")  # today's meetings: the unfinished one started today
        await pilot.pause()
        assert _names_on(app) == [MINE]
        await pilot.press("f8")  # unfinished: TS's own, not the colleague's
        await pilot.pause()
        assert _names_on(app) == [MINE]
        assert "Enter fortsætter samtalen" in screen_text(app)
        await pilot.press("f8")  # the same key again: back to searching everyone
        await pilot.pause()
        assert _names_on(app) == []
        await pilot.press(*"fremmed")
        await pilot.pause()
        assert _names_on(app) == ["Bodil Fremmed"]
        assert "Søgning blandt alle borgere: 'fremmed'" in screen_text(app)
        await pilot.press("escape")  # clears the search and the list
        await pilot.pause()
        assert _names_on(app) == []
        assert app.screen.query_one("#search").value == ""


async def test_unfinished_meeting_resumes_over_the_citizen_and_pauses_for_them(app, ws, db):
    cid, _ = _setup(ws, db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f8", "enter")
        await pilot.pause()
        if not isinstance(app.screen, MeetingScreen):  # the opening first
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert app.screen.session.citizen.id == cid
        assert isinstance(app.screen_stack[-2], CitizenScreen)  # beneath: Anna, not a list
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PauseScreen)
        assert _names_on(app) == [MINE]
        await pilot.press("q", "j")  # leave for another day
        await pilot.pause()
        assert isinstance(app.screen, CitizenScreen) and app.screen.citizen_id == cid
        await pilot.press("escape")  # back on the desk: blank again
        await pilot.pause()
        assert isinstance(app.screen, CitizensScreen)
        assert _names_on(app) == []


async def test_back_from_a_citizen_the_desk_is_blank(app, ws, db):
    _setup(ws, db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"naboborger", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CitizenScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert _names_on(app) == []
        assert app.screen.query_one("#search").value == ""


async def test_an_empty_list_says_so(app, ws, db):
    cw = db.ensure_caseworker("TS", "Test Sagsbehandler")
    db.create_citizen("Dora Ingen", caseworker_id=db.ensure_caseworker("ZZ", "Z").id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for key, words in (
            ("f6", "Du har ingen borgere endnu."),
            ("f7", "Du har ikke haft nogen samtaler i dag."),
            ("f8", "Du har ingen ufærdige samtaler."),
        ):
            await pilot.press(key)
            await pilot.pause()
            text = screen_text(app)
            assert words in text, key
            assert "Viser 0" not in text and "0–0" not in text
        await pilot.press("f8", *"xyz")
        await pilot.pause()
        assert "Ingen borgere matcher 'xyz'" in screen_text(app)
    assert cw.initials == "TS"


async def test_the_highlighted_row_is_marked_in_plain_text(app, ws, db):
    cw = db.ensure_caseworker("TS", "Test Sagsbehandler")
    for name in ("Ea Først", "Ib Anden", "Ole Tredje"):
        db.create_citizen(name, caseworker_id=cw.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        await pilot.pause()
        assert [r for r in highlighted_rows(screen_text(app)) if "·" in r][0].count("Ea Først")
        await pilot.press("down", "down")  # into the list, then one row on
        await pilot.pause()
        marked = [r for r in highlighted_rows(screen_text(app)) if "·" in r]
        assert len(marked) == 1 and "Ib Anden" in marked[0]


async def test_today_lists_a_meeting_held_today(app, ws, db):
    cw = db.ensure_caseworker("TS", "Test Sagsbehandler")
    seen = db.create_citizen("Frida Idag", caseworker_id=cw.id)
    db.create_citizen("Gert Igaar", caseworker_id=cw.id)
    meeting = db.start_meeting(
        seen.id, cw.id, ws.pack.id, ws.pack.version, held_on=clock.today().isoformat()
    )
    db.complete_meeting(meeting.id, actor=cw.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await pilot.pause()
        text = screen_text(app)
        assert "Frida Idag" in text and "Gert Igaar" not in text


async def test_the_guide_is_wrapped_once_at_the_width_it_gets(app, ws, db):
    """At 80 columns (and narrower) the guide's first paragraph wraps at whole words into
    full lines: it was once wrapped twice (to a width guessed from the screen, then by
    the layout), which left a word alone on a line ("borgeren")."""
    _setup(ws, db)
    async with app.run_test(size=(80, 24)) as pilot:
        for size in ((80, 24), (60, 24)):
            await pilot.resize_terminal(*size)
            await pilot.pause()
            lines = [line.strip() for line in screen_text(app).split("\n")]
            start = next(n for n, line in enumerate(lines) if line.startswith("Her vises"))
            end = next(n for n in range(start, len(lines)) if not lines[n])
            paragraph = lines[start:end]
            assert len(paragraph) >= 2, (size, paragraph)
            assert all(len(line.split()) > 1 for line in paragraph[:-1]), (size, paragraph)
            assert " ".join(paragraph).endswith("ikke andre borgeres navne."), size
