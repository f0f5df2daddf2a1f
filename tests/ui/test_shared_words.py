"""Words on the shared screens as the citizen sees them (issue 11 item 10): the citizen's
pane at every step, the opening and the review hold no professional terms ("indikator",
"progression", "BIP"), no file names or section signs and no English in Danish mode; the
plan's shared list holds no caveats, figures or sources (those are the caseworker's, on
i); the topic picker and the meeting's header name the topics in the citizen's words,
and the picker offers only topics the citizen answers.
The catalog and pack texts are scanned one by one in tests/unit/test_citizen_words.py;
this reads what the screens put together from them."""

from __future__ import annotations

from bip_talk.ui.screens.pick_topic import PickTopicScreen
from bip_talk.ui.screens.review import ReviewScreen
from bip_talk.ui.widgets.perspective_pane import PerspectivePane
from tests.unit.test_citizen_words import (
    ENGLISH,
    EVIDENCE_TERMS,
    FILE_NAME,
    FORBIDDEN,
    TOPIC_TERMS,
)

from .conftest import add_history
from .screen_text import screen_text
from .test_plan_loop import _to_plan
from .test_plan_screen import _low_health


def _bad(text: str) -> list[str]:
    text = text.replace("bip-talk", "")  # the product's name
    return [
        m.group(0)
        for pattern in (FORBIDDEN["da"], FILE_NAME, ENGLISH)
        for m in pattern.finditer(text)
    ]


def _pane_text(app, side: str) -> str:
    pane = app.screen.query_one(f"#pane-{side}", PerspectivePane)
    return "\n".join(pane.texts)


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


async def test_the_plans_shared_list_says_why_in_plain_words(app, ws):
    """The walkthrough found the caseworker's caveat ("… procentpoint … KORA's rapport"),
    "den eneste indsats … på alle indikatorer", "Underbygget: bekræftet" and an English
    source title on the plan's shared list; they belong to the caseworker's view (i)."""
    cid = _low_health(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_plan(app, pilot, cid)
        text = " ".join(screen_text(app).split())
        assert "Hvorfor:" in text  # a reason is still given, in the citizen's words
        assert not EVIDENCE_TERMS.search(text), EVIDENCE_TERMS.findall(text)
        assert not _bad(text), _bad(text)
        await pilot.press("i")  # the caseworker's own view holds the evidence
        await pilot.pause()
        private = " ".join(screen_text(app).split())
        assert "Kun for dig som sagsbehandler" in private
        assert "procentpoint" in private and "KORA" in private


async def test_the_citizens_topic_picker_and_the_header_use_their_words(app, ws):
    """The picker once listed Helbredsmestring, Målrettethed … and the caseworker-only
    "Realistisk syn på egne evner"; the header read "Emne 1 af 11: Helbredsmestring"."""
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        await pilot.press("enter")  # past the opening
        await pilot.pause()
        header = screen_text(app).splitlines()
        assert any("Emne 1 af" in line and "Dit helbred" in line for line in header)
        assert not [line for line in header if "Emne" in line and TOPIC_TERMS.search(line)]
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PickTopicScreen)
        picker = screen_text(app)
        assert "Dit helbred" in picker and "Dit mål" in picker
        assert not TOPIC_TERMS.search(picker), TOPIC_TERMS.findall(picker)
        pack = app.casework.pack
        for caseworker_only in ("realisme", "sb_tro"):
            assert pack.indicator(caseworker_only).said("da") not in picker
