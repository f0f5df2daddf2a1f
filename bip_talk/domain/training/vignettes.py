"""``vignettes.toml`` as data: short case descriptions for the calibration drill, each
with reference ratings for a few indicators on one perspective's 1–5 scale and the
reasoning behind them (what the trainee reads after rating). Pure; ids are checked
against the pack.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field

from bip_talk.domain.pack import Ident, Pack, Strict, Text
from bip_talk.domain.pack_findings import Finding, PackFindings, duplicates

Rating = Annotated[int, Field(ge=1, le=5)]


class Vignette(Strict):
    id: str = Ident
    title: Text
    text: Text
    reference: dict[str, Rating] = Field(min_length=1)  # indicator -> reference rating
    why: Text


class VignetteSet(Strict):
    """``vignettes.toml``."""

    # Whose items the trainee rates with (the reference ratings use its scale).
    perspective: str = "caseworker"
    source: str = Field(min_length=1)
    vignettes: list[Vignette] = Field(min_length=1)

    def vignette(self, vignette_id: str) -> Vignette | None:
        return next((v for v in self.vignettes if v.id == vignette_id), None)


def vignettes_of(pack: Pack) -> VignetteSet | None:
    found = pack.extras.get("vignettes")
    return found if isinstance(found, VignetteSet) else None


def load_vignettes(pack: Pack, raw: dict[str, Any], where: str) -> VignetteSet:
    """The ``EXTRA_FILES`` loader; see ``bip_talk.packs``."""
    found = VignetteSet.model_validate(raw)
    findings: list[Finding] = []
    perspectives = [p.id for p in pack.perspectives]
    if found.perspective not in perspectives:
        findings.append(
            Finding(
                "perspective",
                "unknown_reference",
                {"id": found.perspective, "known": ", ".join(perspectives)},
            )
        )
    # Private items (the caseworker's own belief) are never rehearsed against a key.
    ratable = [
        i.id
        for i in pack.indicators
        if any(not item.private for item in pack.scored_items(found.perspective, i.id))
    ]
    for n, dup in duplicates([v.id for v in found.vignettes]):
        findings.append(Finding(f"vignettes[{n}] ({dup}).id", "duplicate_id", {"id": dup}))
    for n, v in enumerate(found.vignettes):
        for ind in v.reference:
            if ind not in ratable:
                findings.append(
                    Finding(
                        f"vignettes[{n}] ({v.id}).reference.{ind}",
                        "unknown_indicator",
                        {"id": ind, "known": ", ".join(ratable) or "-"},
                    )
                )
    if findings:
        raise PackFindings(findings)
    return found
