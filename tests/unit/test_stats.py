"""``bip-talk stats`` on small hand-made databases: every figure counted by hand, small
cells suppressed (and the cell that would give them away), an empty database, the
date filters, and the command as a user runs it."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bip_talk.domain import bip_results as br
from bip_talk.domain.bip_results import Share, Tally, protect_partition, share
from bip_talk.errors import InputError
from bip_talk.services.stats import render_stats
from bip_talk.store import Store
from bip_talk.store.targets import open_target
from tests.unit.stats_data import Measure, add_citizen

# -- the rules -----------------------------------------------------------------------------


def test_a_share_is_hidden_when_part_or_whole_has_fewer_than_five_citizens():
    assert share("x", Tally(10, 5), Tally(20, 5)) == Share("x", 50.0, 20)
    assert share("x", Tally(10, 4), Tally(20, 9)) == Share("x", None, 20)  # the part
    assert share("x", Tally(10, 5), Tally(20, 4)) == Share("x", None, None)  # the whole
    assert share("x", Tally(0, 0), Tally(20, 9)) == Share("x", None, 20)  # zero is "<5" too


def test_one_hidden_cell_of_a_partition_takes_the_smallest_other_with_it():
    cells = [Share("a", 60.0, 10), Share("b", None, 10), Share("c", 30.0, 10)]
    out = protect_partition(cells, {"a": 6, "b": 1, "c": 3})
    assert [c.percent for c in out] == [60.0, None, None]
    # Two hidden already: neither can be worked out, nothing more is hidden.
    two = [Share("a", 80.0, 10), Share("b", None, 10), Share("c", None, 10)]
    assert protect_partition(two, {"a": 8, "b": 1, "c": 1}) == tuple(two)


# -- a database counted by hand --------------------------------------------------------


def _world(store: Store, pack) -> None:
    """Six citizens who move from score 2, not searching, to score 4, searching on the
    internet and in newspapers, during a work placement, and get a job; six who stay at
    3 and stop answering; one late citizen whose meeting sets the follow-up date."""
    for n in range(6):
        add_citizen(
            store,
            pack,
            f"Anna{n} Testrup",
            [
                Measure("2024-01-10", score=2, channels=("soeger_ikke",), belief=1),
                Measure("2024-04-10", score=4, channels=("internet", "aviser"), belief=5),
            ],
            outcomes=(("job", "2024-05-01"),),
            plan=(("virksomhedspraktik", "2024-01-15", "2024-04-01"),),
        )
    for n in range(6):
        add_citizen(
            store,
            pack,
            f"Bo{n} Prøvesen",
            [
                Measure("2024-01-10", score=3, channels=("soeger_ikke",), belief=1),
                Measure("2024-04-10", score=3, channels=("vil_ikke_svare",), belief=1),
            ],
        )
    add_citizen(store, pack, "Sen Modelsen", [Measure("2025-09-01", score=3)])


@pytest.fixture
def world(store, pack) -> Store:
    _world(store, pack)
    return store


def _json(store, pack, **period) -> dict:
    return json.loads(render_stats(store, pack, fmt="json", lang="da", **period))


def _cells(table: dict) -> dict[str, float | None]:
    return {k: v["percent"] for k, v in table["cells"].items()}


def test_every_table_counted_by_hand(world, pack):
    d = _json(world, pack)
    assert list(d) == list(br.TABLE_KEYS)
    assert d["job_search"]["n"] == 25
    assert _cells(d["job_search"]) == {
        "not_searching": 52.0,
        "searching": 24.0,
        "wont_answer": 24.0,
    }
    channels = _cells(d["channels"])
    assert channels["internet"] == channels["aviser"] == 24.0
    assert channels["praktik"] is None  # nobody: "<5"
    bands = d["channels_by_score"]["bands"]
    assert bands["below_2_5"]["n"] == 6
    assert bands["below_2_5"]["cells"]["not_searching"]["percent"] == 100.0
    assert bands["above_3_5"]["cells"]["internet"]["percent"] == 100.0
    middle = bands["from_2_5_to_3_5"]
    assert middle["n"] == 13
    assert middle["cells"]["not_searching"]["percent"] == 53.8  # 7 of 13
    assert middle["cells"]["wont_answer"]["percent"] == 46.2
    # Belief 1: 18 measurements, the six first ones of Anna's were followed by a job.
    belief = d["job_by_belief"]["cells"]
    assert belief["1"] == {"percent": 33.3, "n": 18, "published": 1.1}
    assert belief["5"]["percent"] == 100.0 and belief["5"]["n"] == 6
    assert belief["3"]["percent"] is None and belief["3"]["n"] is None
    assert d["job_by_belief"]["followed_up_to"] == "2025-09-01"
    change = d["caseworker_change"]
    assert change["with_change"]["percent"] is None  # no change at all: "<5"
    assert change["with_change"]["n"] == 13
    offers = d["company_based_offer"]["cells"]
    assert offers["all"]["percent"] == offers["aktivitetsparat"]["percent"] == 46.2
    progress = d["progression_by_intervention"]["cells"]
    assert progress["virksomhedspraktik"] == {"mean_per_quarter": 2.01, "n": 6, "published": "up"}
    assert progress["none"]["mean_per_quarter"] == 0.0 and progress["none"]["n"] == 6
    assert progress["mentor"]["mean_per_quarter"] is None


def test_text_and_html_show_suppressed_cells_as_under_five(world, pack):
    text = render_stats(world, pack, fmt="text", lang="da")
    item = pack.item("citizen", "kanaler")
    label = next(o.text.get("da") for o in item.options if o.id == "praktik")
    praktik = next(ln for ln in text.splitlines() if ln.strip().startswith(label))
    assert "<5" in praktik
    html = render_stats(world, pack, fmt="html", lang="en")
    assert "&lt;5" in html and "<5" not in html.replace("<5 –", "")  # escaped, never markup
    assert "too few citizens" in html


def test_four_citizens_show_nothing_but_the_rule(store, pack):
    for n in range(4):
        add_citizen(store, pack, f"Fire{n} Testhave", [Measure("2024-03-01")])
    d = _json(store, pack)
    assert d["job_search"]["n"] is None
    assert all(v is None for v in _cells(d["job_search"]).values())
    assert all(c["n"] is None for c in d["company_based_offer"]["cells"].values())
    text = render_stats(store, pack, fmt="text", lang="da")
    assert "4 borgere" not in text and "– borgere" in text  # not even the count


def test_a_lone_hidden_answer_hides_the_next_smallest(store, pack):
    # 6 not searching and 5 searching: "won't answer" (nobody) alone would be 100 − the
    # others, so "searching" (the smaller shown one) is hidden with it.
    for n in range(6):
        add_citizen(store, pack, f"Ikke{n} Demobæk", [Measure("2024-03-01")])
    for n in range(5):
        add_citizen(
            store, pack, f"Soeg{n} Demobæk", [Measure("2024-03-01", channels=("internet",))]
        )
    cells = _cells(_json(store, pack)["job_search"])
    assert cells == {"not_searching": 54.5, "searching": None, "wont_answer": None}


def test_a_measurement_without_a_score_is_in_no_band(store, pack):
    for n in range(5):
        add_citizen(store, pack, f"Kun{n} Kanal", [Measure("2024-03-01", score=None)])
    d = _json(store, pack)
    assert d["job_search"]["n"] == 5
    assert all(b["n"] is None for b in d["channels_by_score"]["bands"].values())


def test_an_empty_database_gives_every_key_and_a_plain_message(store, pack):
    d = _json(store, pack)
    assert list(d) == list(br.TABLE_KEYS)
    assert all(v["percent"] is None for v in d["job_search"]["cells"].values())
    assert d["job_by_belief"]["followed_up_to"] is None
    text = render_stats(store, pack, fmt="text", lang="en")
    assert "There are no completed meetings in the period" in text
    html = render_stats(store, pack, fmt="html", lang="da")
    assert "ingen afsluttede samtaler" in html and "<svg" not in html


# -- the period ------------------------------------------------------------------------------


def test_to_keeps_the_first_measurements_and_follows_them_up_after_the_period(world, pack):
    d = _json(world, pack, date_to="2024-02-01")
    assert d["job_search"]["n"] == 12
    assert _cells(d["job_search"])["not_searching"] == 100.0
    # Anna's job (1 May) lies after --to and still counts for her January measurement.
    assert d["job_by_belief"]["cells"]["1"]["percent"] == 50.0
    # One measurement each in the period: no interval to measure progress over.
    assert d["progression_by_intervention"]["cells"]["none"]["n"] is None


def test_a_period_is_typed_as_the_screens_show_dates_or_as_iso(world, pack):
    shown = _json(world, pack, date_from="1.4.2024", date_to="31.12.2024")
    assert shown == _json(world, pack, date_from="2024-04-01", date_to="2024-12-31")
    assert shown != _json(world, pack)  # the period did narrow it


def test_from_keeps_the_later_measurements_only(world, pack):
    d = _json(world, pack, date_from="2024-04-01", date_to="2024-12-31")
    assert d["job_search"]["n"] == 12
    # Nobody "not searching" is hidden, so one of the two equal others goes with it.
    assert _cells(d["job_search"]) == {
        "not_searching": None,
        "searching": None,
        "wont_answer": 50.0,
    }
    assert d["job_by_belief"]["cells"]["5"]["n"] == 6
    # The placement started before the period: no offer in it.
    assert d["company_based_offer"]["cells"]["all"]["percent"] is None
    late = _json(world, pack, date_from="2025-01-01")
    assert late["job_search"]["n"] is None  # one citizen: hidden


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ({"date_from": "2024-13-01"}, "--from «2024-13-01» er ikke en dato"),
        ({"date_to": "igår"}, "--to «igår» er ikke en dato. Skriv den som dd.mm.åååå"),
        ({"date_to": "31.02.2024"}, "--to «31.02.2024» er ikke en dato"),
        ({"date_from": "2025-01-01", "date_to": "2024-01-01"}, "slutter (2024-01-01), før"),
    ],
)
def test_a_bad_period_is_refused_plainly(store, pack, period, message):
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        render_stats(store, pack, fmt="text", lang="da", **period)


# -- the command ---------------------------------------------------------------------------


def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    env["BIP_TALK_DATA_DIR"] = str(cwd / "data")
    return subprocess.run(
        [sys.executable, "-m", "bip_talk", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_stats_command_in_real_processes(tmp_path, pack, database):
    path = database
    store = Store(open_target(path))
    try:
        _world(store, pack)
    finally:
        store.close()
    db = ["--db", str(path)]
    text = _run(tmp_path, *db, "stats")
    assert text.returncode == 0, text.stderr
    assert text.stdout.startswith("Jobcentrets egne BIP-tal\n")
    assert re.search(r"52,0\s%", text.stdout) and "Kilde: BIP" in text.stdout
    english = _run(tmp_path, *db, "--lang", "en", "stats", "--to", "01.02.2024")
    assert english.stdout.startswith("The job centre's own BIP results\n")
    assert "Meetings from … to 1 Feb 2024" in english.stdout
    data = _run(tmp_path, *db, "stats", "--format", "json")
    assert json.loads(data.stdout)["job_search"]["n"] == 25
    html = _run(tmp_path, *db, "stats", "--format", "html")
    assert html.returncode == 0 and html.stdout.startswith("Tallene er gemt: ")
    written = next(tmp_path.glob("bip-tal-*.html"))
    assert "<svg" in written.read_text(encoding="utf-8")
    assert oct(written.stat().st_mode & 0o777) == "0o600"
    out = _run(tmp_path, *db, "stats", "--format", "json", "--out", str(tmp_path / "s.json"))
    assert out.returncode == 0 and json.loads((tmp_path / "s.json").read_text())["channels"]
    for args, words in (
        (["stats", "--format", "pdf"], "Ukendt format «pdf»"),
        (["stats", "--from", "1. maj"], "--from «1. maj» er ikke en dato"),
        (["stats", "--from", "2025-02-01", "--to", "2025-01-01"], "Byt om på --from og --to"),
    ):
        bad = _run(tmp_path, *db, *args)
        assert bad.returncode == 2 and words in bad.stderr and "Traceback" not in bad.stderr
    missing = _run(tmp_path, "--db", str(tmp_path / "none.db"), "stats")
    assert missing.returncode == 3 and "Traceback" not in missing.stderr
    assert not (tmp_path / "none.db").exists()  # nothing created just to read from it
