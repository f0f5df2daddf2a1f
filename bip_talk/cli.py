"""The command line: the TUI by default, plus headless subcommands.

Heavy imports (textual, the app) happen inside the commands that need them, so
``bip-talk validate`` and ``--help`` stay fast and never load the UI.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from bip_talk import __version__
from bip_talk.errors import BipTalkError, PackError
from bip_talk.i18n import LANGUAGES, Translator
from bip_talk.settings import Settings

# Help texts are read when the module loads: Danish unless BIP_TALK_LANG says otherwise.
T = Translator(os.environ.get("BIP_TALK_LANG", "da"))


class Context:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def workstation(self, settings: Settings | None = None):
        from bip_talk.services.workstation import Workstation

        return Workstation(settings or self.settings)


pass_context = click.make_pass_decorator(Context)


@click.group(invoke_without_command=True, help=T("cli.help"))
@click.option(
    "--db", "db_path", type=click.Path(path_type=Path, dir_okay=False), help=T("cli.opt_db")
)
@click.option("--lang", type=click.Choice(LANGUAGES), help=T("cli.opt_lang"))
@click.option(
    "--pack", "pack_dir", type=click.Path(path_type=Path, file_okay=False), help=T("cli.opt_pack")
)
@click.version_option(
    __version__, prog_name="bip-talk", message="%(prog)s %(version)s", help=T("cli.opt_version")
)
@click.pass_context
def cli(ctx: click.Context, db_path: Path | None, lang: str | None, pack_dir: Path | None) -> None:
    ctx.obj = Context(Settings.from_env(db_path=db_path, language=lang, pack_dir=pack_dir))
    if ctx.invoked_subcommand is None:
        run_tui(ctx.obj.workstation())


def require_terminal(t: Translator) -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and not os.environ.get(
        "BIP_TALK_FORCE_TUI"
    ):
        raise BipTalkError(t("cli.no_terminal"))


def run_tui(workstation, *, demo: bool = False) -> None:
    require_terminal(workstation.t)
    # The app shows its first screen at once and opens the database and the pack beside
    # it; a bad one ends the app, and its plain message is printed here with its code.
    from bip_talk.ui.app import make_app

    result = make_app(workstation, demo=demo).run()
    if isinstance(result, BipTalkError):
        raise result


@cli.command(help=T("cli.validate_help"))
@click.argument("pack_dir", required=False, type=click.Path(path_type=Path))
@pass_context
def validate(obj: Context, pack_dir: Path | None) -> None:
    from bip_talk.packs import load_pack, summary

    settings = obj.settings
    t = Translator(settings.language or "da")
    try:
        pack = load_pack(pack_dir or settings.pack, t.lang)
    except PackError as exc:
        click.echo(t("cli.pack_invalid"), err=True)
        for problem in exc.problems:
            click.echo(f"  {problem}", err=True)
        raise SystemExit(exc.exit_code) from None
    click.echo(summary(pack, t))


@cli.command(help=T("cli.where_help"))
@pass_context
def where(obj: Context) -> None:
    s = obj.settings
    t = Translator(s.language or "da")
    click.echo(f"{t('cli.where_db')} {s.database}")
    click.echo(f"{t('cli.where_prefs')} {s.preferences_file}")
    click.echo(f"{t('cli.where_pack')} {s.pack}")
    click.echo(f"{t('cli.where_demo')} {s.demo_database}")


def _localise_help(command: click.Command) -> None:
    """Give every command an explicit ``--help`` whose text comes from the catalog;
    click then drops its own English one (it skips names a command already uses)."""
    if not any("--help" in p.opts for p in command.params):
        click.help_option("--help", help=T("cli.opt_help"))(command)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _localise_help(sub)


def _register_subcommands() -> None:
    from bip_talk import commands

    for command in commands.all_commands():
        cli.add_command(command)
    _localise_help(cli)


def main(argv: list[str] | None = None) -> None:
    _register_subcommands()
    t = Translator(os.environ.get("BIP_TALK_LANG", "da"))
    try:
        code = cli.main(args=argv, prog_name="bip-talk", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except click.Abort:
        click.echo(t("cli.interrupted"), err=True)
        code = 1
    except BipTalkError as exc:
        click.echo(str(exc), err=True)
        code = exc.exit_code
    except KeyboardInterrupt:
        click.echo(t("cli.interrupted"), err=True)
        code = 130
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except Exception as exc:  # the last line of defence: never a traceback for users
        if os.environ.get("BIP_TALK_DEBUG"):
            raise
        click.echo(t("cli.unexpected", kind=type(exc).__name__), err=True)
        code = 70
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
