"""Suggestions and the plan as text and data for the plan screen and ``bip-talk
suggest``: one listing, so the two can never show different things or a different
order.

The shared list is what the citizen may see, and each of its suggestions says only what
a citizen can read there: its name, a caution's words meant for the shared screen, and
why in the citizen's own words (the rule's ``said``). The rest – the caseworker's reason
with its figures, what it works on, caveats, sources and how well it is sourced – is the
suggestion's ``detail``, for the caseworker's eyes only (``i`` on the plan screen, and
``bip-talk suggest``). The caseworker's private view comes first when it is asked for:
cautions at its top (they qualify what follows), then the other private notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bip_talk.domain.entities import PlanItem
from bip_talk.domain.evidence import Suggestion, for_caseworker, shared_only
from bip_talk.domain.evidence_model import EvidenceBase, evidence_of
from bip_talk.domain.pack import Pack, is_private_indicator
from bip_talk.i18n import Translator, format_date
from bip_talk.presenters.evidence import citation, evidence_word, rule_lines, strength_word

STRENGTH_MARKS = {"strong": "●●●", "moderate": "●●○", "frame": "◇", "caution": "!"}


@dataclass(frozen=True, slots=True)
class SuggestionLine:
    suggestion: Suggestion
    text: str  # what the shared screen shows
    detail: str  # the caseworker's view: the evidence behind it, with its sources
    declined: PlanItem | None = None  # turned down in this meeting (listed last)


@dataclass(frozen=True, slots=True)
class PlanListing:
    """What the plan screen lists: ``private`` (the caseworker's view, cautions first)
    and ``shared`` (the list on the shared screen), each already in its order."""

    private: tuple[SuggestionLine, ...]
    shared: tuple[SuggestionLine, ...]

    def entries(self, *, include_private: bool) -> list[SuggestionLine]:
        return [*(self.private if include_private else ()), *self.shared]


def _name(evidence: EvidenceBase | None, kind: str, lang: str) -> str:
    name = evidence.name(kind) if evidence else None
    return name.get(lang) if name else kind


def _as_part(evidence: EvidenceBase | None, kind: str, lang: str) -> str:
    intervention = evidence.intervention(kind) if evidence else None
    if intervention is not None and intervention.as_part is not None:
        return intervention.as_part.get(lang)
    name = _name(evidence, kind, lang)
    return name[:1].lower() + name[1:]


def heading(s: Suggestion, pack: Pack, t: Translator) -> str:
    """The suggestion's title; a combination reads "<lead> med <parts> ved siden af"."""
    lang = t.lang
    if not s.parts:
        return s.title.get(lang)
    evidence = evidence_of(pack)
    parts = [_as_part(evidence, p.kind, lang) for p in s.parts]
    joined = (
        parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} {t('planui.and')} {parts[-1]}"
    )
    return t("planui.combined", lead=s.title.get(lang), parts=joined)


def _indicator_names(pack: Pack, ids: Sequence[str], lang: str) -> str:
    # Private indicators (the caseworker's own belief) are not named on the shared screen.
    known = {ind.id for ind in pack.indicators}
    return ", ".join(
        pack.indicator(i).name.get(lang)
        for i in ids
        if i in known and not is_private_indicator(pack, i)
    )


def source_text(pack: Pack, s: Suggestion, t: Translator) -> str:
    evidence = evidence_of(pack)
    found = [evidence.source(i) for i in s.all_sources] if evidence else []
    return "; ".join(citation(src, t) for src in found if src is not None)


def _head(s: Suggestion, pack: Pack, t: Translator) -> list[str]:
    """The suggestion's name, how strong, "keep going", and a caution's shared words."""
    mark = STRENGTH_MARKS.get(s.strength, "●○○")
    head = f"{mark} {heading(s, pack, t)}  ({strength_word(s.strength, t)})"
    if s.keep_going is not None:
        head += "  " + _kept(s, t)
    lines = [head]
    for note in dict.fromkeys(c.beside.get(t.lang) for c in s.cautions if c.beside is not None):
        lines.append(f"   ! {t('planui.mind')}: {note}")
    return lines


def _kept(s: Suggestion, t: Translator) -> str:
    """Why a suggestion with an open plan item is not one to accept: agreed at this
    meeting, or already running from before."""
    return t("planui.agreed_now" if s.agreed_now else "planui.keep_going")


def _running(s: Suggestion, pack: Pack, t: Translator) -> list[str]:
    if not s.with_running:
        return []
    evidence = evidence_of(pack)
    running = ", ".join(_name(evidence, k, t.lang) for k in s.with_running)
    return [f"   {t('planui.with_running', what=running)}"]


