"""The sign-in screen in the real terminal, typed to before the app is up: tmux sends
"name Enter initials Enter" in one burst the moment the app starts. The terminal still
turns each Return into a newline then, and the keys come before any field has the
focus; the initials once ended up in the name field ("Kim KrogKK") and both Enters
were lost."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from .tmux import Tmux, needs_tmux

pytestmark = [pytest.mark.e2e, needs_tmux]


@pytest.mark.parametrize("delay", [0.0, 0.4])
def test_a_burst_typed_while_the_app_starts_signs_in(tmp_path: Path, delay: float) -> None:

    tm = Tmux({"BIP_TALK_DATA_DIR": str(tmp_path / "data")}, width=100, height=30)
    try:
        tm.start()
        time.sleep(delay)  # before Python has even imported the app
        tm.keys("Kim Krog", "Enter", "kk", "Enter")
        screen = tm.wait_for("Logget ind som Kim Krog (KK)", timeout=30)
        assert "KrogKK" not in screen
    finally:
        tm.close()
    settings = (tmp_path / "data" / "settings.toml").read_text(encoding="utf-8")
    assert "Kim Krog" in settings and "KK" in settings


def test_a_burst_with_tab_fills_each_field_in_turn(tmp_path: Path) -> None:
    """Tab typed quickly (or pasted, or sent by a password manager): the keys after it
    go to the next field. Textual handles its own Tab in the queue of the field it
    leaves, after those keys, so the initials once ended in the name ("Kim Krogkk")."""
    tm = Tmux({"BIP_TALK_DATA_DIR": str(tmp_path / "data")}, width=100, height=30)
    try:
        tm.start()
        tm.wait_for("Hvem er du?", timeout=30)
        tm.keys("Kim Krog", "Tab", "kk", "Enter")
        screen = tm.wait_for("Logget ind som Kim Krog (KK)", timeout=30)
        assert "Krogkk" not in screen
    finally:
        tm.close()
