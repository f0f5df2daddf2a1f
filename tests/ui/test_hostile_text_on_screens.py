"""Names and notes are data on every screen: generated ones – brackets that look like
markup, control characters an older bip-talk let through – stored in the database,
then the start screen's search, the citizen, the opening, the meeting, the pause
screen, the review, the plan and the handover. Nothing crashes, nothing reaches the
terminal raw, and the name reads exactly as it is (control characters as symbols)."""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bip_talk.store.repository import search_key
from bip_talk.ui.app import make_app
from bip_talk.ui.screens.citizen import CitizenScreen
from bip_talk.ui.screens.pause import PauseScreen
from bip_talk.ui.text import safe_text

from .conftest import add_history, direct, workstation_for
from .screen_text import screen_text

# Letters, markup's own characters and the control characters of issue 12.
ALPHABET = st.sampled_from(list("abcæøå ABZ[]/=#:;@$\\") + ["\x1b", "\x07", "\x9b", "\x00", "\x7f"])
NAMES = st.text(ALPHABET, min_size=1, max_size=24).filter(lambda s: s.strip() == s and s)
NOTES = st.text(ALPHABET, min_size=1, max_size=40).filter(lambda s: s.strip() == s and s)


def _store_hostile(ws, name: str, note: str) -> str:
    """As an older bip-talk (or another tool) might have left them: written past the
    entry checks, straight into the file."""
    cid = add_history(ws, "Placeholder Borger")
    with direct(ws) as store:
        cw = store.caseworker_by_initials("TS")
        last = store.meetings_for(cid)[-1]
        store.add_note(
            last.id, "x", visibility="shared", indicator="helbred", actor=cw.id, citizen_id=cid
        )
        store.add_plan_item(cid, actor=cw.id, meeting_id=last.id, kind="mentor", title="y")
        with store.db.conn:
            store.db.conn.execute(
                "UPDATE citizens SET display_name = ?, search_key = ? WHERE id = ?",
                [name, search_key(name, cid), cid],
            )
            store.db.conn.execute("UPDATE notes SET text = ?", [note])
            store.db.conn.execute("UPDATE plan_items SET title = ?", [note])
    return cid


async def _walk(name: str, note: str) -> None:
    tmp = Path(tempfile.mkdtemp())
    ws = workstation_for(tmp)
    _store_hostile(ws, name, note)
    shown = safe_text(name, lines=False)
    app = make_app(ws)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            search = app.screen.query_one("#search")
            search.value = name  # the name typed into the search box, markup and all
            await pilot.pause()
            assert shown in screen_text(app)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, CitizenScreen)
            text = screen_text(app)
            assert shown in text
            assert not any(c in text for c in "\x1b\x07\x9b\x00\x7f")
            await pilot.press("h")  # the handover: the shared note, the plan item
            await pilot.pause()
            assert safe_text(note, lines=False) in screen_text(app).replace("\n", "")
            await pilot.press("enter", "m")
            await pilot.pause()
            assert shown in screen_text(app)  # the opening, with the item to review
            await pilot.press("enter", "3", "3")
            await pilot.pause(0.35)
            assert shown in screen_text(app)  # the meeting
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, PauseScreen) and shown in screen_text(app)
            await pilot.press("escape", "r")
            await pilot.pause()
            assert shown in screen_text(app)  # the review
            await pilot.press("l")
            await pilot.pause()
            assert shown in screen_text(app)  # the plan
            assert app.return_code is None  # still running: nothing crashed
    finally:
        ws.close()
    assert app.return_code in (None, 0)


@settings(max_examples=4, deadline=None)
@given(name=NAMES, note=NOTES)
@example(name="Anna [/] Hansen", note="[link=file:///etc/passwd]x[/link]")
@example(name="[bold red]x[/]", note="Bo\x1b]0;pwned\x07 og \x1b[2J")
def test_generated_names_and_notes_on_every_screen(name: str, note: str) -> None:
    asyncio.run(_walk(name, note))
