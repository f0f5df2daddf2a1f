"""Words on the citizen's side: every text the citizen pane or a shared screen shows
(the pack's citizen questions, help texts, labels and options; indicator names and
descriptions and the change words the meeting and review show; the catalog sections of
the shared screens) is free of professional terms, internal file names and section
signs, is in the screen's language, and the citizen's help texts avoid the words a
12-year-old would stumble over. The caseworker's pane may use professional terms."""

from __future__ import annotations

import re

import pytest

from bip_talk.domain.evidence_model import evidence_of
from bip_talk.i18n import section
from bip_talk.packs import load_pack
from bip_talk.resources import default_pack_dir

LANGS = ("da", "en")
# Catalog sections of the screens a citizen may be looking at.
SHARED_SECTIONS = (
    "agenda",
    "app",
    "citizen",
    "citizens",
    "new_citizen",
    "common",
    "curtain",
    "help",
    "keys",
    "meeting",
    "note",
    "opening",
    "pause",
    "planui",
    "private",
    "review",
)
FORBIDDEN = {
    "da": re.compile(r"indikator|progression|\bbip\b|§|#\d", re.I),
    "en": re.compile(r"indicator|progression|\bbip\b|§|#\d", re.I),
}
# A file name: word.ext (a folder such as "reports/" is a place the user can open).
FILE_NAME = re.compile(r"\b[\w-]+\.(md|toml|txt|py|csv|json|html|svg)\b", re.I)
# English in a Danish text, Danish in an English one.
ENGLISH = re.compile(r"\b(the|and|you|your|with|this|that|please|answer|meeting)\b", re.I)
DANISH = re.compile(r"[æøåÆØÅ]")
# The professional topic names the citizen's picker, the meeting's header and the
# citizen's summary once showed: a topic's plain name uses none of them.
TOPIC_TERMS = re.compile(r"mestring|målrettethed|samarbejdsevne|realistisk syn|kendskab", re.I)
# On the plan's shared list once: the caseworker's caveats, figures and sources.
EVIDENCE_TERMS = re.compile(
    r"procentpoint|kora|underbygget|forbehold|kilder|den eneste indsats|what affects"
    r"|percentage point|caveat|sources",
    re.I,
)
# Words a 12-year-old stumbles over, in the citizen's questions and help texts.
HARD = re.compile(
    r"psyke|branche|uopfordre|supplement|kompetence|skånebehov|niveau|kanal|indsats"
    r"|unsolicited|supplement|competence|accommodation",
    re.I,
)


def _clean(text: str) -> str:
    # The product's name is not the research project; {placeholders} (binding ids such
    # as {meeting}, filled with keys) are never shown.
    return re.sub(r"\{[\w-]+(:[^}]*)?\}", "", text.replace("bip-talk", ""))


def _pack_texts(lang: str) -> list[tuple[str, str]]:
    pack = load_pack(default_pack_dir(), lang)
    out: list[tuple[str, str]] = []
    citizen = next(p.id for p in pack.perspectives if p.respondent == "citizen")
    for item in pack.items(citizen):
        out.append((f"citizen.toml {item.id} text", item.text.get(lang)))
        if item.help:
            out.append((f"citizen.toml {item.id} help", item.help.get(lang)))
        if item.type == "scale":
            for label in pack.scale_labels(item, lang):
                out.append((f"citizen.toml {item.id} label", label))
        for option in item.options:
            out.append((f"citizen.toml {item.id} option {option.id}", option.text.get(lang)))
    for ind in pack.indicators:
        out.append((f"pack.toml {ind.id} name", ind.name.get(lang)))
        out.append((f"pack.toml {ind.id} plain_name", ind.said(lang)))
        if ind.description:
            out.append((f"pack.toml {ind.id} description", ind.description.get(lang)))
    words = pack.manifest.change_words
    for name in ("unchanged", "up_moved", "up_clear", "down_moved", "down_clear", "gap"):
        out.append((f"pack.toml change_words.{name}", getattr(words, name).get(lang)))
    for scale in pack.manifest.scales if hasattr(pack.manifest, "scales") else ():
        for label in scale.labels.en if lang == "en" else scale.labels.da:
            out.append((f"pack.toml scale {scale.id}", label))
    return out


