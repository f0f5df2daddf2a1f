"""``bip-talk user …``: personal accounts on a shared database, and ``bip-talk
access-log``: who looked at which citizen's data.

The first ``user add`` on a database without accounts needs no login (it must add an
admin); after it, every command here logs in (``--login``) and needs the admin role.
"""

from __future__ import annotations

from datetime import timedelta

import click

from bip_talk.commands.output import echo
from bip_talk.i18n import Translator


def _casework(obj):
    """The casework of whoever logs in; the database is created if new (``user add``
    on a new server's file)."""
    return obj.logged_in(obj.workstation().open(channel="cli"))


def _existing(obj):
    from bip_talk.commands.exchange import open_existing

    return open_existing(obj)


@click.group("user", help="users.help")
def user() -> None:
    pass


@user.command("add", help="users.add_help")
@click.argument("initials", metavar="click.metavar_initials")
@click.option("--name", "name", required=True, help="users.opt_name")
@click.option("--role", "role", required=True, metavar="click.metavar_role", help="users.opt_role")
@click.option("--password-stdin", "new_from_stdin", is_flag=True, help="users.opt_new_stdin")
@click.pass_obj
def add(obj, initials: str, name: str, role: str, new_from_stdin: bool) -> None:
    from bip_talk.domain.access import ROLES, initials_ok
    from bip_talk.errors import InputError

    t = Translator(obj.settings.language or "da")
    # Checked before anything is opened, created or asked for.
    if not initials_ok(initials.strip().upper()):
        raise InputError(t("accounts.bad_initials", value=initials))
    if role not in ROLES:
        raise InputError(t("accounts.bad_role", value=role, known=", ".join(ROLES)))
    casework = _casework(obj)
    t = casework.t
    password = obj.secret(
        t, t("users.new_password", initials=initials.upper()), confirm=True, stdin=new_from_stdin
    )
    account = casework.add_account(initials, name, role, password)
    echo(
        t(
            "users.added",
            initials=account.initials,
            name=account.name,
            role=t(f"access.role.{account.role}"),
        )
    )


@user.command("list", help="users.list_help")
@click.pass_obj
def list_users(obj) -> None:
    from bip_talk import clock
    from bip_talk.services.accounts import seconds_to_wait

    casework = _existing(obj)
    t = casework.t
    accounts = casework.accounts()
    if not accounts:
        echo(t("users.none"))
        return
    echo(t("users.header"))
    now = clock.now()
    for a in accounts:
        state = t("users.active") if a.active else t("users.disabled")
        wait = seconds_to_wait(a.failed_logins, a.last_failed_at, now)
        if wait:
            state += " " + t("users.waiting", seconds=wait)
        echo(f"{a.initials:<7} {a.role:<11} {state:<24} {a.name}")


@user.command("disable", help="users.disable_help")
@click.argument("initials", metavar="click.metavar_initials")
@click.pass_obj
def disable(obj, initials: str) -> None:
    casework = _existing(obj)
    account = casework.set_account_active(initials, False)
    echo(casework.t("users.disabled_done", initials=account.initials))


@user.command("enable", help="users.enable_help")
@click.argument("initials", metavar="click.metavar_initials")
@click.pass_obj
def enable(obj, initials: str) -> None:
    casework = _existing(obj)
    account = casework.set_account_active(initials, True)
    echo(casework.t("users.enabled_done", initials=account.initials))


@user.command("reset-password", help="users.reset_help")
@click.argument("initials", metavar="click.metavar_initials")
@click.option("--password-stdin", "new_from_stdin", is_flag=True, help="users.opt_new_stdin")
@click.pass_obj
def reset_password(obj, initials: str, new_from_stdin: bool) -> None:
    casework = _existing(obj)
    t = casework.t
    password = obj.secret(
        t, t("users.new_password", initials=initials.upper()), confirm=True, stdin=new_from_stdin
    )
    account = casework.reset_password(initials, password)
    echo(t("users.reset_done", initials=account.initials))


# -- the access log ----------------------------------------------------------------------

# Rows younger than this stay whatever is asked (the table's trigger, schema m006).
KEEP_AT_LEAST_DAYS = 180


@click.command("access-log", help="users.log_help")
@click.option(
    "--citizen", "citizen_id", metavar="click.metavar_citizen_id", help="users.opt_citizen"
)
@click.option("--user", "initials", metavar="click.metavar_initials", help="users.opt_user")
@click.option("--since", "since", metavar="click.metavar_date", help="users.opt_since")
@click.option(
    "--delete-older-than",
    "older_than",
    type=int,
    metavar="click.metavar_days",
    help="users.opt_delete",
)
@click.pass_obj
def access_log(
    obj, citizen_id: str | None, initials: str | None, since: str | None, older_than: int | None
) -> None:
    from bip_talk import clock
    from bip_talk.errors import InputError

    t = Translator(obj.settings.language or "da")
    if since is not None:
        from bip_talk.domain.dates import read_day

        day = read_day(since)  # dd.mm.åååå as the screens show it, or ÅÅÅÅ-MM-DD
        if day is None:
            raise InputError(t("users.bad_since", value=since))
        since = day.isoformat()
    if older_than is not None and older_than < KEEP_AT_LEAST_DAYS:
        raise InputError(t("users.keep_at_least", days=KEEP_AT_LEAST_DAYS))
    casework = _existing(obj)
    t = casework.t
    if older_than is not None:
        cutoff = (clock.now() - timedelta(days=older_than)).isoformat(timespec="seconds")
        echo(t("users.deleted", rows=casework.delete_access_log_before(cutoff)))
        return
    entries = casework.access_log(citizen_id=citizen_id, initials=initials, since=since)
    if not entries:
        echo(t("users.log_empty"))
        return
    echo(t("users.log_header"))
    for e in entries:
        who = e.initials or "?"
        citizen = e.citizen_id or e.citizen_ref or ""
        echo(
            f"{e.at}  {who:<6} {e.role or '-':<10} {e.event:<12} {e.purpose or '-':<20} "
            f"{citizen:<23} {e.channel:<4} {e.detail or ''}".rstrip()
        )


COMMANDS = [user, access_log]
