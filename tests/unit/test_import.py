"""Import: round trip, all-or-nothing, no duplicates, messages that point at the row."""

from __future__ import annotations

import csv
import functools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bip_talk.domain.exchange import TABLES
from bip_talk.errors import InputError
from bip_talk.packs import load_pack
from bip_talk.resources import default_pack_dir
from bip_talk.services.exchange.export import export_data
from bip_talk.services.exchange.imports import import_data
from bip_talk.store import Store, open_database
from bip_talk.store.concurrency import ImmediateDatabase
from bip_talk.store.schema import migrations
from tests.unit.exchange_data import NAME, build_history, dump

FROZEN = "2026-06-01T12:00:00+00:00"


@pytest.fixture
def exported(store, pack, monkeypatch, tmp_path):
    """A history exported as CSV and as JSON; returns {format: folder}."""
    build_history(store, pack, monkeypatch)
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", FROZEN)
    out = {}
    for fmt in ("csv", "json"):
        out[fmt] = tmp_path / f"export-{fmt}"
        export_data(store, pack, out[fmt], fmt=fmt)
    return out


@pytest.fixture
def empty(tmp_path):
    s = Store(open_database(tmp_path / "empty.db"))
    yield s
    s.close()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _copy(folder: Path, tmp_path: Path, name: str = "copy") -> Path:
    target = tmp_path / name
    shutil.copytree(folder, target)
    return target


