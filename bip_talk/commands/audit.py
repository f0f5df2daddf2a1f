"""``bip-talk citizen audit ID``: the citizen's audit trail, oldest first.

Lives in its own module and joins the ``citizen`` group (``commands/citizen.py``).
"""

from __future__ import annotations

import click


@click.command("audit", help="audit.help")
@click.argument("citizen_id", metavar="ID")
@click.pass_obj
def audit_command(obj, citizen_id: str) -> None:
    from bip_talk.commands.exchange import open_existing

    casework = open_existing(obj)
    t = casework.t
    citizen_id = citizen_id.strip().upper()
    lines = casework.audit_trail(citizen_id)
    citizen = casework.citizen(citizen_id)
    click.echo(t("audit.title", name=citizen.display_name, id=citizen_id, count=len(lines)))
    for line in lines:
        click.echo(t("audit.line", at=line.at, who=line.who, what=line.what, action=line.action))
        if line.old is not None or line.new is not None:
            click.echo(t("audit.change", old=line.old or "–", new=line.new or "–"))
    if not lines:
        click.echo(t("audit.none"))
