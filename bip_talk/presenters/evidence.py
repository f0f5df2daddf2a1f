"""``evidence.toml`` in words: each rule's condition, what it does, its sources and how
well they hold up. One text for ``bip-talk evidence``, the plan screen's link to the
rule behind a suggestion, and the README's rule table (Markdown, generated)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bip_talk.domain.evidence_model import (
    CATEGORIES,
    EVIDENCE_STATUSES,
    STANDINGS,
    EvidenceBase,
    Predicate,
    Rule,
    Source,
)
from bip_talk.domain.pack import Pack
from bip_talk.i18n import Translator, format_date


def _join(parts: Sequence[str], word: str) -> str:
    parts = [p for p in parts if p]
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} {word} {parts[-1]}"


def what(evidence: EvidenceBase, target: str, t: Translator) -> str:
    """An intervention, action or category in words."""
    if target in CATEGORIES:
        return t(f"ruletext.category_{target}")
    name = evidence.name(target)
    return name.get(t.lang) if name else target


def _who(pack: Pack, perspective: str, t: Translator) -> str:
    if perspective in ("any", "all"):
        return t(f"ruletext.who_{perspective}")
    try:
        return pack.perspective(perspective).name.get(t.lang).lower()
    except StopIteration:
        return perspective


def _value(number: float) -> str:
    return str(int(number)) if float(number).is_integer() else str(number)


def in_sentence(name: str) -> str:
    """A group's name as a word inside a sentence: "aldersgruppen er under 30 år", not
    "… er Under 30 år" (an abbreviation such as "STU" keeps its capitals)."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


def _names(pairs: Sequence[tuple[str, str]], ids: Sequence[str], t: Translator) -> str:
    """The named groups (target group, age band, education level), joined with "or"."""
    known = dict(pairs)
    return _join([in_sentence(known.get(i, i)) for i in ids], t("ruletext.or"))


def predicate_text(pack: Pack, evidence: EvidenceBase, p: Predicate, t: Translator) -> str:
    lang = t.lang
    test = p.test
    if test == "indicator":
        assert p.indicator is not None
        name = pack.indicator(p.indicator).name.get(lang)
        measure = p.measure or "at_most"
        return t(
            f"ruletext.indicator_{measure}",
            indicator=name,
            value=_value(getattr(p, measure)),
            who=_who(pack, p.perspective, t),
        )
    if test == "no_active" and p.no_active in CATEGORIES:
        return t(f"ruletext.no_active_{p.no_active}")
    if test in ("active", "no_active"):
        return t(f"ruletext.{test}", what=what(evidence, getattr(p, test) or "", t))
    if test == "days_without_activity_at_least":
        return t("ruletext.days_without_activity", days=p.days_without_activity_at_least)
    if test == "caseworker_changed_within_days":
        return t("ruletext.caseworker_changed", days=p.caseworker_changed_within_days)
    if test in ("not_searching", "channels_only_weak", "doing_well"):
        return t(f"ruletext.{test}")
    if test == "channel_unused":
        search = evidence.search
        item = pack.item(search.perspective, search.item) if search else None
        option = next((o for o in item.options if o.id == p.channel_unused), None) if item else None
        return t("ruletext.channel_unused", channel=option.text.get(lang) if option else "")
    if test == "target_group":
        groups = [(g.id, g.name.get(lang)) for g in pack.manifest.target_groups]
        return t("ruletext.target_group", groups=_names(groups, p.target_group or [], t))
    if test == "age_band":
        bands = [(b.id, b.name.get(lang)) for b in evidence.age_bands]
        return t("ruletext.age_band", bands=_names(bands, p.age_band or [], t))
    if test == "education":
        levels = [(e.id, e.name.get(lang)) for e in evidence.education_levels]
        return t("ruletext.education", levels=_names(levels, p.education or [], t))
    if test == "education_qualifying":
        return t(f"ruletext.education_qualifying_{str(p.education_qualifying).lower()}")
    raise AssertionError(test)  # the model allows no other test


def condition_text(pack: Pack, evidence: EvidenceBase, rule: Rule, t: Translator) -> str:
    """ "A and B and (C or D), unless E or F" in words."""

    def words(group: list[Predicate]) -> list[str]:
        return [predicate_text(pack, evidence, p, t) for p in group]

    parts = words(rule.when)
    if rule.when_any:
        alternatives = _join(words(rule.when_any), t("ruletext.or"))
        parts.append(f"({alternatives})" if len(rule.when_any) > 1 and parts else alternatives)
    text = _join(parts, t("ruletext.and"))
    if rule.unless:
        text += t("ruletext.unless", what=_join(words(rule.unless), t("ruletext.or")))
    return text


def strength_word(strength: str, t: Translator) -> str:
    key = f"planui.strength_{strength}"
    return t(key) if t.has(key) else strength


def action_text(evidence: EvidenceBase, rule: Rule, t: Translator) -> str:
    """What the rule does: suggest, exclude or keep going, with its strength."""
    if rule.exclude is not None:
        return t("ruletext.does_exclude", what=what(evidence, rule.exclude, t))
    strength = strength_word(rule.strength or "", t)
    if rule.keep is not None:
        return t("ruletext.does_keep", what=what(evidence, rule.keep, t), strength=strength)
    return t("ruletext.does_suggest", what=what(evidence, rule.suggest or "", t), strength=strength)


