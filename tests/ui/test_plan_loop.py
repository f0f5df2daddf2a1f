"""The plan loop in the app: suggestions accepted into the plan, the action review at
the next meeting, and the handover after a change of caseworker."""

from __future__ import annotations

from textual.screen import ModalScreen
from textual.widgets import OptionList, Static

from bip_talk.services import plan
from bip_talk.settings import Preferences
from bip_talk.ui.app import make_app
from bip_talk.ui.screens.handover import HandoverScreen
from bip_talk.ui.screens.meeting import MeetingScreen
from bip_talk.ui.screens.opening import OpeningScreen
from bip_talk.ui.screens.plan import PlanScreen
from bip_talk.ui.screens.review import ReviewScreen

from .conftest import add_history, workstation_for
from .screen_text import widget_text


def text_of(screen) -> str:
    return widget_text(screen)


async def _to_plan(app, pilot, cid: str):
    await pilot.pause()
    app.open_meeting(cid)
    await pilot.pause()
    await pilot.press("enter")  # past the opening
    await pilot.pause()
    await pilot.press("r")
    await pilot.pause()
    assert isinstance(app.screen, ReviewScreen)
    await pilot.press("l")
    await pilot.pause()
    assert isinstance(app.screen, PlanScreen)
    return app.screen


async def test_accepting_a_suggestion_puts_it_in_the_plan(app, ws, db):
    cid = add_history(ws)
    db.db["citizens"].update(cid, {"target_group": "aktivitetsparat"})
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await _to_plan(app, pilot, cid)
        assert screen.entries, "the evidence has something to say about this citizen"
        top = screen.entries[0].suggestion
        assert all(not x.suggestion.private for x in screen.entries)  # shared screen
        shown = screen.query_one("#suggestions", OptionList).get_option_at_index(0).prompt
        assert top.title.get("da") in str(shown) and "Hvorfor" in str(shown)
        await pilot.press("a")  # one key: agreed with the proposed who and when
        await pilot.pause()
        items = [i for i in db.plan_items(cid) if i.status == "open"]
        assert (items[0].kind, items[0].rule_id) == (top.kind, top.rule_id)
        assert {i.kind for i in items} == {top.kind, *(p.kind for p in top.parts)}
        assert items[0].meeting_id == screen.session.meeting.id
        assert items[0].responsible == "Borger og sagsbehandler"
        assert items[0].due_on  # by the next meeting, about three months ahead


async def test_declining_keeps_the_reason(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(140, 45)) as pilot:
        screen = await _to_plan(app, pilot, cid)
        first = screen.entries[0].suggestion
        await pilot.press("d")  # one key: declined, no dialog
        await pilot.pause()
        assert not isinstance(app.screen, ModalScreen)
        declined = [i for i in db.plan_items(cid) if i.status == "declined"]
        assert [(i.kind, i.decline_reason) for i in declined][:1] == [(first.kind, None)]
        await pilot.press("d")  # again, on the same (it moved down; the cursor followed)
        await pilot.pause()
        await pilot.press(*"har prøvet det", "enter")
        await pilot.pause()
        declined = [i for i in db.plan_items(cid) if i.status == "declined"]
        assert [(i.kind, i.decline_reason) for i in declined][:1] == [
            (first.kind, "har prøvet det")
        ]


