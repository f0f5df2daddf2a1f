"""The hot queries never read a whole large table: ``EXPLAIN QUERY PLAN`` of the SQL
the store really runs (captured with a trace callback) shows an index for every large
table. Without ANALYZE statistics SQLite's plan depends on the schema, not on the
number of rows, so a small seeded cohort gives the plans of a 10× database.
"""

from __future__ import annotations

import re

import pytest

from bip_talk.domain.meeting_history import Answer
from bip_talk.services.synthetic.seed import seed_database
from bip_talk.store import Store, open_database
from bip_talk.store.outcomes import OutcomeStore

# Tables that grow with the job centre's history. (caseworkers and meta stay small.)
LARGE = {
    "citizens",
    "assignments",
    "meetings",
    "answers",
    "notes",
    "plan_items",
    "audit",
    "outcomes",
}
FULL_SCAN = re.compile(r"^SCAN (\w+)(?: AS (\w+))?$")


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, pack):
    """A small cohort plus what the seed does not make: a draft, notes, audit rows."""
    path = tmp_path_factory.mktemp("plans") / "plans.db"
    seed_database(path, pack, citizens=30, seed=3, parallel=False)
    store = Store(open_database(path))
    cid = store.db.conn.execute("SELECT id FROM citizens ORDER BY id LIMIT 1").fetchone()[0]
    cw = store.current_assignment(cid).caseworker_id
    meeting = store.start_meeting(cid, cw, pack.id, pack.version)
    store.record_answer(meeting.id, "citizen", "helbred", Answer(value=3), actor=cw, citizen_id=cid)
    store.record_answer(meeting.id, "citizen", "helbred", Answer(value=4), actor=cw, citizen_id=cid)
    store.add_note(
        meeting.id, "note", visibility="shared", indicator=None, actor=cw, citizen_id=cid
    )
    yield store, cid, cw, meeting.id
    store.close()


def _aliases(sql: str) -> dict[str, str]:
    """alias -> table for every ``FROM/JOIN table alias`` in the statement."""
    out = {}
    for table, alias in re.findall(r"(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?", sql, re.I):
        out[table] = table
        if alias and alias.upper() not in {"WHERE", "JOIN", "ORDER", "ON", "LIMIT", "GROUP"}:
            out[alias] = table
    return out


def _plans(store: Store, call) -> list[tuple[str, list[str]]]:
    """Run ``call`` and return each SELECT it ran with its query-plan lines."""
    ran: list[str] = []
    conn = store.db.conn
    conn.set_trace_callback(ran.append)
    try:
        call()
    finally:
        conn.set_trace_callback(None)
    selects = [s for s in ran if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    assert selects, "the call ran no query"
    return [(s, [r[3] for r in conn.execute(f"EXPLAIN QUERY PLAN {s}")]) for s in selects]


def _full_scans(sql: str, plan: list[str]) -> list[str]:
    names = _aliases(sql)
    scans = []
    for line in plan:
        found = FULL_SCAN.match(line.strip())
        if found and names.get(found.group(1), found.group(1)) in LARGE:
            scans.append(line)
    return scans


HOT = {
    "search_citizens (all)": lambda s, c, w, m: s.search_citizens("", limit=51),
    "search_citizens (text)": lambda s, c, w, m: s.search_citizens("sen", limit=51),
    "search_citizens (id, next page)": lambda s, c, w, m: s.search_citizens(
        "b-", limit=51, offset=50
    ),
    "search_citizens (caseload)": lambda s, c, w, m: s.search_citizens(
        "", limit=31, scope="caseload", caseworker_id=w
    ),
    "search_citizens (today)": lambda s, c, w, m: s.search_citizens(
        "sen", limit=31, scope="today", caseworker_id=w, day="2026-11-24"
    ),
    "search_citizens (unfinished)": lambda s, c, w, m: s.search_citizens(
        "", limit=31, scope="unfinished", caseworker_id=w
    ),
    "count_drafts": lambda s, c, w, m: s.count_drafts(w),
    "citizen": lambda s, c, w, m: s.citizen(c),
    "history": lambda s, c, w, m: s.history(c),
    "answers": lambda s, c, w, m: s.answers([m, m - 1]),
    "meetings_for": lambda s, c, w, m: s.meetings_for(c),
    "meeting": lambda s, c, w, m: s.meeting(m),
    "draft_meeting": lambda s, c, w, m: s.draft_meeting(c),
    "drafts": lambda s, c, w, m: s.drafts(),
    "drafts of a caseworker": lambda s, c, w, m: s.drafts(w),
    "current_assignment": lambda s, c, w, m: s.current_assignment(c),
    "assignments": lambda s, c, w, m: s.assignments(c),
    "plan_items": lambda s, c, w, m: s.plan_items(c),
    "outcomes_for": lambda s, c, w, m: OutcomeStore(s.db).outcomes_for(c),
    "notes": lambda s, c, w, m: s.notes([m], include_private=True),
    "shared notes": lambda s, c, w, m: s.notes([m], include_private=False),
    "audit_for": lambda s, c, w, m: s.audit_for(c),
    "caseworker": lambda s, c, w, m: s.caseworker(w),
    "caseworker_by_initials": lambda s, c, w, m: s.caseworker_by_initials("ZZ"),
    "record_answer (its read)": lambda s, c, w, m: s.record_answer(
        m, "citizen", "helbred", Answer(value=4), actor=w, citizen_id=c
    ),
}


@pytest.mark.parametrize("name", list(HOT))
def test_hot_query_reads_no_large_table_in_full(seeded, name):
    store, cid, cw, meeting_id = seeded
    for sql, plan in _plans(store, lambda: HOT[name](store, cid, cw, meeting_id)):
        assert not _full_scans(sql, plan), f"{name}: full scan in\n{sql}\n{plan}"


def test_search_walks_the_name_index_without_sorting(seeded):
    """A page of the citizens list never sorts every match (that grew with the database)."""
    store = seeded[0]
    for text in ("", "sen"):
        [(sql, plan)] = _plans(store, lambda text=text: store.search_citizens(text, limit=51))
        assert any("idx_citizens_by_name" in line for line in plan), plan
        assert not any("TEMP B-TREE" in line for line in plan), plan


def test_a_citizens_draft_is_found_through_their_own_meetings(seeded):
    """Not through the status index, whose draft list grows with the job centre."""
    store, cid = seeded[0], seeded[1]
    [(sql, plan)] = _plans(store, lambda: store.draft_meeting(cid))
    assert any("citizen_id" in line for line in plan), plan
    assert store.draft_meeting(cid) is not None


def test_the_check_itself_sees_a_full_scan(seeded):
    """The detector must not pass everything: an unindexed filter is caught."""
    store = seeded[0]
    [(sql, plan)] = _plans(
        store, lambda: list(store.db.query("SELECT * FROM meetings m WHERE m.pack_version = 'x'"))
    )
    assert _full_scans(sql, plan) == ["SCAN m"]
