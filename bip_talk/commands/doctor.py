"""``bip-talk doctor``: check a database file without changing it.

Shows the schema version, SQLite's integrity check, how much it holds and who may read
it; warns when the file or its folder is open to other users.
"""

from __future__ import annotations

import click

from bip_talk.commands.context import Context, pass_context
from bip_talk.errors import StoreError
from bip_talk.store.health import COUNTED, check_database


@click.command(name="doctor", help="doctor.help")
@pass_context
def doctor(obj: Context) -> None:
    workstation = obj.workstation()
    t = workstation.t
    health = check_database(workstation.database_path, workstation.lang)
    click.echo(f"{t('doctor.database')} {health.path}")
    click.echo(t("doctor.schema", found=health.schema_version, known=health.known_version))
    click.echo(t("doctor.integrity_ok"))
    counts = ", ".join(
        f"{t('doctor.count_' + name)} {health.counts[name]}"
        for name in COUNTED
        if name in health.counts
    )
    click.echo(f"{t('doctor.counts')} {counts}")
    click.echo(t("doctor.file_mode", mode=f"{health.file_mode:04o}"))
    click.echo(t("doctor.dir_mode", folder=health.path.parent, mode=f"{health.dir_mode:04o}"))
    if not health.file_private:
        click.echo(t("doctor.warn_file", path=health.path), err=True)
    if not health.dir_private:
        click.echo(t("doctor.warn_dir", folder=health.path.parent), err=True)
    if not health.writable:
        # The app could not save into this file: a failure, after the report.
        raise StoreError(t("store.read_only", path=health.path))
    click.echo(
        t("doctor.all_ok")
        if health.file_private and health.dir_private
        else t("doctor.ok_with_warnings")
    )


COMMANDS = [doctor]
