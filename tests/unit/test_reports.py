"""The reports rendered from a stored history, in Danish and English: what each holds,
what the citizen's copies never hold, valid SVG, escaping, meeting choice, files."""

from __future__ import annotations

import re
import stat
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from bip_talk.domain.meeting_history import Answer
from bip_talk.errors import InputError, NotFoundError
from bip_talk.services import reports
from tests.unit.report_data import (
    PRIVATE_ITEM,
    PRIVATE_NOTE,
    PRIVATE_STEP_NOTE,
    SHARED_NOTE,
    make_case,
)

LANGS = ("da", "en")
# The caseworker's private belief rating, as it would read in any report.
BELIEF_NAMES = ("Sagsbehandlers tro på job", "Caseworker's belief in a job", "sb_tro")
BELIEF_WORDS = ("Gode chancer", "Good chances")  # the rating given at the last meeting
PRIVATE_TEXTS = (
    PRIVATE_NOTE,
    PRIVATE_STEP_NOTE,
    PRIVATE_ITEM,
    "PRIVATNOTE",
    "TRONOTE",
    "PRIVATPUNKT",
)


@pytest.fixture
def case(store, pack):
    return make_case(store, pack)


def render(store, pack, case, **kw) -> str:
    return reports.render_report(store, pack, case.citizen_id, **kw).text


def svgs(html: str) -> list[str]:
    return re.findall(r"<svg\b.*?</svg>", html, flags=re.S)


def assert_no_private(text: str) -> None:
    for secret in PRIVATE_TEXTS + BELIEF_NAMES + BELIEF_WORDS:
        assert secret not in text, secret


# -- every report in both languages ----------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("fmt", ["md", "txt"])
def test_citizen_summary(store, pack, case, lang, fmt):
    text = render(store, pack, case, fmt=fmt, lang=lang)
    you, staff = {"da": ("Du", "Din sagsbehandler"), "en": ("You", "Your caseworker")}[lang]
    # Both perspectives, spoken to the citizen, now and before, change in words.
    assert f"{you}: 4" in text and f"{staff}: 3" in text
    assert {"da": "sidst 3", "en": "last time 3"}[lang] in text
    up = {"da": "↑ +1 et lille trin op", "en": "↑ +1 a small step up"}
    assert up[lang] in text
    # Where we see it differently: tro_job 5 vs 3 and maal 2 vs 4.
    gaps = {"da": "Her ser vi forskelligt", "en": "Where we see things differently"}[lang]
    assert gaps.upper() in text.upper()
    # What we agreed (not the private item), who and when; the next meeting.
    assert "Send CV til Lagerhuset" in text and "Mette" in text
    assert {"da": "20.11.2026", "en": "20 Nov 2026"}[lang] in text
    assert {"da": "02.02.2027", "en": "2 Feb 2027"}[lang] in text
    assert "Mentor hver 14. dag" in text
    assert_no_private(text)


@pytest.mark.parametrize("lang", LANGS)
def test_journal_note(store, pack, case, lang):
    text = render(store, pack, case, fmt="txt", lang=lang, audience="caseworker")
    flat = " ".join(text.replace("\u00a0", " ").split())
    first = text.splitlines()[0]
    assert {"da": "02.11.2026", "en": "2 Nov 2026"}[lang] in first
    assert case.citizen_id in text and "BN" in text
    assert "Mette Rapportsen" not in text  # the case system knows who: id only
    # Every answer in a compact block, and what moved and where they differ in words.
    short = {"da": "B 4 (3)", "en": "citizen 4 (3)"}[lang]
    assert short in text
    moved = {
        "da": "Borgeren vurderer nu helbredsmestring højere end sidst (4 mod 3).",
        "en": "The citizen now rates coping with health higher than last time (4 vs 3).",
    }[lang]
    assert moved in flat
    gap = {
        "da": "Målrettethed: borgeren svarer 2, sagsbehandleren svarer 4 (2 trin fra hinanden)",
        "en": "Goal-directedness: the citizen answers 2, the caseworker answers 4 (2 steps apart)",
    }[lang]
    assert gap in flat
    assert {"da": "Frist: 20.11.2026", "en": "Due: 20 Nov 2026"}[lang] in text
    assert SHARED_NOTE in text  # plain text: not escaped
    # The Min Plan block: one short line per agreed action.
    block = text.split("Min Plan")[1]
    assert "Send CV til Lagerhuset – Mette" in block
    # Private data only when asked for.
    assert_no_private(text)


