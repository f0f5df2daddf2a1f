"""personas.toml and vignettes.toml load with the pack; every mistake names the file
and the field; the shipped files hold what a course day needs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bip_talk import packs
from bip_talk.domain.training.personas import PersonaBook, load_personas, personas_of
from bip_talk.domain.training.vignettes import VignetteSet, load_vignettes, vignettes_of
from bip_talk.errors import PackError
from bip_talk.packs import load_pack
from bip_talk.resources import default_pack_dir


def test_registered_like_evidence():
    assert packs.EXTRA_FILES["personas"] is load_personas
    assert packs.EXTRA_FILES["vignettes"] is load_vignettes
    names = list(packs.EXTRA_FILES)
    assert names.index("evidence") < names.index("personas")  # personas check against it


def test_shipped_pack_carries_personas_and_vignettes(pack):
    assert isinstance(personas_of(pack), PersonaBook)
    assert isinstance(vignettes_of(pack), VignetteSet)


COMMON_SURNAMES = {
    "Jensen",
    "Nielsen",
    "Hansen",
    "Pedersen",
    "Andersen",
    "Christensen",
    "Larsen",
    "Sørensen",
    "Rasmussen",
    "Jørgensen",
    "Petersen",
    "Madsen",
    "Kristensen",
    "Olsen",
}


def test_enough_synthetic_personas_for_a_course(pack):
    book = personas_of(pack)
    assert len(book.personas) >= 6
    groups = {g.id for g in pack.manifest.target_groups}
    for p in book.personas:
        # Obviously not a real person: a made-up surname, never one of the common ones
        # (the training screens say ØVELSE; the name is spoken aloud without a label).
        assert p.display_name.split()[-1] not in COMMON_SURNAMES
        assert p.story.da and p.story.en and p.target_group in groups
        assert p.levels.keys() == {"citizen", "caseworker"}
    styles = {p.answer_style for p in book.personas}
    assert {"acquiescent", "understates", "straight_lines"} <= styles
    assert any(p.declines.get("loen", 0) >= 0.5 for p in book.personas)  # often won't say wage
    assert any(p.levels["citizen"]["tro_job"] <= 1.5 for p in book.personas)  # no faith in a job
    assert any(sum(h.caseworker_changed for h in p.history) >= 2 for p in book.personas)


def test_enough_vignettes_with_reasons(pack):
    found = vignettes_of(pack)
    assert len(found.vignettes) >= 8
    for v in found.vignettes:
        assert v.text.da and v.text.en and v.why.da and v.why.en
        assert len(v.reference) >= 2


def test_packs_without_training_files_still_load(tmp_path):
    folder = tmp_path / "bip"
    shutil.copytree(default_pack_dir(), folder)
    (folder / "personas.toml").unlink()
    (folder / "vignettes.toml").unlink()
    loaded = load_pack(folder)
    assert personas_of(loaded) is None and vignettes_of(loaded) is None


def _broken(tmp_path: Path, file: str, old: str, new: str) -> Path:
    folder = tmp_path / "bip"
    shutil.copytree(default_pack_dir(), folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def _problems(folder: Path, lang: str = "en") -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(folder, lang)
    return caught.value.problems


@pytest.mark.parametrize(
    ("file", "old", "new", "where", "words"),
    [
        (
            "personas.toml",
            "[personas.levels.citizen]\nhelbred = 1.8\n",
            "[personas.levels.citizen]\n",
            "personas[0] (kontant_helbred).levels.citizen.helbred",
            "missing",
        ),
        (
            "personas.toml",
            "[personas.levels.citizen]\nhelbred = 1.8\n",
            "[personas.levels.citizen]\nhelbred = 1.8\nrealisme = 2\n",
            "personas[0] (kontant_helbred).levels.citizen.realisme",
            "unknown indicator 'realisme'",
        ),
        (
            "personas.toml",
            "[personas.levels.citizen]\nhelbred = 1.8\n",
            "[personas.levels.citizen]\nhelbred = 7\n",
            "personas[0] (kontant_helbred).levels.citizen.helbred",
            "'7'",
        ),
        (
            "personas.toml",
            "response = { demanding_low_health = 1.2",
            "response = { demanding = 1.2",
            "personas[0] (kontant_helbred).response.demanding",
            "unknown id 'demanding'",
        ),
        (
            "personas.toml",
            '{ kinds = ["helbredsindsats"] },\n  { kinds',
            '{ kinds = ["helbredsindsat"] },\n  { kinds',
            "personas[0] (kontant_helbred).history[0].kinds[0]",
            "unknown id 'helbredsindsat'",
        ),
        (
            "personas.toml",
            'rules = ["company_based_first"]',
            'rules = ["company_first"]',
            "effects[0] (company_based).rules[0]",
            "unknown id 'company_first'",
        ),
        (
            "personas.toml",
            'channels = ["aviser", "praktik"]',
            'channels = ["aviser", "soeger_ikke"]',
            "personas[0] (kontant_helbred).channels[1]",
            "'soeger_ikke' is not allowed",
        ),
        (
            "personas.toml",
            'target_group = "aktivitetsparat"\nanswer_style = "understates"',
            'target_group = "aktiv"\nanswer_style = "understates"',
            "personas[0] (kontant_helbred).target_group",
            "unknown id 'aktiv'",
        ),
        (
            "personas.toml",
            'answer_style = "understates"',
            'answer_style = "shy"',
            "personas[0] (kontant_helbred).answer_style",
            "'shy' is not allowed",
        ),
        (
            "personas.toml",
            'id = "ung_uden_uddannelse"',
            'id = "kontant_helbred"',
            "personas[1] (kontant_helbred).id",
            "more than once",
        ),
        (
            "personas.toml",
            'on = "passivity"\nstep = -0.15',
            'on = "passivity"\nkinds = ["mentor"]\nstep = -0.15',
            "effects[8] (passivity).kinds",
            "unknown field",
        ),
        (
            "personas.toml",
            'if_indicator = "helbred"\n',
            "",
            "effects[10] (demanding_low_health).if_indicator",
            "missing",
        ),
        (
            "personas.toml",
            'story.da = "Bente',
            'story.dk = "Bente',
            "personas[0] (kontant_helbred).story.dk",
            "unknown field",
        ),
        (
            "vignettes.toml",
            "reference = { helbred = 4, jobsoeg = 4, kendskab = 3 }",
            "reference = { helbred = 4, jobsoeg = 4, sb_tro = 3 }",
            "vignettes[0] (rengoering_ryg).reference.sb_tro",
            "unknown indicator 'sb_tro'",
        ),
        (
            "vignettes.toml",
            "reference = { helbred = 4, jobsoeg = 4, kendskab = 3 }",
            "reference = { helbred = 6, jobsoeg = 4, kendskab = 3 }",
            "vignettes[0] (rengoering_ryg).reference.helbred",
            "'6'",
        ),
        (
            "vignettes.toml",
            'perspective = "caseworker"',
            'perspective = "staff"',
            "perspective",
            "unknown id 'staff'",
        ),
    ],
)
def test_mistakes_name_file_and_field(tmp_path, file, old, new, where, words):
    folder = _broken(tmp_path, file, old, new)
    problems = _problems(folder)
    expected = f"{folder / file}: {where}: "
    hits = [p for p in problems if p.startswith(expected)]
    assert hits, problems
    assert words in hits[0]


def test_messages_follow_the_language(tmp_path):
    folder = _broken(
        tmp_path, "personas.toml", 'rules = ["company_based_first"]', 'rules = ["company_first"]'
    )
    (da,) = _problems(folder, "da")
    assert "personas.toml: effects[0] (company_based).rules[0]: peger på et ukendt id" in da


def test_syntax_error_names_the_line(tmp_path):
    folder = _broken(tmp_path, "personas.toml", "drift = 0.05", "drift = = 0.05")
    (problem,) = _problems(folder)
    assert problem.startswith(f"{folder / 'personas.toml'}:") and "TOML" in problem


def test_without_evidence_persona_kinds_are_not_checked(tmp_path):
    folder = tmp_path / "bip"
    shutil.copytree(default_pack_dir(), folder)
    (folder / "evidence.toml").unlink()
    assert personas_of(load_pack(folder)) is not None
