"""The audit trail (issue 8): every change of an answer, note or plan item keeps the
earlier value with who and when, and ``bip-talk citizen audit ID`` shows it."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pytest

from bip_talk import cli as cli_module
from bip_talk.errors import NotFoundError
from bip_talk.i18n import Translator
from bip_talk.services.audit_trail import audit_trail, local_minutes
from bip_talk.services.gdpr import erase
from bip_talk.services.meeting import MeetingSession
from bip_talk.store import Store
from bip_talk.store.targets import open_target

FIRST = "2026-11-24T09:00:00+00:00"
SECOND = "2026-11-24T09:05:00+00:00"
THIRD = "2026-11-24T09:10:00+00:00"


@pytest.fixture
def db_path(database):
    return database


@pytest.fixture
def world(db_path, pack, monkeypatch: pytest.MonkeyPatch):
    """One citizen seen by AB, whose answer AB and then CD change."""
    store = Store(open_target(db_path))
    ab = store.ensure_caseworker("AB", "Anne Bech")
    cd = store.ensure_caseworker("CD", "Carl Dam")
    citizen = store.create_citizen("Syntetisk Kim", caseworker_id=ab.id)
    session = MeetingSession.open(store, pack, citizen.id, ab)
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", FIRST)
    session.rate("citizen", "helbred", 2)
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", SECOND)
    session.rate("citizen", "helbred", 4)
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", THIRD)
    session.actor = cd
    session.decline("citizen", "helbred")
    yield store, citizen, ab, cd, session
    store.close()


def test_editing_an_answer_twice_keeps_both_earlier_values(world) -> None:
    store, citizen, ab, cd, _ = world
    rows = [a for a in store.audit_for(citizen.id) if a.entity == "answer"]
    assert len(rows) == 2
    first, second = rows
    assert json.loads(first.old)["value"] == 2 and json.loads(first.new)["value"] == 4
    assert (first.actor_id, first.at) == (ab.id, SECOND)
    assert json.loads(second.old)["value"] == 4 and json.loads(second.new)["declined"] is True
    assert (second.actor_id, second.at) == (cd.id, THIRD)


def test_an_unchanged_answer_leaves_no_audit_row(world) -> None:
    store, citizen, _, _, session = world
    before = len(store.audit_for(citizen.id))
    session.decline("citizen", "helbred")
    assert len(store.audit_for(citizen.id)) == before


@pytest.mark.parametrize("lang", ["da", "en"])
def test_trail_lines_say_who_when_and_old_to_new(world, pack, lang: str) -> None:
    store, citizen, _, _, _ = world
    t = Translator(lang)
    labels = pack.scale_labels(pack.item("citizen", "helbred"), lang)
    answers = [
        line
        for line in audit_trail(store, pack, citizen.id, t)
        if line.what.startswith(t("audit.entity.answer"))
    ]
    assert [(a.at, a.who) for a in answers] == [
        (local_minutes(SECOND), "AB"),
        (local_minutes(THIRD), "CD"),
    ]
    assert answers[0].old == f"2 ({labels[1]})" and answers[0].new == f"4 ({labels[3]})"
    assert answers[1].old == f"4 ({labels[3]})" and answers[1].new == t("audit.declined")
    assert pack.indicator("helbred").name.get(lang) in answers[0].what
    assert {a.action for a in answers} == {t("audit.action.change")}


def test_notes_and_plan_items_show_their_earlier_values(world, pack) -> None:
    store, citizen, ab, _, session = world
    t = Translator("en")
    note = session.add_note("first words", private=True, indicator=None)
    store.update_note(
        note.id, "second words", visibility="shared", actor=ab.id, citizen_id=citizen.id
    )
    item = store.add_plan_item(citizen.id, actor=ab.id, kind="action", title="Call the firm")
    store.update_plan_item(item.id, actor=ab.id, status="done")
    lines = audit_trail(store, pack, citizen.id, t)
    note_change = next(
        x
        for x in lines
        if x.what == t("audit.entity.note") and x.action == t("audit.action.change")
    )
    assert "first words" in note_change.old and t("audit.private") in note_change.old
    assert "second words" in note_change.new
    plan_change = next(
        x
        for x in lines
        if x.what == t("audit.entity.plan_item") and x.action == t("audit.action.change")
    )
    assert t("audit.plan_status.open") in plan_change.old
    assert t("audit.plan_status.done") in plan_change.new


def _cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli_module.main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, out.getvalue(), err.getvalue()


def test_cli_shows_the_trail(world, db_path: Path) -> None:
    store, citizen, _, _, _ = world
    t = Translator("en")
    code, out, err = _cli(
        "--db", str(db_path), "--lang", "en", "citizen", "audit", citizen.id.lower()
    )
    assert code == 0, err
    assert citizen.display_name in out.splitlines()[0]
    assert f"{local_minutes(THIRD)}  CD  " in out
    assert f"→ {t('audit.declined')}" in out


def test_cli_unknown_citizen_and_missing_database(world, db_path: Path, tmp_path: Path) -> None:
    t = Translator("en")
    code, _, err = _cli("--db", str(db_path), "--lang", "en", "citizen", "audit", "B-NOSUCH")
    assert code == 4
    assert t("audit.unknown_citizen", id="B-NOSUCH") in err
    missing = tmp_path / "none.db"
    code, _, err = _cli("--db", str(missing), "--lang", "en", "citizen", "audit", "B-NOSUCH")
    assert code != 0 and "Traceback" not in err
    assert not missing.exists()


def test_after_erasure_nothing_of_the_citizen_is_left_in_the_trail(world, pack) -> None:
    store, citizen, ab, _, _ = world
    t = Translator("da")
    result = erase(store, citizen.id, actor=ab.id, t=t)
    assert store.audit_for(citizen.id) == []
    rows = list(store.db.query("SELECT * FROM audit WHERE action = 'erase'"))
    assert len(rows) == 1
    assert rows[0]["entity_key"] == result.reference
    assert rows[0]["citizen_id"] is None and rows[0]["old"] is None and rows[0]["new"] is None
    with pytest.raises(NotFoundError) as info:
        audit_trail(store, pack, citizen.id, t)
    assert citizen.id in str(info.value)
