"""Privacy outside the screen (issue 8): files private to the user whatever the umask,
no personal data in output, logs or stray files, and a crash message that names only
the kind of error, never its text."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bip_talk import cli as cli_module
from bip_talk.i18n import Translator
from bip_talk.services.workstation import Workstation
from bip_talk.settings import Settings

# Distinctive, synthetic, and unlike anything the app prints on its own.
NAME = "Qwyzzle Borgersen-Plimt"
NOTE = "Zorblax fortæller om sin kvalmeattak"
FREE_TEXT = "Frimpel-svar om gældsrådgivning"


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    """The most permissive umask: privacy must not depend on the user's umask."""
    old = os.umask(0)
    try:
        yield
    finally:
        os.umask(old)


def test_files_are_private_even_with_an_open_umask(tmp_path: Path, open_umask) -> None:
    data = tmp_path / "share" / "bip-talk"
    ws = Workstation(Settings(data_dir=data))
    try:
        casework = ws.sign_in("Anne Bech", "ab")  # writes settings.toml and the database
        casework.create_citizen(NAME)
        assert _mode(data) == 0o700
        for name in ("bip-talk.db", "bip-talk.db-wal", "bip-talk.db-shm", "settings.toml"):
            assert (data / name).exists(), name
            assert _mode(data / name) == 0o600, name
    finally:
        ws.close()


def _run_a_meeting(ws: Workstation) -> None:
    """Everything a meeting does, through the services the app uses."""
    casework = ws.sign_in("Anne Bech", "AB")
    citizen = casework.create_citizen(NAME)
    session = casework.open_meeting(citizen.id)
    for step in range(len(session.steps)):
        session.go(step=step)
        for side in session.perspective_ids:
            for item in session.items_at(side, step):
                if item.type == "scale":
                    session.rate(side, item.id, 1 + step % 5)
                elif item.type == "multi" and item.options:
                    session.toggle_choice(side, item, item.options[0].id)
                elif item.type == "text":
                    session.set_text(side, item.id, FREE_TEXT)
    first = session.perspective_ids[0]
    session.rate(first, session.items_at(first, 0)[0].id, 5)  # a change: an audit row
    session.add_note(NOTE, private=True, indicator=session.steps[0])
    session.add_note(NOTE + " (delt)", private=False, indicator=None)
    session.review()
    session.choose_priority(session.steps[0])
    session.agenda()
    casework.complete_meeting(session)
    casework.search_citizens(NAME[:6])
    casework.citizen_overview(citizen.id)
    casework.open_meeting(citizen.id)  # the next meeting


def test_a_meeting_writes_no_personal_data_to_output_or_logs(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, every level
    data = tmp_path / "data"
    ws = Workstation(Settings(data_dir=data))
    try:
        _run_a_meeting(ws)
    finally:
        ws.close()
    out, err = capfd.readouterr()
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
    for secret in (NAME, NOTE, FREE_TEXT):
        assert secret not in out
        assert secret not in err
        assert secret not in logged
    # … and nothing outside the database itself holds it (no log or cache files).
    for path in tmp_path.rglob("*"):
        if path.is_file() and not path.name.startswith("bip-talk.db"):
            content = path.read_bytes()
            for secret in (NAME, NOTE, FREE_TEXT):
                assert secret.encode() not in content, path


def test_unexpected_errors_show_the_kind_never_the_message(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug whose message carries personal data: the user sees only the type."""

    def boom() -> None:
        raise RuntimeError(f"no meeting for {NAME}: {NOTE}")

    cli_module._register_subcommands()
    monkeypatch.setattr(cli_module.where, "callback", boom)
    with pytest.raises(SystemExit) as info:
        cli_module.main(["where"])
    captured = capsys.readouterr()
    shown = captured.out + captured.err
    assert info.value.code == 70
    assert Translator("da")("cli.unexpected", kind="RuntimeError") in captured.err
    assert NAME not in shown and NOTE not in shown
    assert "Traceback" not in shown


def test_debug_mode_is_the_only_way_to_see_the_details(monkeypatch: pytest.MonkeyPatch) -> None:
    """BIP_TALK_DEBUG=1 re-raises (for a developer at their own machine)."""

    def boom() -> None:
        raise RuntimeError("details")

    cli_module._register_subcommands()
    monkeypatch.setattr(cli_module.where, "callback", boom)
    monkeypatch.setenv("BIP_TALK_DEBUG", "1")
    with pytest.raises(RuntimeError, match="details"):
        cli_module.main(["where"])
