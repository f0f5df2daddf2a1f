"""Warm, while the caseworker is still on the desk, what the first meeting needs.

The first time Textual shows a screen with its own style sheet it reads that sheet,
parses every style sheet again and restyles every widget of the app — a third of a
second on the first key of a first meeting (the opening's Enter). Loading those
sheets once, soon after start-up while nothing waits, leaves each screen's first
push only its own widgets to build. The conversation prompts are compiled then too
(in a worker thread: no widget is touched)."""

from __future__ import annotations

import importlib
import inspect
from pathlib import Path
from typing import Any

from textual.app import App
from textual.screen import Screen

from bip_talk import render

# The screens of a meeting, in the order a caseworker meets them.
SCREENS = (
    ("bip_talk.ui.screens.citizen", "CitizenScreen"),
    ("bip_talk.ui.screens.handover", "HandoverScreen"),
    ("bip_talk.ui.screens.opening", "OpeningScreen"),
    ("bip_talk.ui.screens.meeting", "MeetingScreen"),
    ("bip_talk.ui.screens.review", "ReviewScreen"),
    ("bip_talk.ui.screens.plan", "PlanScreen"),
)


def css_paths(screen: type[Screen[object]]) -> list[Path]:
    """The style sheets a screen class names, resolved as Textual resolves them (beside
    the module that defines the class), so Textual finds them already read."""
    named = screen.CSS_PATH if isinstance(screen.CSS_PATH, list) else [screen.CSS_PATH]
    base = Path(inspect.getfile(screen)).parent
    return [(base / p).resolve() for p in named if p]


def warm_styles(app: App[Any]) -> int:
    """Read every meeting screen's style sheet now and restyle once; returns how many
    sheets were new (0: nothing to do, nothing restyled)."""
    return load_sheets(
        app,
        [
            path
            for module, name in SCREENS
            for path in css_paths(getattr(importlib.import_module(module), name))
        ],
    )


def load_sheets(app: App[Any], paths: list[Path]) -> int:
    """Read the sheets the app has not read yet and restyle once; how many were new."""
    sheet = app.stylesheet
    new = 0
    for path in paths:
        if not sheet.has_source(str(path), ""):
            sheet.read(path)
            new += 1
    if new:
        sheet.reparse()
        sheet.update(app)
    return new


def warm_prompts(lang: str) -> int:
    """Compile the conversation prompts (thread-safe: jinja2 caches under a lock)."""
    return render.warm("conversation", lang)
