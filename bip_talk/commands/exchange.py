"""``bip-talk export`` and ``bip-talk import``: the research export and its import."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from bip_talk.commands.output import echo
from bip_talk.commands.paths import PathArg
from bip_talk.i18n import Translator

if TYPE_CHECKING:
    from bip_talk.services.casework import Casework


def open_existing(obj) -> Casework:
    """The casework on the database, refusing to create an empty one just to read from
    it. Who acts (for the audit rows) is the caseworker signed in on this workstation, if
    the database knows them: a command never adds a caseworker row (that would change
    what a later export contains). A 0-byte file is refused as the store opens. On a
    database with personal accounts the command logs in first (``--login``): the role
    decides what it may read."""
    from bip_talk.errors import StoreError

    ws = obj.workstation()
    if not ws.settings.on_server and not ws.database_path.exists():
        raise StoreError(ws.t("store.missing", path=ws.database_path))
    ws.create_database = False
    return obj.logged_in(ws.open(channel="cli"))


@click.command("export", help="exchange.export_help")
@click.option("--format", "fmt", default="csv", metavar="csv|json", help="exchange.opt_format")
@click.option("--pseudonymize", is_flag=True, help="exchange.opt_pseudonymize")
@click.option("--out", "out", type=PathArg(path_type=Path), help="exchange.opt_out")
@click.pass_obj
def export_command(obj, fmt: str, pseudonymize: bool, out: Path | None) -> None:
    from bip_talk import clock
    from bip_talk.domain.exchange import FORMATS
    from bip_talk.errors import InputError

    t = Translator(obj.settings.language or "da")
    fmt = fmt.strip().lower()
    if fmt not in FORMATS:  # checked before anything is opened or created
        raise InputError(t("exchange.bad_format", value=fmt, known=", ".join(FORMATS)))
    casework = open_existing(obj)
    t = casework.t
    folder = out or Path(t("exchange.default_folder", date=clock.today().isoformat()))
    result, bad_text = casework.leniently(
        lambda: casework.export(folder, fmt=fmt, pseudonymize=pseudonymize),
        "export-pseudonymised" if pseudonymize else "export",
    )
    for warning in bad_text:
        echo(warning, err=True)
    echo(t("exchange.exported", folder=result.folder))
    for name, rows in result.rows.items():
        echo(t("exchange.exported_table", file=f"{name}.{fmt}", rows=rows))
    echo(t("exchange.exported_pseudo" if pseudonymize else "exchange.exported_personal"))


@click.command("import", help="exchange.import_help")
@click.argument("source", metavar="click.metavar_file_or_dir", type=PathArg(path_type=Path))
@click.option(
    "--allow-item",
    "allow_items",
    multiple=True,
    metavar="click.metavar_item_id",
    help="exchange.opt_allow_item",
)
@click.pass_obj
def import_command(obj, source: Path, allow_items: tuple[str, ...]) -> None:
    from bip_talk.errors import InputError

    t = Translator(obj.settings.language or "da")
    if not source.exists():  # before the database is opened (or created)
        raise InputError(t("exchange.import_missing", path=source))
    casework = obj.logged_in(obj.workstation().open(channel="cli"))
    result = casework.import_from(source, allow_items=allow_items)
    t = casework.t
    echo(t("exchange.imported", folder=result.folder))
    for table, counts in result.counts.items():
        echo(
            t(
                "exchange.imported_table",
                table=table,
                inserted=counts["inserted"],
                updated=counts["updated"],
                unchanged=counts["unchanged"],
            )
        )


COMMANDS = [export_command, import_command]
