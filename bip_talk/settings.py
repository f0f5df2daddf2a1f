"""Where things live and what this workstation remembers: two typed models.

``Settings`` (this run): paths and the language, from CLI options first, then the
``BIP_TALK_*`` environment variable each field names, then the XDG data directory.
``Preferences`` (``settings.toml``): who is signed in, language, blind rating, theme and
the ``[keymap]``. Both are frozen dataclasses whose annotations are the schema: one small
checker reads the annotations and refuses anything else with the file and the field.

Why not pydantic-settings: importing pydantic costs ~85 ms, a quarter of the time to
the first screen, which paints before anything pydantic is loaded (the pack comes
later). These files have a handful of flat fields; the stdlib does them in < 1 ms.

The database is a file, or a PostgreSQL server when ``--db``/``BIP_TALK_DB`` is a
``postgresql://`` URL (``db_url``).

Importing this module touches no file; nothing is read until asked.
"""

import os
import shlex
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, get_args, get_origin

from bip_talk.errors import InputError
from bip_talk.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator
from bip_talk.resources import default_pack_dir

THEMES = ("standard", "high-contrast")
# The app locks after this long without a key or a click, on a database with accounts.
IDLE_MINUTES = 10.0
POSTGRES_SCHEMES = ("postgresql://", "postgres://")
# A settings file is a few hundred bytes; anything this large is not one (and would be
# read into memory whole).
MAX_FILE_BYTES = 1_000_000
MAX_TEXT = 200


class SettingsError(InputError):
    """settings.toml or a BIP_TALK_* variable cannot be used; exit 2 like any bad input.

    ``path`` is the file (None for an environment variable)."""

    def __init__(self, message: str, path: Path | None = None) -> None:
        super().__init__(message)
        self.path = path


def _env_path(value: str) -> Path:
    return Path(value).expanduser()


def is_database_url(value: object) -> bool:
    """A PostgreSQL URL rather than a file name (``store.dialect.is_postgres_url``)."""
    return isinstance(value, str) and value.startswith(POSTGRES_SCHEMES)


def _default_data_dir() -> Path:
    if env := os.environ.get("BIP_TALK_DATA_DIR"):
        return _env_path(env)
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "bip-talk"


@dataclass(frozen=True)
class Settings:
    """Where things live for this run. ``env`` names the variable that overrides a
    field; ``choices`` limits a text field. An empty variable counts as unset.
    ``BIP_TALK_DB`` (and ``--db``) names a file (``db_path``) or a PostgreSQL server
    (``db_url``): the field of its kind takes it."""

    data_dir: Path = field(default_factory=_default_data_dir, metadata={"env": "BIP_TALK_DATA_DIR"})
    db_path: Path | None = field(default=None, metadata={"env": "BIP_TALK_DB", "url": False})
    pack_dir: Path | None = field(default=None, metadata={"env": "BIP_TALK_PACK"})
    prefs_path: Path | None = field(default=None, metadata={"env": "BIP_TALK_CONFIG"})
    language: str | None = field(
        default=None, metadata={"env": "BIP_TALK_LANG", "choices": LANGUAGES}
    )
    # Fractions allowed (0.1 is six seconds: the tests' short lock).
    idle_minutes: float = field(default=IDLE_MINUTES, metadata={"env": "BIP_TALK_IDLE_MINUTES"})
    db_url: str | None = field(default=None, metadata={"env": "BIP_TALK_DB", "url": True})

    @classmethod
    def from_env(cls, **overrides: object) -> "Settings":
        """Options given (not None) win over the environment, which wins over defaults."""
        values: dict[str, Any] = {}
        t = Translator(os.environ.get("BIP_TALK_LANG", DEFAULT_LANGUAGE))
        for f in fields(cls):
            name = f.metadata["env"]
            raw = os.environ.get(name)
            if not raw:
                continue
            if "url" in f.metadata and f.metadata["url"] != is_database_url(raw):
                continue
            if "choices" in f.metadata and raw not in f.metadata["choices"]:
                raise SettingsError(
                    t(
                        "settings_file.env_not_allowed",
                        name=name,
                        value=shown(raw),
                        expected=", ".join(f.metadata["choices"]),
                    )
                )
            hint = f.type
            if hint is float:
                values[f.name] = idle_minutes(raw, name)
                continue
            values[f.name] = _env_path(raw) if Path in (hint, *get_args(hint)) else raw
        given = {k: v for k, v in overrides.items() if v is not None}
        if is_database_url(given.get("db_path")):  # --db postgresql://…
            given["db_url"] = given.pop("db_path")
        if given.keys() & {"db_path", "db_url"}:  # --db wins over BIP_TALK_DB, either kind
            values.pop("db_path", None)
            values.pop("db_url", None)
        values.update(given)
        return cls(**values)

    @property
    def database(self) -> Path:
        """The SQLite file (when ``db_url`` is set, the file that would be used without it)."""
        return self.db_path or self.data_dir / "bip-talk.db"

    @property
    def database_target(self) -> Path | str:
        """What the app opens: the PostgreSQL URL if one is given, else the file."""
        return self.db_url or self.database

    @property
    def on_server(self) -> bool:
        return self.db_url is not None

    @property
    def demo_database(self) -> Path:
        return self.data_dir / "demo.db"

    @property
    def pack(self) -> Path:
        return self.pack_dir or default_pack_dir()

    @property
    def preferences_file(self) -> Path:
        return self.prefs_path or self.data_dir / "settings.toml"

    def with_database(self, path: Path | str) -> "Settings":
        """The same settings on another database: a file, or a ``postgresql://`` URL."""
        if is_database_url(path):
            return replace(self, db_path=None, db_url=str(path))
        return replace(self, db_path=Path(path), db_url=None)

    def db_option(self) -> str:
        """``--db PATH `` for a command line that must reach this database (the demo's,
        one given with --db or BIP_TALK_DB); empty for the default one. Global, so it goes
        before the subcommand."""
        if self.database == self.data_dir / "bip-talk.db":
            return ""
        return f"--db {shlex.quote(str(self.database))} "


