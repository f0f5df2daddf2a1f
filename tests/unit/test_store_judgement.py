"""SQLite decides what is readable, and refusals change nothing (issue 12, items 4, 5,
7, 8 and 9).

- a file a crash left mid-checkpoint (header page count beyond the file, the rest in
  the WAL) is readable, never "cut short";
- a read-only mount says read-only, never damaged;
- a refused newer file with an uncheckpointed WAL keeps its bytes and its WAL;
- an empty (0-byte) file is no database for commands that read;
- damage quick_check misses (an index out of step) gives a message naming doctor, and
  doctor finds it, says how to repair it and repairs it;
- a text cell or the schema with bytes that are not UTF-8.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from bip_talk import cli as cli_module
from bip_talk.domain.meeting_history import Answer
from bip_talk.errors import StoreError
from bip_talk.i18n import Translator
from bip_talk.services.meeting import MeetingSession
from bip_talk.store import Store, open_database, schema
from bip_talk.store.health import check_database
from tests.unit.tmpfs import tmpfs

T = Translator("en")
NAME = "Syntetisk Borger"


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli_module.main(["--lang", "en", *args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def _fill(path: Path, pack, citizens: int = 3) -> list[str]:
    store = Store(open_database(path))
    cw = store.ensure_caseworker("ab", "Anne")
    ids = []
    for n in range(citizens):
        citizen = store.create_citizen(f"{NAME} {n}", caseworker_id=cw.id)
        session = MeetingSession.open(store, pack, citizen.id, cw)
        for item in pack.items("citizen"):
            if item.type == "scale":
                session.rate("citizen", item.id, 1 + n % 5)
        session.add_note(f"note {n}", private=False, indicator=None)
        session.complete()
        ids.append(citizen.id)
    store.close()
    return ids


# -- item 4: a crash during a checkpoint -----------------------------------------------------


def _crash_mid_checkpoint(tmp_path: Path) -> Path:
    """A WAL-mode file as a crash (or a full disk) during a checkpoint leaves it: the
    checkpoint had copied page 1 – with the new, larger page count – into the file, but
    not yet the pages after the file's end; the WAL still holds them all."""
    src = tmp_path / "live.db"
    open_database(src).close()
    writer = sqlite3.connect(src)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    cw = writer.execute(
        "INSERT INTO caseworkers (initials, name, created_at) VALUES "
        "('AB', 'Anne', '2026-01-01T00:00:00')"
    ).lastrowid
    for n in range(300):
        writer.execute(
            "INSERT INTO citizens (id, display_name, search_key, created_at) VALUES (?, ?, ?, ?)",
            [f"B-{n:06d}", f"{NAME} {n}" + " x" * 50, "k", "2026-01-01T00:00:00"],
        )
    writer.commit()
    assert cw
    crashed = tmp_path / "crashed.db"
    for suffix in ("", "-wal"):  # copied while the writer is alive: nothing checkpointed
        shutil.copyfile(f"{src}{suffix}", f"{crashed}{suffix}")
    writer.close()
    wal = Path(f"{crashed}-wal").read_bytes()
    page_size = int.from_bytes(wal[8:12], "big")
    frame, page1 = 32, None
    while frame + 24 + page_size <= len(wal):
        if int.from_bytes(wal[frame : frame + 4], "big") == 1:
            page1 = wal[frame + 24 : frame + 24 + page_size]
        frame += 24 + page_size
    assert page1 is not None
    with crashed.open("r+b") as fh:
        fh.write(page1)
    header = crashed.read_bytes()[:100]
    pages = int.from_bytes(header[28:32], "big")
    assert header[24:28] == header[92:96]  # the header's count is one SQLite trusts …
    assert pages * page_size > crashed.stat().st_size  # … and it is beyond the file's end
    return crashed


def test_a_file_left_mid_checkpoint_is_readable_not_damaged(tmp_path: Path) -> None:
    crashed = _crash_mid_checkpoint(tmp_path)
    code, out, err = _cli("--db", str(crashed), "doctor")
    assert code == 0, err
    assert f"{T('doctor.count_citizens')} 300" in out
    store = Store(open_database(crashed))  # and the app opens it, as SQLite does
    assert store.count_citizens() == 300
    store.close()


# -- item 4: a read-only mount ----------------------------------------------------------------


def test_a_read_only_mount_is_called_read_only(tmp_path: Path, pack) -> None:
    with tmpfs("4m") as mount:
        path = mount / "app.db"
        _fill(path, pack, citizens=2)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
        before = _digest(path)
        code, out, err = _cli("--db", str(path), "doctor")
        assert code == 3
        assert T("store.read_only", path=path) in err
        assert "damaged" not in err
        assert f"{T('doctor.count_citizens')} 2" in out  # it could still be read
        with pytest.raises(StoreError) as info:
            open_database(path, lang="en")
        assert str(info.value) == T("store.read_only_mount", path=path)
        assert _digest(path) == before


