"""Birth year and highest completed education: checked, stored, audited, exported,
imported, in the access copy and gone with erasure – and read by the rules."""

from __future__ import annotations

import csv
import json
from datetime import date

import pytest

from bip_talk import clock
from bip_talk.domain.meeting_history import Answer
from bip_talk.errors import InputError, NotFoundError
from bip_talk.i18n import Translator
from bip_talk.services import citizen_facts, plan
from bip_talk.services.audit_trail import audit_trail
from bip_talk.services.exchange.export import export_data
from bip_talk.services.exchange.imports import import_data
from bip_talk.services.gdpr import access_data, access_markdown, erase
from bip_talk.store import Store, open_database

DAY = date(2026, 11, 24)


@pytest.fixture
def cw(store):
    return store.ensure_caseworker("ab", "Anne Berg")


def _create(store, pack, cw, **facts):
    return citizen_facts.create_citizen(
        store, pack, "Maja Holm", caseworker_id=cw.id, lang="en", **facts
    )


def test_create_stores_the_facts(store, pack, cw):
    c = _create(store, pack, cw, target_group="jobparat", birth_year="1999 ", education="gymnasial")
    again = store.citizen(c.id)
    assert (again.target_group, again.birth_year, again.education) == (
        "jobparat",
        1999,
        "gymnasial",
    )
    blank = _create(store, pack, cw, birth_year="", education="")
    assert (store.citizen(blank.id).birth_year, store.citizen(blank.id).education) == (None, None)


@pytest.mark.parametrize(
    ("facts", "words"),
    [
        ({"birth_year": "19x8"}, "birth year: '19x8' is not a birth year"),
        ({"birth_year": 1890}, "between"),
        ({"birth_year": clock.today().year - 5}, "between"),
        ({"education": "phd"}, "education: 'phd' is not one of the pack's education levels"),
        ({"target_group": "aktivparat"}, "target group: 'aktivparat'"),
    ],
)
def test_bad_facts_are_refused_and_nothing_is_saved(store, pack, cw, facts, words):
    with pytest.raises(InputError, match=words):
        _create(store, pack, cw, **facts)
    assert store.count_citizens() == 0


def test_a_cpr_number_is_never_a_name(store, pack, cw):
    with pytest.raises(InputError, match="CPR"):
        citizen_facts.create_citizen(store, pack, "010190-1234", caseworker_id=cw.id, lang="en")


def test_edit_changes_audits_and_feeds_the_rules(store, pack, cw):
    c = _create(store, pack, cw, target_group="uddannelse", birth_year=2003)
    m = store.start_meeting(c.id, cw.id, pack.id, pack.version, held_on="2026-11-20")
    store.record_answer(m.id, "citizen", "maal", Answer(value=2), actor=cw.id, citizen_id=c.id)

    def kinds():
        out = plan.suggestions_for(store, pack, c.id, today=DAY)
        return {e.kind for s in out for e in s.elements}

    assert {"mentor", "young_rules_now"} <= kinds()
    citizen_facts.edit_citizen(
        store, pack, c.id, actor=cw.id, lang="da", education="erhvervsfaglig"
    )
    assert not {"mentor", "young_rules_now"} & kinds()
    changes = [a for a in store.audit_for(c.id) if a.action == "change"]
    assert len(changes) == 1
    assert json.loads(changes[0].old) == {"education": None}
    assert json.loads(changes[0].new) == {"education": "erhvervsfaglig"}
    # the same value again: nothing written, no audit row
    citizen_facts.edit_citizen(
        store, pack, c.id, actor=cw.id, lang="da", education="erhvervsfaglig"
    )
    assert len([a for a in store.audit_for(c.id) if a.action == "change"]) == 1
    lines = [line for line in audit_trail(store, pack, c.id, Translator("da")) if line.old]
    assert lines and "uddannelse: erhvervsfaglig" in lines[-1].new


