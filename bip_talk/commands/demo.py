"""``bip-talk demo``: the app on a separate demo database; the real one is never touched."""

from __future__ import annotations

import click


@click.command(help="cli.demo_help")
@click.option("--reset", is_flag=True, help="cli.opt_reset")
@click.option("--list", "list_only", is_flag=True, help="cli.opt_demo_list")
@click.pass_obj
def demo(obj, reset: bool, list_only: bool) -> None:
    from bip_talk.services.synthetic.demo import ensure_demo_database
    from bip_talk.services.workstation import Workstation

    settings = obj.settings
    path = ensure_demo_database(settings, reset)
    if list_only:
        _list(Workstation(settings.with_database(path)))
        return
    from bip_talk.commands.context import run_tui

    run_tui(Workstation(settings.with_database(path)), demo=True)


def _list(ws) -> None:
    """The hand-shaped citizens, in a fixed order, with their ids and what they show."""
    from bip_talk.services.synthetic.demo import showcase

    t = ws.t
    found = showcase(ws.open().search_citizens, t)
    click.echo(t("cli.demo_list_heading"))
    for s in found:
        draft = f" ({t('cli.demo_list_draft')})" if s.has_draft else ""
        click.echo(f"  {s.citizen_id}  {s.name}{draft}: {s.shows}")


COMMANDS = [demo]
