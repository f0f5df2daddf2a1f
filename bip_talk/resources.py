"""Where the shipped packs and templates live.

In a wheel they sit inside the package (``bip_talk/_shipped``); in a source checkout
they sit at the repository root. Never rely on the working directory.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _shipped(name: str) -> Path:
    inside = _PACKAGE / "_shipped" / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name


def questionnaires_dir() -> Path:
    return _shipped("questionnaires")


def default_pack_dir() -> Path:
    return questionnaires_dir() / "bip"


def prompts_dir() -> Path:
    return _shipped("prompts")


def locales_dir() -> Path:
    return _PACKAGE / "locales"
