"""PostgreSQL as the second store: the same seed gives the same export as SQLite, a
whole history copies both ways (and an interrupted copy changes nothing), and what
cannot be used is refused with a message that says what to do, changing nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bip_talk.errors import InputError, StoreError
from bip_talk.i18n import Translator
from bip_talk.services.copy_db import comparable, copy_database
from bip_talk.services.synthetic.seed import seed_database
from bip_talk.store import Store
from bip_talk.store.copy import DATA_TABLES, counts
from bip_talk.store.dialect import redacted
from bip_talk.store.postgres import open_postgres
from bip_talk.store.schema import SCHEMA_VERSION
from bip_talk.store.targets import open_target
from tests import pg

T = Translator("da")
FROZEN = "2026-06-01T12:00:00+00:00"


def _cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "bip_talk", *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "BIP_TALK_DATA_DIR": str(tmp_path / "data"), **(env or {})},
        timeout=180,
        stdin=subprocess.DEVNULL,
    )


def _export(tmp_path: Path, db: str, out: str) -> dict[str, bytes]:
    done = _cli(
        tmp_path,
        "--db",
        db,
        "export",
        "--format",
        "json",
        "--out",
        out,
        env={"BIP_TALK_FROZEN_TIME": FROZEN},
    )
    assert done.returncode == 0, done.stderr
    return {p.name: comparable(p) for p in sorted((tmp_path / out).iterdir())}


def _dump(target) -> dict[str, list[tuple]]:
    """Every row of every data table, in key order."""
    store = Store(open_target(target, create=False))
    try:
        return {
            t: [tuple(r) for r in store.db.execute(f'SELECT * FROM "{t}" ORDER BY 1').fetchall()]
            for t in DATA_TABLES
            if t != "meta"
        }
    finally:
        store.close()


# -- parity: one seed, two databases, one export -------------------------------------------


def test_the_same_seed_gives_the_same_export_on_sqlite_and_postgres(tmp_path, pg_empty_url):
    file = str(tmp_path / "seeded.db")
    for db in (file, pg_empty_url):
        done = _cli(tmp_path, "seed", "--citizens", "60", "--seed", "7", "--db", db)
        assert done.returncode == 0, done.stderr
    on_sqlite = _export(tmp_path, file, "from-sqlite")
    on_postgres = _export(tmp_path, pg_empty_url, "from-postgres")
    assert on_sqlite["answers.json"]  # the test can fail: there is data to compare
    assert len(json.loads(on_sqlite["citizens.json"])) == 60
    assert on_postgres == on_sqlite


# -- copy-db --------------------------------------------------------------------------------


@pytest.fixture
def seeded(tmp_path: Path, pack) -> Path:
    path = tmp_path / "source.db"
    seed_database(path, pack, citizens=40, seed=3, parallel=False)
    return path


def test_copy_db_round_trip_sqlite_to_postgres_and_back(tmp_path, seeded, pg_empty_url):
    there = _cli(tmp_path, "--lang", "en", "copy-db", str(seeded), pg_empty_url)
    assert there.returncode == 0, there.stderr
    assert "Checked: every table has the same number of rows" in there.stdout
    assert pg.pg_server.APP_PASSWORD not in there.stdout + there.stderr  # the URL shown without it
    back = tmp_path / "back.db"
    again = _cli(tmp_path, "copy-db", pg_empty_url, str(back))
    assert again.returncode == 0, again.stderr
    assert re.search(r" på \d+,\d s:", again.stdout), again.stdout  # seconds the Danish way
    original, returned = counts_of(seeded), counts_of(back)
    # The same rows in every table; each copy adds one audit row saying it happened.
    assert {**returned, "audit": returned["audit"] - 2} == original
    before, after = _dump(seeded), _dump(back)  # before the exports record themselves
    assert _export(tmp_path, str(back), "back-export") == _export(tmp_path, str(seeded), "orig")
    assert after["audit"][: len(before["audit"])] == before["audit"]
    assert {k: v for k, v in after.items() if k != "audit"} == {
        k: v for k, v in before.items() if k != "audit"
    }
    # New rows on the server are numbered after the copied ones.
    store = Store(open_target(pg_empty_url))
    try:
        cw = store.ensure_caseworker("NY", "Ny Kollega")
        assert cw.id > max(r[0] for r in before["caseworkers"])
        citizen = store.create_citizen("Ny Borger", caseworker_id=cw.id)
        meeting = store.start_meeting(citizen.id, cw.id, "bip", "1")
        assert meeting.id > max(r[0] for r in before["meetings"])
    finally:
        store.close()


def counts_of(path) -> dict[str, int]:
    store = Store(open_target(path, create=False))
    try:
        return counts(store.db)
    finally:
        store.close()


def test_copy_db_refuses_a_target_with_data_unless_told(tmp_path, seeded, pg_url, pack):
    store = Store(open_target(pg_url))
    try:
        store.create_citizen("Findes Allerede", caseworker_id=store.ensure_caseworker("AB", "A").id)
    finally:
        store.close()
    before = _dump(pg_url)
    refused = _cli(tmp_path, "copy-db", str(seeded), pg_url)
    assert refused.returncode == 2 and "--replace" in refused.stderr, refused.stderr
    assert "Traceback" not in refused.stderr
    assert _dump(pg_url) == before
    replaced = _cli(tmp_path, "copy-db", str(seeded), pg_url, "--replace")
    assert replaced.returncode == 0, replaced.stderr
    assert counts_of(pg_url)["citizens"] == 40


def test_an_interrupted_copy_leaves_the_target_as_it_was(
    tmp_path, seeded, pg_url, pack, monkeypatch
):
    """Stopped half-way (here: after the answers, as Ctrl-C or a lost server would):
    the target keeps what it had, a new SQLite target never appears."""
    from bip_talk.store import copy as copy_module

    store = Store(open_target(pg_url))
    try:
        store.ensure_caseworker("AB", "Anne Bech")
    finally:
        store.close()
    before = _dump(pg_url)
    real = copy_module._write

    def stop_after_answers(target, table, columns, rows):
        real(target, table, columns, rows)
        if table == "answers":
            raise KeyboardInterrupt

    monkeypatch.setattr(copy_module, "_write", stop_after_answers)
    with pytest.raises(KeyboardInterrupt):
        copy_database(seeded, pg_url, pack, replace=True)
    assert _dump(pg_url) == before
    new_file = tmp_path / "never.db"
    with pytest.raises(KeyboardInterrupt):
        copy_database(seeded, new_file, pack)
    assert not new_file.exists()
    assert [p.name for p in tmp_path.iterdir() if "never" in p.name] == []


def test_copy_db_refuses_the_same_database_and_a_missing_source(tmp_path, seeded, pg_url, pack):
    with pytest.raises(InputError):
        copy_database(seeded, seeded, pack)
    with pytest.raises(InputError):
        copy_database(pg_url, pg_url, pack)
    with pytest.raises(StoreError):
        copy_database(tmp_path / "nope.db", pg_url, pack)


def test_every_table_of_the_schema_is_copied(tmp_path, pg_url):
    """A table a migration adds must be in DATA_TABLES, or copy-db would lose it."""
    store = Store(open_target(tmp_path / "new.db"))
    try:
        assert set(pg.user_tables(store.db)) == set(DATA_TABLES)
    finally:
        store.close()
    store = Store(open_target(pg_url))
    try:
        assert set(pg.user_tables(store.db)) == set(DATA_TABLES)
    finally:
        store.close()


# -- refusals: nothing changed, a message that says what to do -------------------------------


def _schema(url: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(url) as conn:
        return conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' ORDER BY 1, 2"
        ).fetchall()


def test_a_refused_login_says_so(pg_url, tmp_path):
    wrong = pg_url.replace(pg.pg_server.APP_PASSWORD, "not-the-password")
    with pytest.raises(StoreError) as err:
        open_postgres(wrong)
    assert "afviste login" in str(err.value) and "not-the-password" not in str(err.value)
    done = _cli(tmp_path, "--db", wrong, "doctor")
    assert done.returncode == 3 and "afviste login" in done.stderr
    assert "not-the-password" not in done.stderr and "Traceback" not in done.stderr


def test_a_server_that_is_down_or_a_bad_url_says_so(tmp_path):
    down = f"postgresql://bip_talk@/bip?host={tmp_path}"  # no server listens there
    with pytest.raises(StoreError) as err:
        open_postgres(down)
    assert T("store.pg_unreachable", url=down, reason="x").split("(")[0] in str(err.value)
    for bad in ("postgresql://bip_talk@/bip?nosuchoption=1", "postgresql://[::1"):
        done = _cli(tmp_path, "--db", bad, "export")
        assert done.returncode == 3 and "postgresql://" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "data" / "bip-talk.db").exists()  # never fell back to a file


def test_a_missing_database_says_how_to_create_it(pg_url):
    missing = pg.with_database(pg_url, "no_such_db")
    with pytest.raises(StoreError) as err:
        open_postgres(missing)
    assert "createdb" in str(err.value)


def test_a_newer_schema_is_refused_and_left_alone(pg_url):
    db = open_postgres(pg_url)
    db.execute(
        "INSERT INTO bip_talk_migrations (migration_set, name, applied_at) "
        "VALUES ('bip_talk', 'm999_from_the_future', 'later')"
    )
    db.close()
    before = _schema(pg_url)
    with pytest.raises(StoreError) as err:
        open_postgres(pg_url)
    assert str(err.value) == T(
        "store.pg_newer_schema",
        url=redacted(pg_url),
        found=SCHEMA_VERSION + 1,
        known=SCHEMA_VERSION,
    )
    assert _schema(pg_url) == before


def test_another_programs_database_is_refused(pg_empty_url):
    import psycopg

    with psycopg.connect(pg_empty_url, autocommit=True) as conn:
        conn.execute("CREATE TABLE invoices (id int)")
    before = _schema(pg_empty_url)
    with pytest.raises(StoreError) as err:
        open_postgres(pg_empty_url)
    assert "et andet program" in str(err.value)
    assert _schema(pg_empty_url) == before


def test_a_user_without_the_right_to_create_tables_is_told_what_to_grant(
    pg_empty_url, pg_databases
):
    with pg_databases.admin_on(pg_empty_url) as admin:
        admin.execute(f"ALTER DATABASE {pg.db_name(pg_empty_url)} OWNER TO CURRENT_USER")
        admin.execute("ALTER SCHEMA public OWNER TO CURRENT_USER")
        admin.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    with pytest.raises(StoreError) as err:
        open_postgres(pg_empty_url)
    assert "CREATE" in str(err.value) and "intet blev ændret" in str(err.value)
    assert _schema(pg_empty_url) == []


def test_reading_commands_never_create_or_migrate(pg_empty_url, tmp_path):
    done = _cli(tmp_path, "--db", pg_empty_url, "export")
    assert done.returncode == 3 and "ingen bip-talk-data" in done.stderr
    assert _schema(pg_empty_url) == []


def test_copy_db_moves_a_job_centre_with_its_accounts_and_access_log(tmp_path, pg_empty_url):
    """A server database (accounts, the access log) moves to PostgreSQL: the same
    logins work there, the log still finds who looked at a citizen (its key came
    along), and a copy never replaces a database's access log."""
    from tests.unit.server_data import PASSWORD, Server, build_server

    built = build_server(tmp_path / "server")
    ws, cw = built.as_role("caseworker")
    try:
        cw.citizen_overview(built.citizen_id)
    finally:
        ws.close()
    moved = _cli(tmp_path, "copy-db", str(built.path), pg_empty_url)
    assert moved.returncode == 0, moved.stderr
    assert counts_of(pg_empty_url)["access_log"] == counts_of(built.path)["access_log"] > 0
    there = Server(pg_empty_url, built.citizen_id, tmp_path / "data")
    ws, admin = there.as_role("admin")
    try:
        looked = admin.access_log(citizen_id=built.citizen_id)
        assert ("BN", "view", "overview") in {(e.initials, e.event, e.purpose) for e in looked}
    finally:
        ws.close()
    before = _dump(pg_empty_url)
    refused = _cli(tmp_path, "copy-db", str(built.path), pg_empty_url, "--replace")
    assert refused.returncode == 2 and "adgangslog" in refused.stderr, refused.stderr
    assert _dump(pg_empty_url) == before
    assert PASSWORD not in refused.stderr
