"""Storage: opening safely (modes, WAL, foreign keys, refusing what is not ours or is
newer, backup before migrating) and the repository's writes with their audit rows."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
from pathlib import Path

import pytest

from bip_talk.domain.meeting_history import Answer
from bip_talk.errors import NotFoundError, StoreError
from bip_talk.i18n import Translator
from bip_talk.services.workstation import Workstation
from bip_talk.settings import Settings
from bip_talk.store import Store, open_database, schema
from bip_talk.store import database as database_module
from tests import pg

T = Translator("da")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _make_db(path: Path) -> Path:
    """A bip-talk database with one citizen in it, closed again."""
    store = Store(open_database(path))
    cw = store.ensure_caseworker("ab", "Anne Bech")
    store.create_citizen("Kim Prøve", caseworker_id=cw.id)
    store.close()
    return path


def _user_version(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA user_version").fetchone()[0]
    finally:
        conn.close()


def _set_user_version(path: Path, version: int) -> None:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()


# -- opening -----------------------------------------------------------------------------


def test_new_database_is_private_wal_with_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    db = open_database(path)
    try:
        assert _mode(path) == 0o600
        assert db.journal_mode == "wal"
        assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert db.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert schema.SCHEMA_VERSION >= 1
        Store(db).ensure_caseworker("ab", "A B")  # a write, so the WAL file exists
        wal = tmp_path / "new.db-wal"
        assert wal.exists() and _mode(wal) == 0o600
    finally:
        db.close()


def test_workstation_creates_a_private_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "home" / "bip-talk"
    ws = Workstation(Settings(data_dir=data))
    try:
        ws.open()
        assert _mode(data) == 0o700
        assert _mode(data / "bip-talk.db") == 0o600
    finally:
        ws.close()


def test_explicit_database_in_a_missing_folder_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nowhere" / "app.db"
    ws = Workstation(Settings(data_dir=tmp_path / "data", db_path=path))
    with pytest.raises(StoreError) as info:
        ws.open()
    assert str(info.value) == T("store.no_folder", path=path, folder=path.parent)
    assert not path.parent.exists()  # nothing is created behind the user's back


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(pg.integrity_errors()):
        store.db.execute(
            "INSERT INTO answers (meeting_id, perspective, item_id, declined, answered_at) "
            "VALUES (999, 'citizen', 'x', 0, '2026-01-01T00:00:00+00:00')"
        )


def test_newer_schema_is_refused_and_left_alone(tmp_path: Path) -> None:
    path = _make_db(tmp_path / "newer.db")
    newer = schema.SCHEMA_VERSION + 1
    _set_user_version(path, newer)
    before, files = _digest(path), _listing(tmp_path)
    with pytest.raises(StoreError) as info:
        open_database(path)
    assert str(info.value) == T(
        "store.newer_schema", path=path, found=newer, known=schema.SCHEMA_VERSION
    )
    assert _digest(path) == before
    assert _listing(tmp_path) == files  # no backup, no stray WAL files


def test_a_file_that_is_not_sqlite_is_refused_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"Dette er ikke en database.\n" * 20)
    before = _digest(path)
    with pytest.raises(StoreError) as info:
        open_database(path)
    assert str(info.value) == T("store.not_sqlite", path=path)
    assert _digest(path) == before
    assert _listing(tmp_path) == ["notes.db"]


@pytest.mark.parametrize("user_version", [0, 1, 99])
def test_another_programs_sqlite_file_is_refused_unchanged(tmp_path: Path, user_version: int):
    """Many programs set user_version; whatever it says, a foreign file is never migrated."""
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('x')")
    conn.execute(f"PRAGMA user_version = {user_version}")
    conn.commit()
    conn.close()
    before = _digest(path)
    with pytest.raises(StoreError) as info:
        open_database(path)
    assert str(info.value) == T("store.not_ours", path=path)
    assert _digest(path) == before
    assert _listing(tmp_path) == ["other.db"]


def test_an_empty_file_becomes_a_database(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    db = open_database(path)
    assert db["citizens"].exists()
    db.close()


@pytest.mark.parametrize(
    ("make", "key"),
    [
        (lambda p: None, "store.missing"),
        (lambda p: p.mkdir(), "store.is_directory"),
    ],
)
def test_other_paths_are_refused_with_a_message(tmp_path: Path, make, key) -> None:
    path = tmp_path / "x.db"
    make(path)
    with pytest.raises(StoreError) as info:
        open_database(path, create=False)
    assert str(info.value) == T(key, path=path)


def test_reopening_keeps_data_and_makes_no_backup(tmp_path: Path) -> None:
    path = _make_db(tmp_path / "app.db")
    store = Store(open_database(path))
    assert store.count_citizens() == 1
    store.close()
    assert not list(tmp_path.glob("*.bak"))


# -- migrations and backups --------------------------------------------------------------


@pytest.fixture
def extra_migration(monkeypatch: pytest.MonkeyPatch):
    """Pretend a newer bip-talk appended one migration (the honest way: the same
    Migrations object gains a step, and the schema version moves up by one)."""

    def m999_test_only(db) -> None:
        db["test_only"].create({"id": int}, pk="id")

    step = schema.migrations._Migration("m999_test_only", m999_test_only)
    monkeypatch.setattr(schema.migrations, "_migrations", [*schema.migrations._migrations, step])
    monkeypatch.setattr(database_module, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    return schema.SCHEMA_VERSION + 1


def test_backup_is_made_before_migrating_an_older_file(tmp_path: Path, extra_migration: int):
    old_version = schema.SCHEMA_VERSION
    with pytest.MonkeyPatch.context() as mp:  # the file is written by the current version
        mp.setattr(schema.migrations, "_migrations", schema.migrations._migrations[:-1])
        mp.setattr(database_module, "SCHEMA_VERSION", old_version)
        path = _make_db(tmp_path / "app.db")
    assert _user_version(path) == old_version

    db = open_database(path)
    assert db["test_only"].exists()
    assert db.execute("PRAGMA user_version").fetchone()[0] == extra_migration
    db.close()

    backups = list(tmp_path.glob(f"app.db.v{old_version}-*.bak"))
    assert len(backups) == 1
    assert _mode(backups[0]) == 0o600
    assert _user_version(backups[0]) == old_version
    conn = sqlite3.connect(backups[0])
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "test_only" not in tables
    assert conn.execute("SELECT display_name FROM citizens").fetchall() == [("Kim Prøve",)]
    conn.close()


def test_a_new_file_needs_no_backup(tmp_path: Path, extra_migration: int) -> None:
    open_database(tmp_path / "fresh.db").close()
    assert not list(tmp_path.glob("*.bak"))


def test_a_backup_never_overwrites_an_earlier_one(
    tmp_path: Path, extra_migration: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", "2026-11-24T10:00:00+00:00")
    old_version = extra_migration - 1
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(schema.migrations, "_migrations", schema.migrations._migrations[:-1])
        mp.setattr(database_module, "SCHEMA_VERSION", old_version)
        path = _make_db(tmp_path / "app.db")
    earlier = tmp_path / f"app.db.v{old_version}-20261124T100000.bak"
    earlier.write_bytes(b"an earlier backup")
    open_database(path).close()
    assert earlier.read_bytes() == b"an earlier backup"
    assert len(list(tmp_path.glob("*.bak"))) == 2


# -- answers and audit -------------------------------------------------------------------


@pytest.fixture
def meeting(store: Store):
    cw = store.ensure_caseworker("ab", "Anne Bech")
    citizen = store.create_citizen("Kim Prøve", caseworker_id=cw.id)
    m = store.start_meeting(citizen.id, cw.id, "bip", "1.0.0")
    return cw, citizen, m


def _answer_audit(store: Store, citizen_id: str):
    return [a for a in store.audit_for(citizen_id) if a.entity == "answer"]


def test_answer_is_saved_and_a_change_keeps_the_old_value(store: Store, meeting) -> None:
    cw, citizen, m = meeting

    def save(a: Answer) -> None:
        store.record_answer(m.id, "citizen", "helbred", a, actor=cw.id, citizen_id=citizen.id)

    save(Answer(value=3))
    assert _answer_audit(store, citizen.id) == []  # a first answer is not a change
    save(Answer(value=3))
    assert _answer_audit(store, citizen.id) == []  # the same answer again changes nothing
    save(Answer(value=4))
    save(Answer(declined=True))
    audit = _answer_audit(store, citizen.id)
    assert [a.action for a in audit] == ["change", "change"]
    assert json.loads(audit[0].old)["value"] == 3 and json.loads(audit[0].new)["value"] == 4
    assert json.loads(audit[1].old)["value"] == 4 and json.loads(audit[1].new)["declined"]
    assert audit[0].actor_id == cw.id and audit[0].entity_key == f"{m.id}/citizen/helbred"
    assert store.answers([m.id])[m.id] == {("citizen", "helbred"): Answer(declined=True)}
    assert pg.count(store.db, "answers") == 1


def test_choices_and_text_round_trip(store: Store, meeting) -> None:
    cw, citizen, m = meeting
    store.record_answer(
        m.id,
        "citizen",
        "kanaler",
        Answer(choices=("internet", "praktik")),
        actor=cw.id,
        citizen_id=citizen.id,
    )
    store.record_answer(
        m.id, "caseworker", "note", Answer(text="æøå"), actor=cw.id, citizen_id=citizen.id
    )
    got = store.history(citizen.id)[0].answers
    assert got[("citizen", "kanaler")] == Answer(choices=("internet", "praktik"))
    assert got[("caseworker", "note")] == Answer(text="æøå")


def test_clear_answer_is_audited(store: Store, meeting) -> None:
    cw, citizen, m = meeting
    store.record_answer(
        m.id, "citizen", "kanaler", Answer(choices=("aviser",)), actor=cw.id, citizen_id=citizen.id
    )
    store.clear_answer(m.id, "citizen", "kanaler", actor=cw.id, citizen_id=citizen.id)
    store.clear_answer(m.id, "citizen", "kanaler", actor=cw.id, citizen_id=citizen.id)
    audit = _answer_audit(store, citizen.id)
    assert [a.action for a in audit] == ["clear"]
    assert json.loads(audit[0].old)["choices"] == ["aviser"]
    assert store.answers([m.id])[m.id] == {}


# -- notes -------------------------------------------------------------------------------


def test_private_notes_are_filtered_out_of_the_shared_view(store: Store, meeting) -> None:
    cw, citizen, m = meeting
    shared = store.add_note(
        m.id,
        "Vi aftalte praktik.",
        visibility="shared",
        indicator="maal",
        actor=cw.id,
        citizen_id=citizen.id,
    )
    private = store.add_note(
        m.id,
        "Min egen tvivl.",
        visibility="private",
        indicator=None,
        actor=cw.id,
        citizen_id=citizen.id,
    )
    assert [n.id for n in store.notes([m.id], include_private=False)] == [shared.id]
    assert [n.id for n in store.notes([m.id], include_private=True)] == [shared.id, private.id]
    assert private.private and not shared.private
    assert store.notes([], include_private=True) == []


def test_note_edit_keeps_the_old_text_in_the_audit(store: Store, meeting) -> None:
    cw, citizen, m = meeting
    note = store.add_note(
        m.id,
        "Første udgave",
        visibility="shared",
        indicator=None,
        actor=cw.id,
        citizen_id=citizen.id,
    )
    store.update_note(
        note.id, "Anden udgave", visibility="private", actor=cw.id, citizen_id=citizen.id
    )
    change = [a for a in store.audit_for(citizen.id) if a.entity == "note" and a.action == "change"]
    assert json.loads(change[0].old) == {"text": "Første udgave", "visibility": "shared"}
    assert store.notes([m.id], include_private=False) == []
    store.update_note(
        note.id, "Anden udgave", visibility="private", actor=cw.id, citizen_id=citizen.id
    )
    again = [a for a in store.audit_for(citizen.id) if a.entity == "note" and a.action == "change"]
    assert len(again) == 1  # saving the same text again is not a change


def test_editing_a_missing_note_is_a_clear_error(store: Store, meeting) -> None:
    cw, citizen, _ = meeting
    with pytest.raises(NotFoundError):
        store.update_note(12345, "x", visibility="shared", actor=cw.id, citizen_id=citizen.id)


# -- assignments -------------------------------------------------------------------------


def test_reassignment_is_recorded_with_history_and_audit(store: Store) -> None:
    first = store.ensure_caseworker("ab", "Anne Bech")
    second = store.ensure_caseworker("cd", "Carl Dam")
    citizen = store.create_citizen("Kim Prøve", caseworker_id=first.id)
    assert store.current_assignment(citizen.id).caseworker_id == first.id

    store.assign(citizen.id, second.id, actor=first.id, reason="ferie")
    store.assign(citizen.id, second.id, actor=first.id)  # already there: nothing happens

    history = store.assignments(citizen.id)
    assert [a.caseworker_id for a in history] == [first.id, second.id]
    assert history[0].ended_at is not None and history[1].ended_at is None
    assert history[1].reason == "ferie"
    assert store.current_assignment(citizen.id).caseworker_id == second.id
    moves = [a for a in store.audit_for(citizen.id) if a.action == "reassign"]
    assert len(moves) == 1
    assert (moves[0].old, moves[0].new, moves[0].actor_id) == (
        str(first.id),
        str(second.id),
        first.id,
    )
    assert store.search_citizens("kim")[0].caseworker_initials == "CD"


# -- search ------------------------------------------------------------------------------


@pytest.fixture
def many(store: Store):
    cw = store.ensure_caseworker("ab", "Anne Bech")
    names = [
        "Åse Holm",
        "100% Hansen",
        "100 Hansen",
        "a_b Jensen",
        "axb Jensen",
        "Bo Back\\slash",
        "Carla Ø",
    ]
    return {n: store.create_citizen(n, caseworker_id=cw.id).id for n in names}


def test_search_pages_through_everyone_once(store: Store, many) -> None:
    pages = [store.search_citizens(limit=3, offset=o) for o in (0, 3, 6, 9)]
    assert [len(p) for p in pages] == [3, 3, 1, 0]
    ids = [c.id for page in pages for c in page]
    assert sorted(ids) == sorted(many.values())
    names = [c.display_name for page in pages for c in page]
    assert names == sorted(names, key=str.casefold)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("%", ["100% Hansen"]),
        ("100%", ["100% Hansen"]),
        ("_", ["a_b Jensen"]),
        ("a_b", ["a_b Jensen"]),
        ("hansen", ["100 Hansen", "100% Hansen"]),
        ("  JENSEN ", ["a_b Jensen", "axb Jensen"]),
        ("\\", ["Bo Back\\slash"]),
        ("åse", ["Åse Holm"]),
        ("ø", ["Carla Ø"]),
        ("ingen sådan", []),
    ],
)
def test_search_treats_wildcards_literally(store: Store, many, text, expected) -> None:
    assert sorted(c.display_name for c in store.search_citizens(text)) == sorted(expected)


def test_search_finds_by_pseudonymous_id(store: Store, many) -> None:
    cid = many["Carla Ø"]
    assert [c.id for c in store.search_citizens(cid.lower())] == [cid]
