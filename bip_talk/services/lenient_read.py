"""Reads that survive a text cell which is not UTF-8: the result, read with
replacement characters, and a line for each such cell saying where it is."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from bip_talk.i18n import Translator
from bip_talk.store import Store
from bip_talk.store.text_cells import tolerant

R = TypeVar("R")


def read_leniently(store: Store, t: Translator, read: Callable[[], R]) -> tuple[R, list[str]]:
    result, cells = tolerant(store.db, read)
    return result, [t("store.bad_text", table=c.table, row=c.row, column=c.column) for c in cells]
