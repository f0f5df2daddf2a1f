"""Text people type and files bring in (issue 12, items 2 and 11): control characters
and CPR numbers are refused at entry and at import with a message that names the
field and says what to remove; whatever older databases still hold is escaped when
a command prints it.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bip_talk.domain.meeting_history import Answer
from bip_talk.domain.text import TextRefused, check_user_text, escape_control
from bip_talk.errors import InputError
from bip_talk.i18n import Translator
from bip_talk.services.exchange.export import export_data
from bip_talk.services.exchange.imports import import_data
from bip_talk.services.meeting import MeetingSession
from bip_talk.store import Store, open_database
from tests.unit.exchange_data import build_history, dump

CONTROLS = [chr(c) for c in [*range(0x00, 0x20), *range(0x7F, 0xA0)]]
LINE_CONTROLS = [c for c in CONTROLS if c not in "\n\t"]
CPR_FORMS = ["0101901234", "010190-1234", "010190 1234", "010190 - 1234", "010190–1234"]
HOSTILE = "Anna \x1b]0;pwned\x07 Hansen \x1b[2J"
FAST = settings(max_examples=80, deadline=None, derandomize=True)


# -- the one check -----------------------------------------------------------------------


@FAST
@given(st.text(max_size=30), st.sampled_from(LINE_CONTROLS), st.booleans())
def test_any_control_character_is_refused_where_it_stands(text, control, multiline):
    at = len(text) // 2
    with pytest.raises(TextRefused) as info:
        check_user_text(text[:at] + control + text[at:], multiline=multiline)
    problem = info.value.problem
    # The first control character found is named by position and code.
    if problem.kind == "control":
        assert problem.code.startswith("\\x")
        assert 1 <= problem.position <= len(text) + 1


@FAST
@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40))
def test_text_without_control_characters_or_cpr_passes_unchanged(text):
    try:
        assert check_user_text(text, multiline=True) == text
    except TextRefused as exc:
        assert exc.problem.kind == "cpr"


def test_newline_and_tab_only_where_text_may_span_lines():
    assert check_user_text("to\tlinjer\nher", multiline=True) == "to\tlinjer\nher"
    assert check_user_text("windows\r\nlinje", multiline=True) == "windows\nlinje"
    for text in ("to\nlinjer", "tab\there", "cr\r"):
        with pytest.raises(TextRefused):
            check_user_text(text, multiline=False)


@pytest.mark.parametrize("cpr", CPR_FORMS)
def test_cpr_numbers_are_refused_in_every_form(cpr):
    with pytest.raises(TextRefused) as info:
        check_user_text(f"Borgeren sagde {cpr} i telefonen", multiline=True)
    assert info.value.problem == info.value.problem.__class__("cpr", 16)


@pytest.mark.parametrize("fine", ["tlf 12345678", "B-7K3M9Q", "2026-11-24", "konto 123456789012"])
def test_numbers_that_are_not_cpr_numbers_pass(fine):
    assert check_user_text(fine) == fine


@FAST
@given(st.text(max_size=60))
def test_escaped_output_holds_no_control_character_but_newline_and_tab(text):
    out = escape_control(text)
    assert not [c for c in out if c in LINE_CONTROLS]
    if not [c for c in text if c in LINE_CONTROLS]:
        assert out == text  # clean text is left alone


# -- at entry: every store method that saves text ------------------------------------------


def _entries(store: Store, pack):
    cw = store.ensure_caseworker("ab", "Anne")
    citizen = store.create_citizen("Syntetisk", caseworker_id=cw.id)
    session = MeetingSession.open(store, pack, citizen.id, cw)
    item = store.add_plan_item(citizen.id, actor=cw.id, kind="action", title="Ok")
    note = session.add_note("ok", private=False, indicator=None)
    return {
        "display_name": lambda v: store.create_citizen(v, caseworker_id=cw.id),
        "caseworker_name": lambda v: store.ensure_caseworker("cd", v),
        "initials": lambda v: store.ensure_caseworker(v, "Navn"),
        "note": lambda v: session.add_note(v, private=True, indicator=None),
        "note_update": lambda v: store.update_note(
            note.id, v, visibility="shared", actor=cw.id, citizen_id=citizen.id
        ),
        "answer": lambda v: session.set_text("citizen", "egne_ord", v),
        "title": lambda v: store.add_plan_item(citizen.id, actor=cw.id, kind="action", title=v),
        "responsible": lambda v: store.update_plan_item(item.id, actor=cw.id, responsible=v),
        "decline_reason": lambda v: store.update_plan_item(item.id, actor=cw.id, decline_reason=v),
        "assignment_reason": lambda v: store.assign(citizen.id, cw.id + 99, actor=cw.id, reason=v),
    }


@pytest.mark.parametrize("bad", [HOSTILE, "ring på 010190 1234", "\x9b31mrød"])
def test_every_text_a_person_gives_is_checked_before_it_is_saved(store, pack, bad):
    entries = _entries(store, pack)
    t = Translator("da")
    for name, save in entries.items():
        before = dump(store)
        with pytest.raises(InputError) as info:
            save(bad)
        field = "note" if name == "note_update" else name
        assert info.value.message.startswith(t(f"text.field.{field}") + ":"), name
        assert ("CPR" in info.value.message) == ("1234" in bad), name
        assert dump(store) == before, f"{name}: nothing may be saved"


def test_the_message_says_where_and_what(store):
    cw = store.ensure_caseworker("ab", "Anne")
    db = store.db
    db.lang = "en"
    with pytest.raises(InputError) as info:
        store.create_citizen("Anna\x1b[2J", caseworker_id=cw.id)
    assert info.value.message == (
        "Name: character 5 is a control character (\\x1b) that cannot be saved – remove it "
        "(it usually comes along when text is copied)"
    )


# -- at import ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def exported(tmp_path_factory, pack):
    base = tmp_path_factory.mktemp("exported")
    mp = pytest.MonkeyPatch()
    s = Store(open_database(base / "src.db"))
    try:
        build_history(s, pack, mp)
        for fmt in ("csv", "json"):
            export_data(s, pack, base / fmt, fmt=fmt)
    finally:
        s.close()
        mp.undo()
    return base


def _edit_csv(path: Path, row: int, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[row - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize(
    ("file", "column", "value", "expected"),
    [
        ("citizens.csv", "display_name", HOSTILE, "citizens.csv row 2: display_name: character 6"),
        ("notes.csv", "text", "ring 010190 1234", "notes.csv row 2: text: holds a number"),
        ("plan_items.csv", "title", "Praktik 010190-1234", "plan_items.csv row 2: title: holds"),
        ("plan_items.csv", "reason", "a\x00b", "plan_items.csv row 2: reason: character 2"),
        ("caseworkers.csv", "name", "Anne\x9b", "caseworkers.csv row 2: name: character 5"),
        ("answers.csv", "text", "\x1b[31m", "answers.csv row"),
    ],
)
def test_import_refuses_control_characters_and_cpr_in_any_text(
    exported, store, pack, tmp_path, file, column, value, expected
):
    folder = shutil.copytree(exported / "csv", tmp_path / "bad")
    path = folder / file
    row = 2
    if file == "answers.csv":  # the row that holds a free-text answer
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        row = 2 + next(n for n, r in enumerate(rows) if r["text"])
    _edit_csv(path, row, column, value)
    before = dump(store)
    with pytest.raises(InputError) as info:
        import_data(store, pack, folder, t=Translator("en"))
    assert expected in info.value.message
    assert dump(store) == before


TEXT_FIELDS = {
    "citizens": ["display_name"],
    "notes": ["text"],
    "plan_items": ["title", "responsible", "reason", "decline_reason"],
    "answers": ["text"],
}


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    table=st.sampled_from(sorted(TEXT_FIELDS)),
    pick=st.integers(0, 10),
    value=st.text(max_size=20) | st.sampled_from([HOSTILE, *CPR_FORMS, "x\x7fy"]),
)
def test_imported_text_is_checked_like_typed_text(
    exported, tmp_path_factory, pack, table, pick, value
):
    """Whatever text a field holds, the import either refuses it with a row error or
    stores text without control characters and without CPR numbers."""
    folder = shutil.copytree(exported / "json", tmp_path_factory.mktemp("t") / "j")
    rows = json.loads((folder / f"{table}.json").read_text(encoding="utf-8"))
    field = TEXT_FIELDS[table][pick % len(TEXT_FIELDS[table])]
    rows[pick % len(rows)][field] = value
    (folder / f"{table}.json").write_text(json.dumps(rows), encoding="utf-8")
    s = Store(open_database(tmp_path_factory.mktemp("db") / "i.db"))
    try:
        try:
            import_data(s, pack, folder)
        except InputError as exc:
            assert f"{table}.json" in exc.message
            return
        stored = [r[0] for r in s.db.execute(f'SELECT "{field}" FROM "{table}"') if r[0]]
        for text in stored:
            check_user_text(text, multiline=True)  # raises if anything slipped through
    finally:
        s.close()


# -- on the way out: older databases ------------------------------------------------------------


def _older_database(tmp_path: Path, pack) -> tuple[Path, str]:
    """A database whose texts were written before the check (straight into SQLite)."""
    path = tmp_path / "old.db"
    store = Store(open_database(path))
    cw = store.ensure_caseworker("ab", "Anne")
    citizen = store.create_citizen("Anna", caseworker_id=cw.id)
    session = MeetingSession.open(store, pack, citizen.id, cw)
    for item in pack.items("citizen"):
        if item.type == "scale":
            session.rate("citizen", item.id, 3)
    session.add_note("delt note", private=False, indicator=None)
    session.complete()
    store.record_answer(  # an earlier value for the audit trail
        session.meeting.id,
        "citizen",
        "helbred",
        Answer(value=4),
        actor=cw.id,
        citizen_id=citizen.id,
    )
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE citizens SET display_name = ?", [HOSTILE])
    conn.execute("UPDATE notes SET text = ?", ["note \x1b]0;title\x07 \x9b2J"])
    conn.execute("UPDATE caseworkers SET name = ?", ["Anne \x1b[5m"])
    conn.commit()
    conn.close()
    return path, citizen.id


def _run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    env.update(BIP_TALK_DATA_DIR=str(tmp_path / "data"), BIP_TALK_LANG="en")
    return subprocess.run(
        [sys.executable, "-m", "bip_talk", *args],
        capture_output=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def _no_control(data: bytes) -> None:
    text = data.decode("utf-8")
    assert not [c for c in text if c in LINE_CONTROLS], repr(text[:300])


def test_commands_print_older_control_characters_as_escapes(tmp_path, pack):
    db, cid = _older_database(tmp_path, pack)
    runs = {
        "md": ["--db", str(db), "report", cid, "--format", "md"],
        "txt": ["--db", str(db), "report", cid, "--format", "txt"],
        "journal": ["--db", str(db), "report", cid, "--format", "txt", "--audience", "caseworker"],
        "audit": ["--db", str(db), "citizen", "audit", cid],
        "access": ["--db", str(db), "citizen", "access", cid, "--out", str(tmp_path / "a")],
        "export": ["--db", str(db), "export", "--out", str(tmp_path / "e\x1b[2J")],
    }
    for name, args in runs.items():
        done = _run(tmp_path, *args)
        assert done.returncode == 0, (name, done.stderr)
        _no_control(done.stdout)
        _no_control(done.stderr)
    md = _run(tmp_path, *runs["md"]).stdout.decode()
    assert "\\x1b" in md  # shown, not hidden: the caseworker sees something is odd
    for copy in (tmp_path / "a").glob("*.md"):
        _no_control(copy.read_bytes())
    html = _run(tmp_path, "--db", str(db), "report", cid, "--format", "html", "--out", "r.html")
    assert html.returncode == 0
    _no_control((tmp_path / "r.html").read_bytes())
