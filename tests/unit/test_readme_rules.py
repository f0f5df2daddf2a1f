"""The README's rule and source tables are the ones evidence.toml gives today."""

from __future__ import annotations

import re
from pathlib import Path

from bip_talk.domain.evidence_model import evidence_of
from bip_talk.i18n import Translator
from bip_talk.packs import load_pack
from bip_talk.presenters.evidence import markdown_tables
from bip_talk.resources import default_pack_dir

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"<!-- rules:start[^>]*-->\n(.*?)<!-- rules:end -->", re.S)


def test_readme_tables_match_evidence_toml():
    found = BLOCK.search(README.read_text(encoding="utf-8"))
    assert found, "README.md lost its rules:start / rules:end markers"
    pack = load_pack(default_pack_dir(), "en")
    expected = "\n" + markdown_tables(pack, evidence_of(pack), Translator("en")) + "\n"
    assert found.group(1) == expected, "run: .venv/bin/python scripts/readme_rules.py"


def test_every_rule_and_source_is_in_the_table():
    pack = load_pack(default_pack_dir(), "en")
    evidence = evidence_of(pack)
    block = BLOCK.search(README.read_text(encoding="utf-8")).group(1)
    for rule in evidence.rules:
        assert f"| `{rule.id}` |" in block, rule.id
    for source in evidence.sources:
        assert f"| `{source.id}` |" in block, source.id
        assert source.url is None or source.url in block