def shared_text(s: Suggestion, pack: Pack, t: Translator) -> str:
    """A suggestion as the citizen may read it: its name and why, in plain words."""
    lang = t.lang
    lines = _head(s, pack, t)
    if s.said is not None:
        lines.append(f"   {t('planui.why')}: {s.said.get(lang)}")
    for part in s.parts:
        kept = "  " + _kept(part, t) if part.open_item is not None else ""
        said = f": {part.said.get(lang)}" if part.said is not None else ""
        lines.append(f"   {t('planui.alongside')} – {part.title.get(lang)}{kept}{said}")
    return "\n".join(lines + _running(s, pack, t))


def suggestion_text(s: Suggestion, pack: Pack, t: Translator) -> str:
    """A suggestion for the caseworker: the reason with its figures, what it works on,
    caveats, sources and how well it is sourced."""
    lang = t.lang
    lines = _head(s, pack, t)
    lines.append(f"   {t('planui.why')}: {s.reason.get(lang)}")
    for part in s.parts:
        kept = "  " + _kept(part, t) if part.open_item is not None else ""
        lines.append(
            f"   {t('planui.alongside')} – {part.title.get(lang)}{kept}: {part.reason.get(lang)}"
        )
    lines += _running(s, pack, t)
    names = _indicator_names(pack, s.all_addresses, lang)
    if names:
        lines.append(f"   {t('planui.addresses')}: {names}")
    for caveat in dict.fromkeys(x.caveat.get(lang) for x in s.elements if x.caveat is not None):
        lines.append(f"   {t('planui.caveat')}: {caveat}")
    lines.append(f"   {t('planui.source')}: {source_text(pack, s, t)}")
    lines.append(f"   {t('planui.how_sure')}: {evidence_word(s.evidence, t)}")
    return "\n".join(lines)


def rules_text(s: Suggestion, pack: Pack, t: Translator) -> str:
    """The rules behind a suggestion in words, with their sources – the text of
    ``bip-talk evidence`` without the rules' ids – for the plan screen's "why this?"
    view. A shared suggestion's private cautions are not included (their words beside
    it are all it may show)."""
    evidence = evidence_of(pack)
    if evidence is None:
        return ""
    blocks = []
    for rule_id in s.rules:
        rule = evidence.rule(rule_id)
        if rule is not None:
            blocks.append("\n".join(rule_lines(pack, evidence, rule, t, with_id=False)))
    return "\n\n".join(blocks) + "\n"


def declined_text(s: Suggestion, item: PlanItem, pack: Pack, t: Translator) -> str:
    """A suggestion turned down in this meeting: marked in words, with the reason (or
    that there is none yet), without the rest – it is not on the table any more."""
    head = f"✗ {t('planui.declined_mark')}: {heading(s, pack, t)}"
    if item.decline_reason:
        return f"{head}\n   {t('planui.declined_because', reason=item.decline_reason)}"
    return f"{head}\n   {t('planui.declined_no_reason')}"


def _declined_match(s: Suggestion, declined: Sequence[PlanItem]) -> PlanItem | None:
    """The item this suggestion was declined as in this meeting, unless it has been
    taken up since (an item of its kind is open)."""
    if s.open_item is not None:
        return None
    return next((i for i in declined if (i.rule_id, i.kind) == (s.rule_id, s.kind)), None)


def _latest_by_kind(items: Sequence[PlanItem]) -> dict[str, PlanItem]:
    """The latest declined item of each kind."""
    out: dict[str, PlanItem] = {}
    for item in sorted(items, key=lambda i: (i.created_at, i.id)):
        out[item.kind] = item
    return out


def _before(s: Suggestion, earlier: dict[str, PlanItem], t: Translator) -> str:
    """Lines under a suggestion whose kind (or a part's) was turned down at an earlier
    meeting: what, when, and why if the reason was given (it was given in front of the
    citizen, on this screen)."""
    out = []
    for element in s.elements:
        item = earlier.get(element.kind)
        if item is None or element.open_item is not None:
            continue
        title, day = element.title.get(t.lang), format_date(item.created_at[:10], t.lang)
        if item.decline_reason:
            line = t("planui.declined_before", title=title, date=day, reason=item.decline_reason)
        else:
            line = t("planui.declined_before_no_reason", title=title, date=day)
        out.append("\n   " + line)
    return "".join(out)


