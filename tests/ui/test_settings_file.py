"""settings.toml in the app: keys remapped by binding id (footer, help and the key
itself follow), and a file that cannot be used is explained and offered to be set
aside as settings.toml.bad – or left alone, closing the app with exit 2."""

from __future__ import annotations

from pathlib import Path

from bip_talk.services.workstation import Workstation
from bip_talk.settings import Preferences, Settings, save_preferences
from bip_talk.ui.app import make_app
from bip_talk.ui.screens.citizens import CitizensScreen
from bip_talk.ui.screens.confirm import ConfirmScreen
from bip_talk.ui.screens.help import HelpScreen
from bip_talk.ui.screens.meeting import MeetingScreen
from bip_talk.ui.screens.new_citizen import NewCitizenScreen
from bip_talk.ui.screens.note import NoteScreen
from bip_talk.ui.screens.sign_in import SignInScreen

from .conftest import add_history, direct
from .screen_text import widget_text


def _workstation(tmp_path: Path, content: bytes | None = None, **prefs) -> Workstation:
    settings = Settings(data_dir=tmp_path / "data", db_path=tmp_path / "app.db", language="en")
    settings.data_dir.mkdir(mode=0o700, exist_ok=True)
    if content is not None:
        settings.preferences_file.write_bytes(content)
    else:
        save_preferences(
            settings.preferences_file,
            Preferences(caseworker_name="T", caseworker_initials="TS", **prefs),
        )
    return Workstation(settings)


def _footer_keys(screen) -> dict[str, str]:
    return {k.description: k.key_display for k in screen.query("FooterKey")}


def _text(screen) -> str:
    return widget_text(screen, hidden=True)


async def test_a_remapped_key_works_and_shows_in_footer_and_help(tmp_path: Path) -> None:
    ws = _workstation(
        tmp_path, keymap={"note": "ctrl+n", "new-citizen": "f6", "help": "f1,question_mark"}
    )
    cid = add_history(ws)
    app = make_app(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CitizensScreen)
        assert _footer_keys(app.screen)["New citizen"] == "F6"
        await pilot.press("f2")  # the old key does nothing now
        await pilot.pause()
        assert isinstance(app.screen, CitizensScreen)
        await pilot.press("f6")
        await pilot.pause()
        assert isinstance(app.screen, NewCitizenScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "F6       create a new citizen" in _text(app.screen)
        await pilot.press("escape")
        app.open_meeting(cid)
        await pilot.pause()
        app.screen.dismiss("start")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert _footer_keys(app.screen)["Note"] == "^n"
        await pilot.press("question_mark")
        await pilot.pause()
        assert "^n       write a note" in _text(app.screen)
        assert "1–5" in _text(app.screen)  # unmapped ranges keep their short form
        await pilot.press("escape")
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
    ws.close()


async def test_an_unknown_binding_id_is_named_and_offered_to_be_set_aside(tmp_path: Path) -> None:
    ws = _workstation(tmp_path, b'caseworker_initials = "TS"\n[keymap]\nnotes = "ctrl+n"\n')
    file = ws.settings.preferences_file
    app = make_app(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        text = _text(app.screen)
        assert f"{file}: keymap.notes: no key binding has this id" in text
        assert "settings.toml.bad" in text
        await pilot.press("y")
        await pilot.pause()
        # Defaults: nobody is signed in any more, so the app asks who you are.
        assert isinstance(app.screen, SignInScreen)
    assert not file.exists()
    assert (file.parent / "settings.toml.bad").read_bytes().endswith(b'notes = "ctrl+n"\n')
    ws.close()


async def test_a_bad_key_name_is_named(tmp_path: Path) -> None:
    ws = _workstation(tmp_path, b'caseworker_initials = "TS"\n[keymap]\nnote = "ctrl+shft+n"\n')
    app = make_app(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "keymap.note: 'ctrl+shft+n' is not a key" in _text(app.screen)
    ws.close()


async def test_a_wrong_type_answered_no_closes_with_exit_2_and_leaves_the_file(
    tmp_path: Path,
) -> None:
    content = b'caseworker_initials = "TS"\ntheme = 5\n'
    ws = _workstation(tmp_path, content)
    file = ws.settings.preferences_file
    app = make_app(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert f"{file}: theme: must be a text in quotes, but is a number" in _text(app.screen)
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 2
    assert f"{file}: theme:" in str(app.return_value)
    assert file.read_bytes() == content
    assert sorted(p.name for p in file.parent.iterdir()) == ["settings.toml"]
    ws.close()


async def test_invalid_utf8_answered_yes_starts_with_defaults_and_keeps_the_file(
    tmp_path: Path,
) -> None:
    content = b'caseworker_name = "\xff\xfe"\n'
    ws = _workstation(tmp_path, content)
    file = ws.settings.preferences_file
    app = make_app(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "not saved as UTF-8" in _text(app.screen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, SignInScreen)
        await pilot.press(*"Kim", "enter", *"KK", "enter")
        await pilot.pause()
        assert isinstance(app.screen, CitizensScreen)
    assert (file.parent / "settings.toml.bad").read_bytes() == content
    # The next change wrote a fresh, private settings.toml.
    assert file.stat().st_mode & 0o777 == 0o600
    assert b'caseworker_initials = "KK"' in file.read_bytes()
    ws.close()


async def test_the_next_key_hint_in_a_meeting_follows_the_keymap(tmp_path: Path) -> None:
    from textual.widgets import Static

    ws = _workstation(tmp_path, keymap={"next": "j"})
    cid = add_history(ws)
    app = make_app(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        app.screen.dismiss("start")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("2", "3")  # both sides answer the first topic
        await pilot.pause()
        line = str(app.screen.query_one("#reveal-line", Static).render())
        assert "j: next topic" in line and "⏎" not in line
        await pilot.press("j")
        await pilot.pause()
        assert app.screen.session.step == 1


async def test_the_hints_in_lines_and_dialogs_name_the_remapped_keys(tmp_path: Path) -> None:
    """The footer and the help followed the keymap, but the hint lines said "Ctrl+S
    saves · Esc cancels", "1 done", "Press F12" whatever the keys were."""
    from bip_talk.ui.screens.curtain import CurtainScreen
    from bip_talk.ui.screens.opening import OpeningScreen

    keymap = {"save": "f2", "cancel": "ctrl+g", "outcome-done": "g", "curtain": "f11"}
    ws = _workstation(tmp_path, keymap=keymap)
    cid = add_history(ws)
    with direct(ws) as store:
        last = store.meetings_for(cid)[-1]
        cw = store.caseworker_by_initials("TS")
        store.add_plan_item(cid, actor=cw.id, meeting_id=last.id, kind="other", title="Ring")
    app = make_app(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        hint = " ".join(_text(app.screen).split())
        assert "g done" in hint and "1 done" not in hint, hint
        await pilot.press("f11")
        await pilot.pause()
        assert isinstance(app.screen, CurtainScreen)
        assert "Press F11 to continue." in " ".join(_text(app.screen).split())
        await pilot.press("f11")
        await pilot.pause()
        await pilot.press("enter")  # to the questions
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        text = " ".join(_text(app.screen).split())
        assert "F2 saves · Ctrl+G cancels" in text and "Ctrl+S" not in text, text
