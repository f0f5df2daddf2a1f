"""Words on the shared screens as the citizen sees them (issue 11 item 10): the citizen's
pane at every step, the opening and the review hold no professional terms ("indikator",
"progression", "BIP"), no file names or section signs and no English in Danish mode; the
plan's shared list holds no caveats, figures or sources (those are the caseworker's, on
i); the topic picker and the meeting's header name the topics in the citizen's words,
and the picker offers only topics the citizen answers; and no shared screen – the citizen
screen's table, the opening, the meeting with its prompts and note dialog, the pause,
the review's agenda, actions and table, the plan with its closing words and dialog –
names a topic by its professional name ("Helbredsmestring"), in either language, while
the caseworker's own handover (h) keeps them.
The catalog and pack texts are scanned one by one in tests/unit/test_citizen_words.py;
this reads what the screens put together from them."""

from __future__ import annotations

import re

import pytest

from bip_talk.domain.evidence_model import evidence_of
from bip_talk.services.workstation import Workstation
from bip_talk.settings import Preferences, Settings
from bip_talk.ui.app import make_app
from bip_talk.ui.screens.citizen import CitizenScreen
from bip_talk.ui.screens.handover import HandoverScreen
from bip_talk.ui.screens.meeting import MeetingScreen
from bip_talk.ui.screens.note import NoteScreen
from bip_talk.ui.screens.opening import OpeningScreen
from bip_talk.ui.screens.pause import PauseScreen
from bip_talk.ui.screens.pick_topic import PickTopicScreen
from bip_talk.ui.screens.plan import PlanScreen
from bip_talk.ui.screens.plan_item import PlanItemDialog
from bip_talk.ui.screens.review import ReviewScreen
from bip_talk.ui.screens.text_view import TextViewScreen
from bip_talk.ui.widgets.perspective_pane import PerspectivePane
from tests.unit.test_citizen_words import (
    ENGLISH,
    EVIDENCE_TERMS,
    FILE_NAME,
    FORBIDDEN,
    TOPIC_TERMS,
)

from .conftest import add_history, direct
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
        await pilot.press("i", "enter")  # the caseworker's own view holds the evidence
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


def professional_names(pack, lang: str) -> re.Pattern[str]:
    """Every topic's professional name that differs from its name in the citizen's words
    ("Helbredsmestring", "Netværk og støtte"), as one pattern over whole words."""
    names = [
        ind.name.get(lang)
        for ind in pack.indicators
        if ind.plain_name is not None and ind.name.get(lang) != ind.plain_name.get(lang)
    ]
    assert len(names) >= 8  # the BIP pack names most topics in two ways
    return re.compile("|".join(rf"\b{re.escape(n)}\b" for n in names), re.I)


def professional_topics(text: str, pack, lang: str) -> list[str]:
    """The professional topic names in ``text``, a screen flattened to one line. An
    action may hold the same word ("Støtte til jobsøgning"): it is not a topic."""
    evidence = evidence_of(pack)
    assert evidence is not None
    for x in (*evidence.interventions, *evidence.actions):
        text = text.replace(x.name.get(lang), "")
    return professional_names(pack, lang).findall(text)


def _flat(app) -> str:
    return " ".join(screen_text(app).split())  # a name may wrap over two lines


async def _look(app, pilot, seen: dict[str, str], name: str, kind: type) -> None:
    await pilot.pause()
    assert isinstance(app.screen, kind), (name, app.screen)
    seen[name] = _flat(app)


@pytest.mark.parametrize("lang", ["da", "en"])
async def test_no_shared_screen_uses_the_professional_topic_names(tmp_path, lang):
    settings = Settings(data_dir=tmp_path / "d", db_path=tmp_path / "a.db", language=lang)
    ws = Workstation(settings, Preferences(caseworker_name="T", caseworker_initials="TS"))
    cid = add_history(ws)
    with direct(ws) as db:
        last = db.meetings_for(cid)[-1]
        cw = db.caseworker_by_initials("TS")
        db.add_plan_item(cid, actor=cw.id, meeting_id=last.id, kind="mentor", title="Mentor")
    app = make_app(ws)
    seen: dict[str, str] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_citizen(cid)
        await _look(app, pilot, seen, "citizen", CitizenScreen)
        await pilot.press("h")  # the caseworker's briefing: professional words on purpose
        await _look(app, pilot, seen, "handover", HandoverScreen)
        await pilot.press("escape", "m")
        await _look(app, pilot, seen, "opening", OpeningScreen)
        await pilot.press("3", "enter")  # the mentor: not done
        await _look(app, pilot, seen, "meeting", MeetingScreen)
        session = app.screen.session
        for step in range(len(session.steps)):
            # A gap and moves on one topic, a low score on the next: every kind of prompt.
            values = {"citizen": 1, "caseworker": 5 if step % 2 == 0 else 1}
            for side in session.perspectives_at():
                session.go(side=side)
                await pilot.press(str(values.get(side, 3)))
            await pilot.pause(0.4)  # the prompts come a moment after the last key
            for page in range(3):
                seen[f"step {session.step_id} page {page}"] = _flat(app)
                await pilot.press("p")
                await pilot.pause()
            if step == 0:
                await pilot.press("n")
                await _look(app, pilot, seen, "note", NoteScreen)
                await pilot.press("escape", "escape")
                await _look(app, pilot, seen, "pause", PauseScreen)
                await pilot.press("escape")
                await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        await _look(app, pilot, seen, "review", ReviewScreen)
        await pilot.press("l")
        await _look(app, pilot, seen, "plan", PlanScreen)
        await pilot.press("c")
        await _look(app, pilot, seen, "closing", TextViewScreen)
        await pilot.press("escape", "n")
        await _look(app, pilot, seen, "new action", PlanItemDialog)
    ws.close()
    pack = ws.pack
    assert professional_topics(seen.pop("handover"), pack, lang), "the scan finds them there"
    found = {
        name: words
        for name, text in seen.items()
        if (words := professional_topics(text, pack, lang))
    }
    assert not found, found
    # The topics are there, in the citizen's words.
    plain_health = pack.indicator("helbred").said(lang)
    for name in ("citizen", "review", "closing"):
        assert plain_health in seen[name], name