async def test_next_meeting_opens_with_the_action_review(app, ws, db):
    cid = add_history(ws)
    cw = db.caseworker_by_initials("TS")
    last = db.meetings_for(cid)[-1]
    item = db.add_plan_item(
        cid,
        actor=cw.id,
        meeting_id=last.id,
        kind="virksomhedspraktik",
        title="Praktik i Netto",
        responsible="Borger",
        starts_on="2026-08-10",
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        assert "Praktik i Netto" in text_of(app.screen)  # the opening words name it
        await pilot.press("2")  # partly
        await pilot.pause()
        reviewed = db.plan_item(item.id)
        assert reviewed.status == "partly"
        assert reviewed.reviewed_in == app.screen.session.meeting.id
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("2", "4", "r")  # helbred: citizen 4 -> 2
        await pilot.pause()
        actions = str(app.screen.query_one("#reviewed-actions", Static).render())
        # One line: the mark, the action, the meetings the change spans, what moved.
        (line,) = [x for x in actions.splitlines() if "Praktik i Netto" in x]
        assert line.split()[:2] == ["◐", "delvist"]
        assert "01.08.2026 → i dag" in line
        assert "Dit helbred ↓ −2 (borger), ↑ +1 (sagsbehandler)" in line


async def test_the_overview_says_an_unmarked_action_is_past_its_date(app, ws, db):
    """The opening marks an unmarked action due before the meeting's day "○ dato
    passeret"; the overview's list said "○ åben" for the same action."""
    cid = add_history(ws)
    cw = db.caseworker_by_initials("TS")
    last = db.meetings_for(cid)[-1]
    for title, due in (("Ring til a-kassen", "2026-01-10"), ("Læs om kurser", None)):
        db.add_plan_item(
            cid,
            actor=cw.id,
            meeting_id=last.id,
            kind="jobsoegning_stoette",
            title=title,
            due_on=due,
        )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        await pilot.press("enter")  # on without marking either
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        actions = str(app.screen.query_one("#reviewed-actions", Static).render())
        (late,) = [x for x in actions.splitlines() if "Ring til a-kassen" in x]
        (undated,) = [x for x in actions.splitlines() if "Læs om kurser" in x]
        assert late.split()[:3] == ["○", "dato", "passeret"]
        assert undated.split()[:2] == ["○", "åben"]


async def test_after_a_caseworker_change_the_handover_is_offered_not_shown(tmp_path, ws, db):
    """The handover is the caseworker's briefing (figures, professional words): it never
    comes up by itself in front of the citizen; the citizen's screen and the opening
    offer it on h, as the caseworker's private view, and Esc returns."""
    cid = add_history(ws)
    cw = db.caseworker_by_initials("TS")
    db.db["meetings"].update(db.meetings_for(cid)[-1].id, {"priority": "helbred"})
    other = db.ensure_caseworker("OV", "Ole Vikar")
    db.assign(cid, other.id, actor=cw.id, reason="ferie")
    # The new caseworker signed in on their own workstation, on the same database.
    prefs = Preferences(caseworker_name=other.name, caseworker_initials="OV")
    theirs = workstation_for(tmp_path, prefs)
    app = make_app(theirs)
    async with app.run_test(size=(120, 45)) as pilot:
        await pilot.pause()
        assert app.caseworker == other
        app.open_citizen(cid)
        await pilot.pause()
        assert "h: overdragelsen (kun til dig" in text_of(app.screen)
        app.open_meeting(cid)
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)  # no handover by itself
        opening = text_of(app.screen).replace("\u00a0", " ")
        assert "ny på din sag" in opening and "h overdragelsen (kun til dig)" in opening
        assert "22 %" not in opening
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)
        text = text_of(app.screen).replace("\u00a0", " ")  # "22 %" is glued
        assert "Kun for dig som sagsbehandler" in text  # the caseworker's private view
        assert "Test Sagsbehandler (TS) → Ole Vikar (OV)" in text
        assert "22 %" in text
        assert "Helbredsmestring" in text and "Borgerens egne prioriteter" in text
        assert "Sagsbehandlers tro på job" not in text  # private: never in the handover
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)


async def test_a_stand_in_gets_no_handover_and_says_so(tmp_path, ws, db):
    """The walkthrough: signed in as someone else than the citizen's caseworker. No
    handover, no "ny på din sag", no "Godt at se dig igen": the stand-in says who
    they are."""
    cid = add_history(ws)
    other = db.ensure_caseworker("KK", "Kim Krog")
    theirs = workstation_for(
        tmp_path, Preferences(caseworker_name=other.name, caseworker_initials="KK")
    )
    app = make_app(theirs)
    async with app.run_test(size=(120, 45)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        text = text_of(app.screen)
        assert "i stedet for din sagsbehandler" in text
        assert "ny på din sag" not in text and "igen" not in text


async def test_a_stand_in_after_a_change_reads_the_handover_but_is_not_new(tmp_path, ws, db):
    """The demo's Søren, signed in as KK: the case moved to OV since the last meeting,
    so the handover is offered (h, the caseworker's private view – never shown by itself
    in front of the citizen); KK is not the one it moved to, so no "ny på din sag"."""
    cid = add_history(ws)
    cw = db.caseworker_by_initials("TS")
    other = db.ensure_caseworker("OV", "Ole Vikar")
    db.assign(cid, other.id, actor=cw.id, reason="ferie")
    kk = db.ensure_caseworker("KK", "Kim Krog")
    prefs = Preferences(caseworker_name=kk.name, caseworker_initials="KK")
    app = make_app(workstation_for(tmp_path, prefs))
    async with app.run_test(size=(120, 45)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        text = text_of(app.screen)
        assert "i stedet for din sagsbehandler" in text and "ny på din sag" not in text
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)


async def test_private_reflection_only_on_request(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        session = app.screen.session
        session.go(step=session.steps.index("sb_tro"), side="caseworker")
        await pilot.press("1")
        for _ in range(50):  # prompts show a moment after the last key (later on a busy machine)
            await pilot.pause(0.1)
            shared = text_of(app.screen)
            if "private refleksion" in shared:
                break
        assert "private refleksion" in shared  # a hint, not the reflection itself
        assert "1,1" not in shared and "26,8" not in shared
        await pilot.press("v")
        await pilot.pause()
        private = text_of(app.screen)
        assert "Kun for dig" in private
        assert app.screen.__class__.__name__ == "PrivateScreen"


def test_plan_services_refuse_private_suggestions_in_the_plan(ws, db):
    """A private suggestion can never be accepted into the citizen's plan."""
    cid = add_history(ws)
    private = [s for s in plan.suggestions_for(db, ws.pack, cid) if s.private]
    if not private:
        return
    import pytest

    from bip_talk.errors import InputError

    with pytest.raises(InputError):
        plan.accept(db, cid, private[0], actor=1, lang="da")
