"""Problems an optional pack file's own checks find, before any text is written.

A loader registered in ``bip_talk.packs.EXTRA_FILES`` knows neither the file's place
on disk nor the user's language; it raises ``PackFindings`` (or lets pydantic's
``ValidationError`` through) and the pack loader turns each finding into a message
that names the file, the field and what to do, in the user's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Finding:
    where: str  # field path, e.g. "rules[3] (mentor_young).when[0].indicator"
    key: str  # catalog key under "pack." (locales/*/pack.toml)
    values: dict[str, object] = field(default_factory=dict)


class PackFindings(Exception):
    def __init__(self, findings: Iterable[Finding]) -> None:
        self.findings = list(findings)
        super().__init__("; ".join(f"{f.where}: {f.key}" for f in self.findings))


def duplicates(ids: list[str]) -> list[tuple[int, str]]:
    """Every repeat of an id after its first use, as (position, id)."""
    seen: set[str] = set()
    out = []
    for n, ident in enumerate(ids):
        if ident in seen:
            out.append((n, ident))
        seen.add(ident)
    return out
