"""Shared fixtures. Every test runs with its own data folder: nothing a developer has
on the machine (database, settings) can leak in, and nothing leaks out."""

from __future__ import annotations

from pathlib import Path

import pytest

from bip_talk.domain.pack import Pack
from bip_talk.packs import load_pack
from bip_talk.resources import default_pack_dir
from bip_talk.settings import Preferences, Settings
from bip_talk.store import Store, open_database
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


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(open_database(tmp_path / "test.db"))
    yield s
    s.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", db_path=tmp_path / "app.db")


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
