"""``bip-talk doctor``: check a database file without changing it.

Shows the schema version, SQLite's full integrity check, how much it holds and who
may read it; warns when the file or its folder is open to other users, or when a
text cell is not UTF-8. ``--repair`` rebuilds damaged indexes (after a backup).
"""

from __future__ import annotations

import click

from bip_talk.commands.context import Context, pass_context
from bip_talk.commands.output import echo, local_number
from bip_talk.errors import StoreError
from bip_talk.i18n import Translator
from bip_talk.store.health import COUNTED, check_database, repair_indexes


@click.command(name="doctor", help="doctor.help")
@click.option("--repair", is_flag=True, help="doctor.opt_repair")
@pass_context
def doctor(obj: Context, repair: bool) -> None:
    workstation = obj.workstation()
    t = workstation.t
    if workstation.settings.db_url:
        if repair:
            raise StoreError(t("doctor.pg_no_repair"))
        _server(workstation.settings.db_url, t)
        return
    path = workstation.database_path
    if workstation.settings.db_path is None and not path.exists():
        # A machine that never ran the app: nothing is wrong, there is just no data yet.
        echo(t("doctor.no_database", path=path))
        return
    if repair:
        backup = repair_indexes(workstation.database_path, workstation.lang)
        echo(t("doctor.repaired", backup=backup) if backup else t("doctor.nothing_to_repair"))
    health = check_database(workstation.database_path, workstation.lang)
    echo(f"{t('doctor.database')} {health.path}")
    echo(t("doctor.schema", found=health.schema_version, known=health.known_version))
    echo(t("doctor.integrity_ok"))
    echo(_contents(health.counts, t))
    echo(t("doctor.file_mode", mode=f"{health.file_mode:04o}"))
    echo(t("doctor.dir_mode", folder=health.path.parent, mode=f"{health.dir_mode:04o}"))
    if not health.file_private:
        echo(t("doctor.warn_file", path=health.path), err=True)
    if not health.dir_private:
        echo(t("doctor.warn_dir", folder=health.path.parent), err=True)
    for cell in health.bad_text:
        echo(t("store.bad_text", table=cell.table, row=cell.row, column=cell.column), err=True)
    if not health.writable:
        # The app could not save into this file: a failure, after the report.
        raise StoreError(t("store.read_only", path=health.path))
    clean = health.file_private and health.dir_private and not health.bad_text
    echo(t("doctor.all_ok") if clean else t("doctor.ok_with_warnings"))


COMMANDS = [doctor]


def _server(url: str, t: Translator) -> None:
    """The same report for a PostgreSQL database, in a server's terms."""
    from bip_talk.store.server_health import check_server

    health = check_server(url, t.lang)
    echo(f"{t('doctor.database')} {health.url}")
    echo(
        t(
            "doctor.pg_server",
            version=health.server_version,
            database=health.database,
            schema=health.schema,
        )
    )
    echo(t("doctor.schema", found=health.schema_version, known=health.known_version))
    echo(_contents(health.counts, t))
    echo(t("doctor.pg_size", size=local_number(health.size_bytes / 1e6, t.lang, 1)))
    echo(t(f"doctor.pg_transport_{health.transport}"))
    owner = t("doctor.pg_owner_yes" if health.owns_tables else "doctor.pg_owner_no")
    write = t("doctor.pg_write_yes" if health.can_write else "doctor.pg_write_no")
    echo(t("doctor.pg_user", user=health.user, owner=owner, write=write))
    echo(t("doctor.pg_checksums_on" if health.checksums else "doctor.pg_checksums_off"))
    echo(t("doctor.pg_backups"))
    for warning in health.warnings:
        echo(t(f"doctor.pg_warn_{warning}", user=health.user), err=True)
    if not health.can_write:
        raise StoreError(t("doctor.pg_read_only_user", user=health.user, url=health.url))
    echo(t("doctor.ok_with_warnings") if health.warnings else t("doctor.all_ok"))


def _contents(counts: dict[str, int], t: Translator) -> str:
    """One line of what the database holds, in the order of COUNTED."""
    listed = ", ".join(
        f"{t('doctor.count_' + name)} {local_number(counts[name], t.lang)}"
        for name in COUNTED
        if name in counts
    )
    return f"{t('doctor.counts')} {listed}"
