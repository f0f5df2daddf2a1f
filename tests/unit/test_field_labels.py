"""A dialog's field labels fit their column in both languages: "Hvad skete der" used to
wrap as "Hvad skete" / "der" beside its field, at every size."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bip_talk.i18n import Translator

UI = Path(__file__).resolve().parents[2] / "bip_talk" / "ui"


def _label_room() -> int:
    """The label column's width less its right padding (app.tcss, ``.field-label``)."""
    css = (UI / "app.tcss").read_text(encoding="utf-8")
    rule = re.search(r"^\.field-label \{ width: (\d+); padding: \d+ (\d+)", css, re.M)
    assert rule, "app.tcss: .field-label has changed shape"
    return int(rule[1]) - int(rule[2])


def _label_keys() -> set[str]:
    """Every catalog key the screens pass to ``field_row`` as its label."""
    pattern = re.compile(r'field_row\(\s*(?:self\.)?t\("([a-z_.]+)"\)')
    return {
        key
        for source in UI.rglob("*.py")
        for key in pattern.findall(source.read_text(encoding="utf-8"))
    }


def test_every_field_row_label_is_found():
    # field_row is called 18 times in the screens; most with a label from the catalog.
    assert len(_label_keys()) >= 15


@pytest.mark.parametrize("lang", ["da", "en"])
def test_field_labels_fit_their_column(lang):
    t, room = Translator(lang), _label_room()
    too_long = {key: t(key) for key in _label_keys() if len(t(key)) > room}
    assert not too_long, f"longer than {room} characters: {too_long}"
