"""The [keymap] check: every id the screens declare is remappable, key names are
Textual's, and any table of strings gives problems or none – never an exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bip_talk.i18n import Translator
from bip_talk.ui.keymap import BINDING_IDS, is_key, keymap_problems

from .binding_ids import declared_binding_ids

FILE = Path("/home/kk/.local/share/bip-talk/settings.toml")


def test_every_declared_binding_id_is_remappable_and_no_other() -> None:
    assert declared_binding_ids() == set(BINDING_IDS)


@pytest.mark.parametrize(
    "key",
    [
        "n",
        "N",
        "9",
        "?",
        "ø",
        "f6",
        "ctrl+n",
        "ctrl+shift+x",
        "question_mark",
        "plus",
        "full_stop",
        "enter",
        "escape",
        "space",
        "pagedown",
        "alt+enter",
        "super+s",
    ],
)
def test_keys_textual_can_deliver(key: str) -> None:
    assert is_key(key)


@pytest.mark.parametrize(
    "key", ["", " ", "ctrl+", "+", "ctrl+shft+n", "foo", "page_down", "f 6", "control+n", "\x1b"]
)
def test_not_keys(key: str) -> None:
    assert not is_key(key)


def test_problems_name_the_file_and_the_id() -> None:
    t = Translator("en")
    problems = keymap_problems({"notes": "n", "note": "ctrl+nn", "help": "f1, ?"}, FILE, t)
    assert problems == [
        f"{FILE}: keymap.notes: no key binding has this id – see the list of ids in the "
        "README, section “Settings, environment and keys”",
        f"{FILE}: keymap.note: 'ctrl+nn' is not a key – write keys like n, ctrl+n, f6, "
        "question_mark; several with commas",
    ]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.one_of(st.sampled_from(sorted(BINDING_IDS)), st.text()), st.text()))
def test_any_table_of_strings_gives_problems_or_none(keymap: dict[str, str]) -> None:
    for problem in keymap_problems(keymap, FILE, Translator("da")):
        assert problem.startswith(f"{FILE}: keymap.")
        assert "\x1b" not in problem and "\x07" not in problem
