"""What every command shares: the parsed global options, and starting the TUI.

Lives here rather than in ``cli.py`` so that commands never import the module that
registers them (no import cycle)."""

from __future__ import annotations

import gc
import os
import sys
from typing import TYPE_CHECKING

import click

from bip_talk.errors import BipTalkError, InputError
from bip_talk.i18n import Translator
from bip_talk.settings import Settings

if TYPE_CHECKING:
    from bip_talk.services.casework import Casework
    from bip_talk.services.workstation import Workstation


class Context:
    """``ctx.obj`` of every command: the settings the global options chose, and who
    logs in (``--login``, ``--password-stdin``) on a database with personal accounts."""

    def __init__(
        self, settings: Settings, *, login: str | None = None, password_stdin: bool = False
    ) -> None:
        self.settings = settings
        self.login = login
        self.password_stdin = password_stdin

    def workstation(self, settings: Settings | None = None) -> Workstation:
        from bip_talk.services.workstation import Workstation

        return Workstation(settings or self.settings)

    def logged_in(self, casework: Casework) -> Casework:
        """On a database with personal accounts: the casework of the account given by
        --login (or BIP_TALK_LOGIN, or asked for in a terminal) and its password (the
        first line of standard input with --password-stdin, else asked for without
        echo). Without accounts: as it is (single-user local use)."""
        t = casework.t
        initials = self.login or os.environ.get("BIP_TALK_LOGIN") or ""
        if not casework.has_accounts():
            if self.login:
                raise InputError(t("cli.login_without_accounts"))
            return casework
        if not initials.strip():
            if not _interactive():
                raise InputError(t("cli.login_needed"))
            initials = click.prompt(t("cli.login_prompt_initials"), err=True)
        password = self.secret(t, t("cli.login_prompt_password"))
        return casework.log_in(initials, password)

    def secret(
        self, t: Translator, prompt: str, *, confirm: bool = False, stdin: bool | None = None
    ) -> str:
        """A password: the next line of standard input with --password-stdin (``stdin``
        overrides it: a new account's password, read after the login's), else asked for
        in a terminal without echo."""
        if self.password_stdin if stdin is None else stdin:
            line = sys.stdin.readline()
            if not line:
                raise InputError(t("cli.password_stdin_empty"))
            return line.rstrip("\r\n")
        if not _interactive():
            raise InputError(t("cli.password_needed"))
        value: str = click.prompt(prompt, hide_input=True, confirmation_prompt=confirm, err=True)
        return value


def _interactive() -> bool:
    return sys.stdin is not None and sys.stdin.isatty()


pass_context = click.make_pass_decorator(Context)


def require_terminal(t: Translator) -> None:
    if not (sys.stdin.isatty() and sys.stdout.isatty()) and not os.environ.get(
        "BIP_TALK_FORCE_TUI"
    ):
        raise BipTalkError(t("cli.no_terminal"))


def run_tui(workstation: Workstation, *, demo: bool = False) -> None:
    # A settings.toml that cannot be used does not stop the app: it asks what to do.
    workstation.open_preferences()
    require_terminal(workstation.t)
    # The app shows its first screen at once and opens the database and the pack beside
    # it; a bad one ends the app, and its plain message is printed here with its code.
    # Importing the UI makes objects that live as long as the app: collecting among
    # them is wasted work (a full pass took ~20 ms of start-up), so none runs while they
    # are made, and freezing leaves them out of every later pass.
    gc.disable()
    try:
        from bip_talk.ui.app import make_app, run_to_end

        app = make_app(workstation, demo=demo)
    finally:
        gc.freeze()
        gc.enable()
    run_to_end(app)
