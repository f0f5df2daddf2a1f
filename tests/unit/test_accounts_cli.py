"""The commands on a job-centre database, as an IT department scripts them: `user …`,
`access-log`, `--login`/`--password-stdin` for commands that read citizen data, and
`serve` refusing what would be unsafe. Real CLI in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import pg
from tests.unit.server_data import PASSWORD, Server, built_on, copy_server


@pytest.fixture(scope="module", params=pg.DIALECTS)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Server:
    return built_on(request, tmp_path_factory.mktemp("cli"))


@pytest.fixture
def server(built: Server, tmp_path: Path, request: pytest.FixtureRequest) -> Server:
    return copy_server(built, tmp_path / "copy", request)


def bip(*args: str, stdin: str = "", cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    env["BIP_TALK_DATA_DIR"] = os.environ["BIP_TALK_DATA_DIR"]
    out = subprocess.run(
        [sys.executable, "-m", "bip_talk", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=120,
    )
    assert "Traceback" not in out.stderr, out.stderr
    return out


def test_the_first_account_of_a_new_database_is_an_admin(tmp_path: Path) -> None:
    db = str(tmp_path / "new.db")
    wrong = bip("--db", db, "user", "add", "KB", "--name", "Karen B", "--role", "caseworker",
                "--password-stdin", stdin="karens-kode-1\n")  # fmt: skip
    assert wrong.returncode == 2 and "første konto skal være en administrator" in wrong.stderr
    first = bip("--db", db, "user", "add", "AD", "--name", "Asta Admin", "--role", "admin",
                "--password-stdin", stdin="astas-kode-12\n")  # fmt: skip
    assert first.returncode == 0, first.stderr
    assert "Konto oprettet: AD (Asta Admin), rolle: administrator." in first.stdout
    # From now on only a logged-in admin adds accounts; the login's password comes first.
    nobody = bip("--db", db, "user", "add", "KB", "--name", "Karen B", "--role", "caseworker",
                 "--password-stdin", stdin="karens-kode-1\n")  # fmt: skip
    assert nobody.returncode == 2 and "--login" in nobody.stderr
    added = bip("--db", db, "--login", "AD", "--password-stdin", "user", "add", "KB",
                "--name", "Karen B", "--role", "caseworker", "--password-stdin",
                stdin="astas-kode-12\nkarens-kode-1\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = bip("--db", db, "--login", "AD", "--password-stdin", "user", "list",
                 stdin="astas-kode-12\n")  # fmt: skip
    assert "KB      caseworker  åben" in listed.stdout and "Karen B" in listed.stdout
    assert "$argon2" not in listed.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "boss"], "ukendt rolle 'boss'"),
        (["--role", "admin", "--password-stdin"], "mindst 10 tegn"),
    ],
)
def test_bad_account_input_is_refused(tmp_path: Path, args: list[str], message: str) -> None:
    out = bip("--db", str(tmp_path / "x.db"), "user", "add", "AD", "--name", "A", *args,
              stdin="kort\n")  # fmt: skip
    assert out.returncode == 2 and message in out.stderr


def test_commands_that_read_citizen_data_ask_who_logs_in(server: Server, tmp_path: Path) -> None:
    db = str(server.path)
    cid = server.citizen_id
    no_login = bip("--db", db, "report", cid)
    assert no_login.returncode == 2 and "--login INITIALER" in no_login.stderr
    wrong = bip("--db", db, "--login", "BN", "--password-stdin", "report", cid,
                stdin="forkert-kode\n")  # fmt: skip
    assert wrong.returncode == 5 and "Forkerte initialer eller adgangskode" in wrong.stderr
    right = bip("--db", db, "--login", "BN", "--password-stdin", "report", cid,
                stdin=PASSWORD + "\n")  # fmt: skip
    assert right.returncode == 0, right.stderr
    lead = bip("--db", db, "--login", "TL", "--password-stdin", "report", cid,
               stdin=PASSWORD + "\n")  # fmt: skip
    assert lead.returncode == 5 and "Din rolle (teamleder) giver ikke adgang til" in lead.stderr
    pseudo = bip("--db", db, "--login", "TL", "--password-stdin", "export", "--pseudonymize",
                 "--out", str(tmp_path / "pseudo"), stdin=PASSWORD + "\n")  # fmt: skip
    assert pseudo.returncode == 0, pseudo.stderr
    full = bip("--db", db, "--login", "TL", "--password-stdin", "export",
               "--out", str(tmp_path / "full"), stdin=PASSWORD + "\n")  # fmt: skip
    assert full.returncode == 5 and not (tmp_path / "full").exists()
    stats = bip("--db", db, "--login", "BN", "--password-stdin", "stats", stdin=PASSWORD + "\n")
    assert stats.returncode == 5 and "statistik" in stats.stderr

    # A database without accounts: --login makes no sense and is refused, not ignored.
    from bip_talk.store import Store, open_database

    local = tmp_path / "local.db"
    Store(open_database(local)).close()
    out = bip("--db", str(local), "--login", "BN", "report", cid)
    assert out.returncode == 2 and "ingen personlige konti – udelad --login" in out.stderr


def test_access_log_command(server: Server) -> None:
    db = str(server.path)
    cid = server.citizen_id
    bip("--db", db, "--login", "BN", "--password-stdin", "report", cid, stdin=PASSWORD + "\n")
    bip("--db", db, "--login", "TL", "--password-stdin", "report", cid, stdin=PASSWORD + "\n")
    out = bip("--db", db, "--login", "AD", "--password-stdin", "access-log", "--citizen", cid,
              stdin=PASSWORD + "\n")  # fmt: skip
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith("Tidspunkt")
    assert any(" BN " in x and "view" in x and "report" in x and cid in x for x in lines)
    assert any(" TL " in x and "refused" in x and "report" in x for x in lines)
    only_tl = bip("--db", db, "--login", "AD", "--password-stdin", "access-log", "--user", "TL",
                  "--since", "01.01.2000", stdin=PASSWORD + "\n")  # fmt: skip
    assert only_tl.returncode == 0 and all(" TL " in x for x in only_tl.stdout.splitlines()[1:])
    future = bip("--db", db, "--login", "AD", "--password-stdin", "access-log", "--since",
                 "2999-01-01", stdin=PASSWORD + "\n")  # fmt: skip
    assert "Ingen rækker" in future.stdout
    bad = bip("--db", db, "access-log", "--since", "igår")
    assert bad.returncode == 2 and "skriv den som dd.mm.åååå" in bad.stderr
    short = bip("--db", db, "access-log", "--delete-older-than", "30")
    assert short.returncode == 2 and "mindst 180 dage" in short.stderr
    caseworker = bip("--db", db, "--login", "BN", "--password-stdin", "access-log",
                     stdin=PASSWORD + "\n")  # fmt: skip
    assert caseworker.returncode == 5 and "adgangsloggen" in caseworker.stderr


def test_serve_refuses_what_would_be_unsafe(tmp_path: Path) -> None:
    from bip_talk.store import Store, open_database

    local = tmp_path / "local.db"

    Store(open_database(local)).close()  # a database without accounts
    out = bip("--db", str(local), "serve", "--port", "8799")
    assert out.returncode == 2 and "har ingen personlige konti" in out.stderr
    assert "user add" in out.stderr
    wide = bip("--db", str(local), "serve", "--host", "0.0.0.0", "--port", "8799")
    assert "ADVARSEL" in wide.stderr and "TLS" in wide.stderr  # said before anything else
    assert wide.returncode == 2
    demo = bip("serve", "--demo", "--host", "0.0.0.0")
    assert demo.returncode == 2 and "--demo kun på 127.0.0.1" in demo.stderr
    bad_url = bip("serve", "--demo", "--public-url", "ftp://x")
    assert bad_url.returncode == 2 and "ftp://x" in bad_url.stderr
    idle = bip("serve", "--demo", "--idle-minutes", "nul")
    assert idle.returncode == 2 and "--idle-minutes: 'nul'" in idle.stderr
    missing = bip("--db", str(tmp_path / "none.db"), "serve")
    assert missing.returncode == 3


def _citizens(server: Server) -> int:
    db = server.db()
    try:
        return pg.count(db, "citizens")
    finally:
        db.close()


def test_seed_never_writes_into_a_job_centre_database(server: Server) -> None:
    before = server.path.read_bytes() if server.on_file else _citizens(server)
    out = bip("seed", "--citizens", "5", "--append", "--db", str(server.path))
    assert out.returncode == 2 and "får ingen syntetiske borgere" in out.stderr
    assert (server.path.read_bytes() if server.on_file else _citizens(server)) == before


def test_serve_on_a_postgresql_database(pg_url: str, tmp_path: Path) -> None:
    """`serve --db postgresql://…` checks the database as for a file (no accounts:
    refused), starts, answers, and keeps the URL's password out of what it prints."""
    import signal
    import urllib.request

    from tests.e2e.serve_support import free_port
    from tests.pg_server import APP_PASSWORD

    refused = bip("--db", pg_url, "serve", "--port", str(free_port()))
    assert refused.returncode == 2 and "har ingen personlige konti" in refused.stderr
    assert APP_PASSWORD not in refused.stderr
    added = bip("--db", pg_url, "user", "add", "AD", "--name", "Asta Admin", "--role", "admin",
                "--password-stdin", stdin="astas-kode-12\n")  # fmt: skip
    assert added.returncode == 0, added.stderr
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("BIP_TALK_")}
    log_path = tmp_path / "serve.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "bip_talk", "--db", pg_url, "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while "kører på" not in log_path.read_text(encoding="utf-8"):
                assert process.poll() is None, log_path.read_text(encoding="utf-8")
                assert time.monotonic() < deadline, "bip-talk serve did not start"
                time.sleep(0.1)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
                assert page.status == 200
        finally:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=20)
    shown = log_path.read_text(encoding="utf-8")
    assert pg.db_name(pg_url) in shown and APP_PASSWORD not in shown


def test_an_account_name_with_a_control_character_is_refused(tmp_path: Path) -> None:
    out = bip("--db", str(tmp_path / "n.db"), "user", "add", "AB", "--name", "Evil\x1b]0;x\x07",
              "--role", "admin", "--password-stdin", stdin="abcdefghijkl\n")  # fmt: skip
    assert out.returncode == 2 and "styretegn" in out.stderr and "\x1b" not in out.stderr