def test_edit_refuses_what_is_not_a_fact_and_unknown_citizens(store, pack, cw):
    c = _create(store, pack, cw)
    with pytest.raises(InputError, match="created_at"):
        citizen_facts.edit_citizen(store, pack, c.id, actor=cw.id, lang="en", created_at="x")
    with pytest.raises(NotFoundError):
        citizen_facts.edit_citizen(store, pack, "B-ZZZZZZ", actor=cw.id, lang="en", birth_year=1990)


def test_choices_and_words_for_the_dialogs(store, pack, cw):
    choices = citizen_facts.fact_choices(pack, "da", on=DAY)
    assert [g.id for g in choices.target_groups] == ["aktivitetsparat", "jobparat", "uddannelse"]
    assert "erhvervsfaglig" in {e.id for e in choices.education_levels}
    assert (choices.first_year, choices.last_year) == (1926, 2011)
    c = _create(store, pack, cw, birth_year=2000, education="erhvervsfaglig")
    words = citizen_facts.fact_lines(pack, store.citizen(c.id), "da", on=DAY)
    assert [w.value for w in words][1:] == [
        "2000 (fylder 26 i år · Under 30 år)",
        "Erhvervsuddannelse (faglært)",
    ]


# -- export, import, access, erasure ------------------------------------------------------


def _rows(path):
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_export_and_import_carry_the_facts(store, pack, cw, tmp_path):
    c = _create(store, pack, cw, birth_year=1984, education="kort_videregaaende")
    export_data(store, pack, tmp_path / "out", t=Translator("en"))
    (row,) = _rows(tmp_path / "out" / "citizens.csv")
    assert (row["birth_year"], row["education"]) == ("1984", "kort_videregaaende")
    dictionary = _rows(tmp_path / "out" / "data_dictionary.csv")
    codes = {
        d["code"] for d in dictionary if d["file"] == "citizens" and d["column"] == "education"
    }
    assert {"grundskole", "kort_videregaaende", "lang_videregaaende"} <= codes
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text())
    assert manifest["format_version"] == 2

    other = Store(open_database(tmp_path / "other.db"))
    try:
        import_data(other, pack, tmp_path / "out")
        again = other.citizen(c.id)
        assert (again.birth_year, again.education) == (1984, "kort_videregaaende")
    finally:
        other.close()


def _citizens_file(tmp_path, extra_header: str = "", extra: str = ""):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "citizens.csv").write_text(
        f"id,display_name,target_group,created_at{extra_header}\n"
        f"B-22KM4Q,Ida Test,jobparat,2026-01-05T09:00:00+00:00{extra}\n",
        encoding="utf-8",
    )
    return folder


def test_a_version_one_file_without_the_facts_still_imports(store, pack, tmp_path):
    import_data(store, pack, _citizens_file(tmp_path))
    assert store.citizen("B-22KM4Q").birth_year is None


@pytest.mark.parametrize(
    ("values", "words"),
    [
        (",1850,grundskole", "citizens.csv row 2: birth_year: the number '1850'"),
        (
            ",2099,grundskole",
            "citizens.csv row 2: birth_year: the birth year '2099' is not possible",
        ),
        (",1990,ph_d", "citizens.csv row 2: education: unknown code 'ph_d'"),
    ],
)
def test_import_refuses_impossible_facts(store, pack, tmp_path, values, words):
    folder = _citizens_file(tmp_path, ",birth_year,education", values)
    with pytest.raises(InputError, match=words):
        import_data(store, pack, folder, t=Translator("en"))
    assert store.count_citizens() == 0


def test_access_copy_shows_the_facts_and_erasure_removes_them(store, pack, cw):
    c = _create(store, pack, cw, birth_year=1977, education="erhvervsfaglig")
    t = Translator("da")
    data = access_data(store, pack, c.id, t)
    assert (data["citizen"]["birth_year"], data["citizen"]["education"]) == (1977, "erhvervsfaglig")
    text = access_markdown(pack, data, t)
    assert "- Fødselsår: 1977" in text
    assert "- Højeste fuldførte uddannelse: Erhvervsuddannelse (faglært)" in text
    erase(store, c.id, actor=cw.id, t=t)
    rows = store.db.execute("SELECT count(*) FROM citizens WHERE birth_year = 1977").fetchone()
    assert rows[0] == 0
