"""Read and validate a questionnaire pack folder (TOML -> pydantic), with errors a
pack author can act on: every problem names the file and the field or line.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from bip_talk.domain.evidence_model import load_evidence
from bip_talk.domain.pack import Pack, PackManifest, Questionnaire
from bip_talk.domain.pack_findings import PackFindings, duplicates
from bip_talk.domain.training.personas import load_personas
from bip_talk.domain.training.vignettes import load_vignettes
from bip_talk.errors import PackError
from bip_talk.i18n import Translator

MANIFEST = "pack.toml"

# Optional files a later capability validates itself: name -> (pack, raw, where) -> model.
# Registered by the modules that own them (evidence, personas, vignettes). A loader may
# raise pydantic's ValidationError or domain.findings.PackFindings: load_pack words them
# (file, field, what to do) in the user's language, like the pack's own files.
ExtraLoader = Callable[[Pack, dict[str, Any], str], object]
EXTRA_FILES: dict[str, ExtraLoader] = {}
EXTRA_FILES["evidence"] = load_evidence
# Training mode (loaded after evidence: a loader sees the extras loaded before it).
EXTRA_FILES["personas"] = load_personas
EXTRA_FILES["vignettes"] = load_vignettes


class _Problems:
    def __init__(self, root: Path, t: Translator) -> None:
        self.root = root
        self.t = t
        self.items: list[str] = []

    def add(self, file: str, where: str, key: str, **values: object) -> None:
        place = f"{self.root / file}: {where}" if where else f"{self.root / file}"
        self.items.append(f"{place}: {self.t('pack.' + key, **values)}")

    def raise_if_any(self) -> None:
        if self.items:
            raise PackError(self.items)


_LINE = re.compile(r"\(at line (\d+), column (\d+)\)")
_END = re.compile(r"\(at end of document\)")


def _read_toml(path: Path, problems: _Problems) -> dict[str, Any] | None:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        problems.add(path.name, "", "file_missing")
        return None
    except OSError as exc:
        problems.add(path.name, "", "file_unreadable", reason=exc.strerror or str(exc))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        problems.items.append(f"{problems.root / path.name}:{line}: {problems.t('pack.not_utf8')}")
        return None
    try:
        return tomllib.loads(text)
    except RecursionError:
        problems.add(path.name, "", "toml_too_deep")
        return None
    except tomllib.TOMLDecodeError as exc:
        match = _LINE.search(str(exc))
        # tomllib says "(at end of document)" when the file stops mid-value: the last line.
        at = match.group(1) if match else str(text.count("\n") + 1)
        detail = _END.sub("", _LINE.sub("", str(exc))).strip()
        problems.items.append(
            f"{problems.root / path.name}:{at}: {problems.t('pack.toml_syntax', detail=detail)}"
        )
    except ValueError:  # an integer longer than Python converts (4,300 digits)
        problems.add(path.name, "", "toml_number_too_long")
    return None


def _field_path(loc: Iterable[int | str], raw: Any) -> str:
    """``('items', 2, 'labels', 'da')`` -> ``items[2] (b_helbred).labels.da``."""
    out = ""
    node = raw
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            node = node[part] if isinstance(node, list) and part < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                out += f" ({node['id']})"
        else:
            out += f".{part}" if out else str(part)
            node = node.get(part) if isinstance(node, dict) else None
    return out


# pydantic error type -> catalog key; custom types raised in domain.pack map to themselves.
_PYDANTIC_KEYS = {
    "missing": "missing",
    "extra_forbidden": "unknown_field",
    "string_too_short": "empty_text",
    "string_pattern_mismatch": "bad_id",
    "literal_error": "not_allowed",
    "greater_than_equal": "below_min",
    "less_than_equal": "above_max",
    "too_short": "too_few",
}


def _validate(model: type[BaseModel], raw: dict[str, Any], file: str, problems: _Problems):
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        report_validation_error(exc, raw, file, problems)
        return None


def report_validation_error(
    exc: ValidationError, raw: dict[str, Any], file: str, problems: _Problems
) -> None:
    """Word each pydantic error as "<file>: <field path>: <what to do>"."""
    for err in exc.errors():
        where = _field_path(err["loc"], raw)
        if err["type"] == "missing" and where.endswith(".da"):
            key = "missing_danish"
        else:
            key = _PYDANTIC_KEYS.get(err["type"], err["type"])
        ctx: dict[str, object]
        if not problems.t.has("pack." + key):
            key, ctx = "invalid", {"detail": err["msg"]}
        else:
            ctx = {
                k: v for k, v in (err.get("ctx") or {}).items() if isinstance(v, int | float | str)
            }
            ctx.setdefault("expected", (err.get("ctx") or {}).get("expected", ""))
            ctx.setdefault(
                "value", err.get("input") if not isinstance(err.get("input"), dict | list) else ""
            )
        problems.add(file, where, key, **ctx)


# Every repeat of an id after its first use, as (position, id): the author is pointed
# at the copy to rename, not just at the list.
_duplicates = duplicates


def _cross_check(manifest: PackManifest, qs: dict[str, Questionnaire], problems: _Problems) -> None:
    for label, ids in (
        ("perspectives", [p.id for p in manifest.perspectives]),
        ("indicators", [i.id for i in manifest.indicators]),
        ("scales", [s.id for s in manifest.scales]),
        ("target_groups", [g.id for g in manifest.target_groups]),
    ):
        for n, dup in _duplicates(ids):
            problems.add(MANIFEST, f"{label}[{n}] ({dup}).id", "duplicate_id", id=dup)
    indicators = {i.id for i in manifest.indicators}
    scales = {s.id for s in manifest.scales}
    staff = {p.id for p in manifest.perspectives if p.respondent == "staff"}
    for pid, q in qs.items():
        file = f"{pid}.toml"
        if q.perspective != pid:
            problems.add(
                file, "perspective", "perspective_mismatch", found=q.perspective, expected=pid
            )
        for n, dup in _duplicates([i.id for i in q.items]):
            problems.add(file, f"items[{n}] ({dup}).id", "duplicate_id", id=dup)
        for n, item in enumerate(q.items):
            where = f"items[{n}] ({item.id})"
            if item.indicator not in indicators:
                problems.add(
                    file,
                    f"{where}.indicator",
                    "unknown_indicator",
                    id=item.indicator,
                    known=", ".join(sorted(indicators)),
                )
            if item.scale is not None and item.scale not in scales:
                problems.add(
                    file,
                    f"{where}.scale",
                    "unknown_scale",
                    id=item.scale,
                    known=", ".join(sorted(scales)) or "-",
                )
            for k, dup in _duplicates([o.id for o in item.options]):
                problems.add(file, f"{where}.options[{k}] ({dup}).id", "duplicate_id", id=dup)
            if item.private and pid not in staff:
                problems.add(file, f"{where}.private", "private_not_staff")
            scored = any(i.type == "scale" and i.indicator == item.indicator for i in q.items)
            for k, option in enumerate(item.options):
                if option.scale_value is not None and not scored:
                    problems.add(
                        file,
                        f"{where}.options[{k}] ({option.id}).scale_value",
                        "scale_value_without_scale",
                        indicator=item.indicator,
                    )
    _check_private_indicators(qs, problems)


def _check_private_indicators(qs: dict[str, Questionnaire], problems: _Problems) -> None:
    """Privacy is decided per indicator (the review, agenda and reports hide whole rows),
    so a private item must not share its indicator with items shown on the shared
    screen: its score would appear there beside theirs."""
    shared = {i.indicator for q in qs.values() for i in q.items if not i.private}
    for pid, q in qs.items():
        for n, item in enumerate(q.items):
            if item.private and item.indicator in shared:
                problems.add(
                    f"{pid}.toml",
                    f"items[{n}] ({item.id}).private",
                    "private_shares_indicator",
                    indicator=item.indicator,
                )


def load_pack(directory: Path, lang: str = "da") -> Pack:
    """Load and validate a pack folder; raise ``PackError`` listing every problem."""
    t = Translator(lang)
    root = Path(directory)
    problems = _Problems(root, t)
    if not root.is_dir():
        raise PackError([f"{root}: {t('pack.not_a_folder')}"])
    raw_manifest = _read_toml(root / MANIFEST, problems)
    problems.raise_if_any()
    assert raw_manifest is not None
    manifest = _validate(PackManifest, raw_manifest, MANIFEST, problems)
    problems.raise_if_any()
    assert isinstance(manifest, PackManifest)

    questionnaires: dict[str, Questionnaire] = {}
    for perspective in manifest.perspectives:
        file = f"{perspective.id}.toml"
        raw = _read_toml(root / file, problems)
        if raw is None:
            continue
        q = _validate(Questionnaire, raw, file, problems)
        if isinstance(q, Questionnaire):
            questionnaires[perspective.id] = q
    _cross_check(manifest, questionnaires, problems)
    problems.raise_if_any()

    pack = Pack(manifest=manifest, questionnaires=questionnaires)
    extras: dict[str, object] = {}
    for name, loader in EXTRA_FILES.items():
        path = root / f"{name}.toml"
        if not path.exists():
            continue
        raw = _read_toml(path, problems)
        if raw is None:
            continue
        try:
            seen = pack.model_copy(update={"extras": dict(extras)}) if extras else pack
            extras[name] = loader(seen, raw, str(root / path.name))
        except PackError as exc:
            problems.items.extend(exc.problems)
        except ValidationError as exc:
            report_validation_error(exc, raw, path.name, problems)
        except PackFindings as exc:
            for f in exc.findings:
                problems.add(path.name, f.where, f.key, **f.values)
    problems.raise_if_any()
    return pack.model_copy(update={"extras": extras}) if extras else pack


def summary(pack: Pack, t: Translator) -> str:
    counts = ", ".join(
        f"{p.name.get(t.lang).lower()} {len(pack.items(p.id))}" for p in pack.perspectives
    )
    return t(
        "pack.summary",
        id=pack.id,
        version=pack.version,
        indicators=len(pack.indicators),
        items=counts,
    )
