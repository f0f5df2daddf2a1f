"""What every command shares: the parsed global options, and starting the TUI.

Lives here rather than in ``cli.py`` so that commands never import the module that
registers them (no import cycle)."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from bip_talk.errors import BipTalkError
from bip_talk.i18n import Translator
from bip_talk.settings import Settings

if TYPE_CHECKING:
    from bip_talk.services.workstation import Workstation


class Context:
    """``ctx.obj`` of every command: the settings the global options chose."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def workstation(self, settings: Settings | None = None) -> Workstation:
        from bip_talk.services.workstation import Workstation

        return Workstation(settings or self.settings)


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
    from bip_talk.ui.app import make_app, run_to_end

    run_to_end(make_app(workstation, demo=demo))