def period_text(valid_from: date | None, valid_until: date | None, t: Translator) -> str:
    if valid_from and valid_until:
        return t(
            "ruletext.valid_between",
            start=format_date(valid_from.isoformat(), t.lang),
            end=format_date(valid_until.isoformat(), t.lang),
        )
    if valid_from:
        return t("ruletext.valid_from", start=format_date(valid_from.isoformat(), t.lang))
    if valid_until:
        return t("ruletext.valid_until", end=format_date(valid_until.isoformat(), t.lang))
    return ""


def notes_text(evidence: EvidenceBase, rule: Rule, t: Translator) -> list[str]:
    """The rule's extra properties in words: private, in parallel, qualifies, dates."""
    out = []
    if rule.audience == "private":
        out.append(t("ruletext.private"))
    if rule.alongside is not None:
        out.append(t("ruletext.alongside", what=what(evidence, rule.alongside, t)))
    if rule.qualifies:
        names = _join([what(evidence, q, t) for q in rule.qualifies], t("ruletext.and"))
        out.append(t("ruletext.qualifies", what=names))
    period = period_text(rule.valid_from, rule.valid_until, t)
    if period:
        out.append(period)
    return out


# -- sources ---------------------------------------------------------------------------


def who(source: Source) -> str:
    """The publisher, else the authors (the shortest way to name who stands behind it)."""
    return source.publisher or ", ".join(source.authors)


def year_text(source: Source, t: Translator) -> str:
    return str(source.year) if source.year is not None else t("ruletext.no_year")


def citation(source: Source, t: Translator) -> str:
    """``Publisher (2019): Title``."""
    return t("ruletext.citation", who=who(source), year=year_text(source, t), title=source.title)


def standing_word(standing: str, t: Translator) -> str:
    return t(f"ruletext.standing_{standing}")


def evidence_word(status: str, t: Translator) -> str:
    return t(f"ruletext.evidence_{status}")


def source_lines(source: Source, t: Translator, *, indent: str = "") -> list[str]:
    lines = [f"{indent}- {citation(source, t)}"]
    if source.authors and source.publisher:
        lines.append(f"{indent}  {t('ruletext.authors')}: {', '.join(source.authors)}")
    if source.url:
        lines.append(f"{indent}  {source.url}")
    lines.append(f"{indent}  {t('ruletext.holds_up')}: {standing_word(source.standing, t)}")
    if source.note is not None:
        lines.append(f"{indent}  {source.note.get(t.lang)}")
    return lines


def rule_lines(
    pack: Pack, evidence: EvidenceBase, rule: Rule, t: Translator, *, with_id: bool = True
) -> list[str]:
    """One rule in words, as ``bip-talk evidence`` prints it and the plan screen shows
    for the suggestion it gave – there without the rule's id (``with_id=False``), a
    name for whoever edits evidence.toml, not for the caseworker in the meeting."""
    action = action_text(evidence, rule, t)
    lines = [
        f"{rule.id}: {action}" if with_id else action[:1].upper() + action[1:],
        f"  {t('ruletext.when')}: {condition_text(pack, evidence, rule, t)}",
    ]
    lines += [f"  {note}" for note in notes_text(evidence, rule, t)]
    lines.append(f"  {t('planui.why')}: {rule.reason.get(t.lang)}")
    if rule.beside is not None:
        lines.append(f"  {t('ruletext.beside')}: {rule.beside.get(t.lang)}")
    if rule.caveat is not None:
        lines.append(f"  {t('planui.caveat')}: {rule.caveat.get(t.lang)}")
    lines.append(f"  {t('ruletext.rule_evidence')}: {evidence_word(rule.evidence, t)}")
    lines.append(f"  {t('ruletext.sources')}:")
    for source_id in rule.sources:
        source = evidence.source(source_id)
        if source is not None:  # checked when loaded
            lines += source_lines(source, t, indent="  ")
    return lines


def evidence_text(pack: Pack, evidence: EvidenceBase, t: Translator) -> str:
    """Every rule in words, then the legend of how sources hold up."""
    out = [t("ruletext.title", count=len(evidence.rules)), ""]
    for rule in evidence.rules:
        out += rule_lines(pack, evidence, rule, t)
        out.append("")
    out.append(t("ruletext.legend"))
    out += [f"  {standing_word(s, t)}: {t(f'ruletext.standing_{s}_means')}" for s in STANDINGS]
    out.append(t("ruletext.legend_rules"))
    out += [
        f"  {evidence_word(s, t)}: {t(f'ruletext.evidence_{s}_means')}" for s in EVIDENCE_STATUSES
    ]
    return "\n".join(out) + "\n"


# -- the README's tables (Markdown) ------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown_tables(pack: Pack, evidence: EvidenceBase, t: Translator) -> str:
    """The rule table and the sources table, generated from the file (the README keeps
    a copy between markers; a test compares them)."""
    h = t("ruletext.md_rule_header")
    lines = [h, _separator(h)]
    for rule in evidence.rules:
        notes = "; ".join(notes_text(evidence, rule, t))
        cells = [
            f"`{rule.id}`",
            condition_text(pack, evidence, rule, t),
            action_text(evidence, rule, t) + (f" ({notes})" if notes else ""),
            evidence_word(rule.evidence, t),
            ", ".join(f"`{s}`" for s in rule.sources),
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    lines.append("")
    h = t("ruletext.md_source_header")
    lines += [h, _separator(h)]
    for source in evidence.sources:
        cells = [
            f"`{source.id}`",
            who(source),
            year_text(source, t),
            source.title,
            source.url or "–",
            standing_word(source.standing, t),
        ]
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    return "\n".join(lines) + "\n"


def _separator(header: str) -> str:
    return "|" + "---|" * (header.count("|") - 1)
