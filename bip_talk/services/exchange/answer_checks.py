"""The checks of one imported answer against the pack: its perspective, its item, and
whether its value, choices and text fit that item.

They look at the row alone, so the reader process can run them too (``ready_answers``):
the importer and the reader then agree on every answer, and the importer words the
problems.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bip_talk.domain.pack import Item, Pack

# A problem of the row: the field, the catalog key (``exchange.<key>``) and its values.
Problem = tuple[str, str, dict[str, Any]]


def known_codes(known: Iterable[str]) -> str:
    """The codes an ``unknown_code`` message offers instead, sorted ("-": none)."""
    return ", ".join(sorted(known)) or "-"


class AnswerChecks:
    def __init__(self, pack: Pack, allow_items: set[str]) -> None:
        self.pack = pack
        self.allow_items = allow_items
        self.perspectives = [p.id for p in pack.perspectives]
        self._items: dict[tuple[str, str], Item | None] = {}

    def item(self, perspective: str, item_id: str) -> Item | None:
        key = (perspective, item_id)
        if key not in self._items:
            self._items[key] = self.pack.item(perspective, item_id)
        return self._items[key]

    def problems(self, r: dict[str, Any]) -> list[Problem]:
        """What is wrong with answer ``r`` (its types checked), in the order the
        importer reports it; empty for a good answer."""
        perspective, item_id = r["perspective"], r["item_id"]
        value, choices = r["value"], r["choices"]
        if perspective not in self.perspectives:
            known = known_codes(self.perspectives)
            return [("perspective", "unknown_code", {"value": perspective, "known": known})]
        found: list[Problem] = []
        if r["declined"] and (value is not None or choices or r["text"]):
            found.append(("declined", "declined_with_answer", {}))
        item = self.item(perspective, item_id)
        if item is None:
            if item_id not in self.allow_items:
                known = ", ".join(i.id for i in self.pack.items(perspective))
                ctx = {"value": item_id, "perspective": perspective, "known": known}
                found.append(("item_id", "unknown_item", ctx))
            return found
        if item.type != "scale" and value is not None:
            found.append(("value", "value_not_scale", {"item": item.id}))
        if item.type != "multi" and choices:
            found.append(("choices", "choices_not_multi", {"item": item.id}))
        if item.type == "multi" and choices:
            options = {o.id for o in item.options}
            known = ", ".join(o.id for o in item.options)
            found.extend(
                ("choices", "unknown_option", {"value": c, "item": item.id, "known": known})
                for c in choices
                if c not in options
            )
        return found
