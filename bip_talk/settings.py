"""Where things live and the user's remembered preferences.

Paths come from arguments first, then ``BIP_TALK_*`` environment variables, then the
XDG data directory. Nothing here touches the disk until asked to.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path

from bip_talk.errors import InputError
from bip_talk.i18n import DEFAULT_LANGUAGE, LANGUAGES
from bip_talk.resources import default_pack_dir

THEMES = ("standard", "high-contrast")


def _default_data_dir() -> Path:
    if env := os.environ.get("BIP_TALK_DATA_DIR"):
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "bip-talk"


@dataclass(frozen=True)
class Settings:
    data_dir: Path = field(default_factory=_default_data_dir)
    db_path: Path | None = None
    pack_dir: Path | None = None
    prefs_path: Path | None = None
    language: str | None = None

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        env: dict[str, object] = {}
        if db := os.environ.get("BIP_TALK_DB"):
            env["db_path"] = Path(db).expanduser()
        if pack := os.environ.get("BIP_TALK_PACK"):
            env["pack_dir"] = Path(pack).expanduser()
        if prefs := os.environ.get("BIP_TALK_CONFIG"):
            env["prefs_path"] = Path(prefs).expanduser()
        if lang := os.environ.get("BIP_TALK_LANG"):
            env["language"] = lang
        env.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**env)  # type: ignore[arg-type]

    @property
    def database(self) -> Path:
        return self.db_path or self.data_dir / "bip-talk.db"

    @property
    def demo_database(self) -> Path:
        return self.data_dir / "demo.db"

    @property
    def pack(self) -> Path:
        return self.pack_dir or default_pack_dir()

    @property
    def preferences_file(self) -> Path:
        return self.prefs_path or self.data_dir / "settings.toml"

    def with_database(self, path: Path) -> Settings:
        return replace(self, db_path=path)


@dataclass(frozen=True)
class Preferences:
    """What the app remembers between runs on this workstation."""

    caseworker_name: str = ""
    caseworker_initials: str = ""
    language: str = DEFAULT_LANGUAGE
    blind_rating: bool = True
    theme: str = "standard"

    @property
    def has_user(self) -> bool:
        return bool(self.caseworker_initials)


def load_preferences(path: Path) -> Preferences:
    if not path.exists():
        return Preferences()
    try:
        with path.open("rb") as fh:
            raw = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise InputError(f"{path}: {exc}") from exc
    prefs = Preferences()
    known = {f for f in Preferences.__dataclass_fields__}
    values = {k: v for k, v in raw.items() if k in known}
    prefs = replace(prefs, **values)
    if prefs.language not in LANGUAGES:
        prefs = replace(prefs, language=DEFAULT_LANGUAGE)
    if prefs.theme not in THEMES:
        prefs = replace(prefs, theme="standard")
    return prefs


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def save_preferences(path: Path, prefs: Preferences) -> None:
    """Write atomically, private to the user: a half-written file would lose the identity."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lines = [
        f"{name} = {_toml_value(getattr(prefs, name))}" for name in Preferences.__dataclass_fields__
    ]
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")
    os.replace(tmp, path)


def ensure_private_dir(folder: Path) -> None:
    """Create a folder only its owner can enter (0700): it holds personal data."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
