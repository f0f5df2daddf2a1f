"""Whether a file's rows come in the order of a key: while they do, none can repeat a
key before it, and the importer need not record the keys it has seen (an export's rows
come by id, its answers by meeting, perspective and item)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

FIRST: Any = object()  # no key yet in this file


def ascending(last: Any, keys: Sequence[tuple[Any, ...]]) -> tuple[bool, Any]:
    """Whether each of ``keys`` is above the one before (``last`` the key before them,
    or ``FIRST``), and the last key."""
    try:
        for key in keys:
            if last is not FIRST and not key > last:
                return False, last
            last = key
    except TypeError:  # None beside a value: no order to rely on
        return False, last
    return True, last
