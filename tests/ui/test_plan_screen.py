"""The plan screen through real keys: one-key accept and decline, a declined
suggestion marked in words and moved down, the reason afterwards, Enter's dialog with
the parts of a combination, the rules behind a suggestion, the private view with its
cautions first, the type list without caseworker-only types, the caseworker-change
line first, the same order as ``bip-talk suggest``, and the marked rows."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Static

from bip_talk.domain.meeting_history import Answer
from bip_talk.i18n import Translator, format_date
from bip_talk.presenters.plan import plan_listing
from bip_talk.ui.screens.plan import PlanScreen
from bip_talk.ui.screens.plan_item import PlanItemDialog
from bip_talk.ui.screens.private import PrivateScreen
from bip_talk.ui.screens.text_view import TextViewScreen
from bip_talk.ui.widgets.choice import ChoiceField

from .conftest import add_history, direct
from .screen_text import screen_text, widget_text
from .test_plan_loop import _to_plan


def _low_health(ws) -> str:
    """Anna, aktivitetsparat, whose last meeting had health coping at 1 on both sides:
    the placement with a health intervention alongside comes first."""
    cid = add_history(ws)
    with direct(ws) as db:
        db.db["citizens"].update(cid, {"target_group": "aktivitetsparat"})
        cw = db.caseworker_by_initials("TS")
        last = db.meetings_for(cid)[-1]
        for side in ("citizen", "caseworker"):
            db.record_answer(last.id, side, "helbred", Answer(1), actor=cw.id, citizen_id=cid)
    return cid


def _marks(app, mark: str = "▶") -> int:
    """How many list rows carry the mark (the lists may share a line): ``▶`` the
    cursor of the focused list, ``·`` where the other list's cursor stands."""
    return sum(line.count(f"│ {mark} ") for line in screen_text(app).splitlines())


def _flat(app) -> str:
    """The screen's words in one line, frames left out: wrapped text reads whole."""
    return " ".join(w for w in screen_text(app).split() if not set(w) <= set("│█▌▐┃╭╮╰╯─━"))


async def test_accept_with_one_key_then_edit(app, ws, db):
    cid = _low_health(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _to_plan(app, pilot, cid)
        top = screen.entries[0].suggestion
        assert [p.kind for p in top.parts] == ["helbredsindsats"]
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)  # no dialog
        items = {i.kind: i for i in db.plan_items(cid) if i.status == "open"}
        assert set(items) >= {"virksomhedspraktik", "helbredsindsats"}
        proposed = app.casework.proposed_dates(screen.session)
        for kind in ("virksomhedspraktik", "helbredsindsats"):
            assert items[kind].responsible == "Borger og sagsbehandler"
            assert (items[kind].starts_on, items[kind].due_on) == (
                proposed.starts_on,
                proposed.due_on,
            )
        assert any("Aftalt:" in n.message for n in app._notifications)
        # Edit afterwards: Tab to the plan, e on the first action.
        await pilot.press("tab", "e")
        await pilot.pause()
        assert isinstance(app.screen, PlanItemDialog)
        who = app.screen.query_one("#responsible")
        who.value = "Borger"
        await pilot.press("ctrl+s")
        await pilot.pause()
        edited = [i for i in db.plan_items(cid) if i.status == "open" and i.responsible == "Borger"]
        assert len(edited) == 1


async def test_enter_shows_the_combination_before_it_is_agreed(app, ws, db):
    cid = _low_health(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_plan(app, pilot, cid)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlanItemDialog)
        text = _flat(app)
        assert "Ved siden af aftales også: Helbredsindsats" in text
        assert "samme hvem og datoer" in text
        assert app.screen.query_one("#responsible").value == "Borger og sagsbehandler"
        await pilot.press("ctrl+s")
        await pilot.pause()
        kinds = {i.kind for i in db.plan_items(cid) if i.status == "open"}
        assert kinds >= {"virksomhedspraktik", "helbredsindsats"}


async def test_decline_with_one_key_marked_and_moved_down_reason_afterwards(app, ws, db):
    cid = _low_health(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _to_plan(app, pilot, cid)
        first = screen.entries[0].suggestion
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)  # no dialog
        assert screen.entries[-1].suggestion.rule_id == first.rule_id  # moved below
        assert screen.entries[-1].declined is not None
        assert all(x.declined is None for x in screen.entries[:-1])
        text = screen_text(app)
        # Marked in words, and the cursor followed it (d again gives the reason).
        assert "▶ ✗ Afvist: Virksomhedspraktik med en helbredsindsats" in text
        assert "Ingen begrundelse endnu." in text
        await pilot.press("d")
        await pilot.pause()
        await pilot.press(*"vil først have ryggen undersøgt", "enter")
        await pilot.pause()
        reasons = {i.kind: i.decline_reason for i in db.plan_items(cid) if i.status == "declined"}
        assert reasons == {
            "virksomhedspraktik": "vil først have ryggen undersøgt",
            "helbredsindsats": "vil først have ryggen undersøgt",
        }
        assert "Begrundelse: vil først have ryggen undersøgt" in screen_text(app)
        # And accepted after all: no longer marked as declined.
        await pilot.press("a")
        await pilot.pause()
        assert all(x.declined is None for x in screen.entries)


