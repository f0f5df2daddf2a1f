"""Words for the training checklist: each check's title and reason in the trainee's
language (``locales/*/training.toml``), naming the indicators and plan elements
concerned, and the Markdown report a trainee can keep."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bip_talk.domain.evidence_model import EvidenceBase
from bip_talk.domain.pack import Pack
from bip_talk.domain.training.feedback import Check, passed_count
from bip_talk.errors import InputError
from bip_talk.i18n import Translator
from bip_talk.services.prompts import day


@dataclass(frozen=True, slots=True)
class CheckText:
    check: Check
    title: str
    status: str
    reason: str


def _join(t: Translator, names: Sequence[str]) -> str:
    names = list(dict.fromkeys(names))
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + t("training.list_and") + names[-1]


def kind_name(evidence: EvidenceBase | None, kind: str, lang: str) -> str:
    name = evidence.name(kind) if evidence else None
    return name.get(lang) if name else kind


def describe(check: Check, pack: Pack, evidence: EvidenceBase | None, t: Translator) -> CheckText:
    lang = t.lang
    indicators = _join(t, [pack.indicator(i).name.get(lang) for i in check.indicators])
    kinds = _join(t, [kind_name(evidence, k, lang) for k in check.kinds])
    base = f"training.check.{check.id}"
    reason = t(f"{base}.{check.reason}", indicators=indicators, kinds=kinds)
    if check.id == "no_contra_evidence" and check.status == "failed":
        # Say why, in the evidence file's own words for each rule.
        extra = []
        for kind, rule_id in zip(check.kinds, check.rules, strict=False):
            rule = evidence.rule(rule_id) if evidence and rule_id else None
            if rule is not None:
                extra.append(rule.reason.get(lang))
            else:
                extra.append(t(f"{base}.not_for_group", kind=kind_name(evidence, kind, lang)))
        reason = " ".join([reason, *dict.fromkeys(extra)])
    return CheckText(check, t(f"{base}.title"), t(f"training.status.{check.status}"), reason)


@dataclass(frozen=True, slots=True)
class ReportMeeting:
    number: int
    held_on: str
    new_caseworker: bool
    plan: tuple[str, ...]
    parallel: bool
    checks: tuple[Check, ...]


def markdown(
    pack: Pack,
    evidence: EvidenceBase | None,
    t: Translator,
    *,
    persona: str,
    seed: object,
    today: str,
    meetings: Sequence[ReportMeeting],
) -> str:
    lang = t.lang
    lines = [f"# {t('training.report.title', persona=persona)}", "", t("training.report.intro"), ""]
    lines += [
        f"- {t('training.report.persona')}: {persona}",
        f"- {t('training.report.seed')}: {seed}",
        f"- {t('training.report.date')}: {day(today, lang)}",
        "",
    ]
    if not meetings:
        lines += [t("training.report.no_meetings"), ""]
    for m in meetings:
        lines += [f"## {t('training.report.meeting', n=m.number, date=day(m.held_on, lang))}", ""]
        if m.new_caseworker:
            lines += [t("training.report.new_caseworker"), ""]
        plan = ", ".join(kind_name(evidence, k, lang) for k in m.plan)
        plan = plan or t("training.report.plan_none")
        if len(m.plan) > 1:
            how = "parallel" if m.parallel else "staircase"
            plan += f" ({t('training.report.' + how)})"
        lines += [f"{t('training.report.plan')}: {plan}", ""]
        for check in m.checks:
            text = describe(check, pack, evidence, t)
            mark = t(f"training.report.mark_{check.status}")
            lines.append(f"- {mark} **{text.title}** ({text.status}): {text.reason}")
        passed, applicable = passed_count(m.checks)
        lines += ["", t("training.report.summary", passed=passed, applicable=applicable), ""]
    return "\n".join(lines).rstrip() + "\n"


def write_report(path: Path, text: str, t: Translator) -> Path:
    """Write the report where the trainee asked; a clear message if that cannot be done."""
    path = Path(path).expanduser()
    if not path.parent.is_dir():
        raise InputError(t("training.report_folder_missing", folder=path.parent))
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise InputError(
            t("training.report_unwritable", path=path, reason=exc.strerror or str(exc))
        ) from exc
    return path
