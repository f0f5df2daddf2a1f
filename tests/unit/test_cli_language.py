"""The command line speaks the user's language: our help texts and click's own words,
chosen by ``--lang`` (even before ``--help``) or ``BIP_TALK_LANG``; nothing is
translated when the modules are imported."""

from __future__ import annotations

import inspect
import os
import subprocess
import sys

import click
import pytest

from bip_talk.commands import localize

ENGLISH_WORDS = ("Usage:", "Options:", "Commands:", "Error:", "Missing", "[OPTIONS]", "PATH")


def _run(*args: str, lang: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "BIP_TALK_LANG"}
    if lang:
        env["BIP_TALK_LANG"] = lang
    return subprocess.run(
        [sys.executable, "-m", "bip_talk", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["seed", "--help"],
        ["citizen", "--help"],
        ["report"],
        ["seed", "--citizens", "x"],
        ["no-such-command"],
        ["import", "--help"],
    ],
)
def test_danish_has_no_english_click_words(args: list[str]) -> None:
    result = _run(*args)
    out = result.stdout + result.stderr
    assert "Brug: bip-talk" in out
    for word in ENGLISH_WORDS:
        assert word not in out, (args, word, out)


def test_lang_en_before_help_gives_english_help() -> None:
    for args in (["--lang", "en", "--help"], ["--lang=en", "seed", "--help"]):
        out = _run(*args).stdout
        assert out.startswith("Usage: bip-talk"), out
        assert "Options:" in out and "Brug" not in out and "Tilvalg" not in out
        assert "Show this help and exit." in out


def test_environment_chooses_english_too() -> None:
    result = _run("report", lang="en")
    assert result.returncode == 2
    assert "Error: Missing argument 'CITIZEN_ID'." in result.stderr


def test_danish_errors_read_danish() -> None:
    result = _run("report")
    assert result.returncode == 2
    assert "Fejl: Mangler argument 'BORGER_ID'." in result.stderr
    assert "gyldigt tal" in _run("seed", "--citizens", "x").stderr


def test_language_from_the_command_line() -> None:
    assert localize.language_from(["--lang", "en", "--help"]) == "en"
    assert localize.language_from(["--lang=en"]) == "en"
    assert localize.language_from(["--", "--lang", "en"]) in ("da", os.environ.get("BIP_TALK_LANG"))
    assert localize.language_from(["--lang", "xx"]) in ("da", os.environ.get("BIP_TALK_LANG"))


def test_every_click_message_we_translate_is_still_in_click() -> None:
    """Pins click: a release that rewords or moves a message fails here, not silently
    in front of a Danish user."""
    source = "".join(inspect.getsource(m) for m in localize.CLICK_MODULES)
    for message in localize.WORDS:
        assert repr(message)[1:-1] in source or message in source, message
    for module in localize.CLICK_MODULES:
        assert hasattr(module, "_") or hasattr(module, "ngettext"), module.__name__
    assert click.core.Command.__init__.__defaults__ is not None


def test_importing_the_cli_reads_no_catalog() -> None:
    code = (
        "import bip_talk.cli, bip_talk.commands as c; c.all_commands();"
        "from bip_talk import i18n; print(i18n.section.cache_info().currsize)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "0", out.stderr
