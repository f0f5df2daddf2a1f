"""A throwaway PostgreSQL server for the tests and the benchmarks.

``initdb`` into a temporary folder, listening only on a Unix socket in that folder
(no TCP port, nothing another machine can reach), stopped and deleted at the end.
PostgreSQL refuses to run as root: as root the server runs as the ``postgres`` user
the Debian package creates (``runuser -u postgres``), in a folder that user owns.

Two roles: ``bip_admin`` (the superuser, trusted on the socket: it creates and drops
the test databases) and ``bip_talk`` (what the app logs in as: a password, no
superuser, allowed to create databases for the per-test copies).

Run by hand for a server to try things on (Ctrl-C stops it)::

    .venv/bin/python -m tests.pg_server
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

ADMIN = "bip_admin"
APP_USER = "bip_talk"
APP_PASSWORD = "synthetic-test-password"  # a throwaway server on a private socket
RUN_AS = "postgres"  # the Debian package's system user, when we are root


class Unavailable(Exception):
    """PostgreSQL cannot be started here; the message says why."""


def find_bindir() -> Path | None:
    """The newest PostgreSQL server binaries: Debian keeps them out of PATH."""
    found = shutil.which("initdb") or shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = glob.glob("/usr/lib/postgresql/*/bin/initdb")
    candidates.sort(
        key=lambda p: int(Path(p).parent.parent.name) if Path(p).parent.parent.name.isdigit() else 0
    )
    return Path(candidates[-1]).parent if candidates else None


@dataclass
class Server:
    bindir: Path
    folder: Path
    user: str | None  # who the server runs as (None: this process's user)

    @property
    def socket_dir(self) -> Path:
        return self.folder

    def url(
        self, database: str, *, user: str = APP_USER, password: str | None = APP_PASSWORD
    ) -> str:
        auth = quote(user) + (f":{quote(password)}" if password else "")
        return f"postgresql://{auth}@/{quote(database)}?host={quote(str(self.socket_dir))}"

    def admin_url(self, database: str = "postgres") -> str:
        return self.url(database, user=ADMIN, password=None)

    def admin(self):  # -> psycopg.Connection
        import psycopg

        return psycopg.connect(self.admin_url(), autocommit=True)

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(a) for a in args]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    def stop(self) -> None:
        data = self.folder / "data"
        if (data / "postmaster.pid").exists():
            self._run(self.bindir / "pg_ctl", "-D", data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def start(*, durable: bool = False) -> Server:
    """Start a server; ``durable=False`` (the tests) turns fsync off for speed.
    Raises ``Unavailable`` with the reason when it cannot."""
    bindir = find_bindir()
    if bindir is None:
        raise Unavailable(
            "PostgreSQL is not installed (Debian: apt-get install postgresql; "
            "or set BIP_TALK_TEST_PG to a server's URL)"
        )
    user = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(RUN_AS)
        except KeyError:
            raise Unavailable(
                f"running as root and there is no '{RUN_AS}' user to run it"
            ) from None
        user = RUN_AS
    folder = Path(tempfile.mkdtemp(prefix="bip-pg-"))
    server = Server(bindir, folder, user)
    try:
        if user:
            entry = pwd.getpwnam(user)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        os.chmod(folder, 0o700)
        _init(server)
        _launch(server, durable)
        _roles(server)
    except BaseException:
        server.stop()
        raise
    return server


def _init(server: Server) -> None:
    data = server.folder / "data"
    done = server._run(
        server.bindir / "initdb",
        "-D",
        data,
        "-U",
        ADMIN,
        "--auth-local=trust",
        "--auth-host=scram-sha-256",
        "--encoding=UTF8",
        "--locale=C",
        "--data-checksums",
    )
    if done.returncode != 0:
        raise Unavailable(f"initdb failed: {done.stderr.strip()[-500:]}")
    # The superuser is trusted on the socket; everyone else gives a password.
    (data / "pg_hba.conf").write_text(
        f"local all {ADMIN} trust\nlocal all all scram-sha-256\n", encoding="utf-8"
    )
    if server.user:
        entry = pwd.getpwnam(server.user)
        os.chown(data / "pg_hba.conf", entry.pw_uid, entry.pw_gid)


def _launch(server: Server, durable: bool) -> None:
    data = server.folder / "data"
    options = [
        f"-k {server.socket_dir}",
        "-c listen_addresses=''",
        "-c max_connections=120",
        "-c shared_buffers=128MB",
    ]
    if not durable:
        options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
    done = server._run(
        server.bindir / "pg_ctl",
        "-D",
        data,
        "-l",
        server.folder / "server.log",
        "-o",
        " ".join(options),
        "-w",
        "-t",
        "60",
        "start",
    )
    if done.returncode != 0:
        log = ""
        with contextlib.suppress(OSError):
            log = (server.folder / "server.log").read_text(errors="replace")[-800:]
        raise Unavailable(f"pg_ctl start failed: {done.stderr.strip()[-300:]} {log}")


def _roles(server: Server) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            conn = server.admin()
            break
        except Exception as exc:  # noqa: BLE001 - the server is still starting
            if time.monotonic() > deadline:
                raise Unavailable(f"the server did not answer: {exc}") from None
            time.sleep(0.1)
    with conn:
        conn.execute(
            f"CREATE ROLE {APP_USER} LOGIN CREATEDB PASSWORD '{APP_PASSWORD}'"  # noqa: S608
        )


def main() -> None:
    # Stopped with kill (SIGTERM) too, not only Ctrl-C: the server goes with it.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    server = start()
    try:
        print("admin:", server.admin_url())
        print("app:  ", server.url("postgres"))
        print("Ctrl-C stops the server and deletes it.")
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
