"""Binding descriptions and tooltips are catalog keys (``keys.next``). Screens hand out
translated copies where Textual reads them, ``Screen.active_bindings`` (public API: the
footer, the key panel and the command palette all read it), so every binding speaks
the user's language and stays remappable by its id.

Textual's own hidden bindings (the field's "Move cursor left", the screen's "Copy
selected text") have English words: those the palette should offer get ours
(``TEXTUAL_WORDS``), the rest lose their words, so the palette – which lists every
binding with words – never shows English to a Danish user."""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from textual.binding import ActiveBinding, Binding

from bip_talk.i18n import Translator

PREFIX = "keys."
# Textual's hidden bindings worth a place in the palette, by action: our words for them.
TEXTUAL_WORDS = {"screen.copy_text": "keys.copy_text", "copy": "keys.copy_text"}


def _text(text: str, lang: str) -> str:
    return Translator(lang)(text) if text.startswith(PREFIX) else text


@lru_cache(maxsize=2048)
def translated(binding: Binding, lang: str) -> Binding:
    if not (binding.description.startswith(PREFIX) or binding.tooltip.startswith(PREFIX)):
        if binding.show or not binding.description:
            return binding
        words = TEXTUAL_WORDS.get(binding.action)
        return replace(binding, description=_text(words, lang) if words else "")
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
