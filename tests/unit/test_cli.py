"""The command line as a user meets it: help and version texts from the catalog, and a
wrong option or command giving usage + exit 2 (never a traceback) for every command."""

from __future__ import annotations

import os
import subprocess
from concurrent.futures import ThreadPoolExecutor

import click
import pytest

from bip_talk import __version__
from bip_talk import cli as cli_module
from bip_talk.i18n import Translator
from tests.cli_run import run_bip


def _command_paths() -> list[list[str]]:
    """Every command and sub-command, as the words a user types after `bip-talk`."""
    cli_module._register_subcommands()
    out: list[list[str]] = []

    def walk(group: click.Group, prefix: list[str]) -> None:
        for name, command in sorted(group.commands.items()):
            out.append([*prefix, name])
            if isinstance(command, click.Group):
                walk(command, [*prefix, name])

    walk(cli_module.cli, [])
    return out


COMMANDS = _command_paths()


def _run(args: list[str], lang: str = "da") -> subprocess.CompletedProcess[str]:
    return run_bip(args, lang=lang)


def _run_all(arg_lists: list[list[str]], lang: str = "da") -> list[subprocess.CompletedProcess]:
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda a: _run(a, lang), arg_lists))


def test_the_core_commands_are_registered() -> None:
    names = {p[0] for p in COMMANDS}
    assert {"validate", "where"} <= names


def test_every_command_refuses_a_wrong_option_with_usage() -> None:
    results = _run_all([[*path, "--no-such-option"] for path in COMMANDS])
    for path, result in zip(COMMANDS, results, strict=True):
        shown = " ".join(path)
        assert result.returncode == 2, f"{shown}: {result.stderr}"
        assert "Traceback" not in result.stdout + result.stderr, shown
        assert "Brug: bip-talk" in result.stderr, shown
        assert "--no-such-option" in result.stderr, shown


@pytest.mark.parametrize("args", [["no-such-command"], ["--no-such-option"], ["--lang", "xx"]])
def test_top_level_mistakes_give_usage_and_exit_2(args) -> None:
    result = _run(args)
    assert result.returncode == 2
    assert "Brug: bip-talk" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("lang", ["da", "en"])
def test_help_and_version_options_speak_the_catalog(lang: str) -> None:
    t = Translator(lang)
    result = _run(["--help"], lang)
    assert result.returncode == 0
    assert t("cli.opt_help") in result.stdout
    assert t("cli.opt_version") in result.stdout
    assert "Show this message and exit" not in result.stdout
    for name in ("validate", "where"):
        assert f"  {name} " in result.stdout


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_every_command_has_catalog_help(path, capsys) -> None:
    """In-process (fast): the same ``main`` the console script calls."""
    with pytest.raises(SystemExit) as info:
        cli_module.main([*path, "--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    assert Translator(os.environ.get("BIP_TALK_LANG", "da"))("cli.opt_help") in out
    assert "Show this message and exit" not in out
    assert "⟨" not in out, "a missing catalog key"


def test_version() -> None:
    result = _run(["--version"])
    assert result.returncode == 0
    assert result.stdout.strip() == f"bip-talk {__version__}"


def test_without_a_terminal_the_app_explains_itself() -> None:
    result = _run([])
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert Translator("da")("cli.no_terminal") in result.stderr


@pytest.mark.parametrize(
    ("lang", "says"),
    [("da", "skal stå før kommandoen: bip-talk --db"), ("en", "goes before the command")],
)
def test_a_global_option_after_the_command_says_where_it_goes(lang, says, tmp_path):
    """The walkthrough: `report X --db PATH` answered only "no such option --db"."""
    run = _run(["report", "B-2222KK", "--db", str(tmp_path / "x.db")], lang=lang)
    assert run.returncode == 2 and says in run.stderr and "report" in run.stderr
    assert "Traceback" not in run.stderr
    other = _run(["report", "B-2222KK", "--bogus"], lang=lang)
    assert other.returncode == 2 and says not in other.stderr  # only the global ones
