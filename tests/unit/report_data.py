"""A synthetic citizen for the report tests: four meetings a quarter apart, an internship
that ran between the second and third, a change of caseworker before the fourth, a
reviewed action, items agreed in the last meeting, shared and private notes and the
caseworker's private belief rating. Only made-up people and texts."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from bip_talk.domain.meeting_history import Answer
from bip_talk.domain.pack import Pack
from bip_talk.services import plan
from bip_talk.store import Store

# Distinctive texts: a test can look for them byte by byte.
PRIVATE_NOTE = "PRIVATNOTE-ZX41: tvivler på motivationen"
PRIVATE_STEP_NOTE = "TRONOTE-QW77 skrevet ved sb_tro"
SHARED_NOTE = "Vil gerne arbejde med hænderne <på lager> & i det fri"
PRIVATE_ITEM = "PRIVATPUNKT-KJ22 mærk efter i egen tro"

# (held_on, caseworker key, {indicator: (citizen, caseworker)}, caseworker's sb_tro)
MEETINGS = [
    (
        "2026-02-02",
        "ab",
        {"helbred": (2, 2), "jobsoeg": (1, 2), "tro_job": (2, 2), "maal": (2, 3)},
        2,
    ),
    (
        "2026-05-04",
        "ab",
        {"helbred": (3, 2), "jobsoeg": (2, 2), "tro_job": (3, 2), "maal": (3, 3)},
        2,
    ),
    (
        "2026-08-03",
        "ab",
        {"helbred": (3, 3), "jobsoeg": (4, 2), "tro_job": (4, 2), "maal": (3, 4)},
        3,
    ),
    (
        "2026-11-02",
        "bn",
        {"helbred": (4, 3), "jobsoeg": (4, 3), "tro_job": (5, 3), "maal": (2, 4)},
        4,
    ),
]
CREATED_AT = "2026-01-20T09:00:00+00:00"
REASSIGNED_AT = "2026-10-12T09:00:00+00:00"


@contextmanager
def frozen(at: str) -> Iterator[None]:
    old = os.environ.get("BIP_TALK_FROZEN_TIME")
    os.environ["BIP_TALK_FROZEN_TIME"] = at
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("BIP_TALK_FROZEN_TIME", None)
        else:
            os.environ["BIP_TALK_FROZEN_TIME"] = old


@dataclass
class Case:
    citizen_id: str
    meeting_ids: list[int]
    praktik_id: int
    agreed_ids: list[int]


def make_case(
    store: Store, pack: Pack, *, name: str = "Mette Rapportsen", citizen_id: str | None = None
) -> Case:
    cws = {
        "ab": store.ensure_caseworker("ab", "Anne Berg"),
        "bn": store.ensure_caseworker("bn", "Bo Nielsen"),
    }
    # The store stamps rows with the clock: each step happens on its own day.
    with frozen(CREATED_AT):
        cid = store.create_citizen(
            name, caseworker_id=cws["ab"].id, target_group="aktivitetsparat", citizen_id=citizen_id
        ).id
    ids: list[int] = []
    praktik = None
    for n, (held_on, who, values, belief) in enumerate(MEETINGS):
        cw = cws[who]
        if n == 3:
            with frozen(REASSIGNED_AT):
                store.assign(cid, cw.id, actor=cw.id, reason="barsel")
        with frozen(f"{held_on}T10:00:00+00:00"):
            m = store.start_meeting(cid, cw.id, pack.id, pack.version, held_on=held_on)
            ids.append(m.id)
            for indicator, (c, w) in values.items():
                store.record_answer(
                    m.id, "citizen", indicator, Answer(c), actor=cw.id, citizen_id=cid
                )
                store.record_answer(
                    m.id, "caseworker", indicator, Answer(w), actor=cw.id, citizen_id=cid
                )
            store.record_answer(
                m.id, "caseworker", "sb_tro", Answer(belief), actor=cw.id, citizen_id=cid
            )
            if n == 1:
                praktik = plan.add_free(
                    store,
                    pack,
                    cid,
                    actor=cw.id,
                    lang="da",
                    kind="virksomhedspraktik",
                    title="Praktik på lager",
                    meeting_id=m.id,
                    responsible="Mette og Anne",
                    starts_on="2026-05-18",
                    ends_on="2026-07-10",
                )
                plan.add_free(
                    store,
                    pack,
                    cid,
                    actor=cw.id,
                    lang="da",
                    kind="other",
                    title="Søg 3 job om ugen",
                    meeting_id=m.id,
                    responsible="Mette",
                    due_on="2026-07-31",
                )
            if n == 2:
                assert praktik is not None
                search = next(i for i in store.plan_items(cid) if i.title == "Søg 3 job om ugen")
                plan.review_item(
                    store, cid, praktik.id, "done", meeting_id=m.id, actor=cw.id, lang="da"
                )
                plan.review_item(
                    store, cid, search.id, "partly", meeting_id=m.id, actor=cw.id, lang="da"
                )
            store.complete_meeting(m.id, actor=cw.id)
    last, bo = ids[-1], cws["bn"]
    with frozen(f"{MEETINGS[-1][0]}T11:00:00+00:00"):
        agreed = [
            plan.add_free(
                store,
                pack,
                cid,
                actor=bo.id,
                lang="da",
                kind="mentor",
                title="Mentor hver 14. dag",
                meeting_id=last,
                responsible="Bo",
                starts_on="2026-11-16",
            ),
            plan.add_free(
                store,
                pack,
                cid,
                actor=bo.id,
                lang="da",
                kind="other",
                title="Send CV til Lagerhuset",
                meeting_id=last,
                responsible="Mette",
                due_on="2026-11-20",
            ),
            plan.add_free(
                store,
                pack,
                cid,
                actor=bo.id,
                lang="da",
                kind="reflect_belief",
                title=PRIVATE_ITEM,
                meeting_id=last,
            ),
        ]
        store.add_note(
            last, SHARED_NOTE, visibility="shared", indicator="maal", actor=bo.id, citizen_id=cid
        )
        store.add_note(
            last, PRIVATE_NOTE, visibility="private", indicator=None, actor=bo.id, citizen_id=cid
        )
        store.add_note(
            last,
            PRIVATE_STEP_NOTE,
            visibility="shared",
            indicator="sb_tro",
            actor=bo.id,
            citizen_id=cid,
        )
        store.set_priority(last, "jobsoeg", actor=bo.id)
    assert praktik is not None
    return Case(cid, ids, praktik.id, [a.id for a in agreed])
