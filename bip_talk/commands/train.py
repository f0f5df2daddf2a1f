"""``bip-talk train``: rehearse the conversation with a simulated citizen, or run the
calibration drill. Always on a throwaway database; the real one is never opened."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import click

from bip_talk.commands.output import echo
from bip_talk.commands.paths import PathArg
from bip_talk.i18n import Translator


def _seed(value: str) -> int | str:
    return int(value) if value.isdigit() else value


@click.command(help="cli.train_help")
@click.option("--persona", help="cli.opt_persona")
@click.option("--seed", default="1", show_default=True, help="cli.opt_seed")
@click.option("--calibrate", is_flag=True, help="cli.opt_calibrate")
@click.option("--list", "list_personas", is_flag=True, help="cli.opt_list_personas")
@click.option(
    "--report-dir", type=PathArg(path_type=Path, file_okay=False), help="cli.opt_report_dir"
)
@click.pass_obj
def train(
    obj,
    persona: str | None,
    seed: str,
    calibrate: bool,
    list_personas: bool,
    report_dir: Path | None,
) -> None:
    from bip_talk.commands.context import require_terminal
    from bip_talk.settings import Settings, load_preferences

    settings: Settings = obj.settings
    prefs = load_preferences(settings.preferences_file, settings.language)
    lang = settings.language or prefs.language
    t = Translator(lang)
    if list_personas:
        from bip_talk.domain.training.personas import personas_of
        from bip_talk.packs import load_pack

        book = personas_of(load_pack(settings.pack, lang))
        for p in book.personas if book else []:
            echo(f"{p.id:<22} {p.display_name}, {p.age}")
        return
    if report_dir is not None and not report_dir.is_dir():
        raise click.BadParameter(
            t("training.report_folder_missing", folder=report_dir), param_hint="--report-dir"
        )
    if calibrate:
        from bip_talk.services.training.calibration_drill import Drill
        from bip_talk.services.workstation import Workstation
        from bip_talk.ui.app import run_to_end
        from bip_talk.ui.training.app import CalibrationApp

        drill = Drill.start(settings, seed=_seed(seed), lang=lang)
        require_terminal(t)
        run_to_end(CalibrationApp(Workstation(replace(settings, language=lang), prefs), drill))
        return

    from bip_talk.services.training.rehearsal import Rehearsal
    from bip_talk.ui.app import run_to_end
    from bip_talk.ui.training.app import TrainingApp

    _check_persona(settings, persona, lang)  # a typo is reported before anything starts
    require_terminal(t)
    trainee = (prefs.caseworker_name or "", prefs.caseworker_initials or "")
    rehearsal = Rehearsal.start(settings, persona, seed=_seed(seed), lang=lang, trainee=trainee)
    run_to_end(TrainingApp(rehearsal.workstation(prefs), rehearsal, report_dir or Path.cwd()))


def _check_persona(settings, persona: str | None, lang: str) -> None:
    from bip_talk.domain.training.personas import personas_of
    from bip_talk.errors import InputError
    from bip_talk.packs import load_pack
    from bip_talk.services.training.rehearsal import choose_persona

    t = Translator(lang)
    pack = load_pack(settings.pack, lang)
    book = personas_of(pack)
    if book is None:
        raise InputError(t("training.no_personas", pack=pack.id))
    choose_persona(book, persona, t)


COMMANDS = [train]
