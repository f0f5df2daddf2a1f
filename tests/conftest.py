"""Shared fixtures. Every test runs with its own data folder: nothing a developer has
on the machine (database, settings) can leak in, and nothing leaks out.

One suite, two databases: a test that takes ``store`` or ``database`` runs once on
SQLite and once on PostgreSQL (``tests/pg.py``: one server for the session, a fresh
database per test). The count of tests run on PostgreSQL is printed at the end.
"""

from __future__ import annotations

import signal
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bip_talk.domain.pack import Pack
from bip_talk.packs import load_pack
from bip_talk.resources import default_pack_dir
from bip_talk.settings import Preferences, Settings
from bip_talk.store import Store, open_database
from bip_talk.store.targets import Target, open_target
from tests import pg
from tests.tools import check_tools

FROZEN = "2026-11-24T10:00:00+00:00"


def pytest_runtest_setup(item: pytest.Item) -> None:
    check_tools(item)


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "BIP_TALK_DB",
        "BIP_TALK_PACK",
        "BIP_TALK_CONFIG",
        "BIP_TALK_LANG",
        "BIP_TALK_DEBUG",
        "BIP_TALK_FROZEN_TIME",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BIP_TALK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack(default_pack_dir())


# -- PostgreSQL beside SQLite ----------------------------------------------------------

_PG: dict[str, object] = {}


@pytest.fixture(scope="session")
def pg_databases() -> Iterator[pg.Databases]:
    """The session's PostgreSQL server (started on first use, stopped at the end)."""
    if "failed" in _PG:
        pg.unavailable(str(_PG["failed"]))
    try:
        databases = pg.start_databases()
    except pg.pg_server.Unavailable as exc:
        _PG["failed"] = str(exc)
        pg.unavailable(str(exc))
    # A run stopped from outside (SIGTERM: a CI timeout, kill) ends like Ctrl+C, so
    # pytest's teardown still stops the throwaway server instead of leaving it running.
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _interrupt)
    yield databases
    databases.stop()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


@pytest.fixture
def pg_url(pg_databases: pg.Databases) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database (for PostgreSQL-only tests)."""
    url = pg_databases.fresh()
    yield url
    pg_databases.drop(url)


@pytest.fixture
def pg_empty_url(pg_databases: pg.Databases) -> Iterator[str]:
    """A fresh PostgreSQL database with nothing in it."""
    url = pg_databases.fresh(migrated=False)
    yield url
    pg_databases.drop(url)


@pytest.fixture(params=pg.DIALECTS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Target:
    """Where the test's database lives: a new SQLite file, or a fresh PostgreSQL
    database. Every test that takes it (or ``store``) runs on both."""
    if request.param == "sqlite":
        return tmp_path / "test.db"
    url: str = request.getfixturevalue("pg_url")
    return url


@pytest.fixture
def store(database: Target) -> Iterator[Store]:
    s = Store(open_target(database))
    yield s
    s.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    """For what only SQLite has (files, PRAGMAs, backups beside the file)."""
    s = Store(open_database(tmp_path / "test.db"))
    yield s
    s.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", db_path=tmp_path / "app.db")


def on_postgres(item: pytest.Item) -> bool:
    """The test runs on the PostgreSQL server: a ``postgresql`` parameter (of
    ``database`` or its own), or a PostgreSQL fixture."""
    callspec = getattr(item, "callspec", None)
    if callspec is not None and "postgresql" in callspec.params.values():
        return True
    names = set(getattr(item, "fixturenames", ()))
    return bool(names & {"pg_url", "pg_empty_url", "pg_databases"})


_PG_OUTCOMES: Counter[str] = Counter()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if on_postgres(item):
            item.add_marker(pytest.mark.postgresql)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if "postgresql" not in report.keywords:
        return
    if report.when == "call" or (report.when == "setup" and not report.passed):
        _PG_OUTCOMES[report.outcome] += 1


def pytest_terminal_summary(terminalreporter) -> None:  # noqa: ANN001 - pytest's own type
    total = sum(_PG_OUTCOMES.values())
    if not total:
        return
    parts = ", ".join(f"{n} {outcome}" for outcome, n in sorted(_PG_OUTCOMES.items()))
    why = f" ({_PG['failed']})" if "failed" in _PG else ""
    terminalreporter.write_line(f"PostgreSQL: {total} tests on PostgreSQL: {parts}{why}")


@pytest.fixture
def signed_in() -> Preferences:
    return Preferences(caseworker_name="Test Sagsbehandler", caseworker_initials="TS")


COHORT_CITIZENS = 4000  # BIP's own size


@pytest.fixture(scope="session")
def bip_cohort(tmp_path_factory: pytest.TempPathFactory, pack: Pack) -> Path:
    """A database seeded once per session with a BIP-sized synthetic cohort (≈7 s)."""
    from bip_talk.services.synthetic.seed import seed_database

    path = tmp_path_factory.mktemp("bip-cohort") / "cohort.db"
    seed_database(path, pack, citizens=COHORT_CITIZENS, seed=1)
    return path
