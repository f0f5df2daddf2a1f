"""Bad database files given with --db: a clear message, a non-zero exit, no traceback,
and the file byte for byte as it was (issue 8: bad databases).

Each case is tried twice: through ``bip-talk doctor`` in a subprocess (what a user
runs) and through ``open_database`` for writing (what the app does at start).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from bip_talk import cli as cli_module
from bip_talk.domain.meeting_history import Answer
from bip_talk.errors import StoreError
from bip_talk.i18n import Translator
from bip_talk.store import Store, open_database, schema
from bip_talk.store import database as database_module
from bip_talk.store.health import check_database

T = Translator("en")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bip-talk database with enough in it to span many pages."""
    path = tmp_path_factory.mktemp("real") / "real.db"
    store = Store(open_database(path))
    cw = store.ensure_caseworker("ab", "Anne Bech")
    with store.db.atomic():  # one commit: quick to build
        for n in range(12):
            citizen = store.create_citizen(f"Syntetisk Borger {n}", caseworker_id=cw.id)
            meeting = store.start_meeting(citizen.id, cw.id, "bip", "1.0.0")
            for k in range(20):
                store.record_answer(
                    meeting.id,
                    "citizen",
                    f"item{k}",
                    Answer(value=1 + k % 5),
                    actor=cw.id,
                    citizen_id=citizen.id,
                )
            store.add_note(
                meeting.id,
                "syntetisk note " * 40,
                visibility="shared",
                indicator=None,
                actor=cw.id,
                citizen_id=citizen.id,
            )
    store.close()
    return path


def _copy(real_db: Path, target: Path) -> Path:
    shutil.copyfile(real_db, target)
    os.chmod(target, 0o600)
    return target


def _page_size(path: Path) -> int:
    return int.from_bytes(path.read_bytes()[16:18], "big")


# Each maker turns a healthy copy into one kind of bad file and returns the path to give
# --db, plus the catalog key whose text the user must see.
def _not_sqlite(path: Path) -> tuple[Path, str]:
    path.write_text("name;answer\nKim;3\n", encoding="utf-8")
    return path, "store.not_sqlite"


def _truncated(path: Path) -> tuple[Path, str]:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path, "store.damaged"


def _cut_mid_page(path: Path) -> tuple[Path, str]:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 + 100])
    return path, "store.damaged"


