"""What holds on every screen: the curtain, the language, the theme, the palette,
sign-in and switching user."""

from __future__ import annotations

from textual.color import Color
from textual.css.stylesheet import Stylesheet

from bip_talk.services.workstation import Workstation
from bip_talk.settings import Preferences, Settings
from bip_talk.ui.app import make_app
from bip_talk.ui.screens.citizens import PAGE, CitizensScreen
from bip_talk.ui.screens.curtain import CurtainScreen
from bip_talk.ui.screens.meeting import MeetingScreen

from .conftest import add_history, workstation_for
from .screen_text import wait_for_text, widget_text


def visible_text(screen) -> str:
    return widget_text(screen)


async def test_curtain_blanks_every_screen_and_comes_back(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for opener in (
            lambda: None,
            lambda: app.open_citizen(cid),
            lambda: app.open_meeting(cid),
            lambda: app.screen.dismiss("start"),
        ):
            opener()
            await pilot.pause()
            below = app.screen
            await pilot.press("f12")
            await pilot.pause()
            assert isinstance(app.screen, CurtainScreen)
            text = visible_text(app.screen)
            assert "skjult" in text
            assert "Anna" not in text and cid not in text
            await pilot.press("f12")
            await pilot.pause()
            assert app.screen is below
        # The curtain also covers a dialog (e.g. writing a note).
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("f12")
        await pilot.pause()
        assert isinstance(app.screen, CurtainScreen)


async def test_english_everywhere(tmp_path):
    settings = Settings(data_dir=tmp_path / "d", db_path=tmp_path / "a.db", language="en")
    ws = Workstation(settings, Preferences(caseworker_name="T", caseworker_initials="TS"))
    cid = add_history(ws)
    app = make_app(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_text(pilot, "Signed in as")  # the database opens in the background
        app.open_meeting(cid)
        await pilot.pause()
        assert "Opening" in visible_text(app.screen)
        await pilot.press("enter")
        await pilot.pause()
        text = visible_text(app.screen)
        assert "I know how to look after my health" in text
        assert "Not true at all" in text
        assert "Passer" not in text
    ws.close()


async def test_high_contrast_theme_from_settings(tmp_path):
    ws = workstation_for(
        tmp_path, Preferences(caseworker_name="T", caseworker_initials="TS", theme="high-contrast")
    )
    app = make_app(ws)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.theme == "bip-high-contrast"
    ws.close()


def _count_reparses(monkeypatch) -> list[int]:
    real, calls = Stylesheet.reparse, []

    def reparse(self):
        calls.append(1)
        return real(self)

    monkeypatch.setattr(Stylesheet, "reparse", reparse)
    return calls


async def test_the_theme_from_settings_is_in_place_before_any_style_is_parsed(
    tmp_path, monkeypatch
):
    """Start-up parses the style sheets once, already in the settings' theme (a theme set
    once the app runs has Textual parse them all twice more), and the screen shows it."""
    reparses = _count_reparses(monkeypatch)
    for name, theme, background in (
        ("high-contrast", "bip-high-contrast", "#000000"),
        ("standard", "bip-standard", "#15191E"),
    ):
        prefs = Preferences(caseworker_name="T", caseworker_initials="TS", theme=name)
        ws = workstation_for(tmp_path / name, prefs)
        app = make_app(ws)
        assert app.theme == theme and f"-theme-{theme}" in app.classes
        async with app.run_test() as pilot:
            await pilot.pause()
            assert isinstance(app.screen, CitizensScreen)
            assert app.screen.styles.background == Color.parse(background)
        ws.close()
    assert reparses == []


async def test_changing_the_theme_later_restyles_the_screen(tmp_path, monkeypatch):
    reparses = _count_reparses(monkeypatch)
    ws = workstation_for(tmp_path)
    app = make_app(ws)
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.screen.styles.background == Color.parse("#15191E")
        app.apply_preferences(
            Preferences(caseworker_name="T", caseworker_initials="TS", theme="high-contrast")
        )
        await pilot.pause()
        assert app.theme == "bip-high-contrast"
        assert app.screen.styles.background == Color.parse("#000000")
    assert reparses == [1]
    ws.close()


async def test_first_run_asks_who_you_are_and_remembers(tmp_path):
    settings = Settings(data_dir=tmp_path / "d", db_path=tmp_path / "a.db")
    app = make_app(Workstation(settings))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"Mette Lund", "enter", *"ml", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CitizensScreen)
        assert app.caseworker.initials == "ML"
    again = Workstation(settings)
    assert again.preferences.caseworker_initials == "ML"
    assert again.open().actor.name == "Mette Lund"
    again.close()


async def test_switch_user_and_meeting_records_caseworker(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press(*"Ole Vikar", "enter", *"ov", "enter")
        await pilot.pause()
        assert app.caseworker.initials == "OV"
        app.open_meeting(cid)
        await pilot.pause()
        meeting = app.screen.session.meeting  # the opening screen holds the same session
        assert db.caseworker(meeting.caseworker_id).initials == "OV"


async def test_new_citizen_refuses_cpr_number(app, ws, db):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press(*"010203-1234", "enter")
        await pilot.pause()
        assert "CPR" in visible_text(app.screen)
        assert db.count_citizens() == 0


async def test_search_as_you_type_filters_and_pages(app, ws, db):
    cw = db.ensure_caseworker("TS", "Test")
    for n in range(60):
        db.create_citizen(f"Borger {n:02d}", caseworker_id=cw.id)
    db.create_citizen("Zenia Unik", caseworker_id=cw.id)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert screen.rows == []  # nobody named before the caseworker asks
        await pilot.press("f6")  # their own caseload: a page, never everything
        await pilot.pause()
        assert len(screen.rows) == PAGE
        await pilot.press("pagedown")
        await pilot.pause()
        assert len(screen.rows) == PAGE
        await pilot.press("f6")  # again: back to searching everyone
        await pilot.press(*"zenia")
        await pilot.pause()
        assert [r.id for r in screen.rows] == [db.search_citizens("zenia")[0].id]
        await pilot.press("enter")
        await pilot.pause()
        assert "Zenia Unik" in visible_text(app.screen)


async def test_palette_lists_screen_actions_in_danish(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Vurdér", "Vil ikke svare", "Note", "Overblik", "Skjul skærm"} <= set(titles)


async def test_broken_pack_ends_the_app_with_its_message(tmp_path):
    import shutil

    from bip_talk.errors import PackError
    from bip_talk.resources import default_pack_dir

    broken = tmp_path / "pack"
    shutil.copytree(default_pack_dir(), broken)
    (broken / "citizen.toml").write_text("perspective = [", encoding="utf-8")
    settings = Settings(data_dir=tmp_path / "d", db_path=tmp_path / "a.db", pack_dir=broken)
    app = make_app(
        Workstation(settings, Preferences(caseworker_name="T", caseworker_initials="TS"))
    )
    async with app.run_test() as pilot:
        await pilot.pause(0.5)
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert isinstance(app.return_value, PackError)
    assert "citizen.toml:1" in str(app.return_value)
    assert app.return_code == 2


async def test_f5_switches_to_the_demo_database_and_leaves_the_real_one(app, ws, db):
    # ``db``: an empty real database
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "Velkommen" in visible_text(app.screen)
        await pilot.press("f5")
        await pilot.pause()
        assert app.is_demo
        assert app.workstation.database_path.name == "demo.db"
        assert app.screen.rows == []  # the demo names nobody before asked, either
        assert "DEMO" in visible_text(app.screen)
        await pilot.press("f9")  # the hand-shaped citizens, each with what it shows
        await pilot.pause()
        assert len(app.screen.rows) == 7
        assert "Jonas Faldborg" in app.screen.rows[1].text
    from bip_talk.store import Store, open_database

    real = Store(open_database(ws.database_path))
    assert real.count_citizens() == 0
    real.close()
