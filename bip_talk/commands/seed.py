"""``bip-talk seed``: fill a database with a synthetic BIP-like cohort."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from bip_talk.commands.output import echo
from bip_talk.commands.output import local_number as _n
from bip_talk.commands.paths import DatabaseArg
from bip_talk.domain.synthetic import MAX_CITIZENS
from bip_talk.i18n import Translator


@click.command(help="seed.help")
@click.option("--citizens", "citizens", type=int, required=True, help="seed.opt_citizens")
@click.option("--seed", "seed", type=int, default=1, show_default=True, help="seed.opt_seed")
@click.option(
    "--db", "db_path", type=DatabaseArg(path_type=Path, dir_okay=False), help="seed.opt_db"
)
@click.option("--append", is_flag=True, help="seed.opt_append")
@click.pass_obj
def seed(obj, citizens: int, seed: int, db_path: Path | str | None, append: bool) -> None:
    from bip_talk.errors import InputError
    from bip_talk.packs import load_pack
    from bip_talk.services.synthetic.seed import seed_database

    settings = obj.settings
    lang = settings.language or "da"
    t = Translator(lang)
    # Only a file named on this command line (here or before the subcommand): never the
    # everyday database, not even through BIP_TALK_DB.
    parent = click.get_current_context().parent
    path = db_path or (parent.params.get("db_path") if parent else None)
    if path is None:
        raise InputError(t("seed.need_db"))
    if not 1 <= citizens <= MAX_CITIZENS:
        raise InputError(t("seed.bad_count", value=citizens, max=_n(MAX_CITIZENS, lang)))
    _refuse_a_job_centre_database(obj, path, t)
    pack = load_pack(settings.pack, lang)
    show_progress = sys.stderr.isatty()

    def progress(counts) -> None:
        if show_progress:
            echo(t("seed.progress", citizens=_n(counts.citizens, lang)), err=True)

    result = seed_database(
        path, pack, citizens=citizens, seed=seed, append=append, lang=lang, on_batch=progress
    )
    c = result.counts
    echo(
        t(
            "seed.done",
            seconds=_n(result.seconds, lang, 1),
            citizens=_n(c.citizens, lang),
            meetings=_n(c.meetings, lang),
            answers=_n(c.answers, lang),
            plan_items=_n(c.plan_items, lang),
            outcomes=_n(c.outcomes, lang),
            caseworkers=_n(c.caseworkers, lang),
            rate=_n(c.rows / max(result.seconds, 1e-9), lang),
        )
    )
    mb = result.size_bytes / 1e6
    echo(t("seed.file", path=result.path, size=_n(mb, lang, 1 if mb < 10 else 0)))
    echo(t("seed.model"))


def _refuse_a_job_centre_database(obj, path: Path | str, t: Translator) -> None:
    """A database with personal accounts holds a job centre's real citizens: synthetic
    ones never go into it, whoever asks. (A server's database is opened as seeding
    would open it: an empty one gains the tables it would gain anyway.)"""
    from bip_talk.errors import InputError
    from bip_talk.settings import is_database_url

    if not is_database_url(path) and (not Path(path).is_file() or Path(path).stat().st_size == 0):
        return
    workstation = obj.workstation(obj.settings.with_database(path))
    try:
        if workstation.open(channel="cli").has_accounts():
            raise InputError(t("seed.has_accounts", path=path))
    finally:
        workstation.close()


COMMANDS = [seed]
