"""A job-centre database with personal accounts, one per role, and the report tests'
synthetic citizen (four meetings, a change of caseworker). Built once per test module
(argon2 takes ~0.15 s a hash) and copied for each test. Only made-up people."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from bip_talk.domain.access import Role
from bip_talk.packs import load_pack
from bip_talk.resources import default_pack_dir
from bip_talk.services.casework import Casework
from bip_talk.services.workstation import Workstation
from bip_talk.settings import Settings
from bip_talk.store import Store, open_database
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
    path: Path
    citizen_id: str
    data_dir: Path

    def workstation(self) -> Workstation:
        return Workstation(Settings(data_dir=self.data_dir, db_path=self.path))

    def as_role(self, role: Role | None) -> tuple[Workstation, Casework]:
        """The casework of the role's account (logged in), or nobody (None)."""
        ws = self.workstation()
        casework = ws.open(channel="cli")
        if role is not None:
            casework = casework.log_in(ACCOUNTS[role][0], PASSWORD)
        return ws, casework


def build_server(folder: Path) -> Server:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "server.db"
    store = Store(open_database(path))
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


def copy_server(server: Server, folder: Path) -> Server:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(server.path, folder / "server.db")
    return Server(folder / "server.db", server.citizen_id, folder / "data")
