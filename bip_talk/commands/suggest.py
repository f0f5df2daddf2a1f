"""``bip-talk suggest`` and ``bip-talk evidence``: the plan screen's suggestions for one
citizen, and every rule behind them in words. Both print what the presenters give the
screens, so the command line and the app cannot tell different stories."""

from __future__ import annotations

import json

import click

from bip_talk.commands.output import echo
from bip_talk.i18n import LANGUAGES, Translator

FORMATS = ("text", "json")


def _language(obj, lang: str | None) -> Translator:
    from bip_talk.errors import InputError

    t = Translator(lang if lang in LANGUAGES else obj.settings.language or "da")
    if lang is not None and lang not in LANGUAGES:
        raise InputError(t("suggest.bad_lang", value=lang, known=", ".join(LANGUAGES)))
    return t


@click.command("suggest", help="suggest.help")
@click.argument("citizen_id", metavar="click.metavar_citizen_id")
@click.option("--format", "fmt", default="text", metavar="text|json", help="suggest.opt_format")
@click.option("--include-private", is_flag=True, help="suggest.opt_include_private")
@click.option("--lang", "lang", default=None, metavar="da|en", help="suggest.opt_lang")
@click.option("--on", "on", default=None, metavar="click.metavar_date", help="suggest.opt_on")
@click.pass_obj
def suggest_command(
    obj, citizen_id: str, fmt: str, include_private: bool, lang: str | None, on: str | None
) -> None:
    from bip_talk.commands.exchange import open_existing
    from bip_talk.errors import InputError
    from bip_talk.i18n import format_date
    from bip_talk.presenters.plan import listing_data, listing_text, plan_listing

    t = _language(obj, lang)
    fmt = fmt.strip().lower()
    if fmt not in FORMATS:  # arguments first, before the database is opened
        raise InputError(t("suggest.bad_format", value=fmt, known=", ".join(FORMATS)))
    day = None
    if on is not None:
        from bip_talk.domain.dates import read_day

        day = read_day(on)  # dd.mm.åååå as the screens show it, or ÅÅÅÅ-MM-DD
        if day is None:
            raise InputError(t("suggest.bad_date", value=on))
    casework = open_existing(obj)
    casework = casework.in_language(lang or casework.lang)
    t = casework.t
    citizen, day, found = casework.suggestions_on(citizen_id.strip().upper(), day)
    # As the plan screen of the unfinished meeting shows it: what was declined, last;
    # what an earlier meeting declined, under its suggestion.
    listing = plan_listing(
        found,
        casework.pack,
        t,
        casework.declined_in_draft(citizen.id),
        casework.declined_before_draft(citizen.id),
    )
    if fmt == "json":
        data = listing_data(listing, casework.pack, t, include_private=include_private)
        echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    echo(t("planui.title", name=citizen.display_name, id=citizen.id))
    echo(t("suggest.as_of", date=format_date(day.isoformat(), t.lang)))
    echo("")
    echo(listing_text(listing, t, include_private=include_private), nl=False)


@click.command("evidence", help="suggest.evidence_help")
@click.option("--lang", "lang", default=None, metavar="da|en", help="suggest.opt_lang")
@click.option(
    "--format",
    "fmt",
    default="text",
    metavar="text|markdown",
    help="suggest.opt_evidence_format",
)
@click.pass_obj
def evidence_command(obj, lang: str | None, fmt: str) -> None:
    from bip_talk.domain.evidence_model import evidence_of
    from bip_talk.errors import InputError
    from bip_talk.packs import load_pack
    from bip_talk.presenters.evidence import evidence_text, markdown_tables

    t = _language(obj, lang)
    fmt = fmt.strip().lower()
    if fmt not in ("text", "markdown"):
        raise InputError(t("suggest.bad_format", value=fmt, known="text, markdown"))
    pack = load_pack(obj.settings.pack, t.lang)  # no database needed
    evidence = evidence_of(pack)
    if evidence is None:
        raise InputError(t("suggest.no_evidence", path=obj.settings.pack))
    text = (
        markdown_tables(pack, evidence, t)
        if fmt == "markdown"
        else evidence_text(pack, evidence, t)
    )
    echo(text, nl=False)


COMMANDS = [suggest_command, evidence_command]