# -- item 8: a refused file keeps its bytes and its WAL -------------------------------------------


def test_a_refused_newer_file_with_a_wal_is_not_changed(tmp_path: Path, pack) -> None:
    src = tmp_path / "newer-live.db"
    _fill(src, pack, citizens=2)
    writer = sqlite3.connect(src)
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    writer.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    writer.execute("UPDATE citizens SET display_name = 'written by a newer bip-talk'")
    writer.commit()
    path = tmp_path / "newer.db"
    for suffix in ("", "-wal", "-shm"):
        shutil.copyfile(f"{src}{suffix}", f"{path}{suffix}")
    writer.close()
    wal = Path(f"{path}-wal")
    before = (_digest(path), _digest(wal))
    assert wal.stat().st_size > 0
    code, _, err = _cli("--db", str(path), "doctor")
    assert code == 3
    assert (
        T(
            "store.newer_schema",
            path=path,
            found=schema.SCHEMA_VERSION + 1,
            known=schema.SCHEMA_VERSION,
        )
        in err
    )
    assert (_digest(path), _digest(wal)) == before, "checkpointed, or the WAL deleted"
    with pytest.raises(StoreError):  # the app, at start
        open_database(path, lang="en")
    assert (_digest(path), _digest(wal)) == before


# -- item 9: an empty file ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["report", "B-7K3M9Q"],
        ["citizen", "audit", "B-7K3M9Q"],
        ["citizen", "access", "B-7K3M9Q"],
        ["citizen", "erase", "B-7K3M9Q", "--yes"],
        ["export"],
        ["doctor"],
    ],
)
def test_an_empty_file_is_no_database_to_read(tmp_path: Path, monkeypatch, args) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "empty.db"
    path.touch()
    code, out, err = _cli("--db", str(path), *args)
    assert code != 0
    assert path.stat().st_size == 0, "no schema written into it"
    assert not Path(f"{path}-wal").exists()
    assert "Traceback" not in err
    assert T("store.empty", path=path) in err or T("store.missing", path=path) in err


def test_the_app_still_starts_a_new_database_in_an_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "touched.db"
    path.touch()
    open_database(path).close()
    assert path.stat().st_size > 0


# -- item 5: damage quick_check misses ---------------------------------------------------------


def _index_out_of_step(path: Path, index: str, change: str, *args: object) -> None:
    """``change`` runs while ``index`` is not kept up to date (SQLite's writable schema
    makes it look partial for a moment): the index then misses rows or keeps rows that
    are gone. integrity_check finds that, quick_check does not look."""
    conn = sqlite3.connect(path)
    sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = ?", [index]).fetchone()[0]
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", [sql + " WHERE 0", index])
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)
    conn.execute(change, args)
    conn.commit()
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("UPDATE sqlite_master SET sql = ? WHERE name = ?", [sql, index])
    conn.commit()
    conn.close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] != "ok"
    conn.close()


@pytest.fixture
def damaged(tmp_path: Path, pack) -> tuple[Path, list[str]]:
    path = tmp_path / "damaged.db"
    ids = _fill(path, pack)
    _index_out_of_step(
        path, "idx_citizens_by_name", "UPDATE citizens SET display_name = display_name || '!'"
    )
    return path, ids


def test_erase_seed_and_import_on_damage_name_doctor(damaged, tmp_path: Path, pack) -> None:
    path, ids = damaged
    export = tmp_path / "export"
    code, _, err = _cli("--db", str(path), "export", "--out", str(export))
    assert code == 0, err
    for args in (["citizen", "erase", ids[0], "--yes"], ["import", str(export)]):
        code, _, err = _cli("--db", str(path), *args)
        assert code == 3, (args, err)
        assert "Unexpected error" not in err
        assert f"bip-talk --db {path} doctor" in err, (args, err)
    store = Store(open_database(path))
    assert store.count_citizens() == len(ids), "nothing erased"
    store.close()


def test_seed_into_a_file_with_a_stale_index_names_doctor(tmp_path: Path, pack) -> None:
    """The unique index of initials still lists a caseworker whose row is gone: seed
    would reuse that id, and the foreign key refuses it."""
    from bip_talk.domain.synthetic.cohort import CohortModel

    path = tmp_path / "stale.db"
    _fill(path, pack, citizens=1)
    pool = [c.initials for c in CohortModel(pack, 1).caseworkers(4)]
    store = Store(open_database(path))
    for initials in pool:
        store.ensure_caseworker(initials, "Syntetisk")
    store.close()
    _index_out_of_step(
        path, "idx_caseworkers_initials", "DELETE FROM caseworkers WHERE initials != 'AB'"
    )
    code, _, err = _cli("seed", "--citizens", "3", "--append", "--db", str(path))
    assert code == 3, err
    assert "Unexpected error" not in err
    assert f"bip-talk --db {path} doctor" in err
    store = Store(open_database(path))
    assert store.count_citizens() == 1, "the whole seed was undone"
    store.close()


