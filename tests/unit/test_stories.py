"""Fourteen citizen histories, each loaded through the real import and checked through
the real `bip-talk suggest` (subprocess): the first suggestions on the shared screen,
what runs alongside the top one, the top of the caseworker's private view, and what
must never appear. The histories and expectations live in tests/stories/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

STORIES = Path(__file__).resolve().parents[1] / "stories"
with (STORIES / "stories.toml").open("rb") as fh:
    CASES = tomllib.load(fh)["story"]


def _bip_talk(args: list[str], *, db: Path, today: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    env["BIP_TALK_DATA_DIR"] = str(db.parent / "data")
    env["BIP_TALK_FROZEN_TIME"] = f"{today}T10:00:00+00:00"
    return subprocess.run(
        [sys.executable, "-m", "bip_talk", "--db", str(db), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


def _citizen_id(folder: Path) -> str:
    lines = (folder / "citizens.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 2, "one citizen per story"
    return lines[1].split(",")[0]


def _suggest(db: Path, case: dict, *extra: str) -> list[dict]:
    cid = _citizen_id(STORIES / case["folder"])
    run = _bip_talk(["suggest", cid, "--format", "json", *extra], db=db, today=case["today"])
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def _kinds(entries: list[dict]) -> set[str]:
    return {k for e in entries for k in (e["suggests"], *e["combined_with"])}


@pytest.fixture
def loaded(tmp_path, request):
    case = request.param
    db = tmp_path / "story.db"
    run = _bip_talk(["import", str(STORIES / case["folder"])], db=db, today=case["today"])
    assert run.returncode == 0, run.stderr
    return db, case


@pytest.mark.parametrize("loaded", CASES, ids=[c["folder"] for c in CASES], indirect=True)
def test_story(loaded):
    db, case = loaded
    shared = _suggest(db, case)
    everything = _suggest(db, case, "--include-private")

    # Never empty; nothing private without --include-private, and every shared entry
    # comes back in the same order when the private view is included.
    assert shared and all(e["audience"] == "shared" for e in shared)

    def keys(entries):  # a caution names its private rule only with --include-private
        return [(e["suggests"], e["rules"], e["combined_with"]) for e in entries]

    assert keys([e for e in everything if e["audience"] == "shared"]) == keys(shared)
    assert all("rule" not in c for e in shared for c in e["cautions"])
    private = [e for e in everything if e["audience"] == "private"]
    assert everything[: len(private)] == private  # the private view comes first

    expected = case["shared_first"]
    assert [e["suggests"] for e in shared[: len(expected)]] == expected, case["about"]
    if len(expected) < 2:
        assert len(shared) == len(expected), [e["suggests"] for e in shared]
    if "top_with" in case:
        assert set(case["top_with"]) <= set(shared[0]["combined_with"]), shared[0]
    if "private_first" in case:
        assert private and private[0]["suggests"] == case["private_first"], private
    kinds = _kinds(everything)
    assert set(case.get("present", [])) <= kinds, kinds
    assert not set(case.get("never", [])) & kinds, kinds
    offered_new = {e["suggests"] for e in everything if e["keep_going"] is None}
    assert not set(case.get("never_new", [])) & offered_new, offered_new
    assert not set(case.get("never_strength", [])) & {e["strength"] for e in everything}
    fired = {r for e in everything for r in e["rules"]}
    assert not set(case.get("never_rules", [])) & fired, fired
    for e in everything:  # every suggestion cites public sources
        assert e["sources"] and all(
            s["title"] and ("publisher" in s or "authors" in s) for s in e["sources"]
        )
    if "on" in case:
        cid = _citizen_id(STORIES / case["folder"])
        on = _bip_talk(
            ["suggest", cid, "--format", "json", "--on", case["on"]], db=db, today=case["today"]
        )
        assert on.returncode == 0, on.stderr
        assert not set(case["on_absent"]) & _kinds(json.loads(on.stdout))


@pytest.mark.parametrize("loaded", CASES[:1], ids=[CASES[0]["folder"]], indirect=True)
def test_text_lists_the_same_suggestions_in_the_same_order(loaded):
    db, case = loaded
    cid = _citizen_id(STORIES / case["folder"])
    data = _suggest(db, case, "--include-private", "--lang", "da")
    run = _bip_talk(
        ["suggest", cid, "--include-private", "--lang", "da"], db=db, today=case["today"]
    )
    assert run.returncode == 0, run.stderr
    positions = [run.stdout.index(e["title"]) for e in data]
    assert positions == sorted(positions)
    assert "Kun for dig som sagsbehandler" in run.stdout
    assert "Virksomhedspraktik med en helbredsindsats" in run.stdout
    assert "Husk: Start blidt" in run.stdout  # the caution beside the suggestion


def test_there_are_at_least_twelve_stories():
    folders = {p.name for p in STORIES.iterdir() if p.is_dir()}
    assert len(CASES) >= 12 and folders == {c["folder"] for c in CASES}