@pytest.mark.parametrize("lang", LANGS)
def test_journal_with_private_marks_it(store, pack, case, lang):
    text = render(
        store, pack, case, fmt="txt", lang=lang, audience="caseworker", include_private=True
    )
    start = {"da": "=== PRIVAT", "en": "=== PRIVATE"}[lang]
    assert start in text
    private = text[text.index(start) :]
    public = text[: text.index(start)]
    for secret in (PRIVATE_NOTE, PRIVATE_STEP_NOTE, PRIVATE_ITEM, BELIEF_NAMES[LANGS.index(lang)]):
        assert secret in private and secret not in public, secret


def test_journal_follow_up_of_the_last_actions(store, pack, case):
    text = render(
        store,
        pack,
        case,
        fmt="txt",
        lang="da",
        audience="caseworker",
        meeting_id=case.meeting_ids[2],
    )
    flat = " ".join(text.replace("\u00a0", " ").split())
    assert "Praktik på lager (virksomhedspraktik; ansvarlig: Mette og Anne): udført." in flat
    assert "Søg 3 job om ugen (ansvarlig: Mette): delvist udført." in flat
    # Paired with what moved while it ran (jobsøgning 2 -> 4 for the citizen).
    assert "borgerens vurdering af jobsøgning steget fra 2 til 4" in flat


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("audience", ["citizen", "caseworker"])
def test_html_report(store, pack, case, lang, audience):
    html = render(store, pack, case, fmt="html", lang=lang, audience=audience)
    assert html.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in html
    HTMLParser().feed(html)  # parses
    # Self-contained: no external assets of any kind.
    assert not re.search(r"""(src|href)\s*=|@import|url\((?!#)""", html)
    charts = svgs(html)
    expected = 5 if audience == "caseworker" else 4  # sb_tro only in the caseworker's copy
    assert len(charts) == expected
    for chart in charts:
        root = ET.fromstring(chart)
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "@media print" in html
    # The intervention and the caseworker change are on the charts, in words.
    assert "Praktik på lager" in charts[0]
    assert {"da": "Ny sagsbehandler: BN", "en": "New caseworker: BN"}[lang] in charts[0]
    # Scale words on the axis, both perspectives in the legend.
    assert {"da": "Passer helt", "en": "Completely true"}[lang] in charts[0]
    if audience == "citizen":
        assert_no_private(html)
    else:
        assert PRIVATE_NOTE in html and {"da": "PRIVAT", "en": "PRIVATE"}[lang] in html
        assert BELIEF_NAMES[LANGS.index(lang)].replace("'", "&#39;") in html


def test_html_escapes_what_people_typed(store, pack, case):
    cw = store.ensure_caseworker("bn", "Bo Nielsen")
    store.add_note(
        case.meeting_ids[-1],
        '<img src=x onerror="alert(1)"> & "quotes"',
        visibility="shared",
        indicator=None,
        actor=cw.id,
        citizen_id=case.citizen_id,
    )
    html = render(store, pack, case, fmt="html", lang="da")
    assert "<img" not in html
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt; &amp; &#34;quotes&#34;" in html
    assert "&lt;på lager&gt; &amp; i det fri" in html


def test_markdown_marks_in_text_are_taken_literally(store, pack, case):
    cw = store.ensure_caseworker("bn", "Bo Nielsen")
    store.add_note(
        case.meeting_ids[-1],
        "# *ikke* en [overskrift](x)",
        visibility="shared",
        indicator=None,
        actor=cw.id,
        citizen_id=case.citizen_id,
    )
    text = render(store, pack, case, fmt="md", lang="da")
    assert r"\# \*ikke\* en \[overskrift\](x)" in text
    assert "# *ikke*" in render(store, pack, case, fmt="txt", lang="da")


# -- privacy -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_citizen_copies_never_hold_private_data(store, pack, case, lang):
    """A distinctive private note, a note at the private step, a private plan item and
    the belief rating: none reaches any citizen copy, for any meeting."""
    for meeting_id in case.meeting_ids:
        for fmt in ("md", "txt", "html"):
            assert_no_private(render(store, pack, case, fmt=fmt, lang=lang, meeting_id=meeting_id))


def test_the_private_data_is_really_there(store, pack, case):
    """Guards the test above: the secrets exist, so their absence means something."""
    r = reports.build_report(
        store, pack, case.citizen_id, audience="caseworker", include_private=True
    )
    assert {n.text for n in r.private_notes} == {PRIVATE_NOTE, PRIVATE_STEP_NOTE}
    assert [a.title for a in r.private_agreed] == [PRIVATE_ITEM]
    assert [i.id for i in r.private_indicators] == ["sb_tro"]


