"""The handover as lines of text for the screen: nothing private, every change in
words, every trend as a sparkline with its dates."""

from __future__ import annotations

from bip_talk.domain.pack import Pack
from bip_talk.domain.wording import change_text, number, sparkline
from bip_talk.i18n import Translator, format_date
from bip_talk.services.handover import Handover

OLDER = "¹"  # beside a figure that is not from the last meeting


def handover_lines(h: Handover, pack: Pack, t: Translator) -> list[str]:
    lang = t.lang
    lines: list[str] = []
    if h.changed:
        lines.append(t("handover.changed", previous=_who(h.previous), current=_who(h.current)))
        lines.append(t("handover.why"))
        lines.append("")
    if h.meetings:
        first, last = h.meetings[0].held_on, h.meetings[-1].held_on
        lines.append(
            t(
                "handover.meetings",
                count=len(h.meetings),
                first=format_date(first, lang),
                last=format_date(last, lang),
            )
        )
    lines.append("")
    lines.append(t("handover.history_heading"))
    names = {p.id: p.name.get(lang) for p in pack.perspectives}
    older = False  # a figure from before the last meeting, which went unanswered
    for row in h.history:
        name = pack.indicator(row.indicator).name.get(lang)
        parts = []
        for pid, points in row.series.items():
            values = [p.value for p in points]
            known = [v for v in values if v is not None]
            last = number(known[-1], lang) if known else "–"
            if known and values[-1] is None:
                # Read beside the "·" it would pass for the latest answer: marked.
                last += OLDER
                older = True
            parts.append(f"{names[pid]} {sparkline(values)} {last}")
        marker = "★" if row.job_linked else " "
        lines.append(f"  {marker} {name:<30} " + "   ".join(parts))
    lines.append(t("handover.star"))
    if older:
        lines.append(t("handover.older", mark=OLDER))
    lines.append("")
    lines.append(t("handover.tried_heading"))
    if not h.tried:
        lines.append("  " + t("handover.none"))
    for reviewed in h.tried:
        outcome = t(f"opening.state_{reviewed.outcome}") if reviewed.outcome else ""
        lines.append(f"  {outcome} {reviewed.item.title}")
        for move in reviewed.moves:
            if move.change.delta is None:
                continue
            ind = pack.indicator(move.indicator).name.get(lang)
            lines.append(
                f"      {ind} ({names.get(move.perspective, move.perspective)}): "
                f"{change_text(move.change, pack, lang)}"
            )
    if h.declined:
        lines.append("")
        lines.append(t("handover.declined_heading"))
        for item in h.declined:
            why = f" – {item.decline_reason}" if item.decline_reason else ""
            lines.append(f"  ✗ {item.title}{why}")
    lines.append("")
    lines.append(t("handover.priorities_heading"))
    if not h.priorities:
        lines.append("  " + t("handover.none"))
    for p in h.priorities:
        lines.append(
            f"  {format_date(p.held_on, lang)}: {pack.indicator(p.indicator).name.get(lang)}"
        )
    lines.append("")
    lines.append(t("handover.notes_heading"))
    if not h.notes:
        lines.append("  " + t("handover.none"))
    held = {m.id: m.held_on for m in h.meetings}
    for note in h.notes:
        when = format_date(held.get(note.meeting_id, note.created_at), lang)
        about = f" ({pack.indicator(note.indicator).name.get(lang)})" if note.indicator else ""
        lines.append(f"  {when}{about}: {note.text}")
    lines.append("")
    lines.append(t("handover.open_heading"))
    if not h.open_items:
        lines.append("  " + t("handover.none"))
    for item in h.open_items:
        who = f" – {item.responsible}" if item.responsible else ""
        due = f", {t('handover.due')} {format_date(item.due_on, lang)}" if item.due_on else ""
        lines.append(f"  • {item.title}{who}{due}")
    return lines


def _who(caseworker) -> str:
    return f"{caseworker.name} ({caseworker.initials})" if caseworker else "–"
