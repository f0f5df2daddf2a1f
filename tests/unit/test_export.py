"""Research export: files, columns, data dictionary, determinism and pseudonymisation."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bip_talk.domain.exchange import TABLES, pseudonym
from bip_talk.errors import InputError
from bip_talk.i18n import Translator
from bip_talk.services.exchange.export import database_counts, export_data
from bip_talk.store import Store, open_database
from tests import pg
from tests.unit.exchange_data import (
    ANSWER_TEXT,
    CASEWORKER,
    NAME,
    NOTE,
    OTHER,
    PLAN_TITLE,
    SHARED_NOTE,
    build_history,
)


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _files(folder: Path, *, manifest: bool = False) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.iterdir())
        if manifest or p.name != "manifest.json"
    }


@pytest.fixture
def history(store, pack, monkeypatch):
    return build_history(store, pack, monkeypatch)


def test_writes_one_file_per_table_with_counts_in_manifest(store, pack, history, tmp_path):
    result = export_data(store, pack, tmp_path / "out")
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert names == {f"{t.name}.csv" for t in TABLES} | {"data_dictionary.csv", "manifest.json"}
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    counts = database_counts(store)
    assert {k: v["rows"] for k, v in manifest["files"].items() if k in counts} == counts
    assert manifest["pseudonymized"] is False
    assert manifest["pack"] == {"id": pack.id, "version": pack.version}
    assert result.rows["answers"] == counts["answers"] > 0
    for table in TABLES:
        with (tmp_path / "out" / f"{table.name}.csv").open(encoding="utf-8") as fh:
            assert next(csv.reader(fh)) == table.column_names


def test_answers_are_one_row_per_meeting_perspective_item(store, pack, history, tmp_path):
    export_data(store, pack, tmp_path / "out")
    rows = _read_csv(tmp_path / "out" / "answers.csv")
    keys = [(r["meeting_id"], r["perspective"], r["item_id"]) for r in rows]
    assert len(keys) == len(set(keys)) == pg.count(store.db, "answers")
    assert {r["perspective"] for r in rows} == {"citizen", "caseworker"}
    by_key = {(r["perspective"], r["item_id"], r["meeting_id"]): r for r in rows}
    first = str(store.meetings_for(history.karin)[0].id)
    assert by_key[("caseworker", "helbred", first)]["declined"] == "1"
    assert by_key[("caseworker", "helbred", first)]["value"] == ""
    assert by_key[("citizen", "kanaler", first)]["choices"] == "internet;netvaerk"
    assert by_key[("caseworker", "tro_job", first)]["text"] == ANSWER_TEXT


def test_json_export_keeps_types(store, pack, history, tmp_path):
    export_data(store, pack, tmp_path / "out", fmt="json")
    answers = json.loads((tmp_path / "out" / "answers.json").read_text(encoding="utf-8"))
    kanaler = next(a for a in answers if a["item_id"] == "kanaler")
    assert kanaler["choices"] == ["internet", "netvaerk"] and kanaler["value"] is None
    assert all(isinstance(a["declined"], bool) for a in answers)
    assert any(isinstance(a["value"], int) for a in answers)


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_two_exports_of_the_same_data_are_byte_identical(store, pack, history, tmp_path, fmt):
    export_data(store, pack, tmp_path / "a", fmt=fmt)
    export_data(store, pack, tmp_path / "b", fmt=fmt)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")


def test_exported_at_is_only_in_the_manifest(store, pack, history, tmp_path, monkeypatch):
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", "2030-05-06T07:08:09+00:00")
    export_data(store, pack, tmp_path / "a")
    for name, data in _files(tmp_path / "a").items():
        assert b"2030-05-06" not in data, name
    assert "2030-05-06T07:08:09" in (tmp_path / "a" / "manifest.json").read_text()


def test_files_are_private(store, pack, history, tmp_path):
    export_data(store, pack, tmp_path / "out")
    for p in (tmp_path / "out").iterdir():
        assert p.stat().st_mode & 0o077 == 0, p


# -- data dictionary ---------------------------------------------------------------------


def test_dictionary_describes_every_column_and_code(store, pack, history, tmp_path):
    export_data(store, pack, tmp_path / "out")
    rows = _read_csv(tmp_path / "out" / "data_dictionary.csv")
    columns = {(r["file"], r["column"]) for r in rows if not r["code"]}
    for table in TABLES:
        for col in table.column_names:
            assert (table.name, col) in columns
    assert all(r["meaning"] and "⟨" not in r["meaning"] for r in rows)
    codes = {
        (r["file"], r["column"], r["context"], r["code"]): r["meaning"] for r in rows if r["code"]
    }
    for p in pack.perspectives:
        assert ("answers", "perspective", "", p.id) in codes
        for item in pack.items(p.id):
            meaning = codes[("answers", "item_id", p.id, item.id)]
            assert f"Indikator {item.indicator} " in meaning  # the item's indicator
            if item.type == "scale":
                labels = pack.scale_labels(item, "da")
                for n in range(1, 6):
                    assert codes[("answers", "value", f"{p.id}/{item.id}", str(n))] == labels[n - 1]
            for option in item.options:
                assert ("answers", "choices", f"{p.id}/{item.id}", option.id) in codes
    for status in ("draft", "complete"):
        assert ("meetings", "status", "", status) in codes
    for ind in pack.indicators:
        assert ("meetings", "priority", "", ind.id) in codes
    assert ("notes", "visibility", "", "private") in codes
    assert ("plan_items", "status", "", "open") in codes


def test_dictionary_follows_the_language(store, pack, history, tmp_path):
    export_data(store, pack, tmp_path / "da", t=Translator("da"))
    export_data(store, pack, tmp_path / "en", t=Translator("en"))
    da = _read_csv(tmp_path / "da" / "data_dictionary.csv")
    en = _read_csv(tmp_path / "en" / "data_dictionary.csv")
    assert len(da) == len(en)
    assert [r["code"] for r in da] == [r["code"] for r in en]
    assert any("Indicator" in r["meaning"] for r in en)
    assert da != en


# -- pseudonymisation --------------------------------------------------------------------

SECRETS = [
    NAME,
    OTHER,
    CASEWORKER,
    "Carl Dalby",
    NOTE,
    SHARED_NOTE,
    PLAN_TITLE,
    ANSWER_TEXT,
    "ny fordeling",
    "borger",
]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_pseudonymized_export_holds_no_names_ids_or_free_text(store, pack, history, tmp_path, fmt):
    export_data(store, pack, tmp_path / "p", fmt=fmt, pseudonymize=True)
    names = {p.name for p in (tmp_path / "p").iterdir()}
    assert f"notes.{fmt}" not in names
    blob = b"".join(_files(tmp_path / "p", manifest=True).values())
    data_files = b"".join(
        v for k, v in _files(tmp_path / "p").items() if not k.startswith("data_dictionary")
    )
    for secret in SECRETS:
        assert secret.encode() not in data_files, secret
    for secret in [NAME, OTHER, CASEWORKER, NOTE, PLAN_TITLE, ANSWER_TEXT]:
        assert secret.encode() not in blob, secret
    for real_id in (history.karin, history.ole):
        assert real_id.encode() not in blob
    assert b'"AB"' not in blob and b",AB," not in blob and b",CD," not in blob
    manifest = json.loads((tmp_path / "p" / "manifest.json").read_text())
    assert manifest["pseudonymized"] is True and "notes" not in manifest["files"]


def test_pseudonyms_are_stable_and_replace_every_reference(store, pack, history, tmp_path):
    export_data(store, pack, tmp_path / "a", pseudonymize=True)
    export_data(store, pack, tmp_path / "b", pseudonymize=True)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    citizens = _read_csv(tmp_path / "a" / "citizens.csv")
    workers = _read_csv(tmp_path / "a" / "caseworkers.csv")
    ids = {c["id"] for c in citizens}
    assert all(re.fullmatch(r"P-[2-9A-HJKMNP-Z]{10}", i) for i in ids) and len(ids) == 2
    assert all(c["display_name"] == "" for c in citizens)
    assert all(w["name"] == w["initials"] == "" and w["id"].startswith("M-") for w in workers)
    worker_ids = {w["id"] for w in workers}
    for m in _read_csv(tmp_path / "a" / "meetings.csv"):
        assert m["citizen_id"] in ids and m["caseworker_id"] in worker_ids
    for a in _read_csv(tmp_path / "a" / "answers.csv"):
        assert a["answered_by"] in worker_ids and a["text"] == ""
    for p in _read_csv(tmp_path / "a" / "plan_items.csv"):
        assert p["citizen_id"] in ids
        assert p["title"] == p["responsible"] == p["reason"] == p["decline_reason"] == ""
    assert citizens == sorted(citizens, key=lambda c: c["id"])  # ordered by pseudonym


def test_another_database_gives_other_pseudonyms(store, pack, history, tmp_path):
    other = Store(open_database(tmp_path / "other.db"))
    try:
        cw = other.ensure_caseworker("AB", "Someone")
        other.create_citizen("Somebody", caseworker_id=cw.id, citizen_id=history.karin)
        export_data(store, pack, tmp_path / "a", pseudonymize=True)
        export_data(other, pack, tmp_path / "b", pseudonymize=True)
    finally:
        other.close()
    a = {c["id"] for c in _read_csv(tmp_path / "a" / "citizens.csv")}
    b = {c["id"] for c in _read_csv(tmp_path / "b" / "citizens.csv")}
    assert len(b) == 1 and not a & b  # same real id, different database secret


def test_pseudonym_is_keyed_and_well_formed():
    one = pseudonym(b"k1", "citizen", "B-234567")
    assert one == pseudonym(b"k1", "citizen", "B-234567")
    assert one != pseudonym(b"k2", "citizen", "B-234567")
    assert one != pseudonym(b"k1", "citizen", "B-234568")
    assert re.fullmatch(r"P-[2-9A-HJKMNP-Z]{10}", one)
    assert re.fullmatch(r"M-[2-9A-HJKMNP-Z]{8}", pseudonym(b"k1", "caseworker", 3))


def test_dictionary_says_which_columns_are_empty(store, pack, history, tmp_path):
    export_data(store, pack, tmp_path / "p", pseudonymize=True)
    rows = {
        (r["file"], r["column"]): r["meaning"]
        for r in _read_csv(tmp_path / "p" / "data_dictionary.csv")
        if not r["code"]
    }
    blank = Translator("da")("exchange.dict.blank_when_pseudonymized")
    assert blank in rows[("citizens", "display_name")]
    assert blank in rows[("plan_items", "title")]
    assert blank not in rows[("answers", "value")]
    assert not any(f == "notes" for f, _ in rows)


def test_pseudonymized_export_over_a_full_one_removes_the_notes(store, pack, history, tmp_path):
    export_data(store, pack, tmp_path / "out", fmt="json")
    export_data(store, pack, tmp_path / "out", pseudonymize=True)
    names = {p.name for p in (tmp_path / "out").iterdir()}
    assert "notes.json" not in names and "notes.csv" not in names
    assert "citizens.json" not in names
    blob = b"".join(_files(tmp_path / "out").values())
    assert NOTE.encode() not in blob


# -- bad arguments -----------------------------------------------------------------------


def test_refuses_a_folder_with_other_files(store, pack, tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "thesis.docx").write_text("mine")
    with pytest.raises(InputError, match="ikke tom"):
        export_data(store, pack, tmp_path / "out")
    assert (tmp_path / "out" / "thesis.docx").read_text() == "mine"


def test_refuses_a_file_as_folder_and_an_unknown_format(store, pack, tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(InputError):
        export_data(store, pack, tmp_path / "f")
    with pytest.raises(InputError, match="xlsx"):
        export_data(store, pack, tmp_path / "o", fmt="xlsx")
    with pytest.raises(InputError):
        export_data(store, pack, tmp_path / "f" / "sub")


def _run(tmp_path: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "BIP_TALK_DATA_DIR": str(tmp_path / "data"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "bip_talk", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=full_env,
        timeout=60,
    )


def _main(capsys, *args: str) -> tuple[int, str, str]:
    """The real command line in this process (fast); the subprocess tests below show
    the same path works from a shell."""
    from bip_talk.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(list(args))
    out = capsys.readouterr()
    return exit_.value.code, out.out, out.err


def test_cli_export_in_process(store, database, pack, history, tmp_path, monkeypatch, capsys):
    db = str(database)
    store.close()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", "2026-06-01T12:00:00+00:00")
    for name in ("x", "y"):
        code, out, err = _main(capsys, "--db", db, "export", "--format", "json", "--out", name)
        assert code == 0, err
    assert _files(tmp_path / "x", manifest=True) == _files(tmp_path / "y", manifest=True)
    assert _main(capsys, "--db", db, "export")[0] == 0
    assert (tmp_path / "bip-talk-udtraek-2026-06-01" / "answers.csv").exists()
    assert _main(capsys, "--db", db, "--lang", "en", "export")[0] == 0
    assert (tmp_path / "bip-talk-export-2026-06-01" / "answers.csv").exists()
    (tmp_path / "afile").write_text("x")
    code, _, err = _main(capsys, "--db", db, "export", "--out", "afile")
    assert code == 2 and "afile" in err and "Traceback" not in err


def test_cli_export_subprocess(store, database, pack, history, tmp_path):
    db = str(database)
    store.close()
    ok = _run(tmp_path, "--db", db, "export", "--format", "json", "--out", "x")
    assert ok.returncode == 0, ok.stderr
    assert (tmp_path / "x" / "answers.json").exists() and "answers.json" in ok.stdout
    (tmp_path / "afile").write_text("x")
    for args, expect in [
        (["--db", db, "export", "--format", "xlsx"], "xlsx"),
        (["--db", db, "export", "--out", "afile/sub"], "afile"),
        (["--db", str(tmp_path / "nope.db"), "export", "--out", "z"], "nope.db"),
    ]:
        bad = _run(tmp_path, *args)
        assert bad.returncode != 0 and expect in bad.stderr, (args, bad.stderr)
        assert "Traceback" not in bad.stderr
    assert not (tmp_path / "nope.db").exists() and not (tmp_path / "z").exists()
