"""Key descriptions in the user's language wherever Textual shows them (footer, palette),
through the public ``Screen.active_bindings``; a binding remapped by its id keeps its
words and works under the new key."""

from __future__ import annotations

from textual.widgets import Footer

from bip_talk.i18n import Translator
from bip_talk.ui.screens.citizen import CitizenScreen
from bip_talk.ui.screens.opening import OpeningScreen

from .conftest import add_history


def footer_text(app) -> str:
    footer = app.screen.query_one(Footer)
    return " ".join(str(key.render()) for key in footer.query("FooterKey"))


async def test_footer_palette_and_remapped_keys_speak_the_language(app, ws):
    cid = add_history(ws)
    t = Translator("da")
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        app.open_citizen(cid)
        await pilot.pause()
        assert isinstance(app.screen, CitizenScreen)
        shown = footer_text(app)
        assert t("keys.meeting") in shown and t("keys.curtain") in shown  # screen + app
        assert "keys." not in shown
        described = [a.binding.description for a in app.screen.active_bindings.values()]
        assert described and not any(d.startswith("keys.") for d in described)
        palette = {c.title for c in app.get_system_commands(app.screen)}
        assert t("keys.reassign") in palette
        app.set_keymap({"meeting": "g"})  # remapped by its id (settings.toml can)
        await pilot.pause()
        active = app.screen.active_bindings
        assert "m" not in active
        assert active["g"].binding.description == t("keys.meeting")
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)


async def test_english_footer(tmp_path):
    from bip_talk.services.workstation import Workstation
    from bip_talk.settings import Preferences, Settings
    from bip_talk.ui.app import make_app

    settings = Settings(data_dir=tmp_path / "d", db_path=tmp_path / "a.db", language="en")
    ws = Workstation(settings, Preferences(caseworker_name="T", caseworker_initials="TS"))
    cid = add_history(ws)
    app = make_app(ws)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        app.open_citizen(cid)
        await pilot.pause()
        assert "Start/resume meeting" in footer_text(app)
    ws.close()


async def test_the_palette_speaks_danish_on_the_desk_too(app, ws):
    """With the search field focused, Textual's own hidden bindings ("Move cursor left",
    "Copy selected text") once reached the palette in English: now copying is offered in
    Danish, the rest is left out, and the palette's search field has our words."""
    from textual.command import CommandPalette
    from textual.widgets import Input

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, Input)  # the desk's search field
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Kopiér markeret tekst" in titles and "Hjælp" in titles
        helps = {c.title: c.help for c in app.get_system_commands(app.screen)}
        assert helps["Hjælp"] == "Tast: F1"  # the key as the footer writes it
        english = {"Copy selected text", "Move cursor left", "Delete character left"}
        assert not english & set(titles), titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert CommandPalette.is_open(app)
        assert app.screen.query_one("CommandInput", Input).placeholder == "Søg efter en handling…"
