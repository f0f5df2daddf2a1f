"""A forked helper (the import's reader, the seed's generator) that fails or dies: the
user reads what stopped, the kind of error and that nothing changed – never a
traceback, never the error's own text (it may quote the file) – with exit 70."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bip_talk.errors import UNEXPECTED_EXIT
from bip_talk.i18n import Translator
from bip_talk.services.failures import known_failure
from bip_talk.services.forked import HelperFailed
from tests.cli_run import run_bip


@pytest.mark.parametrize(
    ("failure", "lang", "words"),
    [
        (
            HelperFailed("import", "MemoryError", "cell Anna"),
            "da",
            ["Importen stoppede", "(MemoryError)", "Intet i databasen er ændret"],
        ),
        (
            HelperFailed("import"),
            "en",
            ["The import stopped", "ran out of memory", "Nothing in the database"],
        ),
        (
            HelperFailed("seed", "ValueError", "x"),
            "da",
            ["Udfyldningen stoppede", "(ValueError)", "Intet er skrevet"],
        ),
        (HelperFailed("seed"), "en", ["The seed stopped", "stopped without saying why"]),
    ],
)
def test_a_failed_helper_is_said_for_what_it_is(failure, lang, words):
    said = known_failure(failure, database="", t=Translator(lang))
    assert said is not None and said.exit_code == UNEXPECTED_EXIT
    for word in words:
        assert word in str(said)
    assert "cell Anna" not in str(said) and "helper" not in str(said)


def test_an_import_whose_reader_fails_says_so_and_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("BIP_TALK_DATA_DIR", str(tmp_path / "data"))
    source, target, export = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "export"
    assert run_bip(["seed", "--citizens", "3", "--db", str(source)]).returncode == 0
    assert run_bip(["--db", str(source), "export", "--out", str(export)]).returncode == 0
    assert run_bip(["seed", "--citizens", "2", "--seed", "7", "--db", str(target)]).returncode == 0
    before = _counts(target)
    # The reader, forked for every file, fails after a file's header (it quotes a cell).
    code = """
import sys
from bip_talk.services.exchange import reading
real = reading._produce
def failing(*args):
    items = real(*args)
    yield next(items)
    raise ValueError("a cell: Anna Hansen")
reading._produce = failing
reading.can_fork = lambda: True
reading.PARALLEL_MIN_BYTES = 0
from bip_talk.cli import main
main(sys.argv[1:])
"""
    done = run_bip(["--db", str(target), "import", str(export)], code=code)
    assert done.returncode == UNEXPECTED_EXIT
    assert "Importen stoppede" in done.stderr and "(ValueError)" in done.stderr
    assert "Traceback" not in done.stderr and "Anna Hansen" not in done.stderr
    assert _counts(target) == before


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {
            t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in ("citizens", "meetings", "answers")
        }
