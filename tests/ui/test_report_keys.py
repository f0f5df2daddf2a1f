"""The report keys in the review: j copies the journal note (never the private data),
s saves the citizen's summary and HTML report in the data folder's reports/."""

from __future__ import annotations

import os
import shlex
import stat
import subprocess
import sys
import threading

import pytest

from bip_talk.ui.screens.review import ReviewScreen

from .conftest import add_history
from .test_meeting_screen import open_meeting

PRIVATE_NOTE = "PRIVAT-UI-9Q2: kun til mig"


async def _review_with_private_data(app, pilot, ws):
    cid = add_history(ws)
    session = await open_meeting(app, pilot, cid)
    await pilot.press("2", "3")  # helbred: citizen 2, caseworker 3
    session.add_note(PRIVATE_NOTE, private=True, indicator=None)
    session.rate("caseworker", "sb_tro", 1)  # the caseworker's private belief rating
    await pilot.press("r")
    await pilot.pause()
    assert isinstance(app.screen, ReviewScreen)
    return cid, session


def _messages(app) -> list[str]:
    return [n.message for n in app._notifications]


async def test_j_copies_the_journal_note_without_private_data(app, ws):
    async with app.run_test(size=(120, 40)) as pilot:
        cid, session = await _review_with_private_data(app, pilot, ws)
        await pilot.press("j")
        await app.workers.wait_for_complete()  # built in a worker, copied on the UI thread
        await pilot.pause()
        text = app.clipboard
        assert text.startswith("Progressionssamtale")
        assert "kladde" in text.splitlines()[0]  # the meeting is still going on
        assert cid in text and "TS" in text
        assert "Helbredsmestring: B 2 (4)" in text
        assert PRIVATE_NOTE not in text
        assert "Sagsbehandlers tro på job" not in text and "Nej" not in text
        assert any("kopieret" in m for m in _messages(app))
        # The fallback command reaches the database the app uses (here not the default
        # one, as in the demo): run as it is shown, it prints the note.
        (hint,) = [m for m in _messages(app) if "kopieret" in m]
        command = shlex.split(hint.split("brug: ", 1)[1])
        assert command[:3] == ["bip-talk", "--db", str(ws.database_path)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
        env["BIP_TALK_DATA_DIR"] = str(ws.settings.data_dir)
        run = subprocess.run(
            [sys.executable, "-m", "bip_talk", *command[1:]],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        assert run.returncode == 0, run.stderr
        assert cid in run.stdout


async def test_s_saves_summary_and_report_in_the_data_folder(app, ws):
    async with app.run_test(size=(120, 40)) as pilot:
        cid, session = await _review_with_private_data(app, pilot, ws)
        await pilot.press("s")
        await pilot.pause()
        assert any("Gemmer" in m for m in _messages(app))  # says it is at work
        await app.workers.wait_for_complete()  # the worker saves beside the meeting
        await pilot.pause()
        folder = ws.settings.data_dir / "reports"
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        held_on = session.meeting.held_on
        summary = folder / f"summary-{cid}-{held_on}.md"
        html = folder / f"report-{cid}-{held_on}.html"
        for path in (summary, html):
            assert stat.S_IMODE(path.stat().st_mode) == 0o600
            text = path.read_text(encoding="utf-8")
            assert PRIVATE_NOTE not in text and "Sagsbehandlers tro på job" not in text
        assert "<svg" in html.read_text(encoding="utf-8")
        # The notification says where, in full.
        assert any(str(summary) in m and str(html) in m for m in _messages(app))
        assert isinstance(app.screen, ReviewScreen)  # still in the review


async def test_saving_runs_beside_the_meeting_and_a_failure_is_a_message(
    app, ws, monkeypatch: pytest.MonkeyPatch
):
    from bip_talk.services import reports

    ran_on: list[threading.Thread] = []

    def broken(*args, **kwargs):
        ran_on.append(threading.current_thread())
        raise RuntimeError("a bug while rendering")

    monkeypatch.setattr(reports, "save_meeting_reports", broken)
    async with app.run_test(size=(120, 40)) as pilot:
        await _review_with_private_data(app, pilot, ws)
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert ran_on and ran_on[0] is not threading.main_thread()  # off the UI thread
        assert any("Kunne ikke gemme: Uventet fejl (RuntimeError)" in m for m in _messages(app))
        assert isinstance(app.screen, ReviewScreen)  # no crash: the meeting goes on
        assert app.return_code is None


async def test_a_folder_that_cannot_be_made_is_said_plainly(app, ws):
    ws.settings.data_dir.mkdir(parents=True)
    (ws.settings.data_dir / "reports").write_text("a file where the folder should be")
    async with app.run_test(size=(120, 40)) as pilot:
        await _review_with_private_data(app, pilot, ws)
        await pilot.press("s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        failed = [m for m in _messages(app) if m.startswith("Kunne ikke gemme")]
        assert failed and "reports" in failed[0] and "Uventet" not in failed[0]
        assert isinstance(app.screen, ReviewScreen)
