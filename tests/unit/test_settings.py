"""Settings (paths for this run) and Preferences (settings.toml): every environment
variable and option still works, and a settings file with any content gives a message
naming the file and the field – never another exception."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bip_talk.settings import (
    Preferences,
    Settings,
    SettingsError,
    load_preferences,
    preferences_toml,
    save_preferences,
    set_aside,
)

GOOD = (
    'caseworker_name = "Kim Krog"\ncaseworker_initials = "KK"\nlanguage = "en"\n'
    'blind_rating = false\ntheme = "high-contrast"\n\n[keymap]\nnote = "ctrl+n"\n'
)


# -- Settings: options > environment > defaults ---------------------------------------------


def test_every_environment_variable_is_read(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BIP_TALK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("BIP_TALK_DB", str(tmp_path / "x.db"))
    monkeypatch.setenv("BIP_TALK_PACK", str(tmp_path / "pack"))
    monkeypatch.setenv("BIP_TALK_CONFIG", str(tmp_path / "conf.toml"))
    monkeypatch.setenv("BIP_TALK_LANG", "en")
    s = Settings.from_env()
    assert s.data_dir == tmp_path / "data"
    assert s.database == tmp_path / "x.db"
    assert s.pack == tmp_path / "pack"
    assert s.preferences_file == tmp_path / "conf.toml"
    assert s.language == "en"


def test_options_win_over_the_environment(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("BIP_TALK_DB", str(tmp_path / "env.db"))
    monkeypatch.setenv("BIP_TALK_LANG", "en")
    s = Settings.from_env(db_path=tmp_path / "opt.db", language="da", pack_dir=None)
    assert s.database == tmp_path / "opt.db"
    assert s.language == "da"


def test_xdg_and_home_defaults(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.delenv("BIP_TALK_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert Settings.from_env().database == tmp_path / "xdg" / "bip-talk" / "bip-talk.db"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert Settings.from_env().data_dir == tmp_path / "home" / ".local" / "share" / "bip-talk"


def test_empty_variables_count_as_unset_and_paths_expand_the_home(
    tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setenv("BIP_TALK_DB", "")
    monkeypatch.setenv("BIP_TALK_LANG", "")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("BIP_TALK_PACK", "~/my-pack")
    s = Settings.from_env()
    assert s.db_path is None and s.language is None
    assert s.pack == tmp_path / "my-pack"


def test_an_unknown_language_in_the_environment_is_refused_by_name(monkeypatch) -> None:
    monkeypatch.setenv("BIP_TALK_LANG", "fr")
    with pytest.raises(SettingsError) as err:
        Settings.from_env()
    assert "BIP_TALK_LANG=fr" in str(err.value) and "da, en" in str(err.value)
    assert err.value.exit_code == 2


def test_importing_settings_touches_no_file(tmp_path: Path) -> None:
    """Importing the module and building Settings reads and creates nothing: the data
    folder does not appear, and the file-system calls made are only Python's own."""
    env = {**os.environ, "BIP_TALK_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path)}
    code = (
        "import sys, builtins, os\n"
        "seen = []\n"
        "real_open = builtins.open\n"
        "builtins.open = lambda f, *a, **k: (seen.append(str(f)), real_open(f, *a, **k))[1]\n"
        "from bip_talk.settings import Settings\n"
        "s = Settings.from_env(); s.database; s.preferences_file\n"
        "print([p for p in seen if 'data' in p])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
    assert list(tmp_path.iterdir()) == []


# -- Preferences: settings.toml --------------------------------------------------------------


def test_a_missing_file_gives_the_defaults(tmp_path: Path) -> None:
    assert load_preferences(tmp_path / "settings.toml") == Preferences()
    assert not (tmp_path / "settings.toml").exists()


def test_a_good_file_is_read_with_its_keymap(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(GOOD, encoding="utf-8")
    prefs = load_preferences(path)
    assert prefs.caseworker_initials == "KK" and prefs.language == "en"
    assert prefs.blind_rating is False and prefs.theme == "high-contrast"
    assert prefs.keymap == {"note": "ctrl+n"}


def test_save_then_load_gives_the_same_preferences_private_to_the_user(tmp_path: Path) -> None:
    path = tmp_path / "data" / "settings.toml"
    prefs = Preferences(
        caseworker_name='Jo "Q" \\ Ølund',
        caseworker_initials="JØ",
        keymap={"note": "ctrl+n", "new-citizen": "f6", "odd key": "x"},
    )
    os.umask(0o022)
    save_preferences(path, prefs)
    assert load_preferences(path) == prefs
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert sorted(p.name for p in path.parent.iterdir()) == ["settings.toml"]


@pytest.mark.parametrize(
    ("content", "field", "words"),
    [
        ("theme = 5\n", "theme", "must be a text in quotes, but is a number"),
        ('theme = "purple"\n', "theme", "'purple' is not allowed – use one of: standard"),
        ('language = "fr"\n', "language", "use one of: da, en"),
        ('blind_rating = "yes"\n', "blind_rating", "must be true or false, but is a text"),
        ("caseworker_name = [1, 2]\n", "caseworker_name", "but is a list"),
        ("caseworker_initials = 1979-05-27\n", "caseworker_initials", "but is a date"),
        ('colour = "blue"\n', "colour", "unknown field"),
        ('keymap = "ctrl+n"\n', "keymap", "must be a table, but is a text"),
        ("[keymap]\nnote = 5\n", "keymap", "'note' must be a text, but is a number"),
        ("[keymap.note]\nkey = 'n'\n", "keymap", "'note' must be a text, but is a table"),
        ('caseworker_name = "x\\u001b]0;pwned\\u0007"\n', "caseworker_name", "control char"),
        (f'caseworker_name = "{"x" * 300}"\n', "caseworker_name", "at most 200 characters"),
    ],
)
def test_each_wrong_field_is_named_with_the_file(
    tmp_path: Path, content: str, field: str, words: str
) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(content, encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(SettingsError) as err:
        load_preferences(path, "en")
    assert f"{path}: {field}: " in str(err.value)
    assert words in str(err.value)
    assert err.value.path == path and err.value.exit_code == 2
    assert path.read_bytes() == before  # nothing changed


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b'caseworker_name = "\xff\xfe"\n', ":1: the file is not saved as UTF-8"),
        (b"a = " + b"[" * 600 + b"]" * 600, "nests lists or tables inside each other too deeply"),
        (b"a = " + b"{b = " * 600 + b"1" + b"}" * 600, "too deeply"),
        (b"caseworker_name = " + b"9" * 4400, "a number with too many digits"),
        (b'theme = "standard"\ntheme = "x"\n', "TOML syntax error"),
        (b"x" * 1_000_001, "too large"),
    ],
)
def test_unreadable_files_give_a_message_naming_the_file(
    tmp_path: Path, content: bytes, words: str
) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(content)
    with pytest.raises(SettingsError) as err:
        load_preferences(path, "en")
    assert str(err.value).startswith(str(path))
    assert words in str(err.value)


def test_deep_dotted_keys_and_huge_hex_numbers_are_refused_as_fields(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(".".join(["a"] * 5000) + " = 1\ntheme = 0x" + "f" * 5000 + "\n")
    with pytest.raises(SettingsError) as err:
        load_preferences(path, "en")
    assert f"{path}: a: unknown field" in str(err.value)
    assert f"{path}: theme: must be a text" in str(err.value)
    assert len(str(err.value)) < 2000  # never the value itself


def test_a_folder_or_an_unreadable_file_is_named(tmp_path: Path) -> None:
    (tmp_path / "settings.toml").mkdir()
    with pytest.raises(SettingsError) as err:
        load_preferences(tmp_path / "settings.toml", "en")
    assert "cannot be read" in str(err.value)


def test_messages_come_in_danish_by_default(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("theme = 5\n")
    with pytest.raises(SettingsError, match="skal være en tekst i anførselstegn"):
        load_preferences(path)


def test_set_aside_keeps_every_bad_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text("theme = 1\n")
    assert set_aside(path) == tmp_path / "settings.toml.bad"
    path.write_text("theme = 2\n")
    assert set_aside(path) == tmp_path / "settings.toml.bad.2"
    assert not path.exists()
    assert (tmp_path / "settings.toml.bad").read_text() == "theme = 1\n"
    assert (tmp_path / "settings.toml.bad.2").read_text() == "theme = 2\n"


# -- any content -------------------------------------------------------------------------


def _mutations() -> st.SearchStrategy[bytes]:
    good = GOOD.encode()
    splice = st.tuples(st.integers(0, len(good)), st.integers(0, 40), st.binary(max_size=40)).map(
        lambda t: good[: t[0]] + t[2] + good[t[0] + t[1] :]
    )
    values = st.sampled_from(
        [b"5", b"true", b"[1]", b"{a = 1}", b'"x"', b"1979-05-27", b"9" * 4400, b"nan"]
    )
    fields = st.sampled_from([f.encode() for f in Preferences.__dataclass_fields__] + [b"zz"])
    retyped = st.tuples(fields, values).map(lambda t: t[0] + b" = " + t[1] + b"\n")
    deep = st.integers(1, 2000).map(lambda n: b"a = " + b"[" * n + b"]" * n)
    return st.one_of(splice, retyped, deep, st.binary(max_size=300))


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(content=_mutations())
def test_any_content_loads_or_gives_a_settings_error_naming_the_file(
    tmp_path: Path, content: bytes
) -> None:
    path = tmp_path / "settings.toml"
    path.write_bytes(content)
    try:
        prefs = load_preferences(path, "en")
    except SettingsError as exc:
        assert str(exc).startswith(str(path)), str(exc)[:300]
        assert "\x1b" not in str(exc)
    else:
        # What loads is what the app would write back unchanged.
        assert load_preferences(path) == prefs
        save_preferences(path, replace(prefs))
        assert load_preferences(path) == prefs
    assert preferences_toml(Preferences())
