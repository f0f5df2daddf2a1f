"""A crash in the real app, in a real process on a real terminal: exit status 70, the
short message in the language of ``--lang``, and no traceback, no locals, no name.

The failure is injected by the test (a screen method replaced before ``main`` runs),
so the product carries no test hook. This also pins the crash handler to Textual: if
an upgrade stops calling ``BipTalkApp._fatal_error``, Textual's own traceback (with the
name in its locals) and its exit status 1 come back, and this test fails.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import textwrap
import time
from pathlib import Path

import pytest

from bip_talk.settings import Preferences, save_preferences

pytestmark = [pytest.mark.e2e]

SECRET = "Hemmelig Borgersen"
SCRIPT = textwrap.dedent(f"""
    import sys
    from bip_talk.ui.screens.citizens import CitizensScreen

    def explode(self):
        name = {SECRET!r}  # a local that Textual's own report would print
        raise RuntimeError("boom " + name)

    CitizensScreen.refresh_list = explode
    from bip_talk.cli import main
    main(sys.argv[1:])
""")
ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[@-Z\\-_])")


def _run_on_a_terminal(
    args: list[str], env: dict[str, str], timeout: float = 30
) -> tuple[int, str]:
    """Run the script with stdin/stdout/stderr on a pseudo-terminal of 120x40."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-c", SCRIPT, *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
        start_new_session=True,
    )
    os.close(follower)
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.2)
            if ready:
                try:
                    data = os.read(leader, 65536)
                except OSError:  # the other side closed: the process is gone
                    break
                if not data:
                    break
                chunks.append(data)
            elif proc.poll() is not None:
                break
        code = proc.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(leader)
    return code, ANSI.sub("", b"".join(chunks).decode("utf-8", "replace"))


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    save_preferences(
        data / "settings.toml",
        Preferences(caseworker_name="Kim Krog", caseworker_initials="KK"),
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    for name in ("COLUMNS", "LINES"):
        clean.pop(name, None)
    return {**clean, "BIP_TALK_DATA_DIR": str(data), "TERM": "xterm-256color"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--lang", "en"], "Unexpected error (RuntimeError)"),
        (["--lang", "da"], "Uventet fejl (RuntimeError)"),
    ],
)
def test_a_crash_exits_70_with_the_short_message_only(env, args, message) -> None:
    code, printed = _run_on_a_terminal(args, env)
    assert code == 70, printed
    assert message in printed
    assert SECRET not in printed and "boom" not in printed
    assert "Traceback" not in printed and "explode" not in printed


def test_debugging_shows_the_details_and_still_exits_70(env) -> None:
    code, printed = _run_on_a_terminal(["--lang", "en"], {**env, "BIP_TALK_DEBUG": "1"})
    assert code == 70, printed
    assert "RuntimeError" in printed and "boom" in printed  # Textual's full report