def idle_minutes(text: str, where: str) -> float:
    """A positive number of minutes up to a day (``0.1`` is six seconds), or
    SettingsError naming ``where`` (the variable or the option)."""
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 < value <= 24 * 60:
        t = Translator(os.environ.get("BIP_TALK_LANG") or DEFAULT_LANGUAGE)
        raise SettingsError(t("cli.bad_idle_minutes", where=where, value=shown(text)))
    return value


@dataclass(frozen=True)
class Preferences:
    """What the app remembers between runs on this workstation (``settings.toml``)."""

    caseworker_name: str = field(default="", metadata={"max": MAX_TEXT})
    caseworker_initials: str = field(default="", metadata={"max": 12})
    language: str = field(default=DEFAULT_LANGUAGE, metadata={"choices": LANGUAGES})
    blind_rating: bool = True
    theme: str = field(default="standard", metadata={"choices": THEMES})
    # binding id -> key(s), e.g. {"note": "ctrl+n"}; the app checks ids and key names.
    keymap: dict[str, str] = field(default_factory=dict)

    @property
    def has_user(self) -> bool:
        return bool(self.caseworker_initials)


# -- reading -------------------------------------------------------------------------------


def read_toml_file(path: Path, t: Translator) -> dict[str, Any] | None:
    """The file as a table (None if there is no file), or SettingsError saying what is
    wrong and where; never any other exception, whatever the bytes (not UTF-8, nesting
    deep enough to exhaust the parser's recursion, integers over Python's 4,300-digit
    limit, a folder, a name too long, huge)."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SettingsError(
            t("settings_file.unreadable", file=path, reason=exc.strerror or type(exc).__name__),
            path,
        ) from None
    if len(data) > MAX_FILE_BYTES:
        raise SettingsError(t("settings_file.too_large", file=path), path)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise SettingsError(t("settings_file.not_utf8", file=path, line=line), path) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(
            t("settings_file.syntax", file=path, detail=shown(str(exc), MAX_TEXT)), path
        ) from None
    except RecursionError:
        raise SettingsError(t("settings_file.too_deep", file=path), path) from None
    except ValueError:  # int() refuses more than 4,300 digits
        raise SettingsError(t("settings_file.number_too_long", file=path), path) from None


def shown(text: str, limit: int = 100) -> str:
    """Text from the file, safe to print in a message: cut short, control characters
    written as escapes (a name may hold ``ESC ] 0 ;`` that would retitle the terminal)."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text[:limit])