def test_include_private_needs_the_caseworker(store, pack, case):
    with pytest.raises(InputError):
        reports.render_report(store, pack, case.citizen_id, fmt="md", include_private=True)
    with pytest.raises(InputError):
        reports.render_report(store, pack, case.citizen_id, fmt="md", audience="caseworker")


# -- which meeting ----------------------------------------------------------------------------


def test_default_is_the_latest_completed_meeting(store, pack, case):
    cw = store.ensure_caseworker("bn", "Bo Nielsen")
    draft = store.start_meeting(case.citizen_id, cw.id, pack.id, pack.version, held_on="2027-02-01")
    assert reports.build_report(store, pack, case.citizen_id).meeting_id == case.meeting_ids[-1]
    r = reports.build_report(store, pack, case.citizen_id, meeting_id=draft.id)
    assert r.draft and r.meeting_id == draft.id


def test_the_draft_when_that_is_all(store, pack):
    cw = store.ensure_caseworker("ab", "Anne Berg")
    citizen = store.create_citizen("Ny Borger", caseworker_id=cw.id)
    m = store.start_meeting(citizen.id, cw.id, pack.id, pack.version, held_on="2026-11-24")
    store.record_answer(m.id, "citizen", "helbred", Answer(3), actor=cw.id, citizen_id=citizen.id)
    text = reports.render_report(store, pack, citizen.id, fmt="md").text
    assert "ikke afsluttet" in text and "første samtale" in text
    html = reports.render_report(store, pack, citizen.id, fmt="html", lang="en").text
    assert len(svgs(html)) == 1  # one indicator answered, one meeting
    ET.fromstring(svgs(html)[0])


def test_an_earlier_meeting_sees_only_its_own_past(store, pack, case):
    r = reports.build_report(
        store, pack, case.citizen_id, meeting_id=case.meeting_ids[1], charts=True
    )
    assert r.meetings == 2
    assert [a.title for a in r.agreed] == ["Praktik på lager", "Søg 3 job om ugen"]
    # The internship ends 10.7, sooner than three months: the next meeting follows it.
    assert r.next_meeting_iso == "2026-07-10" and "Praktik på lager" in r.next_reason
    chart = r.charts[0].chart
    assert len(chart.ticks) == 2
    assert not chart.changes  # the caseworker changed later


def test_unknown_citizen_and_meeting(store, pack, case):
    with pytest.raises(NotFoundError, match="B-NOPE00"):
        reports.build_report(store, pack, "B-NOPE00")
    other = make_case(store, pack, name="Anden Borger")
    with pytest.raises(NotFoundError, match=str(other.meeting_ids[0])):
        reports.build_report(store, pack, case.citizen_id, meeting_id=other.meeting_ids[0])


def test_citizen_without_meetings(store, pack):
    cw = store.ensure_caseworker("ab", "Anne Berg")
    citizen = store.create_citizen("Ny Borger", caseworker_id=cw.id)
    with pytest.raises(NotFoundError, match="ingen samtaler"):
        reports.build_report(store, pack, citizen.id)


def test_bad_format_and_audience(store, pack, case):
    with pytest.raises(InputError, match="pdf"):
        reports.render_report(store, pack, case.citizen_id, fmt="pdf")
    with pytest.raises(InputError, match="mayor"):
        reports.render_report(store, pack, case.citizen_id, audience="mayor")  # type: ignore[arg-type]


# -- files ------------------------------------------------------------------------------------


def test_save_meeting_reports(store, pack, case, tmp_path):
    folder = tmp_path / "data" / "reports"
    saved = reports.save_meeting_reports(
        store, pack, case.citizen_id, case.meeting_ids[-1], folder, "da"
    )
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in (saved.summary, saved.html):
        assert path.parent == folder
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert_no_private(path.read_text(encoding="utf-8"))
    assert saved.html.name == f"report-{case.citizen_id}-2026-11-02.html"
    assert saved.summary.name == f"summary-{case.citizen_id}-2026-11-02.md"
    assert not list(folder.glob(".*.tmp"))


def test_write_private_refuses_a_folder_and_an_unwritable_place(tmp_path):
    t = reports.Translator("da")
    with pytest.raises(InputError, match="er en mappe"):
        reports.write_private(tmp_path, "x", t)
    with pytest.raises(InputError, match="Kan ikke skrive"):
        reports.write_private(tmp_path / "missing" / "r.html", "x", t)
