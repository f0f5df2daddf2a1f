"""The README cannot drift from the app: its `bip-talk …` command lines run, its
command table names exactly the app's subcommands, its keymap ids are the app's, and
its settings.toml example is a valid file.

Each ``bash`` block runs its lines in order, as a user following along would, in a
fresh copy of one temporary world: a data folder holding a database with the README's
example citizen ``B-7K3M9Q`` (four meetings), ``HOME`` and the working folder inside
it, and the README's absolute example folders (``/data/…``, ``/tmp/…``) moved inside it
too, with the files the examples read (an export at ``/data/bip-2026q1``, a history in
the export format at ``paper-history``). The one change to a command itself: the
40,000-citizen cohort of the performance section is seeded at 20 citizens (40,000
takes a minute; the seeding has its own tests). A line's comment may name the exit it
gives (``exit 2``); otherwise it must exit 0. A ``bash`` block marked
``<!-- commands: tui … -->`` or ``<!-- commands: not run … -->`` just above it is not
run, and the test says so.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from bip_talk import cli as cli_module
from bip_talk.i18n import Translator
from bip_talk.settings import load_preferences

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
EXAMPLE_CITIZEN = "B-7K3M9Q"
SMALLER = {"--citizens 40000": "--citizens 20", "--citizens 500": "--citizens 5"}

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Block:
    line: int  # where the fence opens, 1-based
    lang: str
    marker: str  # "", "tui" or "not run"
    lines: tuple[str, ...]


def readme_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        fence = re.match(r"^```(\w*)\s*$", lines[i])
        if not fence:
            i += 1
            continue
        above = next((x for x in reversed(lines[:i]) if x.strip()), "")
        mark = re.match(r"<!--\s*commands:\s*(tui|not run)\b", above.strip())
        end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
        blocks.append(
            Block(i + 1, fence.group(1), mark.group(1) if mark else "", tuple(lines[i + 1 : end]))
        )
        i = end + 1
    return blocks


BLOCKS = readme_blocks(README.read_text(encoding="utf-8"))
SHELL = [b for b in BLOCKS if b.lang == "bash"]


def _command(line: str) -> tuple[str, int]:
    """A README line without its comment, and the exit its comment names (else 0)."""
    code, _, comment = line.partition("  #")
    if code.lstrip().startswith("#"):
        code, comment = "", code
    found = re.search(r"\bexit (\d+)\b", comment)
    return code.strip(), int(found.group(1)) if found else 0


def test_every_shell_block_is_run_or_marked() -> None:
    """An unmarked block may hold only bip-talk commands: anything else must say
    above it why it is not run, so nothing is skipped without a word."""
    for block in SHELL:
        if block.marker:
            continue
        for line in block.lines:
            code, _ = _command(line)
            assert not code or code.startswith("bip-talk"), (
                f"README.md:{block.line}: `{code}` is not a bip-talk command – mark the block"
                " <!-- commands: not run – why --> or <!-- commands: tui – … -->"
            )
    marked = [b for b in SHELL if b.marker]
    assert any(b.marker == "tui" for b in marked), "the TUI starts are marked, not dropped"
    runnable = [b for b in SHELL if not b.marker]
    assert sum(1 for b in runnable for x in b.lines if _command(x)[0]) >= 15


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from bip_talk.packs import load_pack
    from bip_talk.resources import default_pack_dir
    from bip_talk.settings import ensure_private_dir
    from bip_talk.store import Store, open_database
    from tests.unit.report_data import make_case

    root = tmp_path_factory.mktemp("readme")
    places = {k: root / k for k in ("data", "home", "work", "abs-data", "abs-tmp")}
    for folder in places.values():
        folder.mkdir()
    ensure_private_dir(places["data"])
    store = Store(open_database(places["data"] / "bip-talk.db"))
    try:
        make_case(store, load_pack(default_pack_dir()), citizen_id=EXAMPLE_CITIZEN)
    finally:
        store.close()
    # What the import examples read: exports, and history kept elsewhere in that format.
    env = _env(places)
    for args in (
        ["--out", str(places["work"] / "paper-history")],
        ["--format", "json", "--out", str(places["abs-data"] / "bip-2026q1")],
    ):
        made = subprocess.run(["bip-talk", "export", *args], env=env, capture_output=True)
        assert made.returncode == 0, made.stderr
    return places


def _copy_of(world: dict[str, Path], where: Path) -> dict[str, Path]:
    root = next(iter(world.values())).parent
    shutil.copytree(root, where, symlinks=True)
    return {name: where / path.name for name, path in world.items()}


def _env(places: dict[str, Path]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("BIP_TALK_", "XDG_"))}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env.update(BIP_TALK_DATA_DIR=str(places["data"]), HOME=str(places["home"]))
    return env


def _runnable_lines() -> list[tuple[int, str, int]]:
    return [x for block in SHELL if not block.marker for x in _lines(block)]


def _lines(block: Block) -> list[tuple[int, str, int]]:
    out = []
    for n, line in enumerate(block.lines, start=block.line + 1):
        code, exit_code = _command(line)
        if code:
            out.append((n, code, exit_code))
    return out


@pytest.mark.parametrize("block", [b for b in SHELL if b.marker], ids=lambda b: f"line{b.line}")
def test_marked_blocks_are_not_run(block: Block) -> None:
    """Listed in the summary with the reason the README gives, never dropped silently."""
    pytest.skip(f"README.md:{block.line}: marked '{block.marker}': {block.lines[0].strip()}")


@pytest.mark.parametrize(
    "block", [b for b in SHELL if not b.marker and _lines(b)], ids=lambda b: f"line{b.line}"
)
def test_readme_block_runs(world: dict[str, Path], tmp_path: Path, block: Block) -> None:
    here = _copy_of(world, tmp_path / "world")
    # One pass: the moved folders themselves lie under /tmp.
    moved = {"data": here["abs-data"], "tmp": here["abs-tmp"]}
    for where, line, expected in _lines(block):
        command = line
        for big, small in SMALLER.items():
            command = command.replace(big, small)
        command = re.sub(r"(?<![\w.~])/(data|tmp)/", lambda m: f"{moved[m[1]]}/", command)
        out = subprocess.run(
            ["bash", "-c", command],
            cwd=here["work"],
            env=_env(here),
            capture_output=True,
            text=True,
            timeout=180,
            stdin=subprocess.DEVNULL,
        )
        assert out.returncode == expected, (
            f"README.md:{where}: `{line}` exited {out.returncode}, expected {expected}\n"
            f"{out.stdout[-2000:]}\n{out.stderr[-2000:]}"
        )
        assert "Traceback" not in out.stderr


# -- the command table and the app's commands ------------------------------------------------

_GLOBAL_WITH_VALUE = {"--db", "--lang", "--pack", "--login"}


def documented_commands(text: str) -> set[str]:
    """Every ``bip-talk <command>`` (and ``citizen <sub>``) in code: inline or in blocks.
    Prose ("bip-talk starts in Danish") is not code and does not count, nor is a
    command's output in a text block: only its ``$ `` lines are commands."""
    spans = re.findall(r"`([^`\n]+)`", text)
    spans += [x for b in BLOCKS for x in b.lines if b.lang == "bash" or x.startswith("$ ")]
    found: set[str] = set()
    for span in spans:
        for match in re.finditer(r"(?:^|[\s(])bip-talk((?:\s+\S+)*)", span):
            words = shlex.split(match.group(1).replace("\\|", "|"), comments=True)
            while words and words[0].startswith("-"):
                words = words[2:] if words[0] in _GLOBAL_WITH_VALUE else words[1:]
            if not words or not re.fullmatch(r"[a-z]+(-[a-z]+)*", words[0]):
                continue
            found.add(words[0])
            if words[0] in GROUPS and len(words) > 1:
                found |= {
                    f"{words[0]} {sub}"
                    for sub in words[1].split("|")
                    if re.fullmatch(r"[a-z]+(-[a-z]+)*", sub)
                }
    return found


