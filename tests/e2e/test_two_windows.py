"""Two app windows started at the same moment on a new database (creating the file,
migrating it and adding the same new caseworker at once) both reach the start screen:
neither fails, neither shows an error. The real app, in tmux."""

from __future__ import annotations

from pathlib import Path

import pytest

from bip_talk.settings import Preferences, Settings, save_preferences

from .tmux import Tmux, needs_tmux

pytestmark = [pytest.mark.e2e, needs_tmux]

ROUNDS = 4


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_windows_starting_at_once(tmp_path: Path, round_: int):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    settings = Settings(data_dir=data, db_path=tmp_path / "new.db")
    save_preferences(
        settings.preferences_file, Preferences(caseworker_name="Kim Krog", caseworker_initials="KK")
    )
    env = {"BIP_TALK_DATA_DIR": str(data), "BIP_TALK_DB": str(tmp_path / "new.db")}
    windows = [Tmux(env), Tmux(env)]
    try:
        for window in windows:
            window.start()
        for window in windows:
            screen = window.wait_for("Logget ind som Kim Krog")
            assert "Uventet fejl" not in screen and "Traceback" not in screen
            assert "Velkommen" in screen  # the empty database, opened
    finally:
        for window in windows:
            window.close()
