"""``bip-talk citizen …``: the citizen's rights (access, erasure), the audit trail and
outcomes.

The ``citizen`` group is meant to grow: another module may add a subcommand with
``from bip_talk.commands.citizen import citizen`` and ``citizen.add_command(...)``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bip_talk.commands.audit import audit_command
from bip_talk.commands.exchange import open_existing
from bip_talk.commands.outcome import outcome
from bip_talk.commands.output import echo
from bip_talk.commands.paths import PathArg
from bip_talk.i18n import LANGUAGES, Translator


@click.group("citizen", help="gdpr.citizen_help")
def citizen() -> None:
    pass


def _stdin_is_terminal() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


@citizen.command("access", help="gdpr.access_help")
@click.argument("citizen_id", metavar="ID")
@click.option("--out", "out", type=PathArg(path_type=Path), help="gdpr.opt_out")
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
    citizen_id = citizen_id.strip().upper()
    files, bad_text = casework.leniently(
        lambda: casework.write_access(citizen_id, out or Path.cwd(), t), "access", citizen_id
    )
    for warning in bad_text:
        echo(warning, err=True)
    echo(t("gdpr.access_written", text=files.text, data=files.data))
    echo(t("gdpr.access_warning"))


@citizen.command("erase", help="gdpr.erase_help")
@click.argument("citizen_id", metavar="ID")
@click.option("--yes", is_flag=True, help="gdpr.opt_yes")
@click.pass_obj
def erase(obj, citizen_id: str, yes: bool) -> None:
    from bip_talk.errors import BipTalkError, InputError

    casework = open_existing(obj)
    t = casework.t
    citizen_id = citizen_id.strip().upper()
    # Also: an unknown id -> a clear error. A name that is not UTF-8 shows with �.
    data, _ = casework.leniently(lambda: casework.access_data(citizen_id), "erase", citizen_id)
    if not yes:
        if not _stdin_is_terminal():
            raise InputError(t("gdpr.erase_needs_tty"))
        echo(
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
    echo(t("gdpr.erased", id=citizen_id, reference=result.reference))
    copies = result.copies
    for heading, paths in (
        ("gdpr.erase_removed", copies.removed),
        ("gdpr.erase_cleaned", copies.cleaned),
    ):
        if paths:
            echo(t(heading))
            for path in paths:
                echo(f"  {path}")
    if copies.left:
        echo(t("gdpr.erase_left"))
        for path, kind in copies.left:
            echo(f"  {path} ({t('gdpr.copy_kind.' + kind)})")
    if result.on_server:
        echo(t("gdpr.erase_on_server"))
    if not result.clean:
        raise BipTalkError(
            t("gdpr.erase_not_clean_server" if result.on_server else "gdpr.erase_not_clean")
        )


@citizen.command("compact", help="gdpr.compact_help")
@click.pass_obj
def compact(obj) -> None:
    from bip_talk.errors import BipTalkError

    casework = open_existing(obj)
    server = obj.settings.on_server
    if not casework.compact():
        raise BipTalkError(
            casework.t("gdpr.erase_not_clean_server" if server else "gdpr.erase_not_clean")
        )
    echo(casework.t("gdpr.compacted_server" if server else "gdpr.compacted"))


citizen.add_command(audit_command)  # the audit trail lives in commands/audit.py
citizen.add_command(outcome)  # outcomes live in commands/outcome.py

COMMANDS = [citizen]
