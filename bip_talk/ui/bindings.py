"""Binding descriptions are catalog keys (``keys.next``); each screen translates its
own copy when it is created, so the footer, help and palette speak the user's language."""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from bip_talk.i18n import Translator


def translate_bindings(node: DOMNode, t: Translator) -> None:
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [
            replace(
                b,
                description=t(b.description)
                if b.description.startswith("keys.")
                else b.description,
                tooltip=t(b.tooltip) if b.tooltip.startswith("keys.") else b.tooltip,
            )
            for b in bindings
        ]
