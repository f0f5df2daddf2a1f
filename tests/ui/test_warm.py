"""What the first meeting needs is warmed while the desk is shown: the meeting screens'
style sheets are read once (a screen's first push then restyles nothing app-wide) and
the conversation prompts compiled; a broken prompt is left for its render to report."""

from __future__ import annotations

from pathlib import Path

from bip_talk import render
from bip_talk.resources import prompts_dir
from bip_talk.ui import warm
from bip_talk.ui.screens.meeting import MeetingScreen
from bip_talk.ui.screens.opening import OpeningScreen

from .conftest import add_history


def test_css_paths_are_the_screens_own_sheets() -> None:
    screens = Path(warm.__file__).parent / "screens"
    assert warm.css_paths(OpeningScreen) == [(screens / "opening.tcss").resolve()]
    assert warm.css_paths(MeetingScreen) == [(screens / "meeting.tcss").resolve()]


async def test_the_app_reads_the_meeting_sheets_before_the_first_meeting(app, ws) -> None:
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(2 * 0.4 + 0.3)  # the warm-up runs after the pack's
        sheet = app.stylesheet
        for screen in (OpeningScreen, MeetingScreen):
            assert all(sheet.has_source(str(p), "") for p in warm.css_paths(screen))
        assert warm.warm_styles(app) == 0  # all read: nothing restyled again
        reparsed: list[int] = []
        reparse = sheet.reparse
        sheet.reparse = lambda: (reparsed.append(1), reparse())[1]  # type: ignore[method-assign]
        app.open_meeting(cid)
        await pilot.pause()
        app.screen.dismiss("start")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert reparsed == []  # the first push of each screen parsed no style sheet


def test_prompts_compile_ahead_and_a_broken_one_is_skipped(tmp_path, monkeypatch) -> None:
    count = len(list((prompts_dir() / "da" / "conversation").glob("*.txt")))
    assert count and render.warm("conversation", "da") == count
    (tmp_path / "da" / "conversation").mkdir(parents=True)
    (tmp_path / "da" / "conversation" / "ok.txt").write_text("Hej {{ name }}")
    (tmp_path / "da" / "conversation" / "broken.txt").write_text("{% if %}")
    env = render.environment(tmp_path)
    monkeypatch.setattr(render, "prompts_dir", lambda: tmp_path)
    monkeypatch.setattr(render, "environment", lambda root=None: env)
    assert render.warm("conversation", "da") == 1  # ok.txt; broken.txt left for render
