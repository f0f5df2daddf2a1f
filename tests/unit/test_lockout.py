"""After five wrong passwords an account waits before its next try, longer after each
further wrong one; the count lives in the database (every process, every tab sees it),
tries in parallel cannot slip past it, and a right password or an admin's reset ends it."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bip_talk.domain.access import FIRST_WAIT_S, LOCKOUT_AFTER, MAX_WAIT_S, wait_after
from bip_talk.errors import LoginRefused
from bip_talk.services.accounts import hash_password, seconds_to_wait
from tests import pg
from tests.unit.server_data import PASSWORD, Server, built_on, copy_server

START = datetime.fromisoformat("2026-11-24T10:00:00+00:00")


@pytest.fixture(scope="module", params=pg.DIALECTS)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Server:
    return built_on(request, tmp_path_factory.mktemp("lockout"))


@pytest.fixture
def server(built: Server, tmp_path: Path, request: pytest.FixtureRequest) -> Server:
    return copy_server(built, tmp_path / "copy", request)


@pytest.fixture
def at(monkeypatch: pytest.MonkeyPatch):
    """Set the clock the accounts read (BIP_TALK_FROZEN_TIME) to START + seconds."""

    def move(seconds: float) -> None:
        when = START + timedelta(seconds=seconds)
        monkeypatch.setenv("BIP_TALK_FROZEN_TIME", when.isoformat())

    move(0)
    return move


def _try(server: Server, password: str) -> None:
    """One login, as a fresh process would: its own workstation and connection."""
    ws = server.workstation()
    try:
        ws.open(channel="web").log_in("BN", password)
    finally:
        ws.close()


def test_the_schedule() -> None:
    assert [wait_after(n) for n in range(LOCKOUT_AFTER)] == [0] * LOCKOUT_AFTER
    assert wait_after(LOCKOUT_AFTER) == FIRST_WAIT_S == 30
    assert wait_after(LOCKOUT_AFTER + 1) == 60 and wait_after(LOCKOUT_AFTER + 2) == 120
    assert wait_after(50) == MAX_WAIT_S
    assert seconds_to_wait(5, START.isoformat(), START + timedelta(seconds=10)) == 20
    assert seconds_to_wait(5, START.isoformat(), START + timedelta(seconds=31)) == 0


def test_five_wrong_passwords_make_the_account_wait(server: Server, at) -> None:
    for n in range(LOCKOUT_AFTER - 1):
        with pytest.raises(LoginRefused) as wrong:
            _try(server, f"forkert-{n}")
        assert wrong.value.wait_s == 0
    with pytest.raises(LoginRefused) as fifth:
        _try(server, "forkert-5")
    assert fifth.value.wait_s == 30 and "vent 30 sekunder" in fifth.value.message

    at(10)  # the right password during the wait is refused too, without being checked
    with pytest.raises(LoginRefused) as waiting:
        _try(server, PASSWORD)
    assert waiting.value.wait_s == 20 and "om 20 sekunder" in waiting.value.message

    at(31)  # waited: one more try; wrong again doubles the wait
    with pytest.raises(LoginRefused) as sixth:
        _try(server, "forkert-6")
    assert sixth.value.wait_s == 60
    at(31 + 59)
    with pytest.raises(LoginRefused):
        _try(server, PASSWORD)
    at(31 + 61)
    _try(server, PASSWORD)  # the right password ends it: the count starts again
    with pytest.raises(LoginRefused) as again:
        _try(server, "forkert-7")
    assert again.value.wait_s == 0


def test_the_wait_holds_for_the_lock_screen_too(server: Server, at) -> None:
    ws, cw = server.as_role("caseworker")
    try:
        for n in range(LOCKOUT_AFTER):
            with pytest.raises(LoginRefused):
                cw.confirm_password(f"forkert-{n}")
        with pytest.raises(LoginRefused, match="venter"):
            cw.confirm_password(PASSWORD)
    finally:
        ws.close()


def test_an_admin_reset_ends_the_wait(server: Server, at) -> None:
    for n in range(LOCKOUT_AFTER):
        with pytest.raises(LoginRefused):
            _try(server, f"forkert-{n}")
    ws, admin = server.as_role("admin")
    try:
        listed = {a.initials: a for a in admin.accounts()}
        assert listed["BN"].failed_logins == LOCKOUT_AFTER
        admin.reset_password("BN", "helt-ny-kode-42")
    finally:
        ws.close()
    _try(server, "helt-ny-kode-42")


def test_tries_in_parallel_cannot_slip_past_the_wait(server: Server, at) -> None:
    """Eight tabs try at once: the tries are counted before their passwords are checked,
    so exactly five are checked and the other three wait."""
    outcomes: list[int] = []
    gun = threading.Barrier(8)

    def tab(n: int) -> None:
        ws = server.workstation()
        try:
            door = ws.open(channel="web")
            gun.wait()
            door.log_in("BN", f"forkert-{n}")
        except LoginRefused as exc:
            outcomes.append(exc.wait_s)
        finally:
            ws.close()

    threads = [threading.Thread(target=tab, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == 8
    ws, admin = server.as_role("admin")
    try:
        log = [e.event for e in admin.access_log(initials="BN")]
    finally:
        ws.close()
    assert log.count("login-failed") == LOCKOUT_AFTER
    assert log.count("login-wait") == 3


def test_only_the_hash_is_stored(server: Server) -> None:
    if server.on_file:
        blob = server.path.read_bytes()
    else:
        db = server.db()
        try:
            rows = db.execute("SELECT CAST(a AS text) FROM accounts a").fetchall()
        finally:
            db.close()
        blob = "\n".join(r[0] for r in rows).encode()
    assert PASSWORD.encode() not in blob
    assert b"$argon2id$" in blob
    assert hash_password(PASSWORD) != hash_password(PASSWORD)  # salted
