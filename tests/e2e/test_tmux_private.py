"""The tmux helper runs its own server on a private socket: the user's default tmux
server never sees a test session, and closing removes the server and its folder."""

from __future__ import annotations

import subprocess

import pytest

from .tmux import Tmux, needs_tmux

pytestmark = [pytest.mark.e2e, needs_tmux]


def test_sessions_live_on_a_private_socket(tmp_path) -> None:
    tm = Tmux({"BIP_TALK_DATA_DIR": str(tmp_path / "data")}, width=80, height=24)
    try:
        tm.start("--version")
        assert tm.socket.is_socket()
        assert tm.socket.parent.stat().st_mode & 0o077 == 0  # mkdtemp: the owner only
        listed = tm.tmux("list-sessions", "-F", "#{session_name}").stdout.split()
        assert tm.name in listed
        default = subprocess.run(
            ["tmux", "list-sessions", "-F", "#{session_name}"], capture_output=True, text=True
        )
        assert tm.name not in default.stdout.split()
    finally:
        tm.close()
    assert not tm.socket.parent.exists()
    assert tm.tmux("list-sessions").returncode != 0  # the server is gone
