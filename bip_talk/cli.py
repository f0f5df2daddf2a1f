"""The command line: the TUI by default, plus headless subcommands.

Heavy imports (textual, the app) happen inside the commands that need them, so
``bip-talk validate`` and ``--help`` stay fast and never load the UI; the subcommands'
modules are imported only when called for (``LazyGroup``), so the app's start does not
load ``doctor``, ``seed`` and the rest.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from bip_talk import __version__, commands
from bip_talk.commands.context import Context, pass_context, run_tui
from bip_talk.commands.localize import language_from, localize, use_click_words
from bip_talk.commands.output import echo
from bip_talk.commands.paths import DatabaseArg, PathArg
from bip_talk.errors import UNEXPECTED_EXIT, BipTalkError, PackError
from bip_talk.i18n import LANGUAGES, Translator
from bip_talk.settings import Settings


class LazyGroup(click.Group):
    """The subcommands of ``commands.MODULES`` are imported (and put in the user's
    language) when they are called for, not at every start."""

    translator: Translator | None = None  # set by ``main`` before click parses

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *commands.MODULES})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands:
            found = commands.command(cmd_name)
            if found is None:
                return None
            if self.translator is not None:
                localize(found, self.translator)
            self.add_command(found)
        return self.commands[cmd_name]

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.NoSuchCommand as exc:  # "did you mean …" among all, not the loaded
            raise click.NoSuchCommand(
                exc.command_name, possibilities=self.list_commands(ctx), ctx=ctx
            ) from None


@click.group(cls=LazyGroup, invoke_without_command=True, help="cli.help")
@click.option(
    "--db", "db_path", type=DatabaseArg(path_type=Path, dir_okay=False), help="cli.opt_db"
)
@click.option("--lang", type=click.Choice(LANGUAGES), help="cli.opt_lang")
@click.option(
    "--pack", "pack_dir", type=PathArg(path_type=Path, file_okay=False), help="cli.opt_pack"
)
@click.option("--login", "login", metavar="click.metavar_initials", help="cli.opt_login")
@click.option("--password-stdin", "password_stdin", is_flag=True, help="cli.opt_password_stdin")
@click.version_option(
    __version__, prog_name="bip-talk", message="%(prog)s %(version)s", help="cli.opt_version"
)
@click.pass_context
def cli(
    ctx: click.Context,
    db_path: Path | str | None,
    lang: str | None,
    pack_dir: Path | None,
    login: str | None,
    password_stdin: bool,
) -> None:
    global _current_settings
    ctx.obj = Context(
        Settings.from_env(db_path=db_path, language=lang, pack_dir=pack_dir),
        login=login,
        password_stdin=password_stdin,
    )
    _current_settings = ctx.obj.settings  # for messages about the database (known_failure)
    if ctx.invoked_subcommand is None:
        run_tui(ctx.obj.workstation())


@cli.command(help="cli.validate_help")
@click.argument(
    "pack_dir", required=False, type=PathArg(path_type=Path), metavar="click.metavar_pack_dir"
)
@pass_context
def validate(obj: Context, pack_dir: Path | None) -> None:
    from bip_talk.packs import load_pack, summary

    settings = obj.settings
    t = Translator(settings.language or "da")
    try:
        pack = load_pack(pack_dir or settings.pack, t.lang)
    except PackError as exc:
        echo(t("cli.pack_invalid"), err=True)
        for problem in exc.problems:
            echo(f"  {problem}", err=True)
        raise SystemExit(exc.exit_code) from None
    echo(summary(pack, t))


@cli.command(help="cli.where_help")
@pass_context
def where(obj: Context) -> None:
    s = obj.settings
    t = Translator(s.language or "da")
    echo(f"{t('cli.where_db')} {database_label(s)}")
    echo(f"{t('cli.where_prefs')} {s.preferences_file}")
    echo(f"{t('cli.where_pack')} {s.pack}")
    echo(f"{t('cli.where_demo')} {s.demo_database}")


def known_failure(exc: BaseException, t: Translator) -> BipTalkError | None:
    """A full disk, a damaged or busy database, or a name too long for the file
    system, wherever it surfaced: its own message instead of "unexpected error"."""
    from bip_talk.services.failures import known_failure as known

    settings = _current_settings
    return known(exc, database=database_label(settings) if settings else "", t=t)


def database_label(settings: Settings) -> str:
    """The file, or the server's URL without its password."""
    from bip_talk.services.workstation import database_label as label

    return label(settings)


_current_settings: Settings | None = None


def _register_subcommands() -> None:
    """Every subcommand loaded at once (tests and the documentation's checks)."""
    for command in commands.all_commands():
        cli.add_command(command)


def _global_option_misplaced(exc: click.NoSuchOption, t: Translator) -> click.UsageError | None:
    """``report X --db PATH``: --db (like --lang, --pack, --login) belongs to bip-talk
    itself and goes before the command; say so, with the command it was given to."""
    name = exc.option_name
    if name not in {o for p in cli.params for o in p.opts}:
        return None
    command = exc.ctx.info_name if exc.ctx is not None else ""
    return click.UsageError(t("cli.global_option_first", option=name, command=command), ctx=exc.ctx)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    t = Translator(language_from(args))
    cli.translator = t
    localize(cli, t)
    use_click_words(t)
    try:
        code = cli.main(args=args, prog_name="bip-talk", standalone_mode=False)
    except click.exceptions.Exit as exc:
        code = exc.exit_code
    except click.NoSuchOption as exc:
        (_global_option_misplaced(exc, t) or exc).show()
        code = exc.exit_code
    except click.ClickException as exc:
        exc.show()
        code = exc.exit_code
    except click.Abort:
        echo(t("cli.interrupted"), err=True)
        code = 1
    except BipTalkError as exc:
        echo(str(exc), err=True)
        code = exc.exit_code
    except KeyboardInterrupt:
        echo(t("cli.interrupted"), err=True)
        code = 130
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except Exception as exc:  # the last line of defence: never a traceback for users
        if os.environ.get("BIP_TALK_DEBUG"):
            raise
        known = known_failure(exc, t)
        echo(known.message if known else t("cli.unexpected", kind=type(exc).__name__), err=True)
        code = known.exit_code if known else UNEXPECTED_EXIT
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
