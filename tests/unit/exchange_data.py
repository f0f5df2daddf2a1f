"""Synthetic history for the export/import/GDPR tests, built through the real services.

Each step runs at its own frozen time, so natural keys (a meeting's start time…) differ
the way they do in real use. Returns the names and texts the tests look for later.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bip_talk.domain.meeting_history import Answer
from bip_talk.domain.pack import Pack
from bip_talk.services.meeting import MeetingSession
from bip_talk.store import Store

NAME = "Karin Testrup-Ølgaard"
OTHER = "Ole Prøvesen"
CASEWORKER = "Anne Bergsted"
NOTE = "Hemmelig note om ryggen og søvnen"
SHARED_NOTE = "Vi aftalte at tale om praktik"
PLAN_TITLE = "Praktik hos Bageriet Solsikken"
ANSWER_TEXT = "svarede med egne ord om smerterne"


@dataclass(frozen=True)
class History:
    karin: str
    ole: str


def build_history(store: Store, pack: Pack, monkeypatch: pytest.MonkeyPatch) -> History:
    def at(stamp: str) -> None:
        monkeypatch.setenv("BIP_TALK_FROZEN_TIME", stamp)

    at("2026-01-05T09:00:00+00:00")
    ab = store.ensure_caseworker("ab", CASEWORKER)
    cd = store.ensure_caseworker("cd", "Carl Dalby")
    karin = store.create_citizen(NAME, caseworker_id=ab.id, target_group="aktivitetsparat")
    ole = store.create_citizen(OTHER, caseworker_id=cd.id)

    at("2026-01-05T10:00:00+00:00")
    s = MeetingSession.open(store, pack, karin.id, ab)
    for n, item in enumerate(pack.items("citizen")):
        if item.type == "scale":
            s.rate("citizen", item.id, 1 + n % 5)
    s.decline("caseworker", "helbred")
    s.rate("caseworker", "hverdag", 2)
    kanaler = pack.item("citizen", "kanaler")
    s.toggle_choice("citizen", kanaler, "internet")
    s.toggle_choice("citizen", kanaler, "netvaerk")
    s.add_note(NOTE, private=True, indicator="helbred")
    s.add_note(SHARED_NOTE, private=False, indicator=None)
    store.record_answer(
        s.meeting.id,
        "caseworker",
        "tro_job",
        Answer(value=3, text=ANSWER_TEXT),
        actor=ab.id,
        citizen_id=karin.id,
    )
    s.choose_priority("tro_job")
    s.complete()
    store.add_plan_item(
        karin.id,
        actor=ab.id,
        kind="action",
        title=PLAN_TITLE,
        meeting_id=s.meeting.id,
        due_on="2026-02-01",
        responsible="borger",
    )

    at("2026-04-02T09:30:00+00:00")
    store.assign(karin.id, cd.id, actor=cd.id, reason="ny fordeling")
    s2 = MeetingSession.open(store, pack, karin.id, cd)
    s2.rate("citizen", "helbred", 5)
    s2.rate("caseworker", "helbred", 3)  # left as a draft on purpose

    at("2026-02-10T13:00:00+00:00")
    s3 = MeetingSession.open(store, pack, ole.id, cd)
    s3.rate("citizen", "tro_job", 2)
    s3.complete()
    monkeypatch.delenv("BIP_TALK_FROZEN_TIME")
    return History(karin.id, ole.id)


def dump(store: Store) -> dict[str, list[tuple]]:
    """Every row of every table (the audit included): for before/after comparisons."""
    db = store.db
    names = [n for n in db.table_names() if not n.startswith("sqlite_")]
    return {
        n: sorted((tuple(r) for r in db.execute(f'SELECT * FROM "{n}"').fetchall()), key=repr)
        for n in names
    }