def _garbage_in_the_middle(path: Path) -> tuple[Path, str]:
    """A whole page in the middle overwritten: the header still looks fine."""
    data = bytearray(path.read_bytes())
    size = _page_size(path)
    middle = (len(data) // size // 2) * size
    data[middle : middle + size] = bytes((n * 37 + 11) % 256 for n in range(size))
    path.write_bytes(bytes(data))
    return path, "store.damaged"


def _read_only(path: Path) -> tuple[Path, str]:
    os.chmod(path, 0o400)
    return path, "store.read_only"


def _newer_schema(path: Path) -> tuple[Path, str]:
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()
    return path, "store.newer_schema"


CASES: dict[str, Callable[[Path], tuple[Path, str]]] = {
    "not-sqlite": _not_sqlite,
    "truncated": _truncated,
    "cut-mid-page": _cut_mid_page,
    "garbage-in-the-middle": _garbage_in_the_middle,
    "read-only": _read_only,
    "newer-schema": _newer_schema,
}


def _fixed_part(key: str) -> str:
    """The message's words before its first placeholder (paths differ per run)."""
    text = T(key)
    head = text.split("{")[0].strip()
    return head or text.split("}")[1].split("{")[0].strip()


class _Result:
    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def _doctor(db: Path, *, subprocess_run: bool = False) -> _Result:
    """``bip-talk --db DB doctor`` through the same ``main`` the console script calls;
    in-process by default (fast), in a real subprocess where that matters."""
    if subprocess_run:
        env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
        env.update(BIP_TALK_DATA_DIR=os.environ["BIP_TALK_DATA_DIR"], BIP_TALK_LANG="en")
        done = subprocess.run(
            [sys.executable, "-m", "bip_talk", "--db", str(db), "doctor"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        return _Result(done.returncode, done.stdout, done.stderr)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli_module.main(["--db", str(db), "--lang", "en", "doctor"])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return _Result(code, out.getvalue(), err.getvalue())


def _side_files(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()} - {path.name}


@pytest.mark.parametrize("case", CASES)
def test_doctor_refuses_a_bad_file_and_leaves_it_alone(real_db: Path, tmp_path: Path, case: str):
    path, key = CASES[case](_copy(real_db, tmp_path / "bad.db"))
    before, others = _digest(path), _side_files(path)
    result = _doctor(path, subprocess_run=case == "garbage-in-the-middle")
    assert result.returncode != 0, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert _fixed_part(key) in result.stderr
    assert str(path) in result.stderr
    assert _digest(path) == before
    assert _side_files(path) == others, "no -wal, -shm or backup left behind"


@pytest.mark.parametrize("case", CASES)
def test_the_app_refuses_a_bad_file_before_writing(real_db: Path, tmp_path: Path, case: str):
    path, key = CASES[case](_copy(real_db, tmp_path / "bad.db"))
    before, others = _digest(path), _side_files(path)
    with pytest.raises(StoreError) as info:
        open_database(path, lang="en")
    assert _fixed_part(key) in str(info.value)
    assert _digest(path) == before
    assert _side_files(path) == others


def test_a_damaged_file_is_refused_before_it_is_switched_to_wal(real_db: Path, tmp_path: Path):
    """A file in rollback-journal mode (e.g. copied by another tool) with a bad page:
    switching it to WAL would write its header, so the check comes first."""
    path = _copy(real_db, tmp_path / "journal.db")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    path, _ = _garbage_in_the_middle(path)
    before = _digest(path)
    with pytest.raises(StoreError):
        open_database(path, lang="en")
    assert _digest(path) == before


def test_missing_folder_is_named_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "no" / "such" / "folder" / "app.db"
    result = _doctor(path)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert _fixed_part("store.no_folder") in result.stderr
    assert str(path.parent) in result.stderr
    with pytest.raises(StoreError):
        open_database(path, lang="en")
    assert not (tmp_path / "no").exists()


def test_doctor_never_creates_a_database(tmp_path: Path) -> None:
    path = tmp_path / "not-yet.db"
    result = _doctor(path)
    assert result.returncode != 0
    assert _fixed_part("store.missing") in result.stderr
    assert not path.exists()


def test_a_folder_given_as_db_gets_usage_help(tmp_path: Path) -> None:
    result = _doctor(tmp_path, subprocess_run=True)
    assert result.returncode == 2
    assert "Usage: bip-talk" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_read_only_folder_is_refused_before_writing(real_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    path = _copy(real_db, folder / "app.db")
    before = _digest(path)
    os.chmod(folder, 0o500)
    try:
        with pytest.raises(StoreError) as info:
            open_database(path, lang="en")
    finally:
        os.chmod(folder, 0o700)
    assert _fixed_part("store.read_only_folder") in str(info.value)
    assert _digest(path) == before


def test_doctor_reports_a_healthy_file(real_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "private"
    folder.mkdir(mode=0o700)
    path = _copy(real_db, folder / "app.db")
    before = _digest(path)
    result = _doctor(path)
    assert result.returncode == 0, result.stderr
    version = schema.SCHEMA_VERSION
    assert T("doctor.schema", found=version, known=version) in result.stdout
    assert T("doctor.integrity_ok") in result.stdout
    assert f"{T('doctor.count_citizens')} 12" in result.stdout
    assert f"{T('doctor.count_answers')} 240" in result.stdout
    assert T("doctor.all_ok") in result.stdout
    assert result.stderr == ""
    assert _digest(path) == before


def test_doctor_counts_accounts_outcomes_and_the_access_log(tmp_path: Path) -> None:
    from tests.unit.server_data import build_server

    server = build_server(tmp_path / "server")
    conn = sqlite3.connect(server.path)
    expected = {
        name: conn.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
        for name in ("accounts", "access_log", "outcomes")
    }
    conn.close()
    assert expected["accounts"] > 0 and expected["access_log"] > 0
    result = _doctor(server.path)
    assert result.returncode == 0, result.stderr
    for name, count in expected.items():
        assert f"{T('doctor.count_' + name)} {count}" in result.stdout, result.stdout


def test_doctor_warns_about_open_permissions(real_db: Path, tmp_path: Path) -> None:
    folder = tmp_path / "open"
    folder.mkdir()
    os.chmod(folder, 0o755)
    path = _copy(real_db, folder / "app.db")
    os.chmod(path, 0o644)
    result = _doctor(path)
    assert result.returncode == 0
    assert T("doctor.warn_file", path=path) in result.stderr
    assert T("doctor.warn_dir", folder=folder) in result.stderr
    health = check_database(path)
    assert not health.file_private and not health.dir_private


def test_a_failing_migration_changes_nothing(
    real_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A newer bip-talk whose migration breaks half-way: the file keeps its old schema
    and data (one transaction), and the backup taken first is there to fall back on."""
    path = _copy(real_db, tmp_path / "app.db")

    def m998_breaks(db) -> None:
        db["half_done"].create({"id": int}, pk="id")
        db.execute("UPDATE citizens SET display_name = 'overwritten'")
        raise RuntimeError("a bug in a migration")

    step = schema.migrations._Migration("m998_breaks", m998_breaks)
    monkeypatch.setattr(schema.migrations, "_migrations", [*schema.migrations._migrations, step])
    monkeypatch.setattr(database_module, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    with pytest.raises(RuntimeError):
        open_database(path)
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    names = {r[0] for r in conn.execute("SELECT display_name FROM citizens")}
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    assert "half_done" not in tables
    assert "overwritten" not in names and len(names) == 12
    assert version == schema.SCHEMA_VERSION
    assert len(list(tmp_path.glob("app.db.v*.bak"))) == 1
