"""Small hand-made databases for the stats tests: citizens whose measurements and
outcomes are set answer by answer, so every expected figure can be counted by hand."""

from __future__ import annotations

from dataclasses import dataclass

from bip_talk.domain.meeting_history import Answer
from bip_talk.domain.pack import Pack
from bip_talk.store import Store
from bip_talk.store.outcomes import OutcomeStore

CITIZEN_ITEMS = ("helbred", "hverdag", "tro_job", "kendskab", "samarbejde", "loen", "maal")


@dataclass(frozen=True)
class Measure:
    """One completed meeting: the citizen's answer to every scale item, the channels
    answer (option ids; ``()`` leaves the question unanswered) and the belief answer."""

    held_on: str
    score: int | None = 3  # None: no scale answer at all
    channels: tuple[str, ...] = ("soeger_ikke",)
    belief: int | None = None


def add_citizen(
    store: Store,
    pack: Pack,
    name: str,
    measures: list[Measure],
    *,
    group: str = "aktivitetsparat",
    outcomes: tuple[tuple[str, str], ...] = (),
    plan: tuple[tuple[str, str, str], ...] = (),  # (kind, starts_on, ends_on)
) -> str:
    cw = store.ensure_caseworker("TS", "Test Sagsbehandler")
    cid = store.create_citizen(name, caseworker_id=cw.id, target_group=group).id
    for m in measures:
        meeting = store.start_meeting(cid, cw.id, pack.id, pack.version, held_on=m.held_on)
        for item in CITIZEN_ITEMS if m.score is not None else ():
            store.record_answer(
                meeting.id, "citizen", item, Answer(value=m.score), actor=cw.id, citizen_id=cid
            )
        if m.channels:
            store.record_answer(
                meeting.id,
                "citizen",
                "kanaler",
                Answer(choices=m.channels),
                actor=cw.id,
                citizen_id=cid,
            )
        if m.belief is not None:
            store.record_answer(
                meeting.id,
                "caseworker",
                "sb_tro",
                Answer(value=m.belief),
                actor=cw.id,
                citizen_id=cid,
            )
        store.complete_meeting(meeting.id, actor=cw.id)
    for kind, starts_on, ends_on in plan:
        store.add_plan_item(
            cid, actor=cw.id, kind=kind, title=kind, starts_on=starts_on, ends_on=ends_on
        )
    for kind, on in outcomes:
        OutcomeStore(store.db).record(cid, kind, on, actor=cw.id)
    return cid
