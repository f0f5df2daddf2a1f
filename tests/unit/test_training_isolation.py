"""Training never reads or writes the real database: a rehearsal leaves the real file
byte-identical, creates nothing in the data folder, and deletes its own throwaway
database folder (bip-talk-training-* in the temp directory) when it closes."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pytest

from bip_talk.errors import InputError
from bip_talk.services.training.rehearsal import TEMP_PREFIX, Rehearsal
from bip_talk.settings import Settings
from bip_talk.store import Store, open_database


def _snapshot(folder: Path) -> dict[str, tuple[int, str]]:
    """Every file below ``folder``: mode and content hash."""
    return {
        str(p.relative_to(folder)): (p.stat().st_mode, hashlib.sha256(p.read_bytes()).hexdigest())
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def own_temp(tmp_path, monkeypatch) -> Path:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


def _rehearse(settings: Settings, report: Path) -> Path:
    with Rehearsal.start(settings, "sagsbehandlerskift", seed=5, lang="en") as r:
        folder = r.folder
        assert Path(r.store.db.path).parent == folder
        r.answer_all()
        r.session.rate("caseworker", "sb_tro", 3)
        r.choose_plan(["virksomhedspraktik", "mentor"])
        r.finish_meeting()
        r.next_meeting(caseworker_changed=True)
        r.answer_all()
        r.finish_meeting()
        r.save_report(report)
        assert folder.is_dir()
    return folder


def test_real_database_is_byte_identical_and_data_folder_untouched(tmp_path, own_temp):
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    real = data / "bip-talk.db"
    store = Store(open_database(real))
    cw = store.ensure_caseworker("AB", "Anna Testesen")
    store.create_citizen("Rigtig Borger (test)", caseworker_id=cw.id)
    store.close()
    (data / "settings.toml").write_text('caseworker_initials = "AB"\n', encoding="utf-8")
    before = _snapshot(data)
    assert "bip-talk.db" in before

    settings = Settings(data_dir=data, db_path=real)
    folder = _rehearse(settings, tmp_path / "report.md")

    assert _snapshot(data) == before  # same files, same bytes, same modes; no -wal/-shm
    assert not folder.exists()
    assert list(own_temp.iterdir()) == []
    assert (tmp_path / "report.md").read_text(encoding="utf-8").startswith("# Training report")


def test_no_data_folder_is_created(tmp_path, own_temp):
    data = tmp_path / "never"
    settings = Settings(data_dir=data)  # default database path inside it
    _rehearse(settings, tmp_path / "report.md")
    assert not data.exists()
    assert list(own_temp.iterdir()) == []


def test_the_throwaway_folder_is_private_and_named(tmp_path, own_temp):
    with Rehearsal.start(Settings(data_dir=tmp_path / "data"), seed=1) as r:
        assert r.folder.parent == own_temp and r.folder.name.startswith(TEMP_PREFIX)
        assert r.folder.stat().st_mode & 0o077 == 0
        assert r.notice.startswith("Øvelse")


def test_a_failed_start_leaves_nothing_behind(tmp_path, own_temp, monkeypatch):
    settings = Settings(data_dir=tmp_path / "data")
    with pytest.raises(InputError, match="kontant_helbred"):
        Rehearsal.start(settings, "nobody", seed=1, lang="en")

    def broken(self):
        raise RuntimeError("midway")

    monkeypatch.setattr(Rehearsal, "_begin", broken)
    with pytest.raises(RuntimeError):
        Rehearsal.start(settings, seed=1)
    assert list(own_temp.iterdir()) == []
    assert not (tmp_path / "data").exists()
