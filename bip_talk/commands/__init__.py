"""Subcommands beyond the core ones, one module per capability.

Each module exposes ``COMMANDS``; add the module name to ``MODULES`` to register it.
"""

from __future__ import annotations

import importlib

import click

MODULES: list[str] = [
    "doctor",
    "seed",
    "demo",
    "exchange",
    "citizen",
    "report",
    "train",
    "suggest",
    "stats",
    "users",
    "serve",
    "copy_db",
]


def all_commands() -> list[click.Command]:
    out: list[click.Command] = []
    for name in MODULES:
        module = importlib.import_module(f"bip_talk.commands.{name}")
        out.extend(module.COMMANDS)
    return out
