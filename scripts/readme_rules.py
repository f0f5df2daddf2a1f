"""Rewrite the rule and source tables in README.md from the shipped evidence.toml.

The README keeps a generated copy between the ``rules:start`` and ``rules:end``
markers; tests/unit/test_readme_rules.py fails when it differs from the file. Run
after editing evidence.toml:  .venv/bin/python scripts/readme_rules.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from bip_talk.domain.evidence_model import evidence_of
from bip_talk.i18n import Translator
from bip_talk.packs import load_pack
from bip_talk.presenters.evidence import markdown_tables
from bip_talk.resources import default_pack_dir

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"(<!-- rules:start[^>]*-->\n)(.*?)(<!-- rules:end -->)", re.S)


def tables() -> str:
    pack = load_pack(default_pack_dir(), "en")
    evidence = evidence_of(pack)
    assert evidence is not None, "the shipped pack carries evidence.toml"
    return "\n" + markdown_tables(pack, evidence, Translator("en")) + "\n"


def main() -> int:
    text = README.read_text(encoding="utf-8")
    if not BLOCK.search(text):
        print(f"{README}: the rules:start / rules:end markers are missing", file=sys.stderr)
        return 1
    new = BLOCK.sub(lambda m: m.group(1) + tables() + m.group(3), text, count=1)
    if new != text:
        README.write_text(new, encoding="utf-8")
        print(f"{README}: rule tables updated")
    else:
        print(f"{README}: rule tables already up to date")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
