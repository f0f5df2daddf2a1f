"""The access log: every view of a citizen's data is recorded (who, when, what) in an
append-only table under a keyed pseudonym; failed logins and refusals too; the
citizen's access copy says who looked; erasure leaves the rows but no byte of the id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bip_talk.errors import AccessRefused, LoginRefused, StoreError
from bip_talk.services import access as access_module
from tests import pg
from tests.unit.server_data import PASSWORD, Server, built_on, copy_server


@pytest.fixture(scope="module", params=pg.DIALECTS)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Server:
    return built_on(request, tmp_path_factory.mktemp("access-log"))


@pytest.fixture
def server(built: Server, tmp_path: Path, request: pytest.FixtureRequest) -> Server:
    return copy_server(built, tmp_path / "copy", request)


def _rows(server: Server) -> list[dict]:
    db = server.db()
    try:
        return db.rows("SELECT * FROM access_log ORDER BY id")
    finally:
        db.close()


_OLD_ROW = (
    "INSERT INTO access_log (at, event, channel) VALUES ('2020-01-01T00:00:00+00:00',"
    " 'login', 'cli')"
)


def _admin_log(server: Server, **filters):
    ws, admin = server.as_role("admin")
    try:
        return admin.access_log(**filters)
    finally:
        ws.close()


def test_every_listed_view_is_logged_with_who_when_and_what(server: Server, tmp_path: Path):
    cid = server.citizen_id
    ws, cw = server.as_role("caseworker")
    try:
        cw.citizen_overview(cid)  # open
        cw.handover(cid)
        session = cw.open_meeting(cid)  # the meeting
        cw.journal_note(session)  # a report
        cw.render_report(cid, fmt="html", audience="caseworker")
        cw.write_access(cid, tmp_path / "access")  # the access copy
        cw.export(tmp_path / "export", fmt="csv", pseudonymize=False)
    finally:
        ws.close()
    ws, lead = server.as_role("team-lead")
    try:
        lead.export(tmp_path / "pseudo", fmt="csv", pseudonymize=True)
    finally:
        ws.close()

    entries = _admin_log(server, citizen_id=cid)
    seen = [(e.initials, e.role, e.event, e.purpose) for e in entries]
    for purpose in ("overview", "handover", "report", "access", "export"):
        assert ("BN", "caseworker", "view", purpose) in seen, purpose
    assert ("BN", "caseworker", "change", "meeting") in seen
    assert ("TL", "team-lead", "view", "export-pseudonymised") in seen
    assert all(e.citizen_id == cid and e.channel == "cli" and e.at for e in entries)
    # Reading the same thing again within minutes is one row, not one per screen refresh.
    assert seen.count(("BN", "caseworker", "view", "report")) == 1


def test_the_log_keeps_no_id_and_no_name(server: Server) -> None:
    ws, cw = server.as_role("caseworker")
    try:
        name = cw.citizen_overview(server.citizen_id).citizen.display_name
    finally:
        ws.close()
    rows = _rows(server)
    text = json.dumps(rows, ensure_ascii=False)
    assert rows and server.citizen_id not in text and name not in text
    refs = {r["citizen_ref"] for r in rows if r["citizen_ref"]}
    assert len(refs) == 1 and next(iter(refs)).startswith("R-")


def test_failed_logins_and_refusals_are_logged(server: Server) -> None:
    ws = server.workstation()
    try:
        nobody = ws.open(channel="cli")
        for initials in ("BN", "ZZ", "not initials at all!"):
            with pytest.raises(LoginRefused, match="Forkerte initialer eller adgangskode"):
                nobody.log_in(initials, "forkert-kode")
        lead = nobody.log_in("TL", PASSWORD)
        with pytest.raises(AccessRefused):
            lead.citizen_overview(server.citizen_id)
    finally:
        ws.close()
    events = [(e.event, e.initials, e.detail) for e in _admin_log(server)]
    assert ("login-failed", "BN", "password") in events
    assert ("login-failed", "ZZ", "unknown") in events
    assert ("login-failed", None, "unknown") in events  # not initials: nothing typed is kept
    assert ("login", "TL", None) in events
    refused = [e for e in _admin_log(server, initials="TL") if e.event == "refused"]
    assert [(e.purpose, e.citizen_id) for e in refused] == [("overview", server.citizen_id)]


def test_the_table_is_append_only(server: Server) -> None:
    db = server.db()
    try:
        with pytest.raises(pg.database_errors(), match="append-only"), db.atomic():
            db.execute("UPDATE access_log SET initials = 'XX'")
        with pytest.raises(pg.database_errors(), match="at least 180 days"), db.atomic():
            db.execute("DELETE FROM access_log")
        # A row older than 180 days may go (the job centre's retention ends there).
        with db.atomic():
            db.execute(_OLD_ROW)
        before = pg.count(db, "access_log")
        with db.atomic():
            db.execute("DELETE FROM access_log WHERE at < '2021-01-01'")
        assert pg.count(db, "access_log") == before - 1
    finally:
        db.close()


def test_the_admin_deletes_only_rows_past_retention(server: Server) -> None:
    db = server.db()
    with db.atomic():
        db.execute(_OLD_ROW)
    db.close()
    recent = [r["id"] for r in _rows(server) if r["at"] > "2021"]
    ws, admin = server.as_role("admin")
    ws2, caseworker = server.as_role("caseworker")
    try:
        with pytest.raises(AccessRefused):
            caseworker.delete_access_log_before("2021-01-01")
        assert admin.delete_access_log_before("2021-01-01") == 1
        # Asked to delete everything, the table keeps what is younger than 180 days.
        with pytest.raises(StoreError, match="mindst 180 dage"):
            admin.delete_access_log_before("2999-01-01")
    finally:
        ws.close()
        ws2.close()
    ids = [r["id"] for r in _rows(server)]
    assert all(r["at"] > "2021" for r in _rows(server))
    assert set(recent) <= set(ids)


def test_the_access_copy_says_who_looked(server: Server, tmp_path: Path) -> None:
    ws, cw = server.as_role("caseworker")
    try:
        cw.citizen_overview(server.citizen_id)
        files = cw.write_access(server.citizen_id, tmp_path / "copy")
    finally:
        ws.close()
    data = json.loads(files.data.read_text(encoding="utf-8"))
    looked = {(e["initials"], e["role"], e["event"], e["purpose"]) for e in data["access_log"]}
    assert ("BN", "caseworker", "view", "overview") in looked
    assert ("BN", "caseworker", "view", "access") in looked  # this very copy
    text = files.text.read_text(encoding="utf-8")
    assert "## Hvem har set dine oplysninger" in text
    assert "BN (sagsbehandler) – så: borgerens side" in text


def test_erasure_keeps_the_rows_but_no_byte_of_the_id(server: Server) -> None:
    cid = server.citizen_id
    ws, cw = server.as_role("caseworker")
    try:
        cw.citizen_overview(cid)
        result = cw.erase(cid)
        assert result.clean
    finally:
        ws.close()
    if server.on_file:
        assert cid.encode() not in server.path.read_bytes()
    else:  # no row of any table on the server holds it (the file check's counterpart)
        db = server.db()
        try:
            for table in pg.user_tables(db):
                rows = db.execute(f'SELECT CAST(t AS text) FROM "{table}" t').fetchall()
                assert not [r for r in rows if cid in r[0]], table
        finally:
            db.close()
    # Whoever has the id (a complaint, the case file) still finds who looked.
    entries = _admin_log(server, citizen_id=cid)
    assert {(e.event, e.purpose) for e in entries} >= {("view", "overview"), ("change", "erase")}
    assert all(e.citizen_id is None for e in entries)  # the citizen is gone from the database


def test_a_view_is_logged_again_after_the_quiet_time(server: Server, monkeypatch) -> None:
    clock = [1000.0]
    monkeypatch.setattr(access_module.time, "monotonic", lambda: clock[0])
    ws, cw = server.as_role("caseworker")
    try:
        cw.citizen_overview(server.citizen_id)
        clock[0] += access_module.REPEAT_AFTER_S - 1
        cw.citizen_overview(server.citizen_id)
        clock[0] += 2
        cw.citizen_overview(server.citizen_id)
    finally:
        ws.close()
    views = [e for e in _admin_log(server, citizen_id=server.citizen_id) if e.event == "view"]
    assert len(views) == 2


def test_a_view_that_cannot_be_logged_does_not_happen(server: Server, monkeypatch) -> None:
    from bip_talk.store.access_log import AccessLogStore

    def broken(self, rows):
        raise StoreError("the log is busy")

    ws, cw = server.as_role("caseworker")
    try:
        monkeypatch.setattr(AccessLogStore, "append", broken)
        with pytest.raises(StoreError):
            cw.citizen_overview(server.citizen_id)
    finally:
        ws.close()
