"""``bip-talk citizen outcome …``: record what happened to a citizen (job, job with wage
subsidy or flexjob, education, other exit), list, correct or remove it.

Joins the ``citizen`` group (``commands/citizen.py``). Thin: each command parses its
options, calls one casework method and prints the result (through ``echo``: the
citizen's name is user text).
"""

from __future__ import annotations

import click

from bip_talk.commands.output import echo


@click.group("outcome", help="outcomes.help")
def outcome() -> None:
    pass


def _echo(key: str, item, t) -> None:
    from bip_talk.services.outcomes import outcome_text

    echo(t(key, line=outcome_text(item, t), id=item.id))


@outcome.command("add", help="outcomes.add_help")
@click.argument("citizen_id", metavar="ID")
@click.option("--kind", "kind", required=True, metavar="KIND", help="outcomes.opt_kind")
@click.option("--on", "on", default=None, metavar="click.metavar_date", help="outcomes.opt_on")
@click.pass_obj
def add(obj, citizen_id: str, kind: str, on: str | None) -> None:
    from bip_talk import clock
    from bip_talk.commands.exchange import open_existing

    casework = open_existing(obj)
    item = casework.record_outcome(
        citizen_id.strip().upper(), kind, on or clock.today().isoformat()
    )
    _echo("outcomes.recorded", item, casework.t)


@outcome.command("list", help="outcomes.list_help")
@click.argument("citizen_id", metavar="ID")
@click.pass_obj
def list_command(obj, citizen_id: str) -> None:
    from bip_talk.commands.exchange import open_existing
    from bip_talk.services.audit_trail import local_minutes
    from bip_talk.services.outcomes import outcome_text

    casework = open_existing(obj)
    t = casework.t
    citizen_id = citizen_id.strip().upper()
    items = casework.outcomes(citizen_id)
    citizen = casework.citizen(citizen_id)
    echo(t("outcomes.title", name=citizen.display_name, id=citizen_id))
    initials = {c.id: c.initials for c in casework.caseworkers()}
    for item in items:
        who = initials.get(item.recorded_by, "–") if item.recorded_by is not None else "–"
        echo(
            t(
                "outcomes.listed",
                id=item.id,
                line=outcome_text(item, t),
                who=who,
                at=local_minutes(item.recorded_at),
            )
        )
    if not items:
        echo(t("outcomes.none"))


@outcome.command("edit", help="outcomes.edit_help")
@click.argument("citizen_id", metavar="ID")
@click.argument("outcome_id", metavar="NUMBER", type=int)
@click.option("--kind", "kind", default=None, metavar="KIND", help="outcomes.opt_kind")
@click.option("--on", "on", default=None, metavar="click.metavar_date", help="outcomes.opt_on")
@click.pass_obj
def edit(obj, citizen_id: str, outcome_id: int, kind: str | None, on: str | None) -> None:
    from bip_talk.commands.exchange import open_existing

    casework = open_existing(obj)
    item = casework.edit_outcome(citizen_id.strip().upper(), outcome_id, kind=kind, occurred_on=on)
    _echo("outcomes.changed", item, casework.t)


@outcome.command("delete", help="outcomes.delete_help")
@click.argument("citizen_id", metavar="ID")
@click.argument("outcome_id", metavar="NUMBER", type=int)
@click.pass_obj
def delete(obj, citizen_id: str, outcome_id: int) -> None:
    from bip_talk.commands.exchange import open_existing

    casework = open_existing(obj)
    item = casework.delete_outcome(citizen_id.strip().upper(), outcome_id)
    _echo("outcomes.deleted", item, casework.t)
