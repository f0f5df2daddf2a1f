"""Suggestions and the plan as text for the plan screen; private suggestions and the
belief reflection are gathered apart, for the caseworker's private view only."""

from __future__ import annotations

from dataclasses import dataclass

from bip_talk.domain.entities import PlanItem
from bip_talk.domain.evidence import Suggestion
from bip_talk.domain.pack import Pack, is_private_indicator
from bip_talk.i18n import Translator, format_date

STRENGTH_MARKS = {"strong": "●●●", "moderate": "●●○", "caution": "!"}


@dataclass(frozen=True, slots=True)
class SuggestionLine:
    suggestion: Suggestion
    text: str


def suggestion_text(s: Suggestion, pack: Pack, t: Translator) -> str:
    lang = t.lang
    mark = STRENGTH_MARKS.get(s.strength, "●○○")
    strength = (
        t(f"planui.strength_{s.strength}") if t.has(f"planui.strength_{s.strength}") else s.strength
    )
    head = f"{mark} {s.title.get(lang)}  ({strength})"
    if s.keep_going is not None:
        head += "  " + t("planui.keep_going")
    lines = [head, f"   {t('planui.why')}: {s.reason.get(lang)}"]
    if s.addresses:
        # Private indicators (the caseworker's own belief) are not named on the shared screen.
        names = ", ".join(
            pack.indicator(i).name.get(lang)
            for i in s.addresses
            if any(i == ind.id for ind in pack.indicators) and not is_private_indicator(pack, i)
        )
        lines.append(f"   {t('planui.addresses')}: {names}")
    if s.caveat is not None:
        lines.append(f"   {t('planui.caveat')}: {s.caveat.get(lang)}")
    lines.append(f"   {t('planui.source')}: {s.source}")
    return "\n".join(lines)


def plan_lines(items: list[PlanItem], meeting_id: int, t: Translator) -> list[str]:
    out = []
    for item in items:
        if item.status != "open":
            continue
        new = " " + t("planui.new") if item.meeting_id == meeting_id else ""
        who = f" – {item.responsible}" if item.responsible else ""
        due = f" – {t('handover.due')} {format_date(item.due_on, t.lang)}" if item.due_on else ""
        out.append(f"• {item.title}{who}{due}{new}")
    return out or [t("planui.plan_empty")]
