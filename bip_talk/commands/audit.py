"""``bip-talk citizen audit ID``: the citizen's audit trail, oldest first.

Lives in its own module and joins the ``citizen`` group (``commands/citizen.py``).
"""

from __future__ import annotations

import click

from bip_talk.commands.output import echo


@click.command("audit", help="audit.help")
@click.argument("citizen_id", metavar="ID")
@click.pass_obj
def audit_command(obj, citizen_id: str) -> None:
    from bip_talk.commands.exchange import open_existing

    casework = open_existing(obj)
    t = casework.t
    citizen_id = citizen_id.strip().upper()
    (lines, citizen), bad_text = casework.leniently(
        lambda: (casework.audit_trail(citizen_id), casework.citizen(citizen_id)),
        "audit",
        citizen_id,
    )
    for warning in bad_text:
        echo(warning, err=True)
    echo(t("audit.title", name=citizen.display_name, id=citizen_id, count=len(lines)))
    for line in lines:
        echo(t("audit.line", at=line.at, who=line.who, what=line.what, action=line.action))
        if line.old is not None or line.new is not None:
            echo(t("audit.change", old=line.old or "–", new=line.new or "–"))
    if not lines:
        echo(t("audit.none"))
