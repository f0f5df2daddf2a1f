"""The citizen's facts that the evidence rules read: target group, birth year and highest
completed education. Checked against the pack before they are stored, for the
new-citizen dialog, the edit on the citizen screen and any other caller.

Only these facts are structured. Health conditions are never stored as fields: the
rules read health coping from the answers, and anything else belongs in a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bip_talk import clock
from bip_talk.domain.entities import CITIZEN_FACTS, Citizen
from bip_talk.domain.evidence_model import evidence_of
from bip_talk.domain.pack import Pack
from bip_talk.errors import InputError
from bip_talk.i18n import Translator
from bip_talk.store import Store
from bip_talk.user_text import checked

# A citizen is at least this old and at most this old in the year they are recorded.
YOUNGEST = 15
OLDEST = 100


@dataclass(frozen=True, slots=True)
class Choice:
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class FactChoices:
    """What the dialogs offer: the target groups valid on the day, the education
    levels, and the birth years that can be entered."""

    target_groups: tuple[Choice, ...]
    education_levels: tuple[Choice, ...]
    first_year: int
    last_year: int


def fact_choices(pack: Pack, lang: str, *, on: date | None = None) -> FactChoices:
    day = on or clock.today()
    evidence = evidence_of(pack)
    groups = tuple(
        Choice(g.id, g.name.get(lang)) for g in pack.manifest.target_groups if g.valid_on(day)
    )
    levels = tuple(
        Choice(e.id, e.name.get(lang)) for e in (evidence.education_levels if evidence else [])
    )
    return FactChoices(groups, levels, day.year - OLDEST, day.year - YOUNGEST)


def _birth_year(value: Any, t: Translator, day: date) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    first, last = day.year - OLDEST, day.year - YOUNGEST
    try:
        year = int(str(value).strip())
    except ValueError:
        raise InputError(
            t("citizen_facts.bad_birth_year", value=value, first=first, last=last)
        ) from None
    if not first <= year <= last:
        raise InputError(t("citizen_facts.bad_birth_year", value=value, first=first, last=last))
    return year


def _code(value: Any, known: tuple[Choice, ...], key: str, t: Translator) -> str | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    code = str(value).strip()
    if code not in {c.id for c in known}:
        names = ", ".join(f"{c.id} ({c.name})" for c in known) or "–"
        raise InputError(t(key, value=code, known=names))
    return code


def _name(value: Any, t: Translator) -> str:
    name = str(value or "").strip()
    if not name:
        raise InputError(t("citizen_facts.name_missing"))
    # The one check for text people type (CPR numbers, control characters), worded
    # with the field and what to remove.
    return checked(name, "display_name", t.lang)


def check_facts(
    pack: Pack, changes: dict[str, Any], *, lang: str, on: date | None = None
) -> dict[str, Any]:
    """The given facts, cleaned: blank = not recorded; a bad value raises ``InputError``
    naming the field and what is allowed. Unknown field names are refused too."""
    t = Translator(lang)
    unknown = sorted(set(changes) - set(CITIZEN_FACTS))
    if unknown:
        raise InputError(
            t("citizen_facts.not_a_fact", fields=", ".join(unknown), known=", ".join(CITIZEN_FACTS))
        )
    day = on or clock.today()
    choices = fact_choices(pack, lang, on=day)
    out: dict[str, Any] = {}
    if "display_name" in changes:
        out["display_name"] = _name(changes["display_name"], t)
    if "target_group" in changes:
        out["target_group"] = _code(
            changes["target_group"], choices.target_groups, "citizen_facts.bad_group", t
        )
    if "birth_year" in changes:
        out["birth_year"] = _birth_year(changes["birth_year"], t, day)
    if "education" in changes:
        out["education"] = _code(
            changes["education"], choices.education_levels, "citizen_facts.bad_education", t
        )
    return out


def create_citizen(
    store: Store,
    pack: Pack,
    display_name: str,
    *,
    caseworker_id: int,
    lang: str,
    target_group: str | None = None,
    birth_year: int | str | None = None,
    education: str | None = None,
) -> Citizen:
    """A new citizen with a pseudonymous id, assigned to ``caseworker_id``."""
    facts = check_facts(
        pack,
        {
            "display_name": display_name,
            "target_group": target_group,
            "birth_year": birth_year,
            "education": education,
        },
        lang=lang,
    )
    name = facts.pop("display_name")
    return store.create_citizen(name, caseworker_id=caseworker_id, **facts)


def edit_citizen(
    store: Store, pack: Pack, citizen_id: str, *, actor: int | None, lang: str, **changes: Any
) -> Citizen:
    """Change some of the citizen's facts; each change is audited with its old value."""
    store.citizen(citizen_id)  # an unknown id: NotFoundError before anything is checked
    return store.update_citizen(citizen_id, actor=actor, **check_facts(pack, changes, lang=lang))


@dataclass(frozen=True, slots=True)
class FactLine:
    label: str
    value: str


def fact_lines(
    pack: Pack, citizen: Citizen, lang: str, *, on: date | None = None
) -> list[FactLine]:
    """The facts in words for the citizen screen and reports ("–" when not recorded)."""
    t = Translator(lang)
    day = on or clock.today()
    evidence = evidence_of(pack)
    group = next(
        (g.name.get(lang) for g in pack.manifest.target_groups if g.id == citizen.target_group),
        citizen.target_group or "–",
    )
    born = "–"
    if citizen.birth_year is not None:
        band_id = evidence.age_band_of(citizen.birth_year, day) if evidence else None
        band = (
            next((b.name.get(lang) for b in evidence.age_bands if b.id == band_id), None)
            if (evidence)
            else None
        )
        born = t(
            "citizen_facts.born_value",
            year=citizen.birth_year,
            age=day.year - citizen.birth_year,
            band=band or "–",
        )
    level = evidence.education_level(citizen.education) if evidence else None
    education = level.name.get(lang) if level else (citizen.education or "–")
    return [
        FactLine(t("citizen_facts.group"), group),
        FactLine(t("citizen_facts.born"), born),
        FactLine(t("citizen_facts.education"), education),
    ]