def _edit_csv(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` counts like a spreadsheet (the header is row 1)."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


# -- round trip and idempotence ---------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_import_export_gives_identical_files(exported, empty, pack, tmp_path, fmt):
    result = import_data(empty, pack, exported[fmt])
    assert result.total("inserted") > 0 and result.total("updated") == 0
    export_data(empty, pack, tmp_path / "again", fmt=fmt)
    assert _files(tmp_path / "again") == _files(exported[fmt])  # the manifest too (frozen clock)


def test_import_through_the_manifest_path(exported, empty, pack):
    result = import_data(empty, pack, exported["json"] / "manifest.json")
    assert result.counts["citizens"]["inserted"] == 2


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_importing_twice_adds_nothing(exported, empty, pack, fmt):
    import_data(empty, pack, exported[fmt])
    before = dump(empty)
    again = import_data(empty, pack, exported[fmt])
    assert again.total("inserted") == again.total("updated") == 0
    assert again.total("unchanged") == sum(len(before[t.name]) for t in TABLES)
    assert dump(empty) == before
    assert empty.db.conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_reimport_into_the_source_database_changes_nothing(exported, store, pack):
    before = dump(store)
    result = import_data(store, pack, exported["csv"])
    assert result.total("inserted") == result.total("updated") == 0
    assert dump(store) == before


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_import_into_a_database_with_other_data_links_rows_correctly(
    exported, pack, tmp_path, monkeypatch, fmt
):
    other = Store(open_database(tmp_path / "busy.db"))
    try:
        cw = other.ensure_caseworker("ZZ", "Zelda Zink")
        c = other.create_citizen("Anders Andet", caseworker_id=cw.id)
        other.start_meeting(c.id, cw.id, pack.id, pack.version)  # takes meeting id 1
        import_data(other, pack, exported[fmt])
        # Every row refers to rows that are there (SQLite's checks were off meanwhile).
        assert other.db.conn.execute("PRAGMA foreign_key_check").fetchall() == []
        export_data(other, pack, tmp_path / "merged", fmt="json")
    finally:
        other.close()
    original = {
        (a["perspective"], a["item_id"], a["value"])
        for a in json.loads((exported["json"] / "answers.json").read_text())
    }
    merged = json.loads((tmp_path / "merged" / "answers.json").read_text())
    meetings = json.loads((tmp_path / "merged" / "meetings.json").read_text())
    theirs = {m["id"] for m in meetings if m["citizen_id"] != c.id}
    assert 1 not in theirs  # the imported meetings got new ids…
    assert {
        (a["perspective"], a["item_id"], a["value"]) for a in merged if a["meeting_id"] in theirs
    } == original  # …and their answers followed them


def test_changed_rows_are_updated_and_audited(exported, store, pack, tmp_path):
    folder = _copy(exported["csv"], tmp_path)
    with (folder / "citizens.csv").open(encoding="utf-8") as fh:
        row = next(i for i, line in enumerate(fh, start=1) if NAME in line)
    _edit_csv(folder / "citizens.csv", row, "display_name", "Karin Nyt-Navn")
    (folder / "manifest.json").unlink()
    result = import_data(store, pack, folder, actor=None)
    assert result.counts["citizens"]["updated"] == 1
    karin = next(c for c in store.search_citizens("Nyt-Navn"))
    audit = [a for a in store.audit_for(karin.id) if a.action == "import"]
    assert any(a.old and NAME in a.old for a in audit)


# -- rejected files change nothing ------------------------------------------------------


def test_bad_value_is_reported_with_file_row_and_field(exported, store, pack, tmp_path):
    folder = _copy(exported["csv"], tmp_path)
    _edit_csv(folder / "answers.csv", 3, "value", "7")
    before = dump(store)
    with pytest.raises(InputError) as err:
        import_data(store, pack, folder)
    assert "answers.csv række 3: value: skal være 1–5, fik 7" in str(err.value)
    assert dump(store) == before


def test_a_bad_last_file_rolls_back_the_earlier_ones(exported, empty, pack, tmp_path):
    folder = _copy(exported["csv"], tmp_path)
    _edit_csv(folder / "plan_items.csv", 2, "status", "maybe")
    before = dump(empty)
    with pytest.raises(InputError, match=r"plan_items.csv række 2: status: 'maybe'"):
        import_data(empty, pack, folder)
    assert dump(empty) == before
    assert empty.db["citizens"].count == 0


def test_json_errors_point_at_the_row(exported, empty, pack, tmp_path):
    folder = _copy(exported["json"], tmp_path)
    rows = json.loads((folder / "meetings.json").read_text())
    rows[1]["status"] = "finished"
    rows[0]["held_on"] = "1. marts"
    (folder / "meetings.json").write_text(json.dumps(rows))
    with pytest.raises(InputError) as err:
        import_data(empty, pack, folder)
    text = str(err.value)
    assert "meetings.json række 1: held_on: '1. marts' er ikke en dato" in text
    assert "meetings.json række 2: status: 'finished' er ikke tilladt" in text
    assert empty.db["citizens"].count == 0


@pytest.mark.parametrize(
    ("file", "edit", "expected"),
    [
        ("answers.csv", ("item_id", "ukendt"), "pakken kender ikke spørgsmålet 'ukendt'"),
        ("answers.csv", ("meeting_id", "999"), "meeting_id: der er ingen række med id 999"),
        ("answers.csv", ("perspective", "chef"), "ukendt kode 'chef'"),
        ("answers.csv", ("answered_at", "igår"), "'igår' er ikke et tidspunkt"),
        ("answers.csv", ("declined", "måske"), "skal være 1 eller 0"),
        ("meetings.csv", ("pack_id", "other"), "databasen bruger pakken 'bip'"),
        ("meetings.csv", ("caseworker_id", "abc"), "skal være et helt tal, fik 'abc'"),
        ("citizens.csv", ("id", "B-123"), "ikke et bip-talk-borger-id"),
        ("citizens.csv", ("display_name", "010203-1234"), "ligner et CPR-nummer"),
        ("citizens.csv", ("target_group", "vip"), "ukendt kode 'vip'"),
        ("assignments.csv", ("citizen_id", "B-ZZZZZZ"), "borgeren B-ZZZZZZ findes hverken"),
        ("notes.csv", ("text", ""), "text: mangler"),
    ],
)
def test_row_problems_name_the_place(exported, empty, pack, tmp_path, file, edit, expected):
    folder = _copy(exported["csv"], tmp_path)
    _edit_csv(folder / file, 2, *edit)
    with pytest.raises(InputError) as err:
        import_data(empty, pack, folder)
    assert f"{file} række 2" in str(err.value)
    assert expected in str(err.value)
    assert empty.db["citizens"].count == 0


def test_unknown_item_from_an_older_pack_can_be_allowed(exported, empty, pack, tmp_path):
    folder = _copy(exported["csv"], tmp_path)
    _edit_csv(folder / "answers.csv", 2, "item_id", "gammelt_spm")
    with pytest.raises(InputError, match="--allow-item gammelt_spm"):
        import_data(empty, pack, folder)
    import_data(empty, pack, folder, allow_items=["gammelt_spm"])
    assert empty.db["answers"].count_where("item_id = ?", ["gammelt_spm"]) == 1


def test_item_shape_is_checked(exported, empty, pack, tmp_path):
    folder = _copy(exported["json"], tmp_path)
    rows = json.loads((folder / "answers.json").read_text())
    kanaler = next(i for i, r in enumerate(rows) if r["item_id"] == "kanaler")
    rows[kanaler]["choices"] = ["internet", "brevdue"]
    scale = next(i for i, r in enumerate(rows) if r["value"] is not None)
    rows[scale]["declined"] = True
    (folder / "answers.json").write_text(json.dumps(rows))
    with pytest.raises(InputError) as err:
        import_data(empty, pack, folder)
    assert "'brevdue' er ikke en svarmulighed til 'kanaler'" in str(err.value)
    assert f"række {scale + 1}: declined" in str(err.value)


def test_duplicates_in_a_file_are_refused(exported, empty, pack, tmp_path):
    folder = _copy(exported["csv"], tmp_path)
    lines = (folder / "answers.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "answers.csv").write_text("".join([*lines, lines[1]]), encoding="utf-8")
    (folder / "manifest.json").unlink()
    with pytest.raises(InputError, match=rf"række {len(lines) + 1}: .*samme som række 2"):
        import_data(empty, pack, folder)


def test_header_problems(exported, empty, pack, tmp_path):
    folder = _copy(exported["csv"], tmp_path)
    text = (folder / "meetings.csv").read_text(encoding="utf-8")
    (folder / "meetings.csv").write_text(text.replace("held_on", "dato", 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        import_data(empty, pack, folder)
    assert "meetings.csv række 1: dato: ukendt kolonne" in str(err.value)
    assert "meetings.csv række 1: held_on: kolonnen mangler" in str(err.value)


def test_truncated_file_is_caught_by_the_manifest(exported, empty, pack, tmp_path):
    folder = _copy(exported["csv"], tmp_path)
    lines = (folder / "answers.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "answers.csv").write_text("".join(lines[:-2]), encoding="utf-8")
    with pytest.raises(InputError, match="manifestet lover"):
        import_data(empty, pack, folder)


def test_spreadsheet_csv_with_semicolons_and_bom_is_accepted(exported, empty, pack, tmp_path):
    folder = _copy(exported["csv"], tmp_path)
    for path in folder.glob("*.csv"):
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.reader(fh))
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh, delimiter=";", lineterminator="\r\n").writerows(rows)
    import_data(empty, pack, folder)
    export_data(empty, pack, tmp_path / "again")
    assert (tmp_path / "again" / "answers.csv").read_bytes() == (
        exported["csv"] / "answers.csv"
    ).read_bytes()


def test_folder_level_problems(exported, empty, pack, tmp_path):
    with pytest.raises(InputError, match="findes ikke"):
        import_data(empty, pack, tmp_path / "nowhere")
    with pytest.raises(InputError, match="enkelt fil"):
        import_data(empty, pack, exported["csv"] / "answers.csv")
    (tmp_path / "void").mkdir()
    with pytest.raises(InputError, match="ingen udtræksfiler"):
        import_data(empty, pack, tmp_path / "void")
    both = _copy(exported["csv"], tmp_path, "both")
    shutil.copy(exported["json"] / "answers.json", both / "answers.json")
    (both / "manifest.json").unlink()
    with pytest.raises(InputError, match="både answers.csv og answers.json"):
        import_data(empty, pack, both)
    bad = _copy(exported["csv"], tmp_path, "bad")
    (bad / "manifest.json").write_text("{not json")
    with pytest.raises(InputError, match="ikke gyldig JSON"):
        import_data(empty, pack, bad)
    (bad / "manifest.json").write_text('{"format": "something-else"}')
    with pytest.raises(InputError, match="ikke et manifest fra et bip-talk-udtræk"):
        import_data(empty, pack, bad)
    assert empty.db["citizens"].count == 0


def test_pseudonymized_export_is_refused(store, pack, tmp_path, monkeypatch, empty):
    build_history(store, pack, monkeypatch)
    export_data(store, pack, tmp_path / "p", pseudonymize=True)
    with pytest.raises(InputError, match="pseudonymiseret udtræk og kan ikke indlæses"):
        import_data(empty, pack, tmp_path / "p")
    # Without the manifest, the pseudonyms themselves give it away.
    (tmp_path / "p" / "manifest.json").unlink()
    with pytest.raises(InputError, match="pseudonym fra et pseudonymiseret udtræk"):
        import_data(empty, pack, tmp_path / "p")
    assert empty.db["citizens"].count == 0


def test_messages_in_english(exported, empty, pack, tmp_path):
    from bip_talk.i18n import Translator

    folder = _copy(exported["csv"], tmp_path)
    _edit_csv(folder / "answers.csv", 17, "value", "7")
    with pytest.raises(InputError, match=r"answers.csv row 17: value: must be 1–5, got 7"):
        import_data(empty, pack, folder, t=Translator("en"))


# -- command line -----------------------------------------------------------------------


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "BIP_TALK_DATA_DIR": str(tmp_path / "data")}
    return subprocess.run(
        [sys.executable, "-m", "bip_talk", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )


def test_cli_import(exported, tmp_path, monkeypatch, capsys):
    from bip_talk.cli import main

    db = str(tmp_path / "cli.db")
    ok = _run(tmp_path, "--db", db, "import", str(exported["csv"]))
    assert ok.returncode == 0, ok.stderr
    assert "citizens: 2 nye" in ok.stdout
    folder = _copy(exported["csv"], tmp_path)
    _edit_csv(folder / "answers.csv", 2, "value", "9")
    bad = _run(tmp_path, "--db", db, "import", str(folder))
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "answers.csv række 2: value: skal være 1–5, fik 9" in bad.stderr
    missing = _run(tmp_path, "--db", db, "import", str(tmp_path / "missing"))
    assert missing.returncode == 2 and "findes ikke" in missing.stderr
    assert "Traceback" not in missing.stderr
    # The rest in this process (same code path, much faster).
    for args, expected in [
        (["import", str(folder / "answers.csv")], "enkelt fil"),
        (["import", str(folder), "--allow-item"], "--allow-item"),
    ]:
        with pytest.raises(SystemExit) as exit_:
            main(["--db", db, *args])
        err = capsys.readouterr().err
        assert exit_.value.code == 2 and expected in err, err
    with pytest.raises(SystemExit) as exit_:
        main(["--db", str(tmp_path / "never.db"), "import", "missing"])
    assert exit_.value.code == 2 and not (tmp_path / "never.db").exists()


# -- property: bad input only ever gives InputError, and changes nothing ----------------


def _memory_store() -> Store:
    db = ImmediateDatabase(memory=True)
    db.execute("PRAGMA foreign_keys = ON")
    migrations.apply(db)
    return Store(db)


@functools.cache
def _pack():
    return load_pack(default_pack_dir())


def _import_changes_nothing_or_succeeds(folder: Path) -> None:
    pack = _pack()
    s = _memory_store()
    try:
        before = dump(s)
        try:
            import_data(s, pack, folder)
        except InputError:
            assert dump(s) == before
        else:  # the import checks references itself (SQLite's checks are off meanwhile)
            assert s.db.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        s.close()


@pytest.fixture(scope="module")
def valid_folders(tmp_path_factory, pack):
    base = tmp_path_factory.mktemp("valid")
    mp = pytest.MonkeyPatch()
    s = Store(open_database(base / "src.db"))
    try:
        build_history(s, pack, mp)
        for fmt in ("csv", "json"):
            export_data(s, pack, base / fmt, fmt=fmt)
    finally:
        s.close()
        mp.undo()
    return {fmt: base / fmt for fmt in ("csv", "json")}


FILES = [
    "manifest.json",
    "citizens.csv",
    "meetings.csv",
    "answers.csv",
    "answers.json",
    "plan_items.json",
]
_PROPERTY = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_PROPERTY
@given(name=st.sampled_from(FILES), data=st.binary(max_size=400))
def test_arbitrary_bytes_only_raise_input_error(valid_folders, tmp_path_factory, name, data):
    fmt = "json" if name.endswith(".json") and name != "manifest.json" else "csv"
    folder = tmp_path_factory.mktemp("bytes")
    shutil.copytree(valid_folders[fmt], folder, dirs_exist_ok=True)
    (folder / name).write_bytes(data)
    _import_changes_nothing_or_succeeds(folder)


@_PROPERTY
@given(
    name=st.sampled_from(FILES),
    where=st.floats(0, 1),
    cut=st.integers(0, 8),
    insert=st.text(max_size=8),
)
def test_mutated_files_only_raise_input_error(
    valid_folders, tmp_path_factory, name, where, cut, insert
):
    fmt = "json" if name.endswith(".json") and name != "manifest.json" else "csv"
    folder = tmp_path_factory.mktemp("mutated")
    shutil.copytree(valid_folders[fmt], folder, dirs_exist_ok=True)
    text = (folder / name).read_text(encoding="utf-8")
    at = int(where * len(text))
    (folder / name).write_text(
        text[:at] + insert + text[at + cut :], encoding="utf-8", errors="surrogatepass"
    )
    _import_changes_nothing_or_succeeds(folder)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@_PROPERTY
@given(
    table=st.sampled_from(["citizens", "meetings", "answers", "notes", "plan_items"]),
    row=st.integers(0, 3),
    field=st.text(min_size=1, max_size=12),
    value=JSON_VALUES,
    known=st.integers(-1, 20),
)
def test_json_fields_with_any_value_only_raise_input_error(
    valid_folders, tmp_path_factory, table, row, field, value, known
):
    """``known`` >= 0 picks one of the row's own fields, -1 adds the arbitrary ``field``."""
    folder = tmp_path_factory.mktemp("fields")
    shutil.copytree(valid_folders["json"], folder, dirs_exist_ok=True)
    rows = json.loads((folder / f"{table}.json").read_text(encoding="utf-8"))
    target = rows[row % len(rows)]
    key = sorted(target)[known % len(target)] if known >= 0 else field
    target[key] = value
    (folder / f"{table}.json").write_text(json.dumps(rows), encoding="utf-8")
    _import_changes_nothing_or_succeeds(folder)
