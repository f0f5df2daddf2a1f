"""One place that knows the time, so tests and snapshots can freeze it."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime


def now() -> datetime:
    frozen = os.environ.get("BIP_TALK_FROZEN_TIME")
    if frozen:
        return datetime.fromisoformat(frozen).astimezone(UTC)
    return datetime.now(UTC)


def now_iso() -> str:
    return now().isoformat(timespec="seconds")


def today() -> date:
    return now().date()
