"""The screen as plain text, the way ``tmux capture-pane -p`` shows it: no colour, no
bold, only characters. What a test finds here, a caseworker without colour sees too.

Uses the same compositor call as ``App.export_screenshot`` (a private one: pinned by
this helper's own test, so a Textual upgrade that moves it fails loudly)."""

from __future__ import annotations

import io

from rich.console import Console
from textual.app import App


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