def _kind(value: object) -> str:
    """A word for what a value is, never its repr (which may be 5,000 levels deep)."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "table"
    if isinstance(value, list):
        return "list"
    return "date"


def _check_field(f: Any, value: object, t: Translator) -> str | None:
    """What is wrong with one value, in words, or None."""
    hint = f.type
    expected = {bool: "bool", str: "text"}.get(hint)
    if get_origin(hint) is dict:
        if not isinstance(value, dict):
            return t(
                "settings_file.wrong_type",
                expected=t("settings_file.kind_table"),
                found=t("settings_file.kind_" + _kind(value)),
            )
        for key, item in value.items():
            if not isinstance(item, str):
                return t(
                    "settings_file.table_entry",
                    entry=shown(key),
                    found=t("settings_file.kind_" + _kind(item)),
                )
        return None
    assert expected, f"settings field {f.name}: unsupported type {hint}"
    if _kind(value) != expected:
        return t(
            "settings_file.wrong_type",
            expected=t("settings_file.kind_" + expected),
            found=t("settings_file.kind_" + _kind(value)),
        )
    if isinstance(value, str):
        if "choices" in f.metadata and value not in f.metadata["choices"]:
            return t(
                "settings_file.not_allowed",
                value=shown(value),
                expected=", ".join(f.metadata["choices"]),
            )
        if len(value) > f.metadata.get("max", MAX_TEXT):
            return t("settings_file.too_long", max=f.metadata.get("max", MAX_TEXT))
        if any(ord(ch) < 32 or 127 <= ord(ch) < 160 for ch in value):
            return t("settings_file.control_character")
    return None


def _from_table(cls: type, raw: dict[str, Any], path: Path, t: Translator) -> Any:
    known = {f.name: f for f in fields(cls)}
    problems: list[str] = []
    for name, value in raw.items():
        f = known.get(name)
        problem: str | None
        if f is None:
            problem = t("settings_file.unknown_field", known=", ".join(known))
        else:
            problem = _check_field(f, value, t)
        if problem:
            problems.append(f"{path}: {shown(name)}: {problem}")
    if problems:
        raise SettingsError("\n".join(problems), path)
    return cls(**raw)


def load_preferences(path: Path, lang: str | None = None) -> Preferences:
    """settings.toml as Preferences (defaults if it does not exist), or SettingsError
    naming the file and every field that is wrong. Nothing is changed on disk."""
    t = Translator(lang or DEFAULT_LANGUAGE)
    raw = read_toml_file(path, t)
    return Preferences() if raw is None else _from_table(Preferences, raw, path, t)


def set_aside(path: Path) -> Path:
    """Move a bad settings file out of the way as ``settings.toml.bad`` (or ``.bad.2``,
    ``.bad.3``, … when an earlier one is kept): nothing the user wrote is deleted."""
    target = path.with_name(path.name + ".bad")
    n = 1
    while target.exists() or target.is_symlink():
        n += 1
        target = path.with_name(f"{path.name}.bad.{n}")
    os.replace(path, target)
    return target


# -- writing -------------------------------------------------------------------------------


def _toml_string(value: str) -> str:
    out = []
    for ch in value:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 32 or ord(ch) == 127:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _toml_key(key: str) -> str:
    bare = key and all(ch.isascii() and (ch.isalnum() or ch in "-_") for ch in key)
    return key if bare else _toml_string(key)


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _toml_string(str(value))


def preferences_toml(prefs: Preferences) -> str:
    lines, tables = [], []
    for f in fields(Preferences):
        value = getattr(prefs, f.name)
        if isinstance(value, dict):
            tables.append(f"\n[{f.name}]")
            tables += [f"{_toml_key(k)} = {_toml_string(v)}" for k, v in value.items()]
        else:
            lines.append(f"{f.name} = {_toml_value(value)}")
    return "\n".join(lines + tables) + "\n"


def save_preferences(path: Path, prefs: Preferences) -> None:
    """Write atomically, private to the user: a half-written file would lose the identity."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(preferences_toml(prefs))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def ensure_private_dir(folder: Path) -> None:
    """Create a folder only its owner can enter (0700): it holds personal data."""
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
