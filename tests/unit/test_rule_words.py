"""Group names read as words inside the rules' sentences ("aldersgruppen er under 30
år"), in both languages; an abbreviation keeps its capitals."""

from __future__ import annotations

import pytest

from bip_talk.domain.evidence_model import evidence_of
from bip_talk.i18n import Translator
from bip_talk.presenters.evidence import condition_text, in_sentence


def test_a_name_inside_a_sentence():
    assert in_sentence("Under 30 år") == "under 30 år"
    assert in_sentence("Uddannelsesrettet") == "uddannelsesrettet"
    assert in_sentence("STU") == "STU" and in_sentence("") == ""


@pytest.mark.parametrize("lang", ["da", "en"])
def test_no_group_name_is_capitalised_mid_sentence(pack, lang):
    evidence = evidence_of(pack)
    names = [b.name.get(lang) for b in evidence.age_bands]
    names += [g.name.get(lang) for g in pack.manifest.target_groups]
    text = "\n".join(condition_text(pack, evidence, r, Translator(lang)) for r in evidence.rules)
    used = [n for n in names if in_sentence(n) in text]
    assert used, "no rule names a group: the test would prove nothing"
    assert not [n for n in names if n != in_sentence(n) and n in text]
