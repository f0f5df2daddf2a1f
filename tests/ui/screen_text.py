"""The screen as plain text, the way ``tmux capture-pane -p`` shows it: no colour, no
bold, only characters. What a test finds here, a caseworker without colour sees too.

Uses the same compositor call as ``App.export_screenshot`` (a private one: pinned by
this helper's own test, so a Textual upgrade that moves it fails loudly)."""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App
from textual.screen import Screen
from textual.widgets import Static

from bip_talk.ui.widgets.pane_lines import PaneLines


def screen_text(app: App[object]) -> str:
    width, height = app.size
    console = Console(
        width=width,
        height=height,
        file=io.StringIO(),
        force_terminal=True,
        color_system=None,
        record=True,
        legacy_windows=False,
        safe_box=False,
    )
    console.print(app.screen._compositor.render_update(full=True))
    return console.export_text(styles=False)


def highlighted_rows(text: str) -> list[str]:
    """Lines that carry the focus glyph."""
    return [line for line in text.splitlines() if "▶" in line]


def widget_text(screen: Screen[object], *, hidden: bool = False) -> str:
    """The text of every ``Static`` on the screen (only those shown, unless ``hidden``)
    and of every meeting pane's lines (drawn by one widget each, not by Statics)."""
    parts = [str(s.render()) for s in screen.query(Static) if hidden or s.display]
    parts += [text for lines in screen.query(PaneLines) for text in lines.texts]
    return "\n".join(parts)


async def wait_for_text(pilot, text: str, tries: int = 60) -> str:  # noqa: ANN001 - Pilot
    """The screen once ``text`` is on it (the app does some of its work in the
    background: opening the database, building a screen ahead), at most ``tries``
    pauses of 50 ms; otherwise the test fails with what was shown."""
    for _ in range(tries):
        await pilot.pause(0.05)
        shown = screen_text(pilot.app)
        if text in shown:
            return shown
    raise AssertionError(f"{text!r} not on screen:\n{screen_text(pilot.app)}")
