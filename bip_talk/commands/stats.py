"""``bip-talk stats``: the job centre's own BIP tables beside the published figures."""

from __future__ import annotations

from pathlib import Path

import click

from bip_talk.commands.output import echo
from bip_talk.commands.paths import PathArg
from bip_talk.i18n import Translator


@click.command("stats", help="stats.help")
@click.option(
    "--from", "date_from", default=None, metavar="click.metavar_date", help="stats.opt_from"
)
@click.option("--to", "date_to", default=None, metavar="click.metavar_date", help="stats.opt_to")
@click.option("--format", "fmt", default="text", metavar="text|json|html", help="stats.opt_format")
@click.option("--out", "out", type=PathArg(path_type=Path), default=None, help="stats.opt_out")
@click.option("--overwrite", is_flag=True, help="reports.opt_overwrite")
@click.pass_obj
def stats(
    obj, date_from: str | None, date_to: str | None, fmt: str, out: Path | None, overwrite: bool
) -> None:
    from bip_talk.commands.exchange import open_existing
    from bip_talk.errors import InputError
    from bip_talk.services import stats as service
    from bip_talk.services.out_file import check_out_file

    t = Translator(obj.settings.language or "da")
    fmt = fmt.strip().lower()
    # Arguments are checked before the database is opened.
    if fmt not in service.FORMATS:
        raise InputError(t("stats.bad_format", value=fmt, known=", ".join(service.FORMATS)))
    service.parse_period(date_from, date_to, t)
    if out is not None:
        check_out_file(out, t, replace=overwrite)  # before the figures are counted
    casework = open_existing(obj)
    t = casework.t
    text = casework.stats(fmt=fmt, date_from=date_from, date_to=date_to)
    if out is None and fmt != "html":
        echo(text, nl=False)
        return
    # The default name is the app's own: a second run the same day brings it up to date.
    target = out or Path.cwd() / service.default_name(fmt, t)
    path = service.write_stats(target, text, t, replace=overwrite or out is None)
    echo(t("stats.written", path=path.resolve()))


COMMANDS = [stats]
