"""Bulk work without the cyclic garbage collector.

Seeding and importing build millions of small tuples and dicts that hold no reference
cycles: reference counting frees them, and the collector's scans of everything alive
(which grows as the work goes on) only cost time, about a tenth of an import's.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
