"""Product text never points at internal notes: no section signs, no research-note file
names, no "facts §3". Product text = the catalogs, the templates and the packs (their
comments too: a pack author reads them). Danish rule texts are Danish."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from bip_talk.domain.evidence_model import evidence_of
from bip_talk.domain.pack import Text
from bip_talk.resources import default_pack_dir, locales_dir

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted(
    [
        *locales_dir().rglob("*.toml"),
        *(ROOT / "prompts").rglob("*.*"),
        *default_pack_dir().parent.rglob("*.toml"),
    ]
)
# Internal notes, by what they are called and how they were cited.
FORBIDDEN = [
    re.compile(p, re.I)
    for p in (
        r"§",
        r"bip-facts",
        r"\bfacts\s+§?\d",
        r"\b(research|seed)/",
        r"\.\./shared",
        r"bip-results-presentation",
        r"reform-2027",
        r"anchor-systems",
        r"textual-and-sqlite-notes",
        r"\b(GLOSSARY|PRODUCT|ARCHITECTURE)\.md",
        r"\[(NF|C|I)\]",
    )
]
# Any other *.md / *.txt named in product text: only files the product writes itself
# and the project's own documentation.
FILE_NAME = re.compile(r"[\w./{}-]+\.(md|txt)\b")
ALLOWED_FILES = re.compile(r"^(indsigt-\{id\}\.md|access-\{id\}\.md|docs/[\w-]+\.md)$")


def test_the_scan_covers_catalogs_templates_and_packs():
    names = {p.name for p in FILES}
    assert {"planui.toml", "evidence.toml", "pack.toml", "personas.toml"} <= names
    assert any(p.suffix == ".j2" or "conversation" in p.parts for p in FILES)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_no_internal_references(path: Path):
    text = path.read_text(encoding="utf-8")
    for n, line in enumerate(text.splitlines(), start=1):
        for pattern in FORBIDDEN:
            assert not pattern.search(line), f"{path}:{n}: {line.strip()}"
        for name in FILE_NAME.finditer(line):
            assert ALLOWED_FILES.match(name.group(0)), f"{path}:{n}: {name.group(0)}"


ENGLISH = re.compile(r"\b(the|and|with|of|is|only|slides)\b", re.I)


def _texts(node, where=""):
    if isinstance(node, Text):
        yield where, node
    elif isinstance(node, list):
        for n, x in enumerate(node):
            yield from _texts(x, f"{where}[{n}]")
    elif isinstance(node, BaseModel):
        for name in type(node).model_fields:
            yield from _texts(getattr(node, name), f"{where}.{name}")


def test_danish_evidence_texts_are_danish(pack):
    evidence = evidence_of(pack)
    for where, text in _texts(evidence):
        if where.endswith(".note") and where.startswith(".sources"):
            continue  # a source's note may quote an English title
        assert not ENGLISH.search(text.da), f"evidence.toml{where}.da: {text.da}"