def plan_listing(
    suggestions: Sequence[Suggestion],
    pack: Pack,
    t: Translator,
    declined: Sequence[PlanItem] = (),
    declined_before: Sequence[PlanItem] = (),
) -> PlanListing:
    """``declined``: the suggestions turned down in this meeting; each is marked as
    declined and moves below the open ones. ``declined_before``: those turned down at
    earlier meetings; a suggestion of the same kind says when and why."""
    earlier = _latest_by_kind(declined_before)

    def lines(items: Sequence[Suggestion], *, shared: bool) -> tuple[SuggestionLine, ...]:
        out = []
        for s in items:
            turned_down = _declined_match(s, declined)
            before = _before(s, earlier, t)
            detail = suggestion_text(s, pack, t) + before
            if turned_down:
                text = declined_text(s, turned_down, pack, t)
            else:
                # A private note is only ever shown in the caseworker's view.
                text = shared_text(s, pack, t) + before if shared else detail
            out.append(SuggestionLine(s, text, detail, turned_down))
        return tuple(sorted(out, key=lambda x: x.declined is not None))

    return PlanListing(
        lines(for_caseworker(suggestions), shared=False),
        lines(shared_only(suggestions), shared=True),
    )


def listing_text(listing: PlanListing, t: Translator, *, include_private: bool) -> str:
    """The listing as plain text (``bip-talk suggest``, the caseworker's command): the
    private view (when asked for), then the shared list, each with its evidence."""
    out: list[str] = []
    if include_private:
        out += [t("planui.private_heading"), ""]
        out += [line for x in listing.private for line in (x.text, "")] or [
            t("planui.no_private"),
            "",
        ]
    out += [t("planui.suggestions_heading"), ""]
    out += [line for x in listing.shared for line in (_detailed(x), "")] or [
        t("planui.no_suggestions"),
        "",
    ]
    return "\n".join(out).rstrip("\n") + "\n"


def _detailed(x: SuggestionLine) -> str:
    return x.text if x.declined else x.detail


def suggestion_data(
    s: Suggestion, pack: Pack, t: Translator, *, include_private: bool
) -> dict[str, Any]:
    """One suggestion as plain JSON-ready data (``bip-talk suggest --format json``)."""
    evidence = evidence_of(pack)
    lang = t.lang
    sources = []
    for source_id in s.all_sources:
        src = evidence.source(source_id) if evidence else None
        if src is None:
            continue
        entry: dict[str, Any] = {"id": src.id, "title": src.title, "year": src.year}
        if src.publisher:
            entry["publisher"] = src.publisher
        if src.authors:
            entry["authors"] = list(src.authors)
        entry["url"] = src.url
        entry["standing"] = src.standing
        sources.append(entry)
    caveats = [x.caveat.get(lang) for x in s.elements if x.caveat is not None]
    cautions = []
    for c in s.cautions:
        entry = {"text": c.beside.get(lang) if c.beside else None}
        if include_private:
            entry = {"rule": c.rule_id, "suggests": c.kind, **entry}
        cautions.append(entry)
    return {
        "suggests": s.kind,
        "title": heading(s, pack, t),
        "rules": list(s.rules),
        "strength": s.strength,
        "audience": s.audience,
        "reason": " ".join(x.reason.get(lang) for x in s.elements),
        "said": " ".join(x.said.get(lang) for x in s.elements if x.said is not None) or None,
        "caveat": " ".join(dict.fromkeys(caveats)) or None,
        "combined_with": list(s.combined_with),
        "keep_going": s.keep_going,
        "evidence": s.evidence,
        "addresses": list(s.all_addresses),
        "cautions": cautions,
        "sources": sources,
    }


def listing_data(
    listing: PlanListing, pack: Pack, t: Translator, *, include_private: bool
) -> list[dict[str, Any]]:
    return [
        {
            **suggestion_data(x.suggestion, pack, t, include_private=include_private),
            "declined": x.declined is not None,
            "decline_reason": x.declined.decline_reason if x.declined else None,
        }
        for x in listing.entries(include_private=include_private)
    ]


def plan_lines(items: list[PlanItem], meeting_id: int, t: Translator) -> list[str]:
    out = []
    for item in items:
        if item.status != "open":
            continue
        new = " " + t("planui.new") if item.meeting_id == meeting_id else ""
        responsible = f" – {item.responsible}" if item.responsible else ""
        due = f" – {t('handover.due')} {format_date(item.due_on, t.lang)}" if item.due_on else ""
        out.append(f"{item.title}{responsible}{due}{new}")  # the list marks the row (▶ ·)
    return out or [t("planui.plan_empty")]
