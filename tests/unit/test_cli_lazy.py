"""The command line imports a command's module only when that command is called for:
``bip-talk`` (the app) and ``bip-talk where`` do not pay for ``doctor``, ``seed`` and
the rest (a third of a second at every start when they were all imported)."""

from __future__ import annotations

import importlib
import pkgutil
import subprocess

from bip_talk import commands
from bip_talk.i18n import Translator
from tests.cli_run import run_bip

# Modules of bip_talk.commands that hold no command of their own (helpers, and the
# sub-commands of ``citizen``).
HELPERS = {"context", "localize", "output", "paths", "audit", "outcome"}


def _run(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return run_bip(list(args), code=code)


# Runs ``main`` with the arguments given and prints, as it exits, which command modules
# were imported.
LOADED = """
import atexit, sys
def loaded():
    names = sorted(m.rsplit(".", 1)[1] for m in sys.modules if m.startswith("bip_talk.commands."))
    print("LOADED", " ".join(names))
atexit.register(loaded)
from bip_talk.cli import main
main(sys.argv[1:])
"""


def _loaded(*args: str) -> set[str]:
    run = _run(LOADED, *args)
    line = next(x for x in run.stdout.splitlines() if x.startswith("LOADED"))
    return set(line.split()[1:]) - HELPERS


def test_every_module_with_commands_is_listed_under_each_of_its_command_names() -> None:
    found: dict[str, str] = {}
    for info in pkgutil.iter_modules(commands.__path__):
        module = importlib.import_module(f"bip_talk.commands.{info.name}")
        for command in getattr(module, "COMMANDS", []):
            found[command.name] = info.name
    assert found == commands.MODULES
    assert set(commands.MODULES.values()).isdisjoint(HELPERS)


def test_a_command_is_found_by_name_and_an_unknown_name_is_none() -> None:
    assert commands.command("import").name == "import"
    assert commands.command("access-log").name == "access-log"
    assert commands.command("no-such-command") is None


def test_where_imports_no_other_command() -> None:
    assert _loaded("where") == set()


def test_a_command_imports_only_its_own_module() -> None:
    assert _loaded("stats", "--help") == {"stats"}
    assert _loaded("import", "--help") == {"exchange"}


def test_the_help_lists_every_command() -> None:
    assert _loaded("--help") == set(commands.MODULES.values())


def test_a_command_loaded_late_still_speaks_english_when_asked() -> None:
    run = _run(LOADED, "--lang", "en", "doctor", "--help")
    assert run.returncode == 0, run.stderr
    en = Translator("en")
    assert en("doctor.opt_repair").split()[0] in run.stdout
    assert en("cli.opt_help") in run.stdout
    assert "Show this message and exit" not in run.stdout


def test_a_misspelt_command_is_matched_among_those_not_loaded_yet() -> None:
    run = _run(LOADED, "dcotor")
    assert run.returncode == 2
    assert "'doctor'" in run.stderr
    assert "Traceback" not in run.stderr
