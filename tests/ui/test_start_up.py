"""Opening the database at start: another window holding the file is waited for, and
anything else that goes wrong ends with a plain message, never a failed worker."""

from __future__ import annotations

import pytest

from bip_talk.errors import BusyError, StoreError
from bip_talk.services.workstation import Workstation
from bip_talk.ui import app as app_module
from bip_talk.ui.app import make_app
from bip_talk.ui.screens.citizens import CitizensScreen

from .conftest import workstation_for
from .screen_text import screen_text


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app_module, "OPEN_BACKOFF_S", 0.01)


def _failing_open(monkeypatch, failures: list[BaseException]) -> list[int]:
    real = Workstation.open
    calls: list[int] = []

    def open_(self, *, sign_in=False):
        calls.append(1)
        if failures:
            raise failures.pop(0)
        return real(self, sign_in=sign_in)

    monkeypatch.setattr(Workstation, "open", open_)
    return calls


async def test_a_busy_database_is_tried_again(tmp_path, monkeypatch):
    calls = _failing_open(monkeypatch, [BusyError("busy"), RuntimeError("a race")])
    ws = workstation_for(tmp_path)
    app = make_app(ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CitizensScreen)
        assert app.database_open and "Logget ind som" in screen_text(app)
    assert len(calls) == 3
    assert app.return_code in (None, 0)
    ws.close()


async def test_an_error_that_stays_is_a_message_and_exit_3(tmp_path, monkeypatch):
    _failing_open(monkeypatch, [OSError("no such thing")] * 10)
    ws = workstation_for(tmp_path)
    app = make_app(ws)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert isinstance(app.return_value, StoreError)
    assert "bip-talk doctor" in str(app.return_value) and "OSError" in str(app.return_value)
    assert app.return_code == StoreError.exit_code
    ws.close()
