"""``bip-talk copy-db SOURCE TARGET``: a whole history from one database into another
(a SQLite file and a PostgreSQL server, either way), checked before it is kept."""

from __future__ import annotations

from pathlib import Path

import click

from bip_talk.commands.output import echo, local_number
from bip_talk.commands.paths import DatabaseArg


@click.command("copy-db", help="copy_db.help")
@click.argument("source", type=DatabaseArg(path_type=Path, dir_okay=False), metavar="SOURCE")
@click.argument("target", type=DatabaseArg(path_type=Path, dir_okay=False), metavar="TARGET")
@click.option("--replace", is_flag=True, help="copy_db.opt_replace")
@click.pass_obj
def copy_db(obj, source: Path | str, target: Path | str, replace: bool) -> None:
    from bip_talk.i18n import Translator
    from bip_talk.packs import load_pack
    from bip_talk.services.copy_db import copy_database

    settings = obj.settings
    lang = settings.language or "da"
    t = Translator(lang)
    pack = load_pack(settings.pack, lang)  # the export that checks the copy needs it
    result = copy_database(source, target, pack, replace=replace, lang=lang)
    echo(
        t(
            "copy_db.done",
            source=result.source,
            target=result.target,
            seconds=local_number(result.seconds, lang, 1),
        )
    )
    echo("  " + ", ".join(f"{name} {n}" for name, n in result.rows.items()))
    echo(t("copy_db.checked"))


COMMANDS = [copy_db]
