"""Every benchmark script runs at a tiny size: it completes, exits 0 (within target) or
1 (over target) — never a crash — and prints its figure lines. The timings themselves
are not asserted: on a tiny cohort and a busy test machine they mean nothing."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks"
NUMBER = r"[\d,.]+"

# script, arguments (besides --out), the lines it must print
RUNS = {
    "bench_startup.py": (
        ["--rounds", "1"],
        [
            rf"^start-up to first screen: candidate median {NUMBER} ms, "
            rf"baseline median {NUMBER} ms, "
            rf"ratio {NUMBER} \(target ≤ 1.3\)"
        ],
    ),
    "bench_answer.py": (
        ["--presses", "4", "--rounds", "1"],
        [rf"^CPU per answer: candidate median -?{NUMBER} ms, baseline median -?{NUMBER} ms, ratio"],
    ),
    "bench_open_citizen.py": (
        ["--citizens", "30", "--sample", "4"],
        [
            rf"^open citizen: candidate median {NUMBER} ms, baseline median {NUMBER} ms, "
            rf"ratio {NUMBER} \(target ≤ 1.25\)",
            rf"^open citizen on the large database: median {NUMBER} ms \(target ≤ 5 ms\)",
        ],
    ),
    "bench_search.py": (
        ["--citizens", "30", "--presses", "4", "--rounds", "1"],
        [
            rf"^search query alone: {NUMBER} ms median on the large database",
            rf"^CPU per keystroke on the large database: median -?{NUMBER} ms \(target ≤ 16 ms\)",
        ],
    ),
    "bench_seed.py": (
        ["--citizens", "30", "--rounds", "1"],
        [
            rf"^rate: seed {NUMBER} rows/s .*, plain executemany {NUMBER} rows/s",
            rf"^seeding time: candidate median {NUMBER} s, baseline median {NUMBER} s, "
            rf"ratio {NUMBER} \(target ≤ 1.5\)",
            rf"^file size: {NUMBER} MB for 30 citizens",
        ],
    ),
    "bench_stats.py": (
        ["--citizens", "30", "--rounds", "1"],
        [
            rf"^stats on 30 citizens: median {NUMBER} s over 1 rounds .*target < 5 s",
            rf"^stats time: candidate median {NUMBER} s, baseline \(one plain pass over the "
            rf"answers\) median {NUMBER} s, ratio {NUMBER}",
            rf"^stats peak RSS: {NUMBER} MB on the large database, {NUMBER} MB on the small one",
        ],
    ),
    "bench_sessions.py": (
        ["--sessions", "3", "--answers", "10"],
        [
            r"^sessions: 3 processes × 10 answers on one SQLite database: 30 recorded, 0 lost, "
            r"0 errors shown",
            rf"^time per answer: p50 {NUMBER} ms, p95 {NUMBER} ms",
        ],
    ),
    "bench_import.py": (
        ["--citizens", "30"],
        [
            rf"^import of 30 citizens' export: median {NUMBER} s; seed of the same cohort "
            rf"{NUMBER} s; ratio {NUMBER} \(target ≤ 1.5\)",
            rf"^import peak RSS: {NUMBER} MB for 30 citizens, {NUMBER} MB for 3",
        ],
    ),
    "bench_first_key.py": (
        ["--rounds", "1"],
        [
            rf"^first key 'enter': median -?{NUMBER} ms on screen",
            rf"^first keys of a freshly opened meeting: slowest median -?{NUMBER} ms "
            rf"\(target ≤ 50 ms\)",
        ],
    ),
    "bench_export.py": (
        ["--citizens", "30", "--rounds", "1"],
        [
            rf"^export csv peak RSS: {NUMBER} MB on the large database, {NUMBER} MB on the small "
            rf"one, ratio {NUMBER}; target < 200 MB",
            rf"^export json peak RSS: {NUMBER} MB",
        ],
    ),
}
# On the session's PostgreSQL server (the argument is a fresh, empty database's URL).
PG_RUNS = {
    "bench_postgres.py": (
        ["--citizens", "30", "--sample", "4", "--answers", "5", "--skip-seed", "--pg"],
        [
            rf"^30 citizens; copy-db SQLite → PostgreSQL \(checked\): {NUMBER} s",
            rf"^open citizen: SQLite median {NUMBER} ms, PostgreSQL median {NUMBER} ms",
            rf"^record answer: SQLite median {NUMBER} ms, PostgreSQL median {NUMBER} ms",
            rf"^export \(json\): SQLite median {NUMBER} s, PostgreSQL median {NUMBER} s",
            r"^the two exports are the same: OK",
        ],
    ),
}


def test_every_benchmark_script_has_a_smoke_run():
    assert {p.name for p in BENCH.glob("bench_*.py")} == set(RUNS) | set(PG_RUNS)


def test_the_sessions_benchmark_runs_on_postgres(pg_empty_url):
    """The server's many-sessions benchmark on the session's PostgreSQL server."""
    _check(
        "bench_sessions.py",
        ["--sessions", "3", "--answers", "10", "--db", pg_empty_url],
        [
            r"^sessions: 3 processes × 10 answers on one PostgreSQL database: 30 recorded, "
            r"0 lost, 0 errors shown",
            rf"^time per answer: p50 {NUMBER} ms, p95 {NUMBER} ms",
        ],
    )


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    """One cache folder for the module: the tiny cohorts are seeded once."""
    return tmp_path_factory.mktemp("bench-out")


@pytest.mark.parametrize("script", list(RUNS))
def test_benchmark_runs_and_reports(script, out):
    args, expected = RUNS[script]
    extra = [] if script in ("bench_startup.py", "bench_answer.py") else ["--out", str(out)]
    _check(script, [*args, *extra], expected)


@pytest.mark.parametrize("script", list(PG_RUNS))
def test_postgres_benchmark_runs_and_reports(script, out, pg_empty_url):
    args, expected = PG_RUNS[script]
    extra = ["--out", str(out)] if script == "bench_postgres.py" else []
    _check(script, [*args, pg_empty_url, *extra], expected)


def _check(script: str, args: list[str], expected: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, str(BENCH / script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    assert "Traceback" not in done.stderr, done.stderr[-2000:]
    for pattern in expected:
        assert re.search(pattern, done.stdout, re.M), f"{pattern!r} not in:\n{done.stdout}"
    verdicts = re.findall(r"\b(OK|OVER TARGET)\b", done.stdout)
    assert verdicts, done.stdout
    assert done.returncode == (0 if set(verdicts) == {"OK"} else 1), done.stdout
    rows = [line for line in done.stdout.splitlines() if line.startswith("ROW {")]
    assert rows, done.stdout  # and run_all.py has a row to show


def test_run_all_prints_one_table_of_every_row(out):
    """The quickest benchmark only: run_all's table, its columns, an honest verdict."""
    done = subprocess.run(
        [sys.executable, str(BENCH / "run_all.py"), "--small", "--only", "answer"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode in (0, 1), done.stderr[-2000:]
    lines = done.stdout.splitlines()
    header = next(n for n, line in enumerate(lines) if line.startswith("target"))
    assert lines[header].split() == ["target", "measured", "baseline", "ratio", "result"]
    body = lines[header + 2 :]
    assert len(body) == 1 and body[0].startswith("3. CPU per answer ≤ 1.2× a bare two-pane app")
    verdict = body[0].split()[-1]
    assert verdict in ("PASS", "FAIL")
    assert done.returncode == (0 if verdict == "PASS" else 1)


def test_bip_talk_processes_run_as_installed(monkeypatch, tmp_path):
    """With bytecode (never compiled from source at every start, which only the side
    that imports more of bip-talk would pay), its own data folder, not the caller's
    database."""
    sys.path.insert(0, str(ROOT))
    try:
        from benchmarks.common import PYCACHE, installed_env
    finally:
        sys.path.remove(str(ROOT))
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    monkeypatch.setenv("BIP_TALK_DB", str(tmp_path / "mine.db"))
    env = installed_env(tmp_path / "data")
    assert "PYTHONDONTWRITEBYTECODE" not in env and "BIP_TALK_DB" not in env
    assert env["BIP_TALK_DATA_DIR"] == str(tmp_path / "data")
    assert env["PYTHONPYCACHEPREFIX"] == str(PYCACHE)
    assert PYCACHE.is_relative_to(BENCH / "out")  # git-ignored, not the source tree
    probe = "import sys; print(sys.flags.dont_write_bytecode, sys.pycache_prefix)"
    out = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["0", str(PYCACHE)]


def test_the_start_up_probe_runs_the_app_as_it_starts(tmp_path):
    """The probe reports the first screen and leaves; the app's own start-up (its
    ``on_ready`` opens the database beside the screen) runs once, as in a real start –
    Textual calls the handler of every class in the MRO, so the probe must not call it
    again."""
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    script = f"""
import sys
sys.path.insert(0, {str(BENCH)!r})
import startup_probes as sp
calls = []
wrap = sp._headless_probe
def counted(ui_app):
    real = ui_app.BipTalkApp.on_ready
    def on_ready(self):
        calls.append(1)
        return real(self)
    ui_app.BipTalkApp.on_ready = on_ready
    wrap(ui_app)
sp._headless_probe = counted
import atexit
atexit.register(lambda: print("ON_READY", len(calls)))
sp.bip({str(data)!r})
"""
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    ).stdout
    assert re.search(r"^READY \d", out, re.M), out
    assert "ON_READY 1" in out.splitlines()
