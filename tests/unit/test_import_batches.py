"""Import a chunk of rows at a time: the same rows, problems and numbers as one row at
a time, at every chunk boundary, and nothing changed when a chunk is refused – with the
files read in this process and in a reader process of their own."""

from __future__ import annotations

import csv
import itertools
import multiprocessing
import os
import shutil
from pathlib import Path

import pytest

from bip_talk.errors import BipTalkError, InputError
from bip_talk.services.exchange import imports, reading
from bip_talk.services.exchange.export import export_data
from bip_talk.services.exchange.imports import import_data
from bip_talk.services.forked import HelperFailed
from bip_talk.store import Store, open_database
from bip_talk.store.exchange.imports import Incoming, begin_seen, record_seen, save_rows
from tests.unit.exchange_data import build_history, dump

FROZEN = "2026-06-01T12:00:00+00:00"


@pytest.fixture(autouse=True, params=["here", "reader process"])
def where(request, monkeypatch):
    """Every test twice: the files read in this process, and in a forked reader (which
    sees this process's patched ``CHUNK``: it is forked after the patch)."""
    forked = request.param == "reader process"
    monkeypatch.setattr(reading, "can_fork", lambda: forked)
    monkeypatch.setattr(reading, "PARALLEL_MIN_BYTES", 0)
    return request.param


@pytest.fixture
def exported(store, pack, monkeypatch, tmp_path):
    """``store`` holds a history; returns its CSV export."""
    build_history(store, pack, monkeypatch)
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", FROZEN)
    export_data(store, pack, tmp_path / "export", fmt="csv")
    return tmp_path / "export"


