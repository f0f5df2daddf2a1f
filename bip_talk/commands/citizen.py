"""``bip-talk citizen …``: the citizen's rights (access, erasure).

The ``citizen`` group is meant to grow: another module may add a subcommand with
``from bip_talk.commands.citizen import citizen`` and ``citizen.add_command(...)``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bip_talk.commands.audit import audit_command
from bip_talk.commands.exchange import open_existing
from bip_talk.i18n import LANGUAGES, Translator


@click.group("citizen", help="gdpr.citizen_help")
def citizen() -> None:
    pass


def _stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


@citizen.command("access", help="gdpr.access_help")
@click.argument("citizen_id", metavar="ID")
@click.option("--out", "out", type=click.Path(path_type=Path), help="gdpr.opt_out")
@click.option("--lang", "lang", default=None, metavar="da|en", help="gdpr.opt_lang")
@click.pass_obj
def access(obj, citizen_id: str, out: Path | None, lang: str | None) -> None:
    from bip_talk.errors import InputError

    lang = lang or obj.settings.language
    if lang is not None and lang not in LANGUAGES:
        t = Translator(obj.settings.language or "da")
        raise InputError(t("gdpr.bad_lang", value=lang, known=", ".join(LANGUAGES)))
    casework = open_existing(obj)
    t = Translator(lang or casework.lang)
    files = casework.write_access(citizen_id.strip().upper(), out or Path.cwd(), t)
    click.echo(t("gdpr.access_written", text=files.text, data=files.data))
    click.echo(t("gdpr.access_warning"))


@citizen.command("erase", help="gdpr.erase_help")
@click.argument("citizen_id", metavar="ID")
@click.option("--yes", is_flag=True, help="gdpr.opt_yes")
@click.pass_obj
def erase(obj, citizen_id: str, yes: bool) -> None:
    from bip_talk.errors import BipTalkError, InputError

    casework = open_existing(obj)
    t = casework.t
    citizen_id = citizen_id.strip().upper()
    data = casework.access_data(citizen_id)  # also: unknown id -> clear error
    if not yes:
        if not _stdin_is_terminal():
            raise InputError(t("gdpr.erase_needs_tty"))
        click.echo(
            t(
                "gdpr.erase_preview",
                name=data["citizen"]["display_name"],
                id=citizen_id,
                meetings=len(data["meetings"]),
                answers=len(data["answers"]),
                notes=len(data["notes"]),
                plan_items=len(data["plan_items"]),
            )
        )
        typed = click.prompt(t("gdpr.erase_confirm", id=citizen_id), default="", show_default=False)
        if typed.strip().upper() != citizen_id:
            raise BipTalkError(t("gdpr.erase_cancelled"))
    result = casework.erase(citizen_id)
    click.echo(t("gdpr.erased", id=citizen_id, reference=result.reference))
    if result.backups:
        click.echo(t("gdpr.erase_backups"))
        for path in result.backups:
            click.echo(f"  {path}")
    if not result.clean:
        raise BipTalkError(t("gdpr.erase_not_clean"))


@citizen.command("compact", help="gdpr.compact_help")
@click.pass_obj
def compact(obj) -> None:
    from bip_talk.errors import BipTalkError

    casework = open_existing(obj)
    if not casework.compact():
        raise BipTalkError(casework.t("gdpr.erase_not_clean"))
    click.echo(casework.t("gdpr.compacted"))


citizen.add_command(audit_command)  # the audit trail lives in commands/audit.py

COMMANDS = [citizen]
