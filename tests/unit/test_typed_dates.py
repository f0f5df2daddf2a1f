"""Dates as people type them: the form the screens show (dd.mm.åååå) and the ISO form
(ÅÅÅÅ-MM-DD) both count; anything else, or a day that does not exist, is not a date."""

from __future__ import annotations

from datetime import date

import pytest

from bip_talk.domain.dates import entry_text, read_day
from bip_talk.i18n import format_date


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("15.12.2026", date(2026, 12, 15)),
        ("5.3.2027", date(2027, 3, 5)),
        (" 01.09.2026 ", date(2026, 9, 1)),
        ("2026-12-15", date(2026, 12, 15)),
    ],
)
def test_the_shown_form_and_iso_are_read(typed, day):
    assert read_day(typed) == day


@pytest.mark.parametrize(
    "typed", ["31.02.2026", "15/12", "15.12.26", "2026-2-5", "20261215", "i morgen", "", "15.12"]
)
def test_anything_else_is_not_a_date(typed):
    assert read_day(typed) is None


def test_a_field_shows_a_stored_date_the_way_the_screens_do():
    assert entry_text("2026-12-15") == "15.12.2026" == format_date("2026-12-15", "da")
    assert read_day(entry_text("2027-01-05")) == date(2027, 1, 5)  # back as it went in
    assert entry_text(None) == entry_text("") == ""
