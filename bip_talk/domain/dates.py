"""Reading the ISO dates and timestamps the store keeps, and the dates people type."""

from __future__ import annotations

import re
from datetime import date

# As the screens show a date (18.08.2026; 18.8.2026 too), and the ISO form (2026-08-18).
_SHOWN = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def parse_day(text: str | None) -> date | None:
    """The day of an ISO date or timestamp; None when empty or not a date."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def read_day(text: str) -> date | None:
    """A date as a person types it: dd.mm.åååå, the form the screens show, or
    ÅÅÅÅ-MM-DD. None when it is neither, or names no real day (31.02.2026)."""
    text = text.strip()
    if shown := _SHOWN.fullmatch(text):
        day, month, year = (int(x) for x in shown.groups())
    elif iso := _ISO.fullmatch(text):
        year, month, day = (int(x) for x in iso.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def entry_text(iso: str | None) -> str:
    """A stored date as it goes into a field to edit: dd.mm.åååå ("" for none)."""
    day = parse_day(iso)
    return f"{day:%d.%m.%Y}" if day else ""
