"""The casework service: what the screens and the commands call. Opening the database
is an explicit step; each user action is one call and, where it writes, one
transaction."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bip_talk.services.casework import Casework
from bip_talk.services.workstation import Workstation
from bip_talk.settings import Preferences, Settings
from bip_talk.store import Store
from bip_talk.store.targets import Target, open_target

SIGNED_IN = Preferences(caseworker_name="Test Sagsbehandler", caseworker_initials="TS")


@pytest.fixture
def ws(tmp_path: Path, database: Target) -> Iterator[Workstation]:
    """A workstation on a SQLite file or a PostgreSQL database (``database``)."""
    if isinstance(database, Path):
        settings = Settings(data_dir=tmp_path / "data", db_path=tmp_path / "app.db")
    else:
        settings = Settings(data_dir=tmp_path / "data", db_url=database)
    w = Workstation(settings, SIGNED_IN)
    yield w
    w.close()


@pytest.fixture
def casework(ws: Workstation) -> Casework:
    return ws.open(sign_in=True)


def _caseworkers(target: Target) -> list[str]:
    store = Store(open_target(target))
    try:
        return [c.initials for c in store.caseworkers()]
    finally:
        store.close()


def _transactions(casework: Casework, action, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The write transactions ``action`` opens: from SQLite's own statement trace, or
    every ``BEGIN`` the PostgreSQL connection is sent."""
    seen: list[str] = []
    db = casework._reach(None, "caseworkers").db
    if not db.dialect.is_sqlite:
        begin = db.begin_write
        monkeypatch.setattr(db, "begin_write", lambda: (seen.append("BEGIN"), begin())[1])
        action()
        return seen
    conn = db.conn
    conn.set_trace_callback(lambda sql: seen.append(sql) if sql.startswith("BEGIN") else None)
    try:
        action()
    finally:
        conn.set_trace_callback(None)
    return seen


def test_nothing_is_opened_until_asked(ws: Workstation) -> None:
    assert not ws.is_open
    if not ws.settings.on_server:
        assert not ws.database_path.exists()
    ws.open()
    assert ws.is_open
    assert ws.settings.on_server or ws.database_path.exists()
    assert not (ws.settings.on_server and ws.database_path.exists())  # no file beside it


def test_a_command_never_adds_the_signed_in_caseworker(ws: Workstation) -> None:
    casework = ws.open()
    assert casework.actor is None  # the database does not know TS
    assert _caseworkers(ws.settings.database_target) == []
    signed_in = ws.open(sign_in=True)
    assert signed_in.actor is not None and signed_in.actor.initials == "TS"
    assert ws.open().actor == signed_in.actor  # now known: commands name them


def test_moving_a_citizen_to_a_new_caseworker_is_one_transaction(
    casework: Casework, monkeypatch: pytest.MonkeyPatch
) -> None:
    citizen = casework.create_citizen("Anna Testesen")
    move = lambda: casework.reassign(citizen.id, "ov", "Ole Vikar")  # noqa: E731
    begun = _transactions(casework, move, monkeypatch)
    assert begun in (["BEGIN IMMEDIATE"], ["BEGIN"])
    overview = casework.citizen_overview(citizen.id)
    assert overview.caseworker is not None
    assert (overview.caseworker.initials, overview.caseworker.name) == ("OV", "Ole Vikar")


def test_a_failed_move_leaves_no_new_caseworker(
    casework: Casework, ws: Workstation, monkeypatch: pytest.MonkeyPatch
) -> None:
    citizen = casework.create_citizen("Anna Testesen")

    def refuse(self, *args, **kwargs) -> None:
        raise RuntimeError("disk full, say")

    monkeypatch.setattr(Store, "assign", refuse)
    with pytest.raises(RuntimeError):
        casework.reassign(citizen.id, "NY", "Ny Kollega")
    assert _caseworkers(ws.settings.database_target) == ["TS"]