def test_doctor_finds_index_damage_and_repairs_it(damaged) -> None:
    path, ids = damaged
    code, _, err = _cli("--db", str(path), "doctor")
    assert code == 3
    assert "missing from index idx_citizens_by_name" in err
    assert f"bip-talk --db {path} doctor --repair" in err
    code, out, err = _cli("--db", str(path), "doctor", "--repair")
    assert code == 0, err
    backups = list(path.parent.glob("damaged.db.v*.bak"))
    assert len(backups) == 1
    assert T("doctor.repaired", backup=backups[0]) in out
    assert T("doctor.integrity_ok") in out
    code, _, err = _cli("--db", str(path), "citizen", "erase", ids[0], "--yes")
    assert code == 0, err


def test_doctor_says_to_restore_a_backup_when_data_pages_are_damaged(tmp_path, pack) -> None:
    path = tmp_path / "pages.db"
    _fill(path, pack)
    conn = sqlite3.connect(path)
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'notes'").fetchone()[0]
    conn.close()
    shutil.copyfile(path, tmp_path / "pages.db.v4-20260101T000000.bak")
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    start = (root - 1) * size
    data[start + 8 : start + 12] = b"\xff\xff\xff\xff"  # the page's cell pointers
    path.write_bytes(bytes(data))
    code, _, err = _cli("--db", str(path), "doctor")
    assert code == 3
    assert "repair" not in err.split("–")[0]
    assert "pages.db.v4-20260101T000000.bak" in err
    code, _, err = _cli("--db", str(path), "doctor", "--repair")
    assert code == 3
    assert "pages.db.v4-20260101T000000.bak" in err


# -- item 7: bytes that are not UTF-8 ------------------------------------------------------------


def test_a_text_cell_that_is_not_utf8_is_shown_with_replacement_and_named(tmp_path, pack):
    path = tmp_path / "bytes.db"
    ids = _fill(path, pack, citizens=2)
    conn = sqlite3.connect(path)
    conn.execute(
        "UPDATE citizens SET display_name = CAST(X'416E6E61FF' AS TEXT) WHERE id = ?", [ids[0]]
    )
    note_id = conn.execute("SELECT min(id) FROM notes").fetchone()[0]
    conn.execute("UPDATE notes SET text = CAST(X'6E6F7465C3' AS TEXT) WHERE id = ?", [note_id])
    conn.commit()
    conn.close()
    where_name = T("store.bad_text", table="citizens", row=ids[0], column="display_name")
    where_note = T("store.bad_text", table="notes", row=note_id, column="text")
    runs = [
        ["report", ids[0]],
        ["report", ids[0], "--format", "txt", "--audience", "caseworker"],
        ["citizen", "audit", ids[0]],
        ["citizen", "access", ids[0], "--out", str(tmp_path / "access")],
        ["export", "--out", str(tmp_path / "export")],
    ]
    for args in runs:
        code, out, err = _cli("--db", str(path), *args)
        assert code == 0, (args, err)
        assert where_name in err and where_note in err, (args, err)
    code, out, _ = _cli("--db", str(path), "report", ids[0])
    assert "Anna\ufffd" in out
    assert "Anna\ufffd" in (tmp_path / "export" / "citizens.csv").read_text(encoding="utf-8")
    code, out, err = _cli("--db", str(path), "doctor")
    assert code == 0
    assert where_name in err and T("doctor.ok_with_warnings") in out


def test_a_schema_byte_that_is_not_utf8_is_reported_by_doctor(tmp_path, pack) -> None:
    path = tmp_path / "schema.db"
    _fill(path, pack, citizens=1)
    data = bytearray(path.read_bytes())
    start = data.index(b'CREATE TABLE "notes"')
    at = data.index(b'"id" INTEGER PRIMAR', start) + len(b'"id" INTEGER PRIMAR')
    data[at] = 0xFF  # "PRIMAR\xff KEY": SQLite still parses it, as a type name
    path.write_bytes(bytes(data))
    before = _digest(path)
    code, _, err = _cli("--db", str(path), "doctor")
    assert code == 3
    assert T("store.bad_schema", name="notes") in err
    with pytest.raises(StoreError):
        open_database(path)
    assert _digest(path) == before


def test_health_reports_no_bad_text_on_a_clean_file(tmp_path, pack) -> None:
    path = tmp_path / "clean.db"
    _fill(path, pack, citizens=1)
    assert check_database(path).bad_text == []
    store = Store(open_database(path))
    store.record_answer(1, "citizen", "x", Answer(text="tekst"), actor=1, citizen_id="-")
    store.close()
