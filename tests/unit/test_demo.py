"""The demo database: its own file, the real database untouched, every highlight there."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bip_talk.domain.change import build_review
from bip_talk.services.synthetic.demo import DEMO, ensure_demo_database
from bip_talk.settings import Settings
from bip_talk.store import Store, open_database

FROZEN = "2026-11-24T10:00:00+00:00"


@pytest.fixture
def frozen(monkeypatch):
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", FROZEN)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One demo for the read-only tests (building takes most of a second)."""
    root = tmp_path_factory.mktemp("demo")
    settings = Settings(data_dir=root / "data", db_path=root / "real.db")
    settings.database.write_bytes(b"")  # an (empty) real database that must stay as it is
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BIP_TALK_FROZEN_TIME", FROZEN)
        path = ensure_demo_database(settings, reset=False)
    return settings, path


@pytest.fixture
def demo(built):
    _, path = built
    store = Store(open_database(path))
    yield path, store
    store.close()


def _demo_citizens(store: Store) -> dict[str, str]:
    names = {spec.name for spec in DEMO}
    return {
        c.display_name: c.id
        for c in store.search_citizens("", limit=1000)
        if c.display_name in names
    }


def _flags(store: Store, pack, citizen_id: str) -> set[str]:
    review = build_review(pack, store.history(citizen_id, include_drafts=False))
    flags = set()
    for row in review.rows:
        for pr in row.perspectives.values():
            if pr.change.level == "clear":
                flags.add("clear_rise" if pr.change.delta > 0 else "clear_drop")
        if row.disagree:
            flags.add("gap")
    return flags


def test_demo_is_built_at_the_demo_path_and_the_real_db_is_untouched(demo, built):
    settings, _ = built
    path, store = demo
    assert path == settings.demo_database and path.exists()
    assert settings.database.read_bytes() == b""
    assert path.stat().st_mode & 0o777 == 0o600
    assert not path.with_name(path.name + ".building").exists()
    assert store.count_citizens() > len(DEMO) + 100  # plus cohort citizens for search


def test_each_showcase_citizen_is_found_by_surname_alone(demo):
    _, store = demo
    for spec in DEMO:
        hits = store.search_citizens(spec.name.split()[-1])
        assert [h.display_name for h in hits] == [spec.name]


def test_every_hand_shaped_citizen_has_three_to_six_earlier_meetings(demo):
    _, store = demo
    found = _demo_citizens(store)
    assert set(found) == {spec.name for spec in DEMO}
    caseworkers = set()
    for cid in found.values():
        done = [m for m in store.meetings_for(cid) if not m.is_draft]
        assert 3 <= len(done) <= 6
        caseworkers.update(m.caseworker_id for m in done)
    assert len(caseworkers) >= 3


def test_review_highlights_clear_drop_clear_rise_and_gap(demo, pack):
    _, store = demo
    found = _demo_citizens(store)
    flags = {name: _flags(store, pack, cid) for name, cid in found.items()}
    assert "clear_rise" in flags["Mette Fremgaard"]
    assert "clear_drop" in flags["Jonas Faldborg"]
    assert "gap" in flags["Aisha Kløftsen"]
    assert set().union(*flags.values()) >= {"clear_rise", "clear_drop", "gap"}


def test_the_other_highlights(demo, pack):
    _, store = demo
    found = _demo_citizens(store)
    # Does not search: "not searching" at every meeting.
    gap = store.history(found["Aisha Kløftsen"], include_drafts=False)
    assert all(m.get("citizen", "kanaler").choices == ("soeger_ikke",) for m in gap)
    # A caseworker change since the last meeting: the handover shows first.
    moved = found["Søren Skiftholm"]
    last = [m for m in store.meetings_for(moved) if not m.is_draft][-1]
    assert store.current_assignment(moved).caseworker_id != last.caseworker_id
    # Open plan items, private and shared notes, an unfinished meeting.
    rise = found["Mette Fremgaard"]
    assert any(i.status == "open" for i in store.plan_items(rise))
    meetings = [m.id for m in store.meetings_for(rise)]
    notes = store.notes(meetings, include_private=True)
    assert {n.visibility for n in notes} == {"shared", "private"}
    assert all(n.visibility == "shared" for n in store.notes(meetings, include_private=False))
    draft = store.draft_meeting(found["Ahmed Pauselund"])
    assert draft is not None
    assert 0 < len(store.answers([draft.id])[draft.id]) < 10
    # Won't answer on the wage at least once.
    waves = store.history(found["Lene Bølgesen"], include_drafts=False)
    assert any(m.get("citizen", "loen").declined for m in waves)


def test_existing_demo_is_kept_unless_reset(settings, frozen):
    path = ensure_demo_database(settings, reset=False)
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM plan_items")
    conn.commit()
    conn.close()
    ensure_demo_database(settings, reset=False)
    assert _count(path, "plan_items") == 0
    ensure_demo_database(settings, reset=True)
    assert _count(path, "plan_items") > 0


def test_demo_is_deterministic(tmp_path, frozen):
    dumps = []
    for name in ("one", "two"):
        path = ensure_demo_database(Settings(data_dir=tmp_path / name), reset=False)
        conn = sqlite3.connect(path)
        dumps.append(
            {
                t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                for t in ("citizens", "meetings", "answers", "notes", "plan_items", "assignments")
            }
        )
        conn.close()
    assert dumps[0] == dumps[1]


def _count(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()