def test_a_move_without_a_name_keeps_a_known_caseworkers_name(casework: Casework) -> None:
    citizen = casework.create_citizen("Anna Testesen")
    casework.reassign(citizen.id, "OV", "Ole Vikar")
    casework.reassign(citizen.id, "TS")
    assert casework.citizen_overview(citizen.id).caseworker.name == "Test Sagsbehandler"
    newcomer = casework.reassign(citizen.id, "NY")
    assert (newcomer.initials, newcomer.name) == ("NY", "NY")


def test_overview_meetings_and_resume(casework: Casework) -> None:
    citizen = casework.create_citizen("Anna Testesen")
    assert casework.unfinished_count() == 0
    session = casework.open_meeting(citizen.id, blind_rating=False)
    assert session.blind_rating is False
    session.rate("citizen", "helbred", 3)
    assert casework.unfinished_count() == 1
    assert [c.id for c in casework.search_citizens(scope="unfinished")] == [citizen.id]
    overview = casework.citizen_overview(citizen.id)
    assert overview.draft is not None and overview.completed == [] and overview.history == []
    casework.complete_meeting(session)
    overview = casework.citizen_overview(citizen.id)
    assert [m.id for m in overview.completed] == [session.meeting.id]
    assert overview.draft is None and casework.unfinished_count() == 0
    assert overview.history[0].get("citizen", "helbred").value == 3


def test_handover_for_the_first_meeting_after_a_change(casework: Casework) -> None:
    citizen = casework.create_citizen("Anna Testesen")
    session = casework.open_meeting(citizen.id)
    casework.complete_meeting(session)
    assert not casework.needs_handover(citizen.id)
    casework.reassign(citizen.id, "OV", "Ole Vikar")
    assert casework.needs_handover(citizen.id)
    theirs = casework.signed_in("OV", "Ole Vikar")
    assert theirs.actor is not None and theirs.actor.initials == "OV"
    draft = theirs.open_meeting(citizen.id)
    # Opened but not begun (issue 13 item 8): the handover still comes first – the
    # session says so itself (the app's opening reads it, no second check).
    assert draft.handover_due
    assert theirs.needs_handover(citizen.id)
    draft.rate("citizen", "helbred", 3)  # the conversation is under way: it resumes
    assert not theirs.needs_handover(citizen.id)
    assert not theirs.open_meeting(citizen.id).handover_due  # resumed under way
    theirs.complete_meeting(draft)
    assert not theirs.needs_handover(citizen.id)  # the change is handed over
    assert not theirs.open_meeting(citizen.id).handover_due


def test_signing_in_as_someone_else_keeps_the_database_and_language(casework: Casework) -> None:
    english = casework.in_language("en")
    other = english.signed_in("ov", "Ole Vikar")
    assert other.lang == "en" and other.t.lang == "en"
    citizen = other.create_citizen("Bo Nielsen")
    assert casework.citizen(citizen.id).display_name == "Bo Nielsen"
    assert other.citizen_overview(citizen.id).caseworker == other.actor


def test_the_desk_lists_only_the_signed_in_caseworkers_own(casework: Casework) -> None:
    mine = casework.create_citizen("Anna Egen")
    moved = casework.create_citizen("Bent Flyttet")
    casework.reassign(moved.id, "OV", "Ole Vikar")  # no longer in my caseload
    session = casework.open_meeting(mine.id)  # unfinished, held today
    colleague = casework.signed_in("OV", "Ole Vikar")
    colleague.open_meeting(moved.id)  # the colleague's unfinished meeting

    def names(scope, text: str = "") -> list[str]:
        return [c.display_name for c in casework.search_citizens(text, scope=scope)]

    assert names("all") == ["Anna Egen", "Bent Flyttet"]
    assert names("caseload") == ["Anna Egen"]
    assert names("today") == ["Anna Egen"]
    assert names("unfinished") == ["Anna Egen"]
    assert names("caseload", "bent") == []
    assert casework.unfinished_count() == 1 and colleague.unfinished_count() == 1
    casework.complete_meeting(session)
    assert names("unfinished") == [] and casework.unfinished_count() == 0
    assert names("today") == ["Anna Egen"]  # held today, now complete
