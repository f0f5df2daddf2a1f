"""Key descriptions in the user's language wherever Textual shows them (footer, palette),
through the public ``Screen.active_bindings``; a binding remapped by its id keeps its
words and works under the new key."""

from __future__ import annotations

from textual.widgets import Footer

from bip_talk.i18n import Translator
from bip_talk.ui.screens.citizen import CitizenScreen
from bip_talk.ui.screens.opening import OpeningScreen

from .conftest import add_history
from .screen_text import screen_text


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


async def _palette_shows(app, pilot, words: str) -> str:
    """The screen's text once ``words`` is on it (the palette searches in the background)."""
    for _ in range(40):
        await pilot.pause(0.05)
        text = screen_text(app)
        if words in text:
            return text
    raise AssertionError(f"{words!r} never shown:\n{screen_text(app)}")


async def test_a_palette_search_that_finds_nothing_says_so_in_danish(app, ws):
    """Textual's palette wrote "No matches found"; ours names the word and offers the
    screen's help, which Enter opens."""
    from textual.command import CommandPalette

    from bip_talk.ui.screens.help import HelpScreen

    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", *"xyzzy")
        text = await _palette_shows(app, pilot, "Ingen handling passer til «xyzzy»")
        assert "Prøv et andet ord – eller ⏎ for alle taster" in text
        await pilot.pause(0.7)  # past Textual's own countdown to "No matches found"
        assert "No matches" not in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
        assert not CommandPalette.is_open(app)
        assert isinstance(app.screen, HelpScreen)


async def test_the_palette_finds_an_action_by_its_key_and_shows_brackets_plainly(app, ws):
    """Typing the key whole ("f6") finds its action; a search with markup in it is shown
    as typed (the no-match line once went through Textual's markup parser)."""
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p", "f", "6")
        text = await _palette_shows(app, pilot, "Tast: F6")
        assert "Ingen handling" not in text
        for _ in "f6":
            await pilot.press("backspace")
        await pilot.press(*"[b]x[/]")
        await _palette_shows(app, pilot, "Ingen handling passer til «[b]x[/]»")
