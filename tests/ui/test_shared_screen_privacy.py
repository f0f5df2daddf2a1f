"""Everything shown while the citizen is present – opening, every step of the meeting,
the review, the plan, the handover, the citizen screen – never shows another
citizen's name, a caseworker-only note, the caseworker-only belief item or its
reflection."""

from __future__ import annotations

from textual.widgets import DataTable, OptionList

from bip_talk.domain.meeting_history import Answer
from bip_talk.ui.screens.meeting import MeetingScreen
from bip_talk.ui.screens.plan import PlanScreen

from .conftest import add_history
from .screen_text import widget_text

OTHER = "Zacharias Fremmedsen"
SECRET_NOTE = "Fortroligt: misbrug nævnt af lægen"


def everything_visible(screen) -> str:
    parts = [widget_text(screen)]  # Statics and the meeting panes' lines
    for table in screen.query(DataTable):
        for row_key in table.rows:
            parts += [str(c) for c in table.get_row(row_key)]
    for options in screen.query(OptionList):
        parts += [str(options.get_option_at_index(n).prompt) for n in range(options.option_count)]
    return "\n".join(parts)


def assert_clean(screen) -> None:
    text = everything_visible(screen).replace("\u00a0", " ")  # "1,1 %" is glued
    assert OTHER not in text
    assert SECRET_NOTE not in text
    assert "Tror du, at borgeren kommer i job" not in text  # the belief question
    assert "26,8" not in text and "1,1 %" not in text  # the belief reflection's figures


async def test_no_other_citizen_and_no_private_content_on_shared_screens(app, ws, db):
    cid = add_history(ws)
    cw = db.caseworker_by_initials("TS")
    db.create_citizen(OTHER, caseworker_id=cw.id)
    last = db.meetings_for(cid)[-1]
    db.add_note(
        last.id, SECRET_NOTE, visibility="private", indicator="helbred", actor=cw.id, citizen_id=cid
    )
    db.record_answer(last.id, "caseworker", "sb_tro", Answer(1), actor=cw.id, citizen_id=cid)
    db.add_plan_item(
        cid, actor=cw.id, meeting_id=last.id, kind="virksomhedspraktik", title="Praktik"
    )
    async with app.run_test(size=(140, 50)) as pilot:
        await pilot.pause()
        app.open_citizen(cid)
        await pilot.pause()
        assert_clean(app.screen)
        app.open_meeting(cid)
        await pilot.pause()
        assert_clean(app.screen)  # the opening
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        session = app.screen.session
        for _ in session.steps:
            await pilot.press("3", "3")
            await pilot.pause(0.35)  # let the follow-up prompts show
            assert_clean(app.screen)
            await pilot.press("enter")
            await pilot.pause()
        assert_clean(app.screen)  # the review after the last step
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        assert_clean(app.screen)  # the plan
        await pilot.press("escape", "escape")  # plan -> review -> meeting
        await pilot.pause()
        await pilot.press("escape")  # the pause screen, for this citizen only
        await pilot.pause()
        assert type(app.screen).__name__ == "PauseScreen"
        assert_clean(app.screen)
        await pilot.press("q", "j")  # leave for another day (asked first)
        await pilot.pause()
        assert type(app.screen).__name__ == "CitizenScreen"
        await pilot.press("h")
        await pilot.pause()
        assert type(app.screen).__name__ == "HandoverScreen"
        assert_clean(app.screen)
