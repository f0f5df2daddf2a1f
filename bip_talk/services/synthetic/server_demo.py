"""The demo server's database (``bip-talk serve --demo``): the demo citizens plus one
personal account per role, all with the same published password. A file of its own
(``serve-demo.db`` in the data folder): ``bip-talk demo`` keeps its database without
accounts, and the everyday database is never opened."""

from __future__ import annotations

import os
from pathlib import Path

from bip_talk.i18n import Translator
from bip_talk.services.accounts import add_account
from bip_talk.settings import Settings, ensure_private_dir
from bip_talk.store import Store, open_database

# Published in the README and printed at start: a demo on loopback only.
DEMO_PASSWORD = "demo-adgangskode"
# (initials, name, role); the first must be the admin. LMD is a demo caseworker who
# already holds citizens in the demo.
DEMO_ACCOUNTS = (
    ("ADM", "Adam D. Mindemo", "admin"),
    ("LMD", "Lise M. Demobæk", "caseworker"),
    ("KJO", "Kasper J. Opdigtrup", "caseworker"),
    ("TLD", "Tove L. Demoleder", "team-lead"),
    ("UND", "Ulla N. Demounderviser", "trainer"),
)


def server_demo_path(settings: Settings) -> Path:
    return settings.data_dir / "serve-demo.db"


def ensure_server_demo(settings: Settings, reset: bool = False) -> Path:
    """The demo server's database, built first if missing (or ``reset``): beside the
    target, then moved into place, so a half-built one never appears."""
    from bip_talk.packs import load_pack
    from bip_talk.services.synthetic.demo import _language, _with_sidecars, build_demo_database

    target = server_demo_path(settings)
    if target.exists() and not reset:
        return target
    ensure_private_dir(target.parent)
    building = target.with_name(target.name + ".building")
    for leftover in _with_sidecars(building):
        leftover.unlink(missing_ok=True)
    lang = _language(settings)
    try:
        build_demo_database(building, load_pack(settings.pack, lang), lang)
        store = Store(open_database(building, lang=lang))
        try:
            for initials, name, role in DEMO_ACCOUNTS:
                add_account(store, initials, name, role, DEMO_PASSWORD, Translator(lang))
        finally:
            store.close()
        for sidecar in _with_sidecars(target)[1:]:
            sidecar.unlink(missing_ok=True)
        os.replace(building, target)
    finally:
        for leftover in _with_sidecars(building):
            leftover.unlink(missing_ok=True)
    return target
