"""Binding descriptions and tooltips are catalog keys (``keys.next``). Screens hand out
translated copies where Textual reads them, ``Screen.active_bindings`` (public API: the
footer, the key panel and the command palette all read it), so every binding speaks
the user's language and stays remappable by its id."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from textual.binding import ActiveBinding, Binding

from bip_talk.i18n import Translator

PREFIX = "keys."


def _text(text: str, lang: str) -> str:
    return Translator(lang)(text) if text.startswith(PREFIX) else text


@lru_cache(maxsize=2048)
def translated(binding: Binding, lang: str) -> Binding:
    if not (binding.description.startswith(PREFIX) or binding.tooltip.startswith(PREFIX)):
        return binding
    return replace(
        binding,
        description=_text(binding.description, lang),
        tooltip=_text(binding.tooltip, lang),
    )


def translate_active(active: dict[str, ActiveBinding], lang: str) -> dict[str, ActiveBinding]:
    return {
        key: ActiveBinding(a.node, translated(a.binding, lang), a.enabled, _text(a.tooltip, lang))
        for key, a in active.items()
    }
