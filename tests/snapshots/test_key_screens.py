"""SVG snapshots of the key screens at 120×40 and 80×24: the meeting (a prompt page,
the job-search channels), the review, the plan and the plan-item dialog.

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
    # Agreed at the last meeting: the opening reviews it, the review shows it.
    store.add_plan_item(
        citizen.id,
        actor=cw.id,
        meeting_id=m.id,
        kind="virksomhedspraktik",
        title="Praktik på lageret hos Fragt & Co",
        responsible="Maja og sagsbehandleren",
        starts_on="2026-08-25",
    )


async def _open_meeting(pilot, *opening_keys: str) -> None:
    await pilot.pause()
    pilot.app.open_meeting(pilot.app.test_citizen)
    await pilot.pause()
    await pilot.press(*opening_keys, "enter")  # the opening's marks, then the questions
    await pilot.pause()


async def _answer_all(pilot) -> None:
    """Both sides through every step: a drop, a three-step gap, a rise, the channels."""
    session = pilot.app.screen.session
    values = {"helbred": (2, 4), "hverdag": (4, 3), "tro_job": (5, 2), "jobsoeg": (4, 4)}
    for step, indicator in enumerate(session.steps):
        session.go(step=step)
        for side in session.perspectives_at():
            c, w = values.get(indicator, (3, 3))
            item = next(i for i in session.items_at(side) if i.type == "scale")
            session.rate(side, item.id, c if side == "citizen" else w)
    kanaler = next(
        i for i in session.items_at("citizen", session.steps.index("jobsoeg")) if i.type == "multi"
    )
    session.toggle_choice("citizen", kanaler, "internet")
    session.go(step=0, side="citizen")


async def _to_plan(pilot) -> None:
    await _open_meeting(pilot, "4")  # the placement still runs
    await _answer_all(pilot)
    await pilot.press("r")
    await pilot.pause()
    await pilot.press("l")
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


def test_meeting_80x24_channels_and_a_prompt(snap_compare, tmp_path, frozen):
    async def run_before(pilot):
        await _open_meeting(pilot)
        session = pilot.app.screen.session
        session.go(step=session.steps.index("jobsoeg"), side="citizen")
        pilot.app.screen.render_step()
        await pilot.press("2", "4", "b")  # a drop and a gap; a channel chosen
        await pilot.pause(0.4)

    assert snap_compare(_app(tmp_path), terminal_size=(80, 24), run_before=run_before)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_review(snap_compare, tmp_path, frozen, size):
    async def run_before(pilot):
        await _open_meeting(pilot, "4")  # the placement still runs
        await _answer_all(pilot)
        # Today's notes: the shared one is listed, the private one never.
        session = pilot.app.screen.session
        session.add_note(
            "Ryggen driller om morgenen – vi taler med lægen om, hvad der kan lade sig gøre",
            private=False,
            indicator="helbred",
        )
        session.add_note("Overvej en helbredsafklaring", private=True, indicator="helbred")
        await pilot.press("r")
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_plan(snap_compare, tmp_path, frozen, size):
    async def run_before(pilot):
        await _to_plan(pilot)
        await pilot.press("d")  # declined: marked and moved down
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
def test_plan_item_dialog(snap_compare, tmp_path, frozen, size):
    async def run_before(pilot):
        await _to_plan(pilot)
        await pilot.press("enter")  # the highlighted suggestion, looked at before it is agreed
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=run_before)
