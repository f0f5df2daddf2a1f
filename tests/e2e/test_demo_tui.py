"""Drive the real `bip-talk demo` in tmux the way a caseworker would, and read the screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from .tmux import Tmux, needs_tmux

pytestmark = [pytest.mark.e2e, needs_tmux]


def test_demo_meeting_end_to_end(tmp_path: Path):
    data = tmp_path / "data"
    tm = Tmux({"BIP_TALK_DATA_DIR": str(data)}, width=120, height=36)
    try:
        tm.start("demo")
        tm.wait_for("Hvem er du?", timeout=60)  # building the demo database takes a moment
        tm.type("Demo Bruger")
        tm.keys("Enter")
        tm.type("db")
        tm.keys("Enter")
        screen = tm.wait_for("F9 viser de syv demoborgere")
        assert "Faldborg" not in screen  # no names before the caseworker asks
        tm.keys("F9")
        screen = tm.wait_for("Jonas Faldborg")
        assert "Viser 1–7" in screen
        tm.keys("F9")  # again: back to searching everyone

        tm.type("Faldborg")
        screen = tm.wait_for("Jonas Faldborg")
        tm.keys("Enter")
        tm.wait_for("Afsluttede samtaler")
        tm.wait_for("Dit helbred")  # the latest review is shown, in the citizen's words

        tm.keys("m")
        tm.wait_for("Åbning")
        tm.keys("Enter")
        screen = tm.wait_for("Emne 1 af 11")
        assert "Sidst (" in screen  # last meeting's answer for each side
        tm.keys("Tab")
        tm.keys("5")
        screen = tm.wait_for("skjult, til begge har svaret")  # blind: not revealed yet
        tm.keys("1")
        screen = tm.wait_for("Begge har svaret")
        assert "● 1" in screen and "● 5" in screen

        tm.keys("r")
        screen = tm.wait_for("Forslag til dagsorden")
        assert "≠" in screen  # a gap of 4 between the two sides
        assert "I ser forskelligt" in screen

        tm.keys("F12")
        screen = tm.wait_for("Skærmen er skjult")
        assert "Jonas" not in screen
        tm.keys("F12")
        tm.wait_for("Forslag til dagsorden")
        tm.keys("C-q")
    finally:
        tm.close()
    # The demo lives in its own file; no real database was created.
    assert (data / "demo.db").exists()
    assert not (data / "bip-talk.db").exists()