def _said_texts(lang: str) -> list[tuple[str, str]]:
    """Why a suggestion is made, in the citizen's words: the only reason the plan's
    shared list shows (the rule's ``reason`` is the caseworker's)."""
    pack = load_pack(default_pack_dir(), lang)
    evidence = evidence_of(pack)
    assert evidence is not None
    return [
        (f"evidence.toml {rule.id} said", rule.said.get(lang))
        for rule in evidence.rules
        if rule.said is not None
    ]


def _catalog_texts(lang: str) -> list[tuple[str, str]]:
    return [(key, text) for name in SHARED_SECTIONS for key, text in section(lang, name).items()]


def _citizen_items(lang: str) -> list[tuple[str, str]]:
    return [(where, text) for where, text in _pack_texts(lang) if where.startswith("citizen")]


@pytest.mark.parametrize("lang", LANGS)
def test_no_professional_terms_file_names_or_section_signs(lang):
    found = [
        (where, text)
        for where, text in _pack_texts(lang) + _catalog_texts(lang)
        if FORBIDDEN[lang].search(_clean(text)) or FILE_NAME.search(text)
    ]
    assert not found, found


@pytest.mark.parametrize("lang", LANGS)
def test_the_shared_reasons_and_topic_names_are_plain(lang):
    said = _said_texts(lang)
    assert len(said) >= 10  # every shared rule has one (the pack refuses it otherwise)
    found = [
        (where, text)
        for where, text in said
        if FORBIDDEN[lang].search(text) or EVIDENCE_TERMS.search(text)
    ]
    names = [(w, x) for w, x in _pack_texts(lang) if w.endswith("plain_name")]
    found += [(where, text) for where, text in names if TOPIC_TERMS.search(text)]
    assert not found, found


def test_danish_screens_hold_no_english():
    found = [
        (where, text)
        for where, text in _pack_texts("da") + _said_texts("da") + _catalog_texts("da")
        if ENGLISH.search(_clean(text))
    ]
    assert not found, found


def test_english_screens_hold_no_danish():
    found = [
        (where, text)
        for where, text in _pack_texts("en") + _said_texts("en") + _catalog_texts("en")
        if DANISH.search(text)
    ]
    assert not found, found


@pytest.mark.parametrize("lang", LANGS)
def test_the_citizens_questions_use_plain_words(lang):
    found = [(where, text) for where, text in _citizen_items(lang) if HARD.search(text)]
    assert not found, found


def test_the_scan_would_catch_what_the_issue_found():
    """The checks are not empty: the texts the issue reported are caught."""
    reported = [
        "Tænk på smerter, psyke, søvn og medicin",
        "Fx hvilke brancher, arbejdstider og kurser der hører til.",
        "Alt tæller: opslag, uopfordrede henvendelser",
        "Spørgsmålet er et supplement til BIP.",
    ]
    assert all(HARD.search(text) for text in reported)
    assert FORBIDDEN["da"].search("Se bip-facts.md §3") and FILE_NAME.search("bip-facts.md §3")
    assert FORBIDDEN["da"].search("Indikator 1 af 11")
    assert not FORBIDDEN["da"].search(_clean("bip-talk · opfølgningssamtale"))
    assert ENGLISH.search("Tast v for your private note")
    for topic in ("Helbredsmestring", "Hverdagsmestring", "Samarbejdsevner", "Målrettethed"):
        assert TOPIC_TERMS.search(topic)
    plan = "Forbehold: Tallet '3,6–6,8 procentpoint' … KORA's rapport. Underbygget: bekræftet"
    assert EVIDENCE_TERMS.search(plan) and EVIDENCE_TERMS.search("What affects job prospects?")
    assert DANISH.search("Næste")
