"""The journal note as a caseworker would sign it: golden files for a demo citizen in
Danish and English, and the rules every note keeps for every demo citizen (no app glyphs,
nothing addressed to the citizen, no line over 80 characters, one next-meeting date, no
name twice, private data only when asked for and then marked).

Update the golden files after a deliberate change of wording, and read them:
    BIP_TALK_UPDATE_GOLDEN=1 .venv/bin/python -m pytest -q tests/unit/test_journal_note.py
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from bip_talk.services import plan, reports
from bip_talk.services.synthetic.demo import DEMO, build_demo_database
from bip_talk.store import Store, open_database
from tests.unit.report_data import make_case

GOLDEN = Path(__file__).parent.parent / "golden"
FROZEN = "2026-11-24T10:00:00+00:00"
# App glyphs that mean something on the screen and nothing in a case file.
GLYPHS = "↑↓→≠◆●○◐✓✗↻▁▂▄▆█▶"
# Words addressed to the citizen or the meeting, not to the case file.
ADDRESSED = (
    "I ser forskelligt",
    "et lille trin",
    "you see this differently",
    "a small step",
)
PRIVATE_MARK = {"da": "=== PRIVAT", "en": "=== PRIVATE"}
NEXT = {"da": "Næste samtale:", "en": "Next meeting:"}


@pytest.fixture(scope="module", params=["da", "en"])
def demo(request, tmp_path_factory):
    """A demo database built on a fixed day, in the language a user of that language
    would build it in (its stored texts are in that language)."""
    lang = request.param
    path = tmp_path_factory.mktemp(f"journal-{lang}") / "demo.db"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BIP_TALK_FROZEN_TIME", FROZEN)
        from bip_talk.packs import load_pack
        from bip_talk.resources import default_pack_dir

        pack = load_pack(default_pack_dir(), lang)
        build_demo_database(path, pack, lang, cohort=0)
    store = Store(open_database(path))
    yield lang, store, pack
    store.close()


def _id(store: Store, name: str) -> str:
    (found,) = [c for c in store.search_citizens(name) if c.display_name == name]
    return found.id


def _journal(store, pack, cid, lang, *, private: bool = False) -> str:
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BIP_TALK_FROZEN_TIME", FROZEN)
        return reports.render_report(
            store,
            pack,
            cid,
            fmt="txt",
            lang=lang,
            audience="caseworker",
            include_private=private,
        ).text


def test_golden_journal_note_of_a_demo_citizen(demo):
    """Mette Fremgaard: a placement still running, a clear rise, her own topic, job
    search with channels, something agreed with who and when, a suggestion turned down
    with its reason, a shared note."""
    lang, store, pack = demo
    text = _journal(store, pack, _id(store, "Mette Fremgaard"), lang)
    golden = GOLDEN / f"journal-mette-{lang}.txt"
    if os.environ.get("BIP_TALK_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("private", [False, True])
def test_every_demo_note_reads_like_a_case_file(demo, private):
    lang, store, pack = demo
    for spec in DEMO:
        cid = _id(store, spec.name)
        text = _journal(store, pack, cid, lang, private=private)
        where = f"{spec.name} ({lang}, private={private})"
        lines = text.splitlines()
        assert all(len(line) <= 80 for line in lines), (where, max(lines, key=len))
        assert not set(text) & set(GLYPHS), (where, set(text) & set(GLYPHS))
        for words in ADDRESSED:
            assert words not in text, (where, words)
        assert spec.name not in text, where  # the case knows who: the id only
        # One next meeting, said once.
        assert text.count(NEXT[lang]) == 1, where
        # No name twice: "Virksomhedspraktik [Virksomhedspraktik]", "Mentor (mentor)".
        assert not re.search(r"(\b[\w ]{4,}\b) [\[(]\1[\])]", text, flags=re.I), where
        assert (PRIVATE_MARK[lang] in text) == private, where


def test_the_private_block_holds_the_belief_rating_only_when_asked(demo):
    lang, store, pack = demo
    cid = _id(store, "Mette Fremgaard")
    belief = pack.indicator("sb_tro").name.get(lang)
    plain = _journal(store, pack, cid, lang)
    full = _journal(store, pack, cid, lang, private=True)
    assert belief not in plain
    block = full[full.index(PRIVATE_MARK[lang]) :]
    assert belief in block and belief not in full[: full.index(PRIVATE_MARK[lang])]


def test_the_draft_citizen_resumes_where_the_meeting_stopped(demo):
    lang, store, pack = demo
    from bip_talk.services.meeting import MeetingSession

    cid = _id(store, "Ahmed Pauselund")
    actor = store.caseworkers()[0]
    session = MeetingSession.open(store, pack, cid, actor)
    assert session.meeting.is_draft
    # The citizen answered four steps, the caseworker three: it stopped at the fourth
    # step, on the caseworker's side, with nothing answered there by the caseworker.
    assert session.step == 3 and session.active == "caseworker"
    here = [i for i in session.items_at("caseworker") if session.answered("caseworker", i)]
    assert not here
    earlier = session.steps[session.step - 1]
    assert all(session.answered("caseworker", i) for i in pack.step_items("caseworker", earlier))


def test_still_running_placement_in_the_demo(demo):
    lang, store, pack = demo
    cid = _id(store, "Mette Fremgaard")
    last = [m for m in store.meetings_for(cid) if not m.is_draft][-1]
    running = [i for i in store.plan_items(cid) if plan.review_outcome(i, last.id) == "running"]
    assert {i.kind for i in running} >= {"virksomhedspraktik"}
    assert all(i.status == "open" for i in running)  # still counted as under way
    word = {"da": "stadig i gang", "en": "still running"}[lang]
    assert word in _journal(store, pack, cid, lang)


# -- the parts a demo citizen does not show ----------------------------------------------


@pytest.mark.parametrize("lang", ["da", "en"])
def test_caseworker_change_review_statuses_and_declined(store, pack, lang):
    case = make_case(store, pack)
    last = case.meeting_ids[-1]
    bo = store.caseworker_by_initials("BN")
    assert bo is not None
    store.add_plan_item(
        case.citizen_id,
        actor=bo.id,
        meeting_id=last,
        kind="mentor",
        title="Mentor",
        status="declined",
        decline_reason="Har en kontaktperson i kommunen i forvejen",
    )

    def note(meeting_id: int | None = None) -> str:
        text = reports.render_report(
            store,
            pack,
            case.citizen_id,
            fmt="txt",
            lang=lang,
            audience="caseworker",
            meeting_id=meeting_id,
        ).text
        return " ".join(text.replace("\u00a0", " ").split())

    flat = note()
    # Anne Berg held the third meeting; Bo Nielsen took over in October.
    change = {
        "da": "Sagsbehandlerskift: Bo Nielsen (BN) har overtaget sagen efter Anne Berg (AB)"
        " den 12.10.2026.",
        "en": "Change of caseworker: Bo Nielsen (BN) took over the case from Anne Berg (AB)"
        " on 12 Oct 2026.",
    }[lang]
    assert change in flat
    declined = {
        "da": "Forslag, der ikke blev valgt - Mentor. Begrundelse: Har en kontaktperson",
        "en": "Suggestions not taken up - Mentor. Reason: Har en kontaktperson",
    }[lang]
    assert declined in flat
    # The third meeting reviewed last time's actions; the internship ran meanwhile.
    third = note(case.meeting_ids[2])
    done, partly = {"da": ("udført", "delvist udført"), "en": ("done", "partly done")}[lang]
    who = {"da": "ansvarlig:", "en": "responsible:"}[lang]
    kind = {"da": "virksomhedspraktik", "en": "internship at a company"}[lang]
    assert f"Praktik på lager ({kind}; {who} Mette og Anne): {done}." in third
    assert f"Søg 3 job om ugen ({who} Mette): {partly}." in third
    rose = {
        "da": "jobsøgning steget fra 2 til 4",
        "en": "job-search behaviour has risen from 2 to 4",
    }
    assert rose[lang] in third
    assert "Sagsbehandlerskift" not in third and "Change of caseworker" not in third


def test_one_next_meeting_date_everywhere(tmp_path, monkeypatch):
    """The journal note, the citizen's summary and what the plan screen asks the casework
    for name the same date; an item agreed to end sooner brings it forward in all three."""
    from bip_talk.services.workstation import Workstation
    from bip_talk.settings import Preferences, Settings

    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", FROZEN)
    prefs = Preferences(caseworker_name="Test Sagsbehandler", caseworker_initials="TS")
    ws = Workstation(Settings(data_dir=tmp_path / "data", db_path=tmp_path / "app.db"), prefs)
    try:
        casework = ws.open(sign_in=True)
        citizen = casework.create_citizen("Dato Testesen", "aktivitetsparat")
        session = casework.open_meeting(citizen.id)
        session.rate("citizen", "helbred", 3)
        casework.add_plan_item(
            session,
            kind="virksomhedspraktik",
            title="Praktik i seks uger",
            starts_on="2026-11-30",
            ends_on="2027-01-10",
        )
        nxt = casework.next_meeting(session)
        assert nxt.on.isoformat() == "2027-01-10" and nxt.because is not None
        proposed = casework.proposed_dates(session)
        assert (proposed.starts_on, proposed.due_on) == ("2026-11-24", "2027-01-10")
        for lang, shown in (("da", "10.01.2027"), ("en", "10 Jan 2027")):
            journal = casework.in_language(lang).journal_note(session)
            summary = casework.in_language(lang).render_report(
                citizen.id, fmt="txt", audience="citizen"
            )
            (line,) = [x for x in journal.splitlines() if x.startswith(NEXT[lang])]
            assert shown in line
            assert shown in summary.text
    finally:
        ws.close()
