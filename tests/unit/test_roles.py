"""Roles on a database with personal accounts: each role reaches what it may and is
refused – with a clear message, and a row in the access log – where it must be.
Every use case passes ``Casework._reach``, so the checks here cover the screens and
the commands alike (the CLI's own tests are in test_accounts_cli.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bip_talk.domain.access import ALLOWED, PURPOSES, ROLES, allowed
from bip_talk.errors import AccessRefused
from bip_talk.services.casework import Casework
from tests import pg
from tests.unit.server_data import ACCOUNTS, PASSWORD, Server, built_on, copy_server


@pytest.fixture(scope="module", params=pg.DIALECTS)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Server:
    return built_on(request, tmp_path_factory.mktemp("roles"))


@pytest.fixture
def server(built: Server, tmp_path: Path, request: pytest.FixtureRequest) -> Server:
    return copy_server(built, tmp_path / "copy", request)


# One real use case per purpose a role may be refused: (purpose, call).
def _uses(citizen: str, out: Path) -> list[tuple[str, Callable[[Casework], object]]]:
    return [
        ("search", lambda c: c.search_citizens("")),
        ("overview", lambda c: c.citizen_overview(citizen)),
        ("handover", lambda c: c.handover(citizen)),
        ("meeting", lambda c: c.open_meeting(citizen)),
        ("plan", lambda c: c.suggestions_on(citizen)),
        ("report", lambda c: c.render_report(citizen, fmt="md", audience="citizen")),
        ("audit", lambda c: c.audit_trail(citizen)),
        ("access", lambda c: c.write_access(citizen, out / "access")),
        ("outcome", lambda c: c.outcomes(citizen)),
        ("export", lambda c: c.export(out / "full", fmt="csv", pseudonymize=False)),
        (
            "export-pseudonymised",
            lambda c: c.export(out / "pseudo", fmt="csv", pseudonymize=True),
        ),
        ("stats", lambda c: c.stats(fmt="text")),
        ("accounts", lambda c: c.accounts()),
        ("access-log", lambda c: c.access_log()),
        ("create", lambda c: c.create_citizen("Ny Prøveborger")),
        ("training", lambda c: c.require("training")),
    ]


def test_the_role_table_is_what_the_issue_asks() -> None:
    citizen_data = {
        "search",
        "create",
        "edit",
        "overview",
        "reassign",
        "handover",
        "meeting",
        "plan",
        "report",
        "audit",
        "access",
        "erase",
        "import",
        "export",
        "outcome",
    }
    for purpose in citizen_data:  # real citizens: caseworkers only
        assert ALLOWED[purpose] == {"caseworker"}, purpose
    assert ALLOWED["export-pseudonymised"] == {"team-lead"}  # no names
    assert "caseworker" not in ALLOWED["stats"] and "team-lead" in ALLOWED["stats"]
    assert ALLOWED["accounts"] == ALLOWED["access-log"] == {"admin"}
    assert ALLOWED["training"] == {"caseworker", "trainer"}
    assert all(allowed(None, p) for p in PURPOSES)  # no accounts: single-user local use


@pytest.mark.parametrize("role", ROLES)
def test_each_role_reaches_what_it_may_and_is_refused_the_rest(
    server: Server, tmp_path: Path, role: str
) -> None:
    ws, casework = server.as_role(role)  # type: ignore[arg-type]
    try:
        refused = []
        for purpose, use in _uses(server.citizen_id, tmp_path):
            try:
                use(casework)
            except AccessRefused as exc:
                refused.append(purpose)
                assert "(" in exc.message and "logget" in exc.message  # role named, logged
        expected = [p for p, _ in _uses(server.citizen_id, tmp_path) if role not in ALLOWED[p]]
        assert refused == expected
        log = ws.open(channel="cli").log_in("AD", PASSWORD).access_log(initials=ACCOUNTS[role][0])
        logged = [e.purpose for e in log if e.event == "refused"]
        assert logged == expected
    finally:
        ws.close()


def test_the_refusal_names_the_role_and_what_was_refused(server: Server) -> None:
    ws, lead = server.as_role("team-lead")
    try:
        with pytest.raises(AccessRefused) as refused:
            lead.citizen_overview(server.citizen_id)
        assert refused.value.message == (
            "Din rolle (teamleder) giver ikke adgang til: borgerens side. Afvisningen er logget."
        )
        assert refused.value.exit_code == 5
    finally:
        ws.close()


def test_nobody_passes_without_logging_in(server: Server) -> None:
    ws, nobody = server.as_role(None)
    try:
        for call in (
            lambda: nobody.search_citizens(""),
            lambda: nobody.citizen_overview(server.citizen_id),
            lambda: nobody.caseworkers(),
            lambda: nobody.signed_in("XY", "Ikke Logget Ind"),  # no initials sign-in
        ):
            with pytest.raises(AccessRefused, match="log ind først"):
                call()
        assert nobody.has_accounts()
    finally:
        ws.close()


def test_a_disabled_account_is_refused_at_its_next_step(server: Server) -> None:
    ws, caseworker = server.as_role("caseworker")
    ws2, admin = server.as_role("admin")
    try:
        caseworker.citizen_overview(server.citizen_id)
        admin.set_account_active("BN", False)  # another process disables the account
        with pytest.raises(AccessRefused, match="spærret"):
            caseworker.citizen_overview(server.citizen_id)
        admin.set_account_active("BN", True)
        assert caseworker.citizen_overview(server.citizen_id).citizen.id == server.citizen_id
    finally:
        ws.close()
        ws2.close()


def test_a_database_without_accounts_stays_single_user(tmp_path: Path, pack) -> None:
    """The initials sign-in and every use case work as before accounts existed."""
    from bip_talk.services.workstation import Workstation
    from bip_talk.settings import Preferences, Settings

    ws = Workstation(
        Settings(data_dir=tmp_path / "data", db_path=tmp_path / "local.db"),
        Preferences(caseworker_name="Lokal Bruger", caseworker_initials="LB"),
    )
    try:
        casework = ws.open(sign_in=True)
        assert not casework.has_accounts() and casework.role is None
        citizen = casework.create_citizen("Lokal Prøveborger")
        assert casework.citizen_overview(citizen.id).citizen.display_name == "Lokal Prøveborger"
        casework.export(tmp_path / "out", fmt="csv", pseudonymize=False)
    finally:
        ws.close()
