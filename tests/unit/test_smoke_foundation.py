from bip_talk.domain.meeting_history import Answer
from bip_talk.services.meeting import MeetingSession


def test_pack_loads_with_both_perspectives(pack):
    assert [p.id for p in pack.perspectives] == ["citizen", "caseworker"]
    assert "sb_tro" in pack.steps()


def test_meeting_answers_survive_reopen(store, pack):
    cw = store.ensure_caseworker("ts", "Test")
    citizen = store.create_citizen("Anna Testesen", caseworker_id=cw.id)
    session = MeetingSession.open(store, pack, citizen.id, cw)
    session.rate("citizen", "helbred", 4)
    session.decline("caseworker", "helbred")
    again = MeetingSession.open(store, pack, citizen.id, cw)
    assert again.meeting.id == session.meeting.id
    assert again.answer("citizen", "helbred") == Answer(value=4)
    assert again.answer("caseworker", "helbred") == Answer(declined=True)
