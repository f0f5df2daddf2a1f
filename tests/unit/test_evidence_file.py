"""evidence.toml is loaded with the pack; every mistake names the file and the field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bip_talk import packs
from bip_talk.domain.evidence_model import EvidenceBase, evidence_of, load_evidence
from bip_talk.errors import PackError
from bip_talk.packs import load_pack
from bip_talk.resources import default_pack_dir


def test_registered_when_packs_is_imported():
    assert packs.EXTRA_FILES["evidence"] is load_evidence


def test_shipped_pack_carries_evidence(pack):
    assert isinstance(evidence_of(pack), EvidenceBase)


def test_pack_without_evidence_still_loads(tmp_path):
    folder = tmp_path / "bip"
    shutil.copytree(default_pack_dir(), folder)
    (folder / "evidence.toml").unlink()
    assert evidence_of(load_pack(folder)) is None


def _broken(tmp_path: Path, old: str, new: str) -> Path:
    folder = tmp_path / "bip"
    shutil.copytree(default_pack_dir(), folder)
    path = folder / "evidence.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def _problems(folder: Path, lang: str = "en") -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(folder, lang)
    return caught.value.problems


@pytest.mark.parametrize(
    ("old", "new", "where", "words"),
    [
        (
            'suggest = "mentor"',
            'suggest = "mentr"',
            "rules[13] (mentor_young).suggest",
            "unknown id 'mentr'",
        ),
        (
            '{ indicator = "helbred", perspective = "any", fell_by_at_least = 2 }',
            '{ indicator = "helbredd", perspective = "any", fell_by_at_least = 2 }',
            "rules[6] (health_dropped).when[0].indicator",
            "unknown indicator 'helbredd'",
        ),
        (
            'when = [{ no_active = "company_based" }]',
            'when = [{ no_active = "company_based", at_most = 2 }]',
            "rules[1] (company_based_first).when[0]",
            "only works together with 'indicator'",
        ),
        (
            "when_any = [{ not_searching = true }, { channels_only_weak = true }]",
            "when_any = [{ not_searching = true, channels_only_weak = true }]",
            "rules[10] (search_channels).when_any[0]",
            "exactly one thing",
        ),
        (
            '{ indicator = "sb_tro", perspective = "caseworker", at_most = 3 }',
            '{ indicator = "sb_tro", perspective = "caseworker" }',
            "rules[17] (belief_reflection).when[0]",
            "exactly one limit",
        ),
        (
            'strength = "strong"\naddresses = ["helbred", "tro_job"',
            'strength = "mighty"\naddresses = ["helbred", "tro_job"',
            "rules[1] (company_based_first).strength",
            "'mighty' is not allowed",
        ),
        (
            'target_group = ["aktivitetsparat"] }]\nexclude',
            'target_group = ["aktivparat"] }]\nexclude',
            "rules[0] (no_nytte_aktivitetsparat).when[0].target_group[0]",
            "unknown id 'aktivparat'",
        ),
        (
            'strong = ["praktik", "internet"]',
            'strong = ["praktik", "nettet"]',
            "search.strong[1]",
            "unknown id 'nettet'",
        ),
        ('id = "fill_gap"', 'id = "mentor"', "actions[0] (mentor).id", "used more than once"),
        ('id = "ingen"', 'id = "any"', "interventions[7] (any).id", "reserved"),
        (
            'reason = { da = "Nytteindsats er målrettet de mest jobparate. Den foreslås aldrig '
            'til en aktivitetsparat borger.", ',
            "reason = { ",
            "rules[0] (no_nytte_aktivitetsparat).reason.da",
            "Danish text is missing",
        ),
        (
            '[[rules]]\nid = "citizen_low_belief"\n'
            'when = [{ indicator = "tro_job", perspective = "citizen", at_most = 1 }]',
            '[[rules]]\nid = "citizen_low_belief"',
            "rules[18] (citizen_low_belief)",
            "no condition",
        ),
        (
            'sources = ["star_mentor_2014", "star_reform_process"]',
            'sources = ["star_mentorr_2014", "star_reform_process"]',
            "rules[13] (mentor_young).sources[0]",
            "unknown source 'star_mentorr_2014'",
        ),
        (
            'url = "https://doi.org/10.1073/pnas.2411439121"',
            'url = "doi.org/10.1073/pnas.2411439121"',
            "sources[9] (pnas_almp_2024).url",
            "is not a web address",
        ),
        (
            'publisher = "DAMVAD"\n',
            "",
            "sources[7] (damvad_nytte_2015)",
            "'publisher' or 'authors'",
        ),
        (
            'id = "young_rules_2026"\nvalid_until = 2026-12-31',
            'id = "young_rules_2026"\nvalid_from = 2027-06-01\nvalid_until = 2026-12-31',
            "rules[20] (young_rules_2026)",
            "is before 'valid_from'",
        ),
        (
            'qualifies = ["company_based"]\nbeside',
            "beside",
            "rules[16] (monitor_lock_in)",
            "only works together with 'qualifies'",
        ),
        (
            'unless = [{ education_qualifying = true }]\nsuggest = "mentor"',
            'unless = [{ education = ["erhvervsfagligg"] }]\nsuggest = "mentor"',
            "rules[13] (mentor_young).unless[0].education[0]",
            "unknown id 'erhvervsfagligg'",
        ),
        (
            'keep = "any"',
            'keep = "anything"',
            "rules[2] (keep_running).keep",
            "unknown id 'anything'",
        ),
    ],
)
def test_mistakes_name_file_and_field(tmp_path, old, new, where, words):
    folder = _broken(tmp_path, old, new)
    problems = _problems(folder)
    expected = f"{folder / 'evidence.toml'}: {where}: "
    hits = [p for p in problems if p.startswith(expected)]
    assert hits, problems
    assert words in hits[0]


def test_messages_follow_the_language(tmp_path):
    folder = _broken(tmp_path, 'suggest = "mentor"', 'suggest = "mentr"')
    (da,) = _problems(folder, "da")
    assert "evidence.toml: rules[13] (mentor_young).suggest: peger på et ukendt id 'mentr'" in da


def test_syntax_error_names_the_line(tmp_path):
    folder = _broken(tmp_path, "low_at_most = 2", "low_at_most = = 2")
    (problem,) = _problems(folder)
    assert problem.startswith(f"{folder / 'evidence.toml'}:") and "TOML" in problem
