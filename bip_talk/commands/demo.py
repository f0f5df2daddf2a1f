"""``bip-talk demo``: the app on a separate demo database; the real one is never touched."""

from __future__ import annotations

import click


@click.command(help="cli.demo_help")
@click.option("--reset", is_flag=True, help="cli.opt_reset")
@click.pass_obj
def demo(obj, reset: bool) -> None:
    from bip_talk.services.synthetic.demo import ensure_demo_database
    from bip_talk.services.workstation import Workstation

    settings = obj.settings
    path = ensure_demo_database(settings, reset)
    from bip_talk.commands.context import run_tui

    run_tui(Workstation(settings.with_database(path)), demo=True)


COMMANDS = [demo]
