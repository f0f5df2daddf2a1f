"""Erasure reaches every copy bip-talk wrote (issue 12, item 14): the summaries and
reports it saved in its own folder are deleted, the backups made before upgrades no
longer hold the citizen, and what it cannot clean is listed with its path."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from bip_talk.i18n import Translator
from bip_talk.services.reports import save_meeting_reports
from bip_talk.store import Store, open_database
from bip_talk.store.concurrency import ImmediateDatabase
from bip_talk.store.schema import migrations
from tests.unit.exchange_data import NAME, NOTE, OTHER, SHARED_NOTE, build_history

T = Translator("en")


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    env.update(BIP_TALK_DATA_DIR=str(tmp_path / "data"), BIP_TALK_LANG="en")
    return subprocess.run(
        [sys.executable, "-m", "bip_talk", *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def _holds(path: Path, *texts: str) -> bool:
    data = b"".join(p.read_bytes() for p in [path, *path.parent.glob(path.name + "-*")])
    return any(t.encode() in data for t in texts)


def _older_file_with_the_citizen(path: Path, pack, monkeypatch) -> None:
    """A database at schema 5, as an older bip-talk left it, with the history in it."""
    db = ImmediateDatabase(path)
    migrations.apply(db, stop_before="m006_one_draft_per_citizen")
    db.execute("PRAGMA user_version = 5")
    build_history(Store(db), pack, monkeypatch)
    db.close()


def test_erase_removes_the_citizen_from_every_copy(tmp_path: Path, pack, monkeypatch) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    db = data / "bip-talk.db"
    _older_file_with_the_citizen(db, pack, monkeypatch)
    store = Store(open_database(db))  # the upgrade makes a backup that holds everyone
    [backup] = list(data.glob("bip-talk.db.v5-*.bak"))
    karin = store.db.execute("SELECT id FROM citizens WHERE display_name = ?", [NAME]).fetchone()[0]
    ole = store.db.execute("SELECT id FROM citizens WHERE display_name = ?", [OTHER]).fetchone()[0]
    meeting = [m for m in store.meetings_for(karin) if not m.is_draft][0]
    reports = data / "reports"
    saved = save_meeting_reports(store, pack, karin, meeting.id, reports, "da")  # the app's "s"
    old_style = reports / f"summary-{karin}-2025-12-01.md"  # saved before files were recorded
    old_style.write_text(NAME)
    store.close()
    assert _holds(backup, NAME) and NAME in saved.summary.read_text()

    elsewhere = tmp_path / "desk"
    elsewhere.mkdir()
    assert (
        _run(
            tmp_path,
            "--db",
            str(db),
            "report",
            karin,
            "--format",
            "html",
            "--out",
            str(elsewhere / "til-borgeren.html"),
        ).returncode
        == 0
    )
    assert (
        _run(
            tmp_path,
            "--db",
            str(db),
            "citizen",
            "access",
            karin,
            "--out",
            str(elsewhere / "indsigt"),
        ).returncode
        == 0
    )
    assert (
        _run(tmp_path, "--db", str(db), "export", "--out", str(elsewhere / "udtraek")).returncode
        == 0
    )
    assert (
        _run(
            tmp_path,
            "--db",
            str(db),
            "export",
            "--pseudonymize",
            "--out",
            str(elsewhere / "pseudo"),
        ).returncode
        == 0
    )

    done = _run(tmp_path, "--db", str(db), "citizen", "erase", karin, "--yes")
    assert done.returncode == 0, done.stderr
    out = done.stdout

    # Its own folder: the files are gone, the citizen's and the older one alike.
    assert T("gdpr.erase_removed") in out
    for path in (saved.summary, saved.html, old_style):
        assert not path.exists()
        assert str(path) in out
    # The backup: rewritten without the citizen, still holding the other citizen.
    assert T("gdpr.erase_cleaned") in out and str(backup) in out
    assert not _holds(backup, NAME, NOTE, SHARED_NOTE, karin)
    conn = sqlite3.connect(backup)
    assert conn.execute("SELECT count(*) FROM citizens WHERE id = ?", [ole]).fetchone()[0] == 1
    conn.close()
    # What it cannot clean, named with its path and what it is.
    assert T("gdpr.erase_left") in out
    left = out.split(T("gdpr.erase_left"))[1]
    for path, kind in (
        (elsewhere / "til-borgeren.html", "report"),
        (elsewhere / "indsigt" / T("gdpr.file_text", id=karin), "access"),
        (elsewhere / "indsigt" / T("gdpr.file_data", id=karin), "access"),
        (elsewhere / "udtraek", "export"),
    ):
        assert f"  {path} ({T('gdpr.copy_kind.' + kind)})" in left, (path, left)
    assert "pseudo" not in left  # no names, no notes, no real ids
    # And the database itself keeps no trace of those files' citizen.
    assert not _holds(db, NAME, NOTE, karin)

    # A second erasure (of the other citizen) no longer lists the first one's files.
    again = _run(tmp_path, "--db", str(db), "citizen", "erase", ole, "--yes")
    assert again.returncode == 0, again.stderr
    assert "til-borgeren" not in again.stdout
    assert str(elsewhere / "udtraek") in again.stdout  # the export still holds everyone


def test_a_deleted_file_is_simply_forgotten(tmp_path: Path, pack, monkeypatch) -> None:
    db = tmp_path / "app.db"
    store = Store(open_database(db))
    history = build_history(store, pack, monkeypatch)
    store.close()
    out = tmp_path / "r.html"
    assert (
        _run(
            tmp_path,
            "--db",
            str(db),
            "report",
            history.karin,
            "--format",
            "html",
            "--out",
            str(out),
        ).returncode
        == 0
    )
    out.unlink()
    done = _run(tmp_path, "--db", str(db), "citizen", "erase", history.karin, "--yes")
    assert done.returncode == 0
    assert T("gdpr.erase_left") not in done.stdout