@pytest.fixture
def empty(tmp_path):
    s = Store(open_database(tmp_path / "empty.db"))
    yield s
    s.close()


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _copy(folder: Path, tmp_path: Path, *, manifest: bool = False) -> Path:
    target = tmp_path / "copy"
    shutil.copytree(folder, target)
    if not manifest:  # rows added or taken away: the manifest's counts would say so first
        (target / "manifest.json").unlink()
    return target


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 500])
def test_every_chunk_size_imports_the_same(exported, empty, pack, tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(reading, "CHUNK", chunk)
    result = import_data(empty, pack, exported)
    assert result.counts["answers"]["inserted"] == len(_rows(exported / "answers.csv")) - 1
    export_data(empty, pack, tmp_path / "again", fmt="csv")
    assert _files(tmp_path / "again") == _files(exported)  # ids and all (frozen clock)
    again = import_data(empty, pack, exported)
    assert again.total("inserted") == again.total("updated") == 0


def test_a_repeat_inside_one_chunk_names_both_rows(exported, empty, pack, tmp_path):
    folder = _copy(exported, tmp_path)
    rows = _rows(folder / "answers.csv")
    _write(folder / "answers.csv", [*rows[:3], rows[2], *rows[3:]])  # row 3 again as row 4
    with pytest.raises(InputError) as err:
        import_data(empty, pack, folder)
    assert "answers.csv række 4: meeting_id/perspective/item_id: samme som række 3" in str(
        err.value
    )
    assert empty.db["answers"].count == 0


@pytest.mark.parametrize("chunk", [2, 3])
def test_a_repeat_across_a_chunk_boundary_is_found(
    exported, empty, pack, tmp_path, monkeypatch, chunk
):
    """Rows in key order are not recorded; a repeat leaves the order, and the rows of
    the chunks before are read again from the file."""
    monkeypatch.setattr(reading, "CHUNK", chunk)
    folder = _copy(exported, tmp_path)
    rows = _rows(folder / "answers.csv")
    _write(folder / "answers.csv", [*rows, rows[1], rows[5]])
    n = len(rows)
    with pytest.raises(InputError) as err:
        import_data(empty, pack, folder)
    assert f"række {n + 1}: meeting_id/perspective/item_id: samme som række 2" in str(err.value)
    assert f"række {n + 2}: meeting_id/perspective/item_id: samme som række 6" in str(err.value)


def test_a_file_out_of_key_order_is_checked_as_well(exported, empty, pack, tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "CHUNK", 2)
    folder = _copy(exported, tmp_path)
    header, *body = _rows(folder / "answers.csv")
    body.reverse()
    _write(folder / "answers.csv", [header, *body, body[0]])
    with pytest.raises(InputError, match=rf"række {len(body) + 2}: .*samme som række 2"):
        import_data(empty, pack, folder)
    _write(folder / "answers.csv", [header, *body])  # reversed, no repeat: fine
    assert import_data(empty, pack, folder).counts["answers"]["inserted"] == len(body)


@pytest.mark.parametrize("chunk", [3, 500])
def test_a_refused_row_in_the_middle_of_a_chunk_changes_nothing(
    exported, store, pack, tmp_path, monkeypatch, chunk
):
    """An update early in the file, a bad value in the middle of a chunk: neither is
    kept, nor the chunks written before it (3), nor the rest of its own chunk (500)."""
    monkeypatch.setattr(reading, "CHUNK", chunk)
    folder = _copy(exported, tmp_path, manifest=True)
    rows = _rows(folder / "answers.csv")
    value = rows[0].index("value")
    scale = [i for i, r in enumerate(rows) if i and r[value]]
    first, middle = scale[0], scale[len(scale) // 2]
    rows[first][value] = str(int(rows[first][value]) % 5 + 1)  # a change: an update
    rows[middle][value] = "7"
    _write(folder / "answers.csv", rows)
    before = dump(store)
    with pytest.raises(InputError, match=rf"answers.csv række {middle + 1}: value"):
        import_data(store, pack, folder)
    assert dump(store) == before


def test_the_database_refusing_a_chunk_changes_nothing(exported, empty, pack, tmp_path):
    """A rule of the database that the checks do not know (an index added here)."""
    empty.db.execute('CREATE UNIQUE INDEX "one_title" ON "plan_items" ("kind")')
    folder = _copy(exported, tmp_path)
    rows = _rows(folder / "plan_items.csv")
    twin = list(rows[1])
    twin[rows[0].index("id")] = "99"
    twin[rows[0].index("title")] = "Endnu en praktik"
    _write(folder / "plan_items.csv", [*rows, twin])
    before = dump(empty)
    with pytest.raises(BipTalkError):
        import_data(empty, pack, folder)
    assert dump(empty) == before


def _meetings_with_new_draft(folder: Path, *, finish_first: bool) -> None:
    """The citizen's draft finished, and a new draft: in this order or the other."""
    header, *body = _rows(folder / "meetings.csv")
    status, ident, started = (header.index(c) for c in ("status", "id", "started_at"))
    old = next(r for r in body if r[status] == "draft")
    finished = [*old]
    finished[status] = "complete"
    new = [*old]
    new[ident] = "50"
    new[started] = "2026-05-01T09:00:00+00:00"
    others = [r for r in body if r is not old]
    pair = [finished, new] if finish_first else [new, finished]
    _write(folder / "meetings.csv", [header, *others, *pair])


def test_a_draft_finished_then_a_new_one_in_one_chunk(exported, store, pack, tmp_path):
    """One unfinished meeting per citizen, as the rows before leave the database."""
    folder = _copy(exported, tmp_path)
    _meetings_with_new_draft(folder, finish_first=True)
    result = import_data(store, pack, folder)
    assert result.counts["meetings"]["updated"] == 1
    assert result.counts["meetings"]["inserted"] == 1
    drafts = store.db.execute("SELECT count(*) FROM meetings WHERE status = 'draft'").fetchone()
    assert drafts[0] == 1


def test_a_new_draft_before_the_old_one_is_finished_is_refused(exported, store, pack, tmp_path):
    folder = _copy(exported, tmp_path)
    _meetings_with_new_draft(folder, finish_first=False)
    before = dump(store)
    with pytest.raises(InputError, match="har allerede en igangværende samtale"):
        import_data(store, pack, folder)
    assert dump(store) == before


# -- the store's part ---------------------------------------------------------------------


def _caseworker(initials: str, file_id: int) -> Incoming:
    values = {"initials": initials, "name": f"Navn {initials}", "created_at": FROZEN}
    return Incoming(values, file_id, None)


def test_new_rows_get_ids_as_one_insert_at_a_time_would(store):
    """The file's id while it is free; else the next after the largest so far, which a
    later row's own id may then find taken."""
    for initials in ("AA", "BB"):  # ids 1 and 2
        store.ensure_caseworker(initials, initials)
    rows = [_caseworker("CC", 2), _caseworker("DD", 3), _caseworker("EE", 10)]
    with store.db.atomic():
        saved = save_rows(store.db, "caseworkers", rows, ("initials",), actor=None)
        store.db.sync_ids("caseworkers")
    assert saved == [("inserted", 3), ("inserted", 4), ("inserted", 10)]
    assert store.ensure_caseworker("FF", "FF").id == 11


def test_a_row_with_a_known_key_is_updated_with_its_old_values_audited(store):
    store.ensure_caseworker("AA", "Gammelt Navn")
    rows = [
        Incoming({"initials": "AA", "name": "Nyt Navn", "created_at": FROZEN}, 7, None),
        _caseworker("BB", 8),
    ]
    with store.db.atomic():
        first = save_rows(store.db, "caseworkers", rows, ("initials",), actor=None)
        again = save_rows(store.db, "caseworkers", rows, ("initials",), actor=None)
    assert first == [("updated", 1), ("inserted", 8)]
    assert again == [("unchanged", 1), ("unchanged", 8)]
    old = store.db.execute("SELECT old FROM audit WHERE entity = 'caseworkers'").fetchall()
    assert len(old) == 1 and "Gammelt Navn" in old[0][0]


def test_seen_keys_are_reported_with_the_row_they_were_first_seen_at(store):
    with store.db.atomic():
        begin_seen(store.db)
        assert record_seen(store.db, [("a", 2), ("b", 3)]) == {}
        assert record_seen(store.db, [("c", 9), ("b", 10), ("a", 11)]) == {"b": 3, "a": 2}
        assert record_seen(store.db, []) == {}


# -- the reader process -------------------------------------------------------------------


def _broken_copies(exported: Path, tmp_path: Path) -> dict[str, Path]:
    """One export folder per problem a file's reading or type check can find."""
    cases: dict[str, Path] = {}

    def case(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(exported, target)
        (target / "manifest.json").unlink()
        cases[name] = target
        return target

    rows = _rows(exported / "answers.csv")
    value = rows[0].index("value")
    bad = [list(r) for r in rows]
    bad[2][value], bad[4][value] = "7", "x"
    _write(case("values") / "answers.csv", bad)
    short = [list(r) for r in rows]
    short[3] = short[3][:-1]
    _write(case("cells") / "answers.csv", short)
    text = (exported / "answers.csv").read_bytes()
    cut = text.index(b"\n", len(text) // 2)
    (case("utf8") / "answers.csv").write_bytes(text[:cut] + b"\n\xff\xfe" + text[cut:])
    header = [list(r) for r in rows]
    header[0][value] = "valeu"
    _write(case("header") / "answers.csv", header)
    control = [list(r) for r in rows]
    control[1][rows[0].index("text")] = "se\x1b[2Jher"
    _write(case("control") / "answers.csv", control)
    return cases


def test_a_reader_process_finds_the_same_problems(exported, empty, pack, tmp_path, monkeypatch):
    messages: dict[str, list[str]] = {}
    for forked in (False, True):
        monkeypatch.setattr(reading, "can_fork", lambda forked=forked: forked)
        for name, folder in _broken_copies(exported, tmp_path / str(forked)).items():
            with pytest.raises(InputError) as err:
                import_data(empty, pack, folder)
            messages.setdefault(name, []).append(str(err.value))
    for name, (here, there) in messages.items():
        assert here == there, name
        assert "answers.csv" in here, name
    assert "række 3: value" in messages["values"][0]
    assert "række 5: value" in messages["values"][0]
    assert empty.db["answers"].count == 0
    assert multiprocessing.active_children() == []  # every reader stopped


def test_a_reader_process_that_dies_changes_nothing(exported, store, pack, monkeypatch):
    def dies(*args):
        yield from itertools.islice(real(*args), 2)  # the header and a first chunk
        os._exit(3)

    real = reading._produce
    monkeypatch.setattr(reading, "can_fork", lambda: True)
    monkeypatch.setattr(reading, "_produce", dies)
    before = dump(store)
    with pytest.raises(HelperFailed, match="the import helper stopped unexpectedly"):
        import_data(store, pack, exported)
    assert dump(store) == before
    assert multiprocessing.active_children() == []


# -- answers made ready in the reader -----------------------------------------------------


def _by_rows(monkeypatch) -> None:
    """Every chunk of answers the full way, row by row (what the ready way must equal)."""
    monkeypatch.setattr(imports._Run, "_insert_ready", lambda self, chunk: False)


def _count_ready(monkeypatch) -> list[bool]:
    taken: list[bool] = []
    real = imports._Run._insert_ready

    def counted(self, chunk):
        taken.append(real(self, chunk))
        return taken[-1]

    monkeypatch.setattr(imports._Run, "_insert_ready", counted)
    return taken


def _imported(store: Store) -> dict[str, list[tuple]]:
    """What an import writes (a database's own bookkeeping left out: when it was made)."""
    return {k: v for k, v in dump(store).items() if k not in ("_sqlite_migrations", "meta")}


def _import_both_ways(store_for, pack, folder, monkeypatch):
    """The same import with and without the ready way: results, database and how many
    chunks took the ready way."""
    monkeypatch.setenv("BIP_TALK_FROZEN_TIME", FROZEN)
    taken = _count_ready(monkeypatch)
    ready = import_data(store_for("ready"), pack, folder)
    ready_taken = sum(taken)
    _by_rows(monkeypatch)
    by_rows = import_data(store_for("rows"), pack, folder)
    return ready, by_rows, ready_taken


@pytest.mark.parametrize("chunk", [1, 3, 500])
def test_a_fresh_import_takes_the_ready_way_and_writes_the_same(
    exported, pack, tmp_path, monkeypatch, chunk
):
    monkeypatch.setattr(reading, "CHUNK", chunk)
    stores: dict[str, Store] = {}

    def store_for(name: str) -> Store:
        stores[name] = Store(open_database(tmp_path / f"{name}.db"))
        return stores[name]

    ready, by_rows, taken = _import_both_ways(store_for, pack, exported, monkeypatch)
    answers = len(_rows(exported / "answers.csv")) - 1
    assert taken == -(-answers // chunk)  # every chunk, those that go on a meeting too
    assert ready.counts == by_rows.counts
    assert _imported(stores["ready"]) == _imported(stores["rows"])
    for s in stores.values():
        s.close()


def test_a_database_with_other_ids_goes_row_by_row_with_the_same_result(
    exported, pack, tmp_path, monkeypatch
):
    """Meetings already here: the file's meetings get other ids, so its answers must be
    renumbered, row by row."""
    base = Store(open_database(tmp_path / "base.db"))
    build_history(base, pack, monkeypatch)  # the meeting ids the file uses are taken
    base.close()
    stores: dict[str, Store] = {}

    def store_for(name: str) -> Store:
        shutil.copy(tmp_path / "base.db", tmp_path / f"{name}.db")
        stores[name] = Store(open_database(tmp_path / f"{name}.db"))
        return stores[name]

    # The citizens renamed: the same history again, for other citizens.
    folder = _copy(exported, tmp_path / "other")
    for file in ("citizens.csv", "assignments.csv", "meetings.csv", "plan_items.csv"):
        rows = _rows(folder / file)
        column = rows[0].index("id" if file == "citizens.csv" else "citizen_id")
        for r in rows[1:]:
            r[column] = "B-" + r[column][:1:-1]  # B-2T85EQ: B-QE58T2
        _write(folder / file, rows)
    ready, by_rows, taken = _import_both_ways(store_for, pack, folder, monkeypatch)
    assert taken == 0
    assert ready.counts["answers"]["inserted"] == len(_rows(folder / "answers.csv")) - 1
    assert ready.counts == by_rows.counts
    assert _imported(stores["ready"]) == _imported(stores["rows"])
    for s in stores.values():
        s.close()


def test_answers_already_here_are_compared_row_by_row(exported, store, pack, tmp_path, monkeypatch):
    """Some of a meeting's answers gone from the database: importing the export again
    brings back exactly those, whichever chunk they fall in."""
    monkeypatch.setattr(reading, "CHUNK", 3)
    import_data(store, pack, exported)  # ``store`` held the history: all unchanged
    gone = store.db.execute("SELECT meeting_id, perspective, item_id FROM answers").fetchall()
    gone = sorted(gone)[1::4]
    for meeting, perspective, item in gone:
        store.db.execute(
            "DELETE FROM answers WHERE meeting_id = ? AND perspective = ? AND item_id = ?",
            [meeting, perspective, item],
        )
    taken = _count_ready(monkeypatch)
    again = import_data(store, pack, exported)
    assert again.counts["answers"]["inserted"] == len(gone)
    total = len(_rows(exported / "answers.csv")) - 1
    assert again.counts["answers"]["unchanged"] == total - len(gone)
    assert not any(taken)


def test_an_answer_the_pack_refuses_is_worded_as_row_by_row(
    exported, empty, pack, tmp_path, monkeypatch
):
    folder = _copy(exported, tmp_path)
    rows = _rows(folder / "answers.csv")
    item = rows[0].index("item_id")
    rows[len(rows) // 2][item] = "ukendt_emne"
    _write(folder / "answers.csv", rows)
    messages = []
    for by_rows in (False, True):
        if by_rows:
            _by_rows(monkeypatch)
        with pytest.raises(InputError) as err:
            import_data(empty, pack, folder)
        messages.append(str(err.value))
    assert messages[0] == messages[1]
    assert f"række {len(rows) // 2 + 1}: item_id" in messages[0]
    assert empty.db["answers"].count == 0


def test_an_import_writes_with_a_rollback_journal_and_leaves_the_file_as_before(
    exported, empty, pack, tmp_path, monkeypatch
):
    """A rollback journal while it runs (each page written once), without foreign key
    checks (the import resolves every reference itself); afterwards WAL and the checks
    again, refused or not – and nothing refers to a row that is not there."""
    seen: list[tuple[str, int]] = []
    real = imports.insert_rows

    def spied(db, *args):
        seen.append(tuple(db.conn.execute(p).fetchone()[0] for p in PRAGMAS))
        real(db, *args)

    monkeypatch.setattr(imports, "insert_rows", spied)
    import_data(empty, pack, exported)
    assert seen and set(seen) == {("delete", 0)}
    after = tuple(empty.db.conn.execute(p).fetchone()[0] for p in PRAGMAS)
    assert after == ("wal", 1)
    assert empty.db.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert empty.db["answers"].count > 0
    folder = _copy(exported, tmp_path)
    rows = _rows(folder / "answers.csv")
    rows[-1][rows[0].index("value")] = "9"
    _write(folder / "answers.csv", rows)
    with pytest.raises(InputError):
        import_data(empty, pack, folder)
    assert tuple(empty.db.conn.execute(p).fetchone()[0] for p in PRAGMAS) == ("wal", 1)


PRAGMAS = ("PRAGMA journal_mode", "PRAGMA foreign_keys")
