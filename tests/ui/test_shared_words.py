"""Words on the shared screens as the citizen sees them (issue 11 item 10): the citizen's
pane at every step, the opening and the review hold no professional terms ("indikator",
"progression", "BIP"), no file names or section signs and no English in Danish mode.
The catalog and pack texts are scanned one by one in tests/unit/test_citizen_words.py;
this reads what the screens put together from them."""

from __future__ import annotations

from bip_talk.ui.screens.review import ReviewScreen
from bip_talk.ui.widgets.perspective_pane import PerspectivePane
from tests.unit.test_citizen_words import ENGLISH, FILE_NAME, FORBIDDEN

from .conftest import add_history
from .screen_text import screen_text


def _bad(text: str) -> list[str]:
    text = text.replace("bip-talk", "")  # the product's name
    return [
        m.group(0)
        for pattern in (FORBIDDEN["da"], FILE_NAME, ENGLISH)
        for m in pattern.finditer(text)
    ]


def _pane_text(app, side: str) -> str:
    pane = app.screen.query_one(f"#pane-{side}", PerspectivePane)
    return "\n".join(str(w.render()) for w in pane.query("Static") if w.display)


async def test_the_citizens_pane_and_the_shared_screens_speak_plain_danish(app, ws, db):
    cid = add_history(ws)
    cw = db.caseworker_by_initials("TS")
    last = db.meetings_for(cid)[-1]
    db.add_plan_item(cid, actor=cw.id, meeting_id=last.id, kind="mentor", title="Mentor")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        assert not _bad(screen_text(app)), screen_text(app)  # the opening
        await pilot.press("4", "enter")
        await pilot.pause()
        session = app.screen.session
        found = []
        for step in range(len(session.steps)):
            session.go(step=step, side="citizen")
            app.screen.render_step()
            await pilot.pause()
            found += [(session.step_id, w) for w in _bad(_pane_text(app, "citizen"))]
            for side in session.perspectives_at():
                session.go(side=side)
                await pilot.press("2")
            await pilot.pause(0.4)
            found += [(session.step_id, w) for w in _bad(_pane_text(app, "citizen"))]
        assert not found, found
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert not _bad(screen_text(app)), _bad(screen_text(app))
