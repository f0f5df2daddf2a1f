"""The desk's dialogs and screens as a newcomer meets them: sign-in, a new citizen
with the facts the suggestions read (and the age rules firing for them), the edit on
the citizen screen, the note, settings on every screen, each usable at 80×24 with its
labels and buttons in view, focus and state readable without colour, and footers
that fit 120 columns."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input, TextArea

from bip_talk.services.workstation import Workstation
from bip_talk.settings import Settings
from bip_talk.ui.app import make_app
from bip_talk.ui.screens.citizen import CitizenScreen
from bip_talk.ui.screens.citizens import CitizensScreen
from bip_talk.ui.screens.new_citizen import NewCitizenScreen
from bip_talk.ui.screens.note import NoteScreen
from bip_talk.ui.screens.settings import SettingsScreen
from bip_talk.ui.screens.sign_in import SignInScreen
from bip_talk.ui.widgets.choice import ChoiceField

from .conftest import add_history
from .screen_text import highlighted_rows, screen_text
from .test_meeting_screen import open_meeting

FROZEN = "2026-11-24T10:00:00+00:00"


@pytest.fixture(autouse=True)
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", FROZEN)


def first_run_app(tmp_path):
    return make_app(Workstation(Settings(data_dir=tmp_path / "d", db_path=tmp_path / "a.db")))


# -- sign-in -------------------------------------------------------------------------------


async def test_sign_in_says_how_to_quit_and_keeps_the_cursor_where_the_fix_is(tmp_path):
    app = first_run_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        assert "Ctrl+Q afslutter programmet" in screen_text(app)
        await pilot.press("enter")  # no name yet
        await pilot.pause()
        assert "Skriv dit navn." in screen_text(app)
        assert app.focused is app.screen.query_one("#name", Input)
        await pilot.press("M")  # the name is valid now: the message goes
        await pilot.pause()
        assert "Skriv dit navn." not in screen_text(app)
        await pilot.press("enter", "enter")  # initials missing
        await pilot.pause()
        assert "Initialer skal være" in screen_text(app)
        assert app.focused is app.screen.query_one("#initials", Input)
        await pilot.press("m", "l")
        await pilot.pause()
        assert "Initialer skal være" not in screen_text(app)


async def test_the_first_run_guide_wraps_a_keys_text_under_its_text(tmp_path):
    """At 80 columns the F5 line wraps: its last word goes on under the text, never under
    the key column; wider, it is one line again."""
    app = first_run_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _burst(app, pilot, "Mette Lund\rml\r")
        assert isinstance(app.screen, CitizensScreen)
        lines = screen_text(app).split("\n")
        at = next(n for n, line in enumerate(lines) if "F5" in line)
        key_text = lines[at].index("se programmet")
        go_on = lines[at + 1]
        assert go_on.strip() and go_on[:key_text].strip() == "", go_on
        assert go_on[key_text] != " "
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        lines = screen_text(app).split("\n")
        f5 = next(line for line in lines if "F5" in line)
        assert f5.rstrip().endswith("røres ikke)")


def _key(char: str) -> events.Key:
    names = {" ": "space", "\r": "enter"}
    return events.Key(names.get(char, char), "\r" if char == "\r" else char)


async def _burst(app, pilot, keys: str) -> None:  # noqa: ANN001 - App, Pilot
    """``keys`` queued at once, as a terminal multiplexer sends them (\r: Enter)."""
    await pilot.pause()
    for char in keys:
        app.post_message(_key(char))
    await pilot.pause(0.3)


async def test_fast_typing_puts_the_initials_in_their_field(tmp_path):
    """A terminal multiplexer sends "name, Enter, initials, Enter" in one burst: every
    key is queued before the first is handled, as here."""
    app = first_run_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await _burst(app, pilot, "Mette Lund\rml\r")
        assert isinstance(app.screen, CitizensScreen)
        assert app.caseworker.name == "Mette Lund"
        assert app.caseworker.initials == "ML"


async def test_keys_typed_while_the_app_starts_land_where_they_were_meant(tmp_path):
    """tmux sends "name, Enter, initials, Enter" before the app has the terminal: the
    terminal turns each Return into a newline (Ctrl+J) and a key may come before any
    field has the focus. The initials once landed in the name field ("Kim KrogKK")."""
    app = first_run_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        app.screen.set_focus(None)  # as while the screen is still being set up
        for char in "Kim Krog\nkk\n":
            app.post_message(events.Key("ctrl+j", None) if char == "\n" else _key(char))
        await pilot.pause(0.3)
        assert isinstance(app.screen, CitizensScreen)
        assert (app.caseworker.name, app.caseworker.initials) == ("Kim Krog", "KK")


# -- a new citizen, and the age rules ------------------------------------------------------


def _rules(app, cid: str) -> set[str]:
    _, _, suggestions = app.casework.suggestions_on(cid)
    return {s.rule_id for s in suggestions}


async def test_new_citizen_dialog_fits_80x24_and_records_the_facts(app, ws, db):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        text = screen_text(app)
        for words in ("Ny borger", "Navn", "Fødselsår", "Målgruppe", "Uddannelse", "Opret"):
            assert words in text, words
        assert "Fortryd" in text and "CPR-nummer" in text
        await pilot.press(*"Ung Uden", "tab", *"2002", "tab", "right", "tab", "enter")
        await pilot.pause()
        picker = screen_text(app)  # the open list marks its highlighted row
        assert len(highlighted_rows(picker)) == 1 and "ikke oplyst" in highlighted_rows(picker)[0]
        await pilot.press("down", "enter")  # grundskole
        await pilot.pause()
        assert "▶ Grundskole" in screen_text(app)  # the focused field, its value in words
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CitizenScreen)
        citizen = db.citizen(app.screen.citizen_id)
        assert (citizen.birth_year, citizen.education) == (2002, "grundskole")
        assert citizen.target_group == "aktivitetsparat"
        text = screen_text(app)
        assert "2002 (fylder 24 i år · Under 30 år)" in text
        # The under-30 rules fire for the citizen made in the dialog.
        assert {"young_rules_2026"} <= _rules(app, citizen.id)


async def test_edit_on_the_citizen_screen_changes_what_the_rules_see(app, ws, db):
    cw = db.ensure_caseworker("TS", "Test Sagsbehandler")
    cid = db.create_citizen("Ung Igen", caseworker_id=cw.id, birth_year=2003).id
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_citizen(cid)
        await pilot.pause()
        assert "young_rules_2026" in _rules(app, cid)  # under 30, no education recorded
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NewCitizenScreen)
        text = screen_text(app)
        assert "Ret oplysninger: Ung Igen" in text and "Gem" in text
        education = app.screen.query_one("#education", ChoiceField)
        education.focus()
        await pilot.pause()
        await pilot.press("right", "right", "right")  # erhvervsfaglig: qualifies for a trade
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CitizenScreen)
        assert db.citizen(cid).education == "erhvervsfaglig"
        assert "Erhvervsuddannelse (faglært)" in screen_text(app)
        assert "young_rules_2026" not in _rules(app, cid)
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#birth-year", Input).value = "1980"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert db.citizen(cid).birth_year == 1980
        assert "30–49 år" in screen_text(app)
        trail = [line for line in app.casework.audit_trail(cid) if "2003" in str(line)]
        assert trail  # the change is audited with its earlier value


async def test_new_citizen_refuses_bad_input_and_stays_open(app, ws, db):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        name = app.screen.query_one("#name", Input)
        name.value = "Anna\x1b]0;pwned\x07"  # pasted along with copied text
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NewCitizenScreen)
        assert "styretegn" in screen_text(app)
        name.value = "Anna Hansen"  # right again: the message goes
        await pilot.pause()
        assert "styretegn" not in screen_text(app)
        app.screen.query_one("#birth-year", Input).value = "1800"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NewCitizenScreen)
        assert "fødselsår: '1800'" in screen_text(app)
        assert app.focused is app.screen.query_one("#birth-year", Input)
    assert db.count_citizens() == 0


# -- the note dialog -----------------------------------------------------------------------


async def test_note_dialog_shows_its_private_switch_in_plain_text(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await open_meeting(app, pilot, cid)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)

        def switch_line() -> str:
            return next(
                line for line in screen_text(app).splitlines() if "Privat – kun for dig" in line
            )

        assert "X" not in switch_line()
        for words in ("Note til", "Gem note", "Fortryd", "Ctrl+S gemmer"):
            assert words in screen_text(app), words
        app.screen.query_one("#note-private").focus()
        await pilot.press("space")
        await pilot.pause()
        assert "X" in switch_line()
        app.screen.query_one(TextArea).text = "Ring \x1b[2J til lægen"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)  # refused, with the reason
        assert "styretegn" in screen_text(app)
        app.screen.query_one(TextArea).text = "Ring til lægen"
        await pilot.press("ctrl+s")
        await pilot.pause()
    (note,) = db.notes([session.meeting.id], include_private=True)
    assert note.text == "Ring til lægen" and note.visibility == "private"


# -- settings on every screen, dialogs at 80×24 --------------------------------------------


async def test_f4_opens_settings_on_every_screen(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:

        async def settings_open() -> None:
            await pilot.press("f4")
            await pilot.pause()
            assert isinstance(app.screen, SettingsScreen), type(app.screen).__name__
            for words in ("Sprog", "Farvetema", "Blind vurdering", "Gem", "Fortryd"):
                assert words in screen_text(app), words
            await pilot.press("escape")
            await pilot.pause()

        await pilot.pause()
        await settings_open()  # the desk
        app.open_citizen(cid)
        await pilot.pause()
        await settings_open()  # the citizen
        app.open_meeting(cid)
        await pilot.pause()
        await settings_open()  # the opening
        await pilot.press("enter")
        await pilot.pause()
        await settings_open()  # the meeting
        await pilot.press("r")
        await pilot.pause()
        await settings_open()  # the review
        await pilot.press("escape", "escape")
        await pilot.pause()
        await settings_open()  # the pause screen
        await pilot.press("escape", "n")
        await pilot.pause()
        await settings_open()  # a dialog (the note)


async def test_language_changed_in_settings_keeps_the_citizen_open(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_citizen(cid)
        await pilot.pause()
        await pilot.press("f4", "right", "ctrl+s")  # Dansk -> English
        await pilot.pause()
        assert isinstance(app.screen, CitizenScreen) and app.screen.citizen_id == cid
        assert "Completed meetings" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CitizensScreen)
        assert "Anna Testesen" not in screen_text(app)  # blank after the citizen, as always


async def test_reassign_and_confirm_fit_80x24_with_marked_buttons(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_citizen(cid)
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        text = screen_text(app)
        for words in ("Initialer", "Navn", "kun hvis ny", "Flyt borgeren", "Fortryd", "22"):
            assert words in text, words
        await pilot.press("escape")
        app.open_meeting(cid)
        await pilot.pause()
        await pilot.press("enter", "escape", "q")  # pause, then leave: the question
        await pilot.pause()
        assert "▶ Ja ◀" in screen_text(app)  # the focused button reads without colour
        await pilot.press("tab")
        await pilot.pause()
        assert "▶ Nej ◀" in screen_text(app) and "▶ Ja ◀" not in screen_text(app)


# -- footers at 120 columns ----------------------------------------------------------------


def _footer_fits(app) -> None:
    """Every key the screen shows in its footer is there in full on the last line."""
    shown = [
        b
        for b in {a.binding.action: a.binding for a in app.screen.active_bindings.values()}.values()
        if b.show
    ]
    line = screen_text(app).splitlines()[-1]
    for binding in shown:
        item = f"{app.get_key_display(binding)} {binding.description}"
        assert item in line, (item, line)
    assert "Alle handlinger" in line


async def test_danish_footers_fit_120_columns(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        _footer_fits(app)  # the desk
        app.open_citizen(cid)
        await pilot.pause()
        _footer_fits(app)
        await pilot.press("h")
        await pilot.pause()
        _footer_fits(app)  # the handover
        await pilot.press("escape")
        app.open_meeting(cid)
        await pilot.pause()
        await pilot.press("enter", "escape")
        await pilot.pause()
        _footer_fits(app)  # the pause screen


async def test_a_narrow_footer_leaves_keys_out_rather_than_cutting_them(app, ws, db):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        line = screen_text(app).splitlines()[-1]
        # A key is left out: the palette key says "Mere", to leave the screen's keys room.
        assert "F6 Mine borgere" in line and line.rstrip().endswith("^p Mere")
        keys = [k for k in app.screen.query("FooterKey") if not k.has_class("-command-palette")]
        for key in keys:
            assert f"{key.key_display} {key.description}" in line
        assert len(keys) < len([b for b in app.screen.active_bindings.values() if b.binding.show])


async def test_at_80_columns_the_review_shows_how_to_finish(app, ws, db):
    """The review's keys at 80×24: with the palette key in a word, "f Afslut samtalen"
    fits beside the plan – the key the caseworker ends the meeting with."""
    from .test_meeting_screen import open_meeting

    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(app, pilot, cid)
        await pilot.press("r")
        await pilot.pause()
        line = screen_text(app).splitlines()[-1]
        assert "l Plan" in line and "f Afslut samtalen" in line, line
        assert line.rstrip().endswith("^p Mere") and len(line.rstrip()) <= 80
