"""``bip-talk serve``: the app for browsers (the job centre's server), and the hidden
``bip-talk serve-session`` that each browser tab runs as its own process."""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import click

from bip_talk.commands.output import echo
from bip_talk.i18n import Translator

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MAX_SESSIONS = 50


@click.command("serve", help="serve.help")
@click.option("--host", default=DEFAULT_HOST, show_default=True, help="serve.opt_host")
@click.option(
    "--port",
    type=click.IntRange(1, 65535),
    metavar="click.metavar_integer",
    default=DEFAULT_PORT,
    show_default=True,
    help="serve.opt_port",
)
@click.option(
    "--public-url", "public_url", metavar="click.metavar_url", help="serve.opt_public_url"
)
@click.option("--demo", is_flag=True, help="serve.opt_demo")
@click.option("--reset", is_flag=True, help="serve.opt_reset")
@click.option("--idle-minutes", "idle", metavar="click.metavar_minutes", help="serve.opt_idle")
@click.option(
    "--max-sessions",
    type=click.IntRange(1, 1000),
    metavar="click.metavar_integer",
    default=MAX_SESSIONS,
    show_default=True,
    help="serve.opt_max_sessions",
)
@click.pass_obj
def serve(
    obj,
    host: str,
    port: int,
    public_url: str | None,
    demo: bool,
    reset: bool,
    idle: str | None,
    max_sessions: int,
) -> None:
    from urllib.parse import urlsplit

    from bip_talk.errors import BipTalkError, InputError
    from bip_talk.settings import idle_minutes
    from bip_talk.ui.serve import is_loopback

    settings = obj.settings
    t = Translator(settings.language or "da")
    minutes = idle_minutes(idle, "--idle-minutes") if idle else settings.idle_minutes
    loopback = is_loopback(host)
    if demo and not loopback:
        raise InputError(t("serve.demo_loopback_only"))
    if reset and not demo:
        raise InputError(t("serve.reset_needs_demo"))
    if public_url is not None:
        parts = urlsplit(public_url)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
            raise InputError(t("serve.bad_public_url", value=public_url))
    if not loopback:
        echo(t("serve.needs_proxy", host=host), err=True)

    if demo:
        from bip_talk.services.synthetic.server_demo import DEMO_ACCOUNTS, DEMO_PASSWORD
        from bip_talk.services.synthetic.server_demo import ensure_server_demo as build

        target: Path | str = build(settings, reset)
    else:
        target = settings.database_target
    _check_database(obj, target, t)

    if isinstance(target, Path):
        where = ["--db", str(target.resolve())]
    else:
        # A PostgreSQL URL reaches each session through the environment textual-serve
        # hands down, never its command line (a password in it would show in ``ps``).
        os.environ["BIP_TALK_DB"] = target
        where = []
    command = shlex.join(
        [
            *(sys.executable, "-m", "bip_talk", *where),
            *(("--lang", settings.language) if settings.language else ()),
            *(("--pack", str(settings.pack_dir.resolve())) if settings.pack_dir else ()),
            *("serve-session", "--idle-minutes", repr(minutes)),
        ]
    )
    echo(t("serve.database", path=label(obj, target)))
    if demo:
        echo(t("serve.demo_accounts", password=DEMO_PASSWORD))
        for initials, _name, role in DEMO_ACCOUNTS:
            echo(f"  {initials:<4} {t(f'access.role.{role}')}")
    from bip_talk.ui.serve import serve as run

    try:
        run(
            command,
            host=host,
            port=port,
            public_url=public_url,
            max_sessions=max_sessions,
            t=t,
        )
    except OSError as exc:  # the port is taken, or the address is not this machine's
        raise BipTalkError(
            t("serve.cannot_listen", host=host, port=port, reason=exc.strerror or exc)
        ) from None


def label(obj, target: Path | str) -> str:
    """The database as messages show it: the file, or the URL without its password."""
    from bip_talk.services.workstation import database_label

    return database_label(obj.settings.with_database(target))


def _check_database(obj, target: Path | str, t: Translator) -> None:
    """The database exists, is ours and up to date (migrated here, once, before any
    session opens it), and has personal accounts: a server without logins would show
    every citizen to anyone who reaches the address."""
    from bip_talk.errors import InputError, StoreError

    if isinstance(target, Path) and not target.exists():
        raise StoreError(t("store.missing", path=target))
    workstation = obj.workstation(obj.settings.with_database(target))
    try:
        if not workstation.open(channel="cli").has_accounts():
            raise InputError(t("serve.no_accounts", db=label(obj, target)))
    finally:
        workstation.close()


@click.command("serve-session", hidden=True, help="serve.session_help")
@click.option("--idle-minutes", "idle", metavar="click.metavar_minutes", help="serve.opt_idle")
@click.pass_obj
def serve_session(obj, idle: str | None) -> None:
    """One browser tab: the app at its login screen, on the web driver textual-serve
    chose (TEXTUAL_DRIVER), preferences kept in memory only."""
    from bip_talk.settings import idle_minutes
    from bip_talk.ui.app import make_app, run_to_end

    workstation = obj.workstation()
    workstation.remember_preferences = False
    app = make_app(workstation)
    app.channel = "web"
    app.login_required = True
    minutes = idle_minutes(idle, "--idle-minutes") if idle else obj.settings.idle_minutes
    app.idle_seconds = minutes * 60
    run_to_end(app)


COMMANDS = [serve, serve_session]
