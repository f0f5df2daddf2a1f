"""How a change reads: arrow + sign + word, never colour alone."""

from __future__ import annotations

import math

from bip_talk.domain.change import Change, Gap
from bip_talk.domain.pack import Pack
from bip_talk.domain.typography import NBSP

ARROWS = {"up": "↑", "down": "↓", "same": "→"}


def with_unit(value: str | float, unit: str, lang: str = "da") -> str:
    """A number and its unit that never break apart: ``with_unit(26.8, "%")`` ->
    "26,8 %" (with a no-break space); a text value is taken as already formatted."""
    shown = value if isinstance(value, str) else number(value, lang)
    return f"{shown}{NBSP}{unit}"


def number(value: float, lang: str, signed: bool = False) -> str:
    """1.5 -> '1,5' in Danish; whole numbers without decimals; a real minus sign."""
    # The sign follows the shown number: -0.04 reads "±0", not "−0".
    value = round(value, 1)
    text = f"{abs(value):.1f}".rstrip("0").rstrip(".")
    if lang == "da":
        text = text.replace(".", ",")
    if signed:
        sign = "+" if value > 0 else ("−" if value < 0 else "±")
        return sign + text
    return ("−" if value < 0 else "") + text


def decimal(value: float | None, lang: str, places: int = 2) -> str:
    """A measure with fixed decimals ("0,80"); "–" when it is undefined; never "-0,00"
    for a value that rounds to zero."""
    if value is None or math.isnan(value):
        return "–"
    text = f"{value:.{places}f}"
    if float(text) == 0:
        text = f"{0:.{places}f}"
    text = text.replace("-", "−")
    return text.replace(".", ",") if lang == "da" else text


def change_word(change: Change, pack: Pack, lang: str) -> str:
    words = pack.manifest.change_words
    if change.level is None or change.delta is None:
        return ""
    if change.level == "unchanged":
        return words.unchanged.get(lang)
    up = change.delta > 0
    if change.level == "clear":
        return (words.up_clear if up else words.down_clear).get(lang)
    return (words.up_moved if up else words.down_moved).get(lang)


def change_text(change: Change, pack: Pack, lang: str) -> str:
    """'↑ +2 tydelig fremgang'; empty when there is nothing to compare with."""
    if change.direction is None or change.delta is None:
        return ""
    delta = number(change.delta, lang, signed=True)
    return f"{ARROWS[change.direction]} {delta} {change_word(change, pack, lang)}"


def gap_parts(gap: Gap | None, pack: Pack, lang: str) -> tuple[str, str]:
    """('≠ 2', 'I ser forskelligt på det') when flagged, ('1', '') when not, ('', '')
    without two answers: screens that stack the words under the size use the parts."""
    if gap is None:
        return "", ""
    size = number(gap.size, lang)
    if not gap.flagged:
        return size, ""
    return f"≠ {size}", pack.manifest.change_words.gap.get(lang)


def gap_text(gap: Gap | None, pack: Pack, lang: str) -> str:
    return " ".join(part for part in gap_parts(gap, pack, lang) if part)


SPARK = "▁▂▄▆█"


def sparkline(series: tuple[float | None, ...] | list[float | None]) -> str:
    """One character per meeting on the 1–5 scale; '·' where there is no score."""
    out = []
    for value in series:
        if value is None:
            out.append("·")
        else:
            # Half up (2.5 -> 3): Python's round() would send 2.5 down and 3.5 up.
            idx = min(4, max(0, math.floor(value + 0.5) - 1))
            out.append(SPARK[idx])
    return "".join(out)
