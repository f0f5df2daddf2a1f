"""Build the real app on a throwaway database, with a citizen who has history."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bip_talk.domain.meeting_history import Answer
from bip_talk.services.meeting import MeetingSession
from bip_talk.services.workstation import Workstation
from bip_talk.settings import Preferences, Settings
from bip_talk.store import Store, open_database
from bip_talk.ui.app import make_app


def workstation_for(tmp_path: Path, prefs: Preferences | None = None) -> Workstation:
    prefs = prefs or Preferences(caseworker_name="Test Sagsbehandler", caseworker_initials="TS")
    settings = Settings(data_dir=tmp_path / "data", db_path=tmp_path / "app.db")
    return Workstation(settings, prefs)


@contextmanager
def direct(ws: Workstation) -> Iterator[Store]:
    """The test's own connection to the workstation's database: to set up what a screen
    shows, and to check what the app saved. The app only goes through its services."""
    store = Store(open_database(ws.database_path))
    try:
        yield store
    finally:
        store.close()


def add_history(ws: Workstation, name: str = "Anna Testesen") -> str:
    """A citizen with two completed meetings: helbred drops for the citizen, jobsoeg
    rises, and the two sides disagree on tro_job."""
    pack = ws.pack
    with direct(ws) as store:
        cw = store.ensure_caseworker("TS", "Test Sagsbehandler")
        citizen = store.create_citizen(name, caseworker_id=cw.id)
        plans = [
            ("2026-05-01", {"helbred": (4, 4), "jobsoeg": (1, 1), "tro_job": (3, 3)}),
            ("2026-08-01", {"helbred": (4, 3), "jobsoeg": (2, 2), "tro_job": (4, 2)}),
        ]
        for held_on, values in plans:
            meeting = store.start_meeting(citizen.id, cw.id, pack.id, pack.version, held_on=held_on)
            for indicator, (c, w) in values.items():
                store.record_answer(
                    meeting.id, "citizen", indicator, Answer(c), actor=cw.id, citizen_id=citizen.id
                )
                store.record_answer(
                    meeting.id,
                    "caseworker",
                    indicator,
                    Answer(w),
                    actor=cw.id,
                    citizen_id=citizen.id,
                )
            store.complete_meeting(meeting.id, actor=cw.id)
    return citizen.id


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workstation]:
    w = workstation_for(tmp_path)
    yield w
    w.close()


@pytest.fixture
def db(ws: Workstation) -> Iterator[Store]:
    with direct(ws) as store:
        yield store


@pytest.fixture
def app(ws: Workstation):
    return make_app(ws)


def session_of(app) -> MeetingSession:
    return app.screen.session
