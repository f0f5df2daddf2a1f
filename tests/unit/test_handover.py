"""Handover after a caseworker change: detected from the store, and carrying history,
what was tried, the citizen's priorities, shared notes only and open items."""

from __future__ import annotations

from datetime import date

from bip_talk import clock
from bip_talk.services import handover, plan
from tests.unit.test_plan_service import held


def _case(store, pack):
    anne = store.ensure_caseworker("ab", "Anne Berg")
    citizen = store.create_citizen(
        "Jonas Prøvesen", caseworker_id=anne.id, target_group="aktivitetsparat"
    )
    m1 = held(
        store,
        pack,
        citizen.id,
        anne,
        "2026-05-10",
        c_helbred=2,
        w_helbred=2,
        c_maal=2,
        w_maal=3,
        w_sb_tro=2,
    )
    praktik = plan.add_free(
        store,
        pack,
        citizen.id,
        actor=anne.id,
        lang="da",
        kind="virksomhedspraktik",
        title="Praktik på lager",
        meeting_id=m1.id,
    )
    suggestion = next(
        e
        for s in plan.suggestions_for(store, pack, citizen.id, today=date(2026, 5, 10))
        for e in s.elements
        if e.kind == "vejledning_opkvalificering"
    )
    plan.decline(
        store,
        citizen.id,
        suggestion,
        actor=anne.id,
        lang="da",
        meeting_id=m1.id,
        reason="Vil først prøve praktik",
    )
    store.add_note(
        m1.id,
        "Jonas vil gerne arbejde med hænderne",
        visibility="shared",
        indicator="maal",
        actor=anne.id,
        citizen_id=citizen.id,
    )
    store.add_note(
        m1.id,
        "PRIVAT: tvivler på motivationen",
        visibility="private",
        indicator=None,
        actor=anne.id,
        citizen_id=citizen.id,
    )
    m2 = held(
        store,
        pack,
        citizen.id,
        anne,
        "2026-08-12",
        complete=False,
        c_helbred=3,
        w_helbred=4,
        c_maal=4,
        w_maal=4,
        w_sb_tro=3,
    )
    store.set_priority(m2.id, "maal", actor=anne.id)
    plan.review_item(
        store, citizen.id, praktik.id, "done", meeting_id=m2.id, actor=anne.id, lang="da"
    )
    store.complete_meeting(m2.id, actor=anne.id)
    mentor = plan.add_free(
        store,
        pack,
        citizen.id,
        actor=anne.id,
        lang="da",
        kind="mentor",
        title="Mentor",
        meeting_id=m2.id,
        responsible="Anne",
    )
    return anne, citizen, praktik, mentor


def test_no_handover_without_a_change(store, pack):
    anne, citizen, *_ = _case(store, pack)
    assert not handover.needs_handover(store, citizen.id)
    assert not handover.build_handover(store, pack, citizen.id).changed


def test_no_handover_before_any_meeting(store, pack):
    anne = store.ensure_caseworker("ab", "Anne Berg")
    bo = store.ensure_caseworker("bo", "Bo Ny")
    citizen = store.create_citizen("Ny Borger", caseworker_id=anne.id)
    store.assign(citizen.id, bo.id, actor=bo.id)
    assert not handover.needs_handover(store, citizen.id)


def test_handover_after_a_change(store, pack):
    anne, citizen, praktik, mentor = _case(store, pack)
    bo = store.ensure_caseworker("bn", "Bo Nielsen")
    store.assign(citizen.id, bo.id, actor=bo.id, reason="barsel")
    assert handover.needs_handover(store, citizen.id)

    h = handover.build_handover(store, pack, citizen.id)
    assert h.changed and h.current.id == bo.id and h.previous.id == anne.id
    assert [m.held_on for m in h.meetings] == ["2026-05-10", "2026-08-12"]

    series = {row.indicator: row for row in h.history}
    assert "sb_tro" not in series  # the previous caseworker's belief stays private
    helbred = series["helbred"].series
    assert [p.value for p in helbred["citizen"]] == [2, 3]
    assert [p.value for p in helbred["caseworker"]] == [2, 4]
    assert [p.held_on for p in helbred["citizen"]] == ["2026-05-10", "2026-08-12"]

    (tried,) = h.tried
    assert tried.item.id == praktik.id and tried.outcome == "done"
    moved = {(m.indicator, m.perspective): m.change.direction for m in tried.moves}
    assert moved[("maal", "citizen")] == "up" and moved[("helbred", "caseworker")] == "up"

    assert [i.id for i in h.open_items] == [mentor.id]
    assert [d.decline_reason for d in h.declined] == ["Vil først prøve praktik"]
    assert [(p.indicator, p.held_on) for p in h.priorities] == [("maal", "2026-08-12")]
    assert [n.text for n in h.notes] == ["Jonas vil gerne arbejde med hænderne"]


def test_private_history_only_on_request(store, pack):
    _, citizen, *_ = _case(store, pack)
    h = handover.build_handover(store, pack, citizen.id, include_private=True)
    assert "sb_tro" in {row.indicator for row in h.history}
    assert all(n.visibility == "shared" for n in h.notes)  # private notes never


def test_change_warning_reaches_the_caseworker_not_the_citizen(store, pack, monkeypatch):
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", "2026-11-24T10:00:00+00:00")
    _, citizen, *_ = _case(store, pack)
    bo = store.ensure_caseworker("bn", "Bo Nielsen")
    store.assign(citizen.id, bo.id, actor=bo.id)
    today = clock.today()
    everything = plan.suggestions_for(store, pack, citizen.id, today=today)
    change = next(s for s in everything if s.kind == "handover")
    assert change.private and change.rule_id == "caseworker_change"
    shared = plan.suggestions_for(store, pack, citizen.id, today=today, shared=True)
    assert "handover" not in {s.kind for s in shared}


def test_a_figure_from_an_earlier_meeting_is_marked(store, pack):
    """The last meeting left health unanswered by the citizen: the line ends in "·", and
    the figure beside it (3, from August) carries ¹ and a legend, so it is not read as
    today's answer. Answered rows carry no mark; no gap, no legend."""
    from bip_talk.i18n import Translator
    from bip_talk.presenters.handover import handover_lines

    anne, citizen, *_ = _case(store, pack)
    t = Translator("da")
    bo = store.ensure_caseworker("bn", "Bo Nielsen")
    store.assign(citizen.id, bo.id, actor=bo.id)
    before = handover_lines(handover.build_handover(store, pack, citizen.id), pack, t)
    assert not any("¹" in line for line in before)

    held(store, pack, citizen.id, bo, "2026-11-02", w_helbred=4, c_maal=5, w_maal=4)
    lines = handover_lines(handover.build_handover(store, pack, citizen.id), pack, t)

    def row(indicator: str) -> str:  # the history's row, not the moves under "tried"
        name = pack.indicator(indicator).name.get("da")
        (line,) = [x for x in lines if x[4:].startswith(name + " ")]
        return line

    health = row("helbred")
    assert "Borger ▂▄· 3¹" in health and "Sagsbehandler" in health, health
    assert "4¹" not in health  # the caseworker did answer
    assert "¹" not in row("maal")
    assert "  ¹ = intet svar sidst – tallet er fra en tidligere samtale" in lines