GROUPS = ("citizen", "user")  # commands whose subcommands the README shows one by one


def app_commands() -> set[str]:
    """The commands a user sees (a hidden one, like serve-session, is the app's own)."""
    cli_module._register_subcommands()
    out = set()
    for name, command in cli_module.cli.commands.items():
        if command.hidden:
            continue
        out.add(name)
        if isinstance(command, click.Group):
            out |= {f"{name} {sub}" for sub in command.commands}
    return out


def test_every_command_is_documented_and_every_documented_one_exists() -> None:
    documented = documented_commands(README.read_text(encoding="utf-8"))
    app = app_commands()
    assert app - documented == set(), "commands the README never shows"
    assert documented - app == set(), "commands the README shows that do not exist"


def test_the_command_table_lists_every_top_level_command() -> None:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| command | what |") : text.index("Where things live")]
    listed = {c for c in documented_commands(table) if " " not in c}
    assert listed == {c for c in app_commands() if " " not in c}


# -- settings.toml and the keymap ------------------------------------------------------------


def test_the_settings_example_is_a_valid_settings_file(tmp_path: Path) -> None:
    from bip_talk.ui.keymap import keymap_problems

    example = next(
        b for b in BLOCKS if b.lang == "toml" and any(x.startswith("[keymap]") for x in b.lines)
    )
    path = tmp_path / "settings.toml"
    path.write_text("\n".join(example.lines) + "\n", encoding="utf-8")
    prefs = load_preferences(path, "en")
    assert prefs.keymap and keymap_problems(prefs.keymap, path, Translator("en")) == []
    assert tomllib.loads(path.read_text())  # and plain TOML


def test_the_keymap_ids_in_the_readme_are_the_apps() -> None:
    from bip_talk.ui.keymap import BINDING_IDS
    from tests.ui.binding_ids import declared_binding_ids

    text = README.read_text(encoding="utf-8")
    table = text[text.index("<!-- keymap-ids") : text.index("<!-- /keymap-ids -->")]
    listed = {
        token
        for row in table.splitlines()
        if row.startswith("| `")
        for token in re.findall(r"`([a-z0-9-]+)`", row.split("|")[1])
    }
    assert listed == set(BINDING_IDS), "README keymap ids vs ui/keymap.py BINDING_IDS"
    assert set(BINDING_IDS) == declared_binding_ids(), "BINDING_IDS vs the screens' BINDINGS"


def test_the_example_paths_are_not_real_places_on_this_machine() -> None:
    """The test moves /data and /tmp examples into its own folder: make sure it never
    needs to write to the real ones (it would, if the substitution missed a path)."""
    for n, line, _ in _runnable_lines():
        command = re.sub(r"(?<![\w.~])/(data|tmp)/", "<moved>/", line)
        assert not re.search(r"(?<![\w.~<>])/[a-z]", command), f"README.md:{n}: {line}"
