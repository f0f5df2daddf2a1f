"""``bip-talk report``: the citizen's summary, the journal note or the HTML report of a
meeting, on the screen or into a file."""

from __future__ import annotations

from pathlib import Path

import click

from bip_talk.commands.output import echo
from bip_talk.commands.paths import PathArg
from bip_talk.i18n import LANGUAGES, Translator


@click.command("report", help="reports.help")
@click.argument("citizen_id", metavar="click.metavar_citizen_id")
@click.option(
    "--meeting", "meeting_id", type=int, default=None, metavar="ID", help="reports.opt_meeting"
)
@click.option("--format", "fmt", default="md", metavar="md|txt|html", help="reports.opt_format")
@click.option("--lang", "lang", default=None, metavar="da|en", help="reports.opt_lang")
@click.option("--out", "out", type=PathArg(path_type=Path), default=None, help="reports.opt_out")
@click.option("--overwrite", is_flag=True, help="reports.opt_overwrite")
@click.option(
    "--audience", default="citizen", metavar="citizen|caseworker", help="reports.opt_audience"
)
@click.option("--include-private", is_flag=True, help="reports.opt_include_private")
@click.pass_obj
def report(
    obj,
    citizen_id: str,
    meeting_id: int | None,
    fmt: str,
    lang: str | None,
    out: Path | None,
    overwrite: bool,
    audience: str,
    include_private: bool,
) -> None:
    from bip_talk.commands.exchange import open_existing
    from bip_talk.errors import InputError
    from bip_talk.services import reports
    from bip_talk.services.out_file import check_out_file

    t = Translator(lang if lang in LANGUAGES else obj.settings.language or "da")
    fmt, audience = fmt.strip().lower(), audience.strip().lower()
    # Arguments are checked before the database is opened.
    if lang is not None and lang not in LANGUAGES:
        raise InputError(t("reports.bad_lang", value=lang, known=", ".join(LANGUAGES)))
    if fmt not in reports.FORMATS:
        raise InputError(t("reports.bad_format", value=fmt, known=", ".join(reports.FORMATS)))
    if audience not in reports.AUDIENCES:
        raise InputError(
            t("reports.bad_audience", value=audience, known=", ".join(reports.AUDIENCES))
        )
    if out is not None:
        check_out_file(out, t, replace=overwrite)
    casework = open_existing(obj)
    t = Translator(lang or casework.lang)
    citizen_id = citizen_id.strip().upper()
    rendered, bad_text = casework.leniently(
        lambda: casework.render_report(
            citizen_id,
            fmt=fmt,
            lang=t.lang,
            audience=audience,  # type: ignore[arg-type]
            meeting_id=meeting_id,
            include_private=include_private,
        ),
        "report",
        citizen_id,
    )
    for warning in bad_text:
        echo(warning, err=True)
    if out is None and fmt != "html":
        echo(rendered.text, nl=False)
        return
    # The default name is the app's own: asking again brings that file up to date.
    replace = overwrite or out is None
    if out is None:
        out = Path.cwd() / reports.default_name("report", citizen_id, rendered.held_on, "html")
    path = casework.write_report(citizen_id, rendered, out, t, replace=replace)
    echo(t("reports.written", path=path.resolve()))
    if rendered.private:
        echo(t("reports.private_warning"))


COMMANDS = [report]
