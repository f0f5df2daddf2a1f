"""Message catalogs: every user-visible string comes from ``locales/<lang>/*.toml``.

Each file is a section: ``locales/da/meeting.toml`` key ``title`` is ``meeting.title``.
Danish is the reference; English must have the same keys (a test checks this).
"""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from typing import Any

from bip_talk.domain.typography import glue_units
from bip_talk.resources import locales_dir

LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, str]) -> None:
    for key, value in table.items():
        name = f"{prefix}.{key}"
        if isinstance(value, dict):
            _flatten(name, value, out)
        else:
            out[name] = str(value)


@cache
def section(lang: str, name: str) -> dict[str, str]:
    """One catalog file, read the first time one of its keys is asked for: start-up
    reads only the few sections the first screen uses."""
    out: dict[str, str] = {}
    path = locales_dir() / lang / f"{name}.toml"
    if path.is_file():
        with path.open("rb") as fh:
            _flatten(name, tomllib.load(fh), out)
    return out


@cache
def catalog(lang: str) -> dict[str, str]:
    """Every key of a language (for checks and tests)."""
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    out: dict[str, str] = {}
    for path in sorted((locales_dir() / lang).glob("*.toml")):
        out.update(section(lang, path.stem))
    return out


def _lookup(lang: str, key: str) -> str | None:
    return section(lang, key.partition(".")[0]).get(key)


class Translator:
    """``t("meeting.title", name=...)``; a missing key shows itself instead of crashing."""

    def __init__(self, lang: str = DEFAULT_LANGUAGE) -> None:
        self.lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE

    def __call__(self, key: str, **values: object) -> str:
        text = _lookup(self.lang, key)
        if text is None:
            text = _lookup(DEFAULT_LANGUAGE, key) or f"⟨{key}⟩"
        # A figure and its unit ("22 %") never break apart where text is wrapped.
        return glue_units(text.format(**values) if values else text)

    def has(self, key: str) -> bool:
        return _lookup(self.lang, key) is not None


def format_date(iso: str, lang: str) -> str:
    """'2026-08-18…' -> '18.08.2026' in Danish, '18 Aug 2026' in English."""
    d = date.fromisoformat(iso[:10])
    return d.strftime("%d.%m.%Y") if lang == "da" else f"{d.day} {d:%b} {d.year}"
