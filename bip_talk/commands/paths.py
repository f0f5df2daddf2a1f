"""Paths given on the command line, checked before anything opens them: a name longer
than the file system allows would otherwise end as an ``OSError`` deep inside a
command. ``PathArg`` is ``click.Path`` plus that check; usage error, exit 2."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from bip_talk.commands.localize import language_from
from bip_talk.i18n import Translator

# Linux, macOS and Windows all cap one file or folder name at 255 (bytes or UTF-16
# units), and Linux a whole path at 4096 bytes.
NAME_MAX = 255
PATH_MAX = 4096


def path_problem(path: str | os.PathLike[str], t: Translator) -> str | None:
    """What is wrong with the length of ``path``, or None."""
    raw = os.fsencode(path)
    if len(raw) >= PATH_MAX:
        return t("cli.path_too_long", length=len(raw), limit=PATH_MAX - 1)
    for part in raw.split(b"/"):
        if len(part) > NAME_MAX:
            name = os.fsdecode(part)
            return t(
                "cli.name_too_long",
                name=name[:30] + "…",
                length=len(part),
                limit=NAME_MAX,
            )
    return None


def _language(ctx: click.Context | None) -> str:
    """The language of the command line: the global ``--lang`` once parsed, else what
    ``localize`` found in the arguments."""
    root = ctx.find_root() if ctx is not None else None
    if root is not None and isinstance(root.params.get("lang"), str):
        return str(root.params["lang"])
    return language_from(sys.argv[1:])


class PathArg(click.Path):
    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str | Path):
            problem = path_problem(value, Translator(_language(ctx)))
            if problem:
                self.fail(problem, param, ctx)
        return super().convert(value, param, ctx)


class DatabaseArg(PathArg):
    """``--db``: a database file (checked as ``PathArg``), or a PostgreSQL URL, passed
    on as the text it is (a ``Path`` would fold its ``//``)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.startswith(("postgresql://", "postgres://")):
            return value
        return super().convert(value, param, ctx)
