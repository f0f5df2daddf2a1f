"""SIGKILL in the middle of a meeting loses nothing that was shown as saved, and the
next start lists the unfinished meeting on F8 and resumes it where it stopped. The
real app, in tmux."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from bip_talk.domain.meeting_history import Answer
from bip_talk.services.workstation import Workstation
from bip_talk.settings import Preferences, Settings, save_preferences
from bip_talk.store import Store, open_database

from .tmux import Tmux, needs_tmux

pytestmark = [pytest.mark.e2e, needs_tmux]


def _app_pids(pane_pid: int) -> list[int]:
    """The shell tmux started may exec the app or be its parent: kill both."""
    pids = [pane_pid]
    for child in Path("/proc").glob("[0-9]*"):
        try:
            stat = (child / "stat").read_text()
        except OSError:
            continue
        # Fields after "(comm)": state, ppid, ...; comm may contain spaces.
        if int(stat[stat.rindex(")") + 2 :].split()[1]) == pane_pid:
            pids.append(int(child.name))
    return pids


def test_sigkill_mid_meeting_then_resume(tmp_path: Path):
    data = tmp_path / "data"
    db = tmp_path / "real.db"
    settings = Settings(data_dir=data, db_path=db)
    data.mkdir(mode=0o700)
    save_preferences(
        settings.preferences_file, Preferences(caseworker_name="Kim Krog", caseworker_initials="KK")
    )
    ws = Workstation(settings)
    citizen = ws.open(sign_in=True).create_citizen("Sofie Dræbt")
    ws.close()

    env = {"BIP_TALK_DATA_DIR": str(data), "BIP_TALK_DB": str(db)}
    tm = Tmux(env)
    try:
        tm.start()
        tm.wait_for("Logget ind som Kim Krog")
        tm.type("Sofie")
        tm.keys("Enter")
        tm.wait_for("Afsluttede samtaler: 0")
        tm.keys("m")
        tm.wait_for("Åbning")
        tm.keys("Enter")
        tm.wait_for("Emne 1 af 11")
        tm.keys("4")
        tm.keys("2")
        tm.wait_for("Begge har svaret")
        tm.keys("Enter")
        tm.wait_for("Emne 2 af 11")
        tm.keys("3")
        tm.wait_for("✓ Besvaret")
        for pid in _app_pids(tm.pane_pid()):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.5)
    finally:
        tm.close()

    # Everything that was shown as answered is in the database.
    store = Store(open_database(db))
    meeting = store.draft_meeting(citizen.id)
    assert meeting is not None
    answers = store.answers([meeting.id])[meeting.id]
    assert answers[("citizen", "helbred")] == Answer(4)
    assert answers[("caseworker", "helbred")] == Answer(2)
    assert answers[("citizen", "hverdag")] == Answer(3)
    store.close()

    tm = Tmux(env)
    try:
        tm.start()
        screen = tm.wait_for("Ufærdige samtaler: 1")  # counted, never named at start
        assert "Sofie" not in screen
        tm.keys("F8")
        tm.wait_for("Sofie Dræbt")
        tm.keys("Enter")
        screen = tm.wait_for("Emne 2 af 11")
        assert "● 3" in screen
        assert "3 af 20 svar" in screen
        tm.keys("C-q")
    finally:
        tm.close()
