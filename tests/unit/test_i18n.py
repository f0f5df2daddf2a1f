"""The message catalogs: Danish and English hold the same keys, the same placeholders,
and no empty text. Checked per section file so a failure names the file."""

from __future__ import annotations

import string
import tomllib

import pytest

from bip_talk.i18n import LANGUAGES, Translator, catalog
from bip_talk.resources import locales_dir

ROOT = locales_dir()
SECTIONS = sorted({p.stem for lang in LANGUAGES for p in (ROOT / lang).glob("*.toml")})


def _flat(table: dict, prefix: str = "") -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flat(value, name + "."))
        else:
            out[name] = value
    return out


def _section(lang: str, section: str) -> dict[str, object]:
    path = ROOT / lang / f"{section}.toml"
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        return _flat(tomllib.load(fh))


def _fields(text: str) -> set[str]:
    """The fields as written, with their index: ``name``, ``keys[save]``."""
    return {field for _, field, _, _ in string.Formatter().parse(text) if field is not None}


def _placeholders(text: str) -> set[str]:
    return {field.split(".")[0].split("[")[0] for field in _fields(text)}


class _AnyKeys(dict):
    """Stands in for a screen's ``keys`` (binding id -> key) while formatting."""

    def __missing__(self, key: str) -> str:
        return "x"


def test_both_languages_exist_and_have_sections() -> None:
    assert LANGUAGES[0] == "da"
    for lang in LANGUAGES:
        assert (ROOT / lang).is_dir()
    assert {"cli", "pack", "store"} <= set(SECTIONS)


@pytest.mark.parametrize("section", SECTIONS)
def test_same_files_in_every_language(section: str) -> None:
    missing = [lang for lang in LANGUAGES if not (ROOT / lang / f"{section}.toml").exists()]
    assert not missing, f"locales/{{{','.join(missing)}}}/{section}.toml is missing"


@pytest.mark.parametrize("section", SECTIONS)
def test_same_keys_in_danish_and_english(section: str) -> None:
    da, en = _section("da", section), _section("en", section)
    assert sorted(set(da) - set(en)) == [], f"{section}: keys only in Danish"
    assert sorted(set(en) - set(da)) == [], f"{section}: keys only in English"


@pytest.mark.parametrize("section", SECTIONS)
def test_placeholders_match(section: str) -> None:
    da, en = _section("da", section), _section("en", section)
    differ = {
        key: (sorted(_fields(str(da[key]))), sorted(_fields(str(en[key]))))
        for key in set(da) & set(en)
        if _fields(str(da[key])) != _fields(str(en[key]))
    }
    assert differ == {}, f"{section}: placeholders differ (da, en)"


@pytest.mark.parametrize("section", SECTIONS)
def test_no_empty_or_non_text_values(section: str) -> None:
    for lang in LANGUAGES:
        values = _section(lang, section)
        bad = sorted(k for k, v in values.items() if not isinstance(v, str) or not v.strip())
        assert bad == [], f"locales/{lang}/{section}.toml: empty or not text"


@pytest.mark.parametrize("section", SECTIONS)
def test_every_template_formats(section: str) -> None:
    """A stray brace would crash at the moment a user sees the message."""
    for lang in LANGUAGES:
        for key, value in _section(lang, section).items():
            names = _placeholders(str(value))
            try:
                str(value).format(**{n: _AnyKeys() if n == "keys" else "x" for n in names})
            except (ValueError, IndexError, KeyError) as exc:
                pytest.fail(f"locales/{lang}/{section}.toml {key}: {exc}")


@pytest.mark.parametrize("section", SECTIONS)
def test_every_key_a_text_names_is_a_binding_id(section: str) -> None:
    """``{keys[save]}`` is filled from the keymap by binding id: a misspelt id would
    crash the screen that shows the text."""
    from bip_talk.ui.keymap import BINDING_IDS

    for lang in LANGUAGES:
        for key, value in _section(lang, section).items():
            named = {f[5:-1] for f in _fields(str(value)) if f.startswith("keys[")}
            assert named <= BINDING_IDS, (
                f"locales/{lang}/{section}.toml {key}: {named - BINDING_IDS}"
            )


def test_translator_falls_back_and_never_crashes() -> None:
    assert Translator("en")("cli.where_db") == catalog("en")["cli.where_db"]
    assert Translator("xx").lang == "da"
    assert Translator("da")("no.such_key") == "⟨no.such_key⟩"


def test_locale_files_are_utf8() -> None:
    bad = []
    for path in sorted(ROOT.glob("*/*.toml")):
        try:
            path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            bad.append(str(path.relative_to(ROOT)))
    assert bad == []