async def test_the_shared_list_is_the_suggest_commands_order(app, ws, db):
    cid = _low_health(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _to_plan(app, pilot, cid)
        await pilot.press("down", "d")  # declining the second one moves nothing up
        await pilot.pause()
        listing = plan_listing(
            app.casework.suggestions(screen.session),
            ws.pack,
            Translator("da"),
            app.casework.declined_in_draft(cid),
        )
        assert [x.text for x in screen.entries] == [x.text for x in listing.shared]


async def test_rules_behind_a_suggestion_on_i(app, ws):
    cid = _low_health(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_plan(app, pilot, cid)
        shared = screen_text(app)
        await pilot.press("i")
        await pilot.pause()
        # The evidence is the caseworker's: a private view, headed as such – and shown
        # only on Enter, once the screen is turned away from the citizen.
        assert isinstance(app.screen, PrivateScreen)
        text = " ".join(widget_text(app.screen).split())  # the warning wraps in the dialog
        assert "Kun for dig som sagsbehandler" in text
        assert "Enter viser det, Esc lukker." in text
        assert "Kilder" not in text and "underbygget" not in text
        await pilot.press("enter")
        await pilot.pause()
        text = " ".join(widget_text(app.screen).split())
        assert "Viden bag forslaget: Virksomhedspraktik" in text
        assert "Enter viser det" not in text and "Esc lukker." in text
        assert "Kilder" in text and "underbygget" in text
        assert "Kilder" not in shared and "Underbygget" not in shared
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_rules_behind_wrap_under_their_own_indent(app, ws, size):
    cid = _low_health(ws)
    async with app.run_test(size=size) as pilot:
        await _to_plan(app, pilot, cid)
        await pilot.press("i", "enter")
        await pilot.pause()
        lines = str(app.screen.query_one("#private-text", Static).render()).splitlines()
        inner = min(78, size[0]) - 5  # the dialog less border, padding and scrollbar
        assert lines and all(len(line) <= inner for line in lines)
        # A line that goes on is indented under the one it belongs to: at the margin
        # only the rules' own first lines, each begun as a sentence.
        margin = [line for line in lines if line and line[0] != " "]
        assert margin and all(line[0].isupper() for line in margin), margin
        # An address too long for the line goes on after a slash, never mid-word.
        urls = [w for w in app.screen.text.split() if w.startswith("http")]
        joined = re.sub(r"/\n *", "/", "\n".join(lines))
        assert urls and all(url in joined for url in urls), joined


def _enter_says(app) -> str:
    """What the footer (the screen's active bindings) says Enter does."""
    return app.screen.active_bindings["enter"].binding.description


async def test_private_view_has_the_cautions_first(app, ws):
    cid = _low_health(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _to_plan(app, pilot, cid)
        assert screen.listing.private[0].suggestion.strength == "caution"
        shared = screen_text(app)
        assert "Tilpas kravene" not in shared  # a caution: private, never on the list
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, PrivateScreen)
        assert "Tilpas kravene" not in screen_text(app)  # not before Enter
        assert _enter_says(app) == "Vis"
        await pilot.press("enter")
        await pilot.pause()
        assert "Tilpas kravene" in screen_text(app)
        assert _enter_says(app) == "Luk"  # the footer follows what Enter now does
        await pilot.press("enter")  # Enter again closes it
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)


async def test_free_action_types_never_caseworker_only(app, ws):
    cid = _low_health(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_plan(app, pilot, cid)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PlanItemDialog)
        kinds = {value for _, value in app.screen.query_one("#kind", ChoiceField).choices}
        assert {"virksomhedspraktik", "helbredsindsats", "other"} <= kinds
        assert not {"reflect_belief", "keep_faith", "handover"} & kinds
        # Dated types: the 2027 rules are not yet in force on a 2026 meeting.
        assert "job_goal_six_months" not in kinds


async def test_the_caseworker_change_comes_before_the_suggestions(tmp_path, ws, db):
    from bip_talk.settings import Preferences
    from bip_talk.ui.app import make_app

    from .conftest import workstation_for

    cid = _low_health(ws)
    other = db.ensure_caseworker("OV", "Ole Vikar")
    db.assign(cid, other.id, actor=db.caseworker_by_initials("TS").id, reason="ferie")
    theirs = workstation_for(
        tmp_path, Preferences(caseworker_name="Ole Vikar", caseworker_initials="OV")
    )
    app = make_app(theirs)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        await pilot.press("enter", "r")  # the opening, then the review
        await pilot.pause()
        await pilot.press("l")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
        lines = screen_text(app).splitlines()
        warning = next(n for n, line in enumerate(lines) if "ny sagsbehandler siden sidst" in line)
        first = next(n for n, line in enumerate(lines) if "Virksomhedspraktik" in line)
        assert warning < first
        assert "22" not in lines[warning]  # the figure stays in the private view
    theirs.close()


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_each_list_marks_its_highlighted_row(app, ws, size):
    cid = _low_health(ws)
    async with app.run_test(size=size) as pilot:
        await _to_plan(app, pilot, cid)
        await pilot.press("a")  # the combination: two actions in the plan
        await pilot.pause()
        # Only the focused list has the ▶; the other shows where it stands with ·.
        assert (_marks(app), _marks(app, "·")) == (1, 1)
        assert "▶ ●●● Virksomhedspraktik" in screen_text(app)
        assert "(aftalt i dag)" in screen_text(app)  # agreed now, not "already running"
        await pilot.press("tab", "down")  # the plan: the second action gets the mark
        await pilot.pause()
        assert "▶ Helbredsindsats" in screen_text(app)
        assert "· ●●● Virksomhedspraktik" in screen_text(app)  # Tab changed a character
        assert (_marks(app), _marks(app, "·")) == (1, 1)
        await pilot.press("shift+tab")
        await pilot.pause()
        assert "▶ ●●● Virksomhedspraktik" in screen_text(app)
        assert "· Helbredsindsats" in screen_text(app)
        text = screen_text(app)
        for line in text.splitlines():
            assert len(line.rstrip()) <= size[0]
        if size == (80, 24):
            await pilot.press("c")  # the closing words, on the narrow layout
            await pilot.pause()
            assert isinstance(app.screen, TextViewScreen)
            assert "Lad os samle op" in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_hint_breaks_only_between_key_phrases(app, ws, size):
    """The walkthrough: "· i viden" / "bag", "· f" / "afslut" at 80 columns."""
    cid = _low_health(ws)
    async with app.run_test(size=size) as pilot:
        await _to_plan(app, pilot, cid)
        lines = [line.replace("\u00a0", " ") for line in screen_text(app).splitlines()]
        for phrase in app.t("planui.hint", keys=app.screen.keys).split(" · "):
            assert any(phrase in line for line in lines), phrase


async def test_dates_are_typed_as_the_screens_show_them(app, ws, db):
    """The dialog showed and wanted ÅÅÅÅ-MM-DD while every screen shows 15.12.2026; a
    bad date closed it and lost what was typed. Now the shown form goes in (ISO too), a
    date that is not one keeps the dialog open with the field's name, at 80×24 too."""
    cid = _low_health(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _to_plan(app, pilot, cid)
        proposed = app.casework.proposed_dates(screen.session)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PlanItemDialog)
        starts, due = app.screen.query_one("#starts_on"), app.screen.query_one("#due_on")
        assert due.value == format_date(proposed.due_on, "da")  # dd.mm.åååå, as shown
        assert "Datoer som dd.mm.åååå" in screen_text(app)
        app.screen.query_one("#title").value = "Ring til lageret"
        starts.value, due.value = "2026-12-01", "31.02.2027"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanItemDialog), "the dialog stays open"
        assert "Senest: «31.02.2027» er ikke en dato. Skriv den som dd.mm.åååå" in _flat(app)
        assert app.focused is due and app.screen.query_one("#title").value == "Ring til lageret"
        assert "Gem" in screen_text(app)  # the buttons still in view
        assert not [i for i in db.plan_items(cid) if i.title == "Ring til lageret"]
        due.value = "15.3.2027"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PlanScreen)
    (item,) = [i for i in db.plan_items(cid) if i.title == "Ring til lageret"]
    assert (item.starts_on, item.due_on) == ("2026-12-01", "2027-03-15")


async def test_a_suggestion_declined_at_the_last_meeting_says_so_on_the_plan(app, ws):
    from bip_talk.services import plan

    cid = _low_health(ws)
    with direct(ws) as db:
        cw = db.caseworker_by_initials("TS")
        last = db.meetings_for(cid)[-1]
        found = plan.suggestions_for(db, ws.pack, cid)
        health = next(e for s in found for e in s.elements if e.kind == "helbredsindsats")
        plan.decline(
            db, cid, health, actor=cw.id, lang="da", meeting_id=last.id, reason="Har en læge"
        )
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_plan(app, pilot, cid)
        assert "✗ Helbredsindsats blev afvist" in _flat(app) and "Har en læge" in _flat(app)
