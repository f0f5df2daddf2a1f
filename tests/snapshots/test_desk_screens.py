"""SVG snapshots of the desk's screens at 80×24 and 120×40: the citizen, the start
screen after a search, the new-citizen dialog and the note dialog.

The same seeded citizen and frozen clock as test_key_screens. Review the diff in
snapshot_report.html before running ``pytest --snapshot-update``."""

from __future__ import annotations

import pytest

from .test_key_screens import _app, _open_meeting, frozen  # noqa: F401 (a fixture)

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.mark.parametrize("size", SIZES)
def test_citizen(snap_compare, tmp_path, frozen, size):  # noqa: F811
    async def run_before(pilot):
        await pilot.pause()
        pilot.app.open_citizen(pilot.app.test_citizen)
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_start_screen_after_a_search(snap_compare, tmp_path, frozen, size):  # noqa: F811
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press(*"holm")
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_new_citizen_dialog(snap_compare, tmp_path, frozen, size):  # noqa: F811
    async def run_before(pilot):
        await pilot.pause()
        await pilot.press("f2", *"Ny Borger", "tab", *"1999", "tab")
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_note_dialog(snap_compare, tmp_path, frozen, size):  # noqa: F811
    async def run_before(pilot):
        await _open_meeting(pilot)
        await pilot.press("n", *"Vil gerne ringe selv", "tab", "space")
        await pilot.pause()

    assert snap_compare(_app(tmp_path), terminal_size=size, run_before=run_before)
