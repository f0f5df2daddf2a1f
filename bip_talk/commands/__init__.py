"""Subcommands beyond the core ones, one module per capability.

Each module exposes ``COMMANDS``; add each command's name and its module to ``MODULES``
to register it. The command line imports a module only when one of its commands runs
(or when the help lists them all): importing every module took a third of a second at
each start, the app's included (``cli.LazyGroup``).
"""

from __future__ import annotations

import importlib

import click

# Each command's name -> the module that brings it (tests/unit/test_cli_lazy.py checks both
# ways against the modules' ``COMMANDS``).
MODULES: dict[str, str] = {
    "doctor": "doctor",
    "seed": "seed",
    "demo": "demo",
    "export": "exchange",
    "import": "exchange",
    "citizen": "citizen",
    "report": "report",
    "train": "train",
    "suggest": "suggest",
    "evidence": "suggest",
    "stats": "stats",
    "user": "users",
    "access-log": "users",
    "serve": "serve",
    "serve-session": "serve",
    "copy-db": "copy_db",
}


def command(name: str) -> click.Command | None:
    """The command called ``name``, its module imported now; None if there is none."""
    module = MODULES.get(name)
    if module is None:
        return None
    found = importlib.import_module(f"bip_talk.commands.{module}").COMMANDS
    return next((c for c in found if c.name == name), None)


def all_commands() -> list[click.Command]:
    """Every command, every module imported."""
    out: list[click.Command] = []
    for module in dict.fromkeys(MODULES.values()):
        out.extend(importlib.import_module(f"bip_talk.commands.{module}").COMMANDS)
    return out
