"""``bip-talk report`` as a user runs it: output on the screen or in a file, and every
mistake (unknown citizen or meeting, no meetings, a place that cannot be written) a
plain message with a non-zero exit – never a traceback."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bip_talk.store import Store, open_database
from tests.unit.report_data import PRIVATE_NOTE, make_case


@pytest.fixture
def db(tmp_path: Path, pack) -> tuple[str, str, str]:
    """A database file with the report case and a citizen without meetings."""
    path = tmp_path / "reports.db"
    store = Store(open_database(path))
    try:
        case = make_case(store, pack)
        cw = store.ensure_caseworker("ab", "Anne Berg")
        empty = store.create_citizen("Uden Samtaler", caseworker_id=cw.id).id
    finally:
        store.close()
    return str(path), case.citizen_id, empty


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    env["BIP_TALK_DATA_DIR"] = str(cwd / "data")
    return subprocess.run(
        [sys.executable, "-m", "bip_talk", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_report_command_in_real_processes(db, tmp_path):
    path, citizen, empty = db
    # A plain file where a folder should be: unwritable even for root (CI may run as root).
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder")
    runs = {
        "html": ["--db", path, "report", citizen.lower(), "--format", "html"],
        "journal": [
            "--db",
            path,
            "report",
            citizen,
            "--format",
            "txt",
            "--audience",
            "caseworker",
            "--lang",
            "en",
        ],
        "unknown_citizen": ["--db", path, "report", "B-NOPE00"],
        "unknown_meeting": ["--db", path, "report", citizen, "--meeting", "999"],
        "no_meetings": ["--db", path, "report", empty],
        "unwritable": [
            "--db",
            path,
            "report",
            citizen,
            "--format",
            "html",
            "--out",
            str(blocker / "r.html"),
        ],
    }
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = dict(
            zip(runs, pool.map(lambda a: _run(tmp_path, *a), runs.values()), strict=True)
        )

    for name, result in results.items():
        assert "Traceback" not in result.stdout + result.stderr, name

    html = results["html"]
    assert html.returncode == 0, html.stderr
    written = tmp_path / f"report-{citizen}-2026-11-02.html"
    assert str(written) in html.stdout
    assert stat.S_IMODE(written.stat().st_mode) == 0o600
    assert PRIVATE_NOTE not in written.read_text(encoding="utf-8")

    journal = results["journal"]
    assert journal.returncode == 0, journal.stderr
    assert journal.stdout.startswith("Progress meeting 2 Nov 2026")
    assert "Min Plan" in journal.stdout

    for name, code, expected in [
        ("unknown_citizen", 4, "B-NOPE00"),
        ("unknown_meeting", 4, "999"),
        ("no_meetings", 4, empty),
        ("unwritable", 2, "r.html"),
    ]:
        result = results[name]
        assert result.returncode == code, (name, result.stderr)
        assert expected in result.stderr, (name, result.stderr)
        assert result.stdout == "", name
    assert blocker.read_text() == "not a folder"


def test_report_arguments_checked_in_process(db, tmp_path, capsys, monkeypatch):
    from bip_talk.cli import main

    path, citizen, _ = db
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "afolder"
    folder.mkdir()
    for args, code, expected in [
        (["--format", "pdf"], 2, "pdf"),
        (["--audience", "mayor"], 2, "mayor"),
        (["--lang", "fr"], 2, "fr"),
        (["--audience", "caseworker", "--format", "md"], 2, "--format txt"),
        (["--include-private"], 2, "--audience caseworker"),
        (["--out", str(folder)], 2, "afolder"),
    ]:
        with pytest.raises(SystemExit) as exit_:
            main(["--db", path, "report", citizen, *args])
        err = capsys.readouterr().err
        assert exit_.value.code == code and expected in err, (args, err)

    with pytest.raises(SystemExit) as exit_:
        main(["--db", path, "report", citizen, "--format", "md", "--out", "summary.md"])
    assert exit_.value.code == 0
    assert "Din samtale" in (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert str(tmp_path / "summary.md") in capsys.readouterr().out  # says where, in full

    with pytest.raises(SystemExit) as exit_:
        main(["--db", path, "report", citizen])  # Markdown on the screen
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("# Din samtale den 02.11.2026")


def test_report_never_creates_a_database(tmp_path, capsys):
    from bip_talk.cli import main

    missing = tmp_path / "none.db"
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(missing), "report", "B-ABCDEF"])
    assert exit_.value.code != 0
    assert not missing.exists()


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_out_never_writes_over_the_database_or_a_file_that_is_there(db, tmp_path):
    """``--out bip.db`` replaced the whole database with the report and said "saved"
    (exit 0); any other file named by ``--out`` was replaced without a word."""
    path, citizen, _ = db
    database = Path(path)
    before = _sha(database)
    mine = tmp_path / "mine.txt"
    mine.write_text("mine")
    refusals = {
        ("report", citizen, "--format", "html", "--out", path): "er en database",
        ("stats", "--out", path): "er en database",
        ("stats", "--out", path, "--overwrite"): "er en database",
        ("report", citizen, "--out", f"{path}-wal"): "er en database",
        ("report", citizen, "--format", "txt", "--out", str(mine)): "findes allerede",
        ("stats", "--format", "json", "--out", str(mine)): "--overwrite",
    }
    with ThreadPoolExecutor(4) as pool:
        runs = pool.map(lambda a: _run(tmp_path, "--db", path, *a), refusals)
        done = dict(zip(refusals, runs, strict=True))
    for args, words in refusals.items():
        run = done[args]
        assert run.returncode == 2 and words in run.stderr, (args, run.stdout, run.stderr)
        assert "Traceback" not in run.stderr and "gemt" not in run.stdout
    assert _sha(database) == before and mine.read_text() == "mine"
    # --overwrite replaces a file the user named; the database stays as it was.
    run = _run(
        tmp_path, "--db", path, "stats", "--format", "json", "--out", str(mine), "--overwrite"
    )
    assert run.returncode == 0 and mine.read_text().startswith("{"), run.stderr
    assert _sha(database) == before
    # The app's own default name is brought up to date by a second run.
    for _ in range(2):
        run = _run(tmp_path, "--db", path, "report", citizen, "--format", "html")
        assert run.returncode == 0, run.stderr
