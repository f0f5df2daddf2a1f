"""A dialog's field: its label on the left, the input on the right, so a dialog with
four fields still fits 80×24 with its buttons in view."""

from __future__ import annotations

from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Static

from bip_talk.ui.text import plain


def field_row(label: str, field: Widget, *, hint: str = "") -> Horizontal:
    """``label`` beside ``field``; a short ``hint`` (e.g. "valgfrit") after it."""
    parts: list[Widget] = [Static(plain(label), classes="field-label"), field]
    if hint:
        parts.append(Static(plain(hint), classes="field-hint"))
    return Horizontal(*parts, classes="field-row")
