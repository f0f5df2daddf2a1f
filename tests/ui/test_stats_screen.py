"""The job centre's BIP tables on screen (team lead and admin, from the role page): the
same tables as ``bip-talk stats``, wrapped to the screen, no citizen named."""

from __future__ import annotations

from pathlib import Path

import pytest

from bip_talk.domain.pack import Pack
from bip_talk.services.synthetic.seed import seed_database
from tests.ui.screen_text import screen_text, wait_for_text
from tests.ui.test_login_lock import NAME, _app, _log_in
from tests.unit.server_data import PASSWORD, Server, build_server, copy_server


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, pack: Pack) -> Server:
    server = build_server(tmp_path_factory.mktemp("ui-stats"))
    # Enough citizens that the tables show figures, not "<5".
    seed_database(server.path, pack, citizens=40, seed=5, append=True, parallel=False)
    return server


@pytest.fixture
def server(built: Server, tmp_path: Path) -> Server:
    return copy_server(built, tmp_path / "copy")


@pytest.mark.parametrize("initials", ["TL", "AD"])
async def test_team_lead_and_admin_read_the_tables_on_screen(server: Server, initials) -> None:
    app = _app(server)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_text(pilot, "Log ind med dine")
        await _log_in(pilot, initials, PASSWORD)
        shown = await wait_for_text(pilot, "s: jobcentrets BIP-tal her på skærmen")
        assert "s Jobcentrets tal" in shown  # the key in the footer
        await pilot.press("s")
        shown = await wait_for_text(pilot, "1. Søger borgerne job?")
        assert type(app.screen).__name__ == "StatsScreen"
        assert "Jobcentrets egne BIP-tal" in shown and "Søger ikke job" in shown
        assert "%" in shown.split("Søger ikke job", 1)[1].splitlines()[0]  # a figure
        assert NAME not in shown and "B-" not in shown
        # Wrapped to the screen: no text line runs into the scroll bar's columns.
        text_lines = [line[:77] for line in shown.splitlines()[:-1]]
        assert all(not line[75:].strip() for line in text_lines), shown
        # ... and wrapped by the report itself: a source's next lines keep its indent.
        source = next(n for n, line in enumerate(text_lines) if "Kilde:" in line)
        assert text_lines[source + 1].startswith(" " * 6), shown
        await pilot.resize_terminal(120, 40)
        await pilot.pause(0.1)
        wide = screen_text(app)
        assert any(len(line.rstrip()) > 80 for line in wide.splitlines()[:-1]), wide
        await pilot.press("escape")
        await wait_for_text(pilot, "s: jobcentrets BIP-tal")
        assert type(app.screen).__name__ == "RoleScreen"


async def test_a_trainer_has_no_tables(server: Server) -> None:
    app = _app(server)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_text(pilot, "Log ind med dine")
        await _log_in(pilot, "TR", PASSWORD)
        shown = await wait_for_text(pilot, "rolle: underviser")
        assert "BIP-tal" not in shown and "Jobcentrets tal" not in shown
        await pilot.press("s")
        await pilot.pause(0.2)
        assert type(app.screen).__name__ == "RoleScreen"


async def test_leaving_before_the_count_ends_is_quiet(server: Server, monkeypatch) -> None:
    """Esc while the tables are still being counted: the count ends with nowhere to show
    and the app goes on (no error, the role page as it was)."""
    import threading

    from bip_talk.services.casework import Casework

    release = threading.Event()
    real = Casework.stats_view

    def slow(self, **kwargs):
        release.wait(5)
        return real(self, **kwargs)

    monkeypatch.setattr(Casework, "stats_view", slow)
    app = _app(server)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_text(pilot, "Log ind med dine")
        await _log_in(pilot, "TL", PASSWORD)
        await wait_for_text(pilot, "s: jobcentrets BIP-tal")
        await pilot.press("s")
        await wait_for_text(pilot, "Tæller jobcentrets målinger")
        await pilot.press("escape")
        await wait_for_text(pilot, "s: jobcentrets BIP-tal")
        release.set()
        await pilot.pause(0.5)
        assert type(app.screen).__name__ == "RoleScreen"
        assert "1. Søger borgerne job?" not in screen_text(app)
    assert app.return_code in (0, None)
