"""A job-centre database with personal accounts, one per role, and the report tests'
synthetic citizen (four meetings, a change of caseworker). Built once per test module
(argon2 takes ~0.15 s a hash) and copied for each test, on SQLite or PostgreSQL
(``built_on``: a module's ``built`` fixture takes ``pg.DIALECTS`` as its params).
Only made-up people."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bip_talk.domain.access import Role
from bip_talk.packs import load_pack
from bip_talk.resources import default_pack_dir
from bip_talk.services.casework import Casework
from bip_talk.services.workstation import Workstation
from bip_talk.settings import Settings
from bip_talk.store import Store
from bip_talk.store.targets import Target, open_target
from tests.unit.report_data import make_case

PASSWORD = "rigtig-kode-2026"
# BN holds the citizen's last meeting in the report data; the others are new rows.
ACCOUNTS: dict[Role, tuple[str, str]] = {
    "admin": ("AD", "Asta Admin"),
    "caseworker": ("BN", "Bo Nielsen"),
    "team-lead": ("TL", "Tove Leder"),
    "trainer": ("TR", "Tage Træner"),
}


@dataclass(frozen=True)
class Server:
    path: Target  # the file, or the PostgreSQL URL
    citizen_id: str
    data_dir: Path

    @property
    def on_file(self) -> bool:
        return isinstance(self.path, Path)

    def workstation(self) -> Workstation:
        return Workstation(Settings(data_dir=self.data_dir).with_database(self.path))

    def db(self) -> Any:
        """The database itself (``dialect.Db``), for what a test checks underneath."""
        return open_target(self.path)

    def as_role(self, role: Role | None) -> tuple[Workstation, Casework]:
        """The casework of the role's account (logged in), or nobody (None)."""
        ws = self.workstation()
        casework = ws.open(channel="cli")
        if role is not None:
            casework = casework.log_in(ACCOUNTS[role][0], PASSWORD)
        return ws, casework


def build_server(folder: Path, target: Target | None = None) -> Server:
    folder.mkdir(parents=True, exist_ok=True)
    path = target or folder / "server.db"
    store = Store(open_target(path))
    try:
        case = make_case(store, load_pack(default_pack_dir()))
    finally:
        store.close()
    server = Server(path, case.citizen_id, folder / "data")
    ws = server.workstation()
    try:
        admin = ws.open(channel="cli")
        initials, name = ACCOUNTS["admin"]
        admin.add_account(initials, name, "admin", PASSWORD)
        admin = admin.log_in(initials, PASSWORD)
        for role, (initials, name) in ACCOUNTS.items():
            if role != "admin":
                admin.add_account(initials, name, role, PASSWORD)
    finally:
        ws.close()
    return server


def copy_server(
    server: Server, folder: Path, request: pytest.FixtureRequest | None = None
) -> Server:
    """The test's own copy: of the file, or (``request`` of a PostgreSQL test) of the
    database, dropped at the end of the test."""
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(server.path, Path):
        shutil.copyfile(server.path, folder / "server.db")
        return Server(folder / "server.db", server.citizen_id, folder / "data")
    assert request is not None, "a copy on PostgreSQL needs the test's request"
    databases = request.getfixturevalue("pg_databases")
    url = databases.copy(server.path)
    request.addfinalizer(lambda: databases.drop(url))
    return Server(url, server.citizen_id, folder / "data")


def built_on(request: pytest.FixtureRequest, folder: Path) -> Server:
    """The module's server on the database of ``request.param`` (``pg.DIALECTS``)."""
    if request.param == "sqlite":
        return build_server(folder)
    databases = request.getfixturevalue("pg_databases")
    url = databases.fresh()
    request.addfinalizer(lambda: databases.drop(url))
    return build_server(folder, url)
