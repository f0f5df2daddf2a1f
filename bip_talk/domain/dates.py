"""Reading the ISO dates and timestamps the store keeps."""

from __future__ import annotations

from datetime import date


def parse_day(text: str | None) -> date | None:
    """The day of an ISO date or timestamp; None when empty or not a date."""
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None
