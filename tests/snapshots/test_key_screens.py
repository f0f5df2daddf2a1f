"""SVG snapshots of the key screens: meeting at 120×40 and 80×24, and the review.

Seeded data, a frozen clock and fixed ids keep them stable. Review the diff in
snapshot_report.html before running ``pytest --snapshot-update``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bip_talk.domain.meeting_history import Answer
from bip_talk.ui.app import make_app

from ..ui.conftest import direct, workstation_for

FROZEN = "2026-11-24T10:00:00+00:00"


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", FROZEN)


def _app(tmp_path: Path):
    ws = workstation_for(tmp_path)
    pack = ws.pack
    with direct(ws) as store:
        _fill(store, pack)
    app = make_app(ws)
    app.test_citizen = "B-SNAP42"  # type: ignore[attr-defined]
    return app


def _fill(store, pack) -> None:
    cw = store.ensure_caseworker("TS", "Test Sagsbehandler")
    citizen = store.create_citizen(
        "Maja Holm", caseworker_id=cw.id, citizen_id="B-SNAP42", target_group="aktivitetsparat"
    )
    history = [
        ("2026-02-10", [4, 3, 2, 2, 4, 3, 2, 1, 4], [3, 3, 2, 2, 3, 2, 2, 1, 3]),
        ("2026-05-12", [3, 3, 3, 2, 4, 3, 3, 2, 4], [3, 3, 2, 3, 3, 2, 2, 2, 3]),
        ("2026-08-18", [4, 4, 4, 3, 4, 3, 3, 3, 4], [2, 3, 2, 3, 4, 3, 3, 2, 3]),
    ]
    shared = [
        "helbred",
        "hverdag",
        "tro_job",
        "kendskab",
        "samarbejde",
        "loen",
        "maal",
        "jobsoeg",
        "netvaerk",
    ]
    for held_on, citizen_values, caseworker_values in history:
        m = store.start_meeting(citizen.id, cw.id, pack.id, pack.version, held_on=held_on)
        for item, c, w in zip(shared, citizen_values, caseworker_values, strict=True):
            store.record_answer(
                m.id, "citizen", item, Answer(c), actor=cw.id, citizen_id=citizen.id
            )
            store.record_answer(
                m.id, "caseworker", item, Answer(w), actor=cw.id, citizen_id=citizen.id
            )
        store.complete_meeting(m.id, actor=cw.id)


async def _open_meeting(pilot) -> None:
    await pilot.pause()
    pilot.app.open_meeting(pilot.app.test_citizen)
    await pilot.pause()
    await pilot.press("enter")  # past the opening to the questions
    await pilot.pause()


def test_meeting_wide(snap_compare, tmp_path, frozen):
    async def run_before(pilot):
        await _open_meeting(pilot)
        await pilot.press("2", "4")  # both answered: revealed
        await pilot.pause(0.4)  # the follow-up prompts show a moment later

    assert snap_compare(_app(tmp_path), terminal_size=(120, 40), run_before=run_before)


def test_meeting_80x24_blind(snap_compare, tmp_path, frozen):
    async def run_before(pilot):
        await _open_meeting(pilot)
        await pilot.press("tab", "4")  # caseworker first: stays hidden

    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=run_before)


def test_review(snap_compare, tmp_path, frozen):
    async def run_before(pilot):
        await _open_meeting(pilot)
        # helbred: citizen 4 -> 2 (clear decline); caseworker 2 -> 4 (clear rise)
        await pilot.press("2", "4", "enter", "4", "4", "enter", "5", "2", "r")
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=(120, 32), run_before=run_before)
