"""The app's start through the command line: the UI is imported and built with the
garbage collector paused, then what it made is frozen and collection runs again."""

from __future__ import annotations

import gc

import pytest

from bip_talk.commands import context
from bip_talk.ui import app as ui_app


@pytest.fixture
def collector():
    yield
    gc.unfreeze()
    gc.enable()


def test_the_ui_is_built_without_collections_then_frozen(collector, monkeypatch, tmp_path):
    seen: dict[str, object] = {}

    def make_app(workstation, demo=False):
        seen["enabled_while_building"] = gc.isenabled()
        return "the app"

    def run_to_end(app):
        seen["app"] = app
        seen["enabled_while_running"] = gc.isenabled()
        seen["frozen"] = gc.get_freeze_count()

    monkeypatch.setattr(ui_app, "make_app", make_app)
    monkeypatch.setattr(ui_app, "run_to_end", run_to_end)
    monkeypatch.setenv("BIP_TALK_FORCE_TUI", "1")
    gc.unfreeze()
    context.run_tui(_workstation(tmp_path))
    assert seen["enabled_while_building"] is False
    assert seen["app"] == "the app"
    assert seen["enabled_while_running"] is True
    assert isinstance(seen["frozen"], int) and seen["frozen"] > 0


def test_collection_runs_again_when_building_the_app_fails(collector, monkeypatch, tmp_path):
    def make_app(workstation, demo=False):
        raise RuntimeError("broken")

    monkeypatch.setattr(ui_app, "make_app", make_app)
    monkeypatch.setenv("BIP_TALK_FORCE_TUI", "1")
    with pytest.raises(RuntimeError):
        context.run_tui(_workstation(tmp_path))
    assert gc.isenabled()


def _workstation(tmp_path):
    from bip_talk.services.workstation import Workstation
    from bip_talk.settings import Settings

    return Workstation(Settings(data_dir=tmp_path / "data", db_path=tmp_path / "a.db"))
