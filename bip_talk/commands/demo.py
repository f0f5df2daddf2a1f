"""``bip-talk demo``: the app on a separate demo database; the real one is never touched."""

from __future__ import annotations

import os

import click

from bip_talk.i18n import Translator

T = Translator(os.environ.get("BIP_TALK_LANG", "da"))


@click.command(help=T("cli.demo_help"))
@click.option("--reset", is_flag=True, help=T("cli.opt_reset"))
@click.pass_obj
def demo(obj, reset: bool) -> None:
    from bip_talk.services.synthetic.demo import ensure_demo_database
    from bip_talk.services.workstation import Workstation

    settings = obj.settings
    path = ensure_demo_database(settings, reset)
    from bip_talk.cli import run_tui  # imported late: the CLI module loads commands

    run_tui(Workstation(settings.with_database(path)), demo=True)


COMMANDS = [demo]
