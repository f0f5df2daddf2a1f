"""Outcomes from the citizen screen: `u` lists them, `n` notes one (kind and date),
Enter corrects it, `d` removes it after asking; a future date is refused in the dialog
and nothing is stored. What is stored is what `bip-talk stats` counts."""

from __future__ import annotations

from bip_talk import clock
from bip_talk.domain.dates import entry_text
from bip_talk.ui.screens.citizen import CitizenScreen
from bip_talk.ui.screens.outcomes import OutcomeDialog, OutcomesScreen

from .conftest import add_history, direct
from .screen_text import highlighted_rows, screen_text


def _stored(ws, cid: str) -> list[tuple[str, str]]:
    with direct(ws) as store:
        rows = store.db.execute(
            "SELECT kind, occurred_on FROM outcomes WHERE citizen_id = ? ORDER BY id", [cid]
        ).fetchall()
    return [(kind, day) for kind, day in rows]


async def _open_outcomes(app, pilot, cid: str) -> OutcomesScreen:
    await pilot.pause()
    app.open_citizen(cid)
    await pilot.pause()
    assert isinstance(app.screen, CitizenScreen)
    assert "Afslutninger: Der er ikke noteret noget endnu." in screen_text(app)
    await pilot.press("u")
    await pilot.pause()
    assert isinstance(app.screen, OutcomesScreen)
    return app.screen


async def test_note_correct_and_remove_an_outcome(app, ws) -> None:
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_outcomes(app, pilot, cid)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeDialog)
        date_box = app.screen.query_one("#occurred-on")
        assert date_box.value == entry_text(clock.today().isoformat())  # today, editable
        assert date_box.placeholder == "dd.mm.åååå"
        date_box.value = "01.09.2026"  # as the screens show dates
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _stored(ws, cid) == [("job", "2026-09-01")]
        assert isinstance(app.screen, OutcomesScreen)
        rows = highlighted_rows(screen_text(app))
        assert len(rows) == 1 and "Ordinært job fra 01.09.2026" in rows[0]

        await pilot.press("enter")  # correct it: education instead of a job
        await pilot.pause()
        assert isinstance(app.screen, OutcomeDialog)
        await pilot.press("right", "right")  # job -> subsidised -> education
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _stored(ws, cid) == [("education", "2026-09-01")]
        assert "Uddannelse påbegyndt fra 01.09.2026" in screen_text(app)

        await pilot.press("d")
        await pilot.pause()
        assert "Fjern «Uddannelse påbegyndt fra 01.09.2026»?" in screen_text(app)
        await pilot.press("j")
        await pilot.pause()
        assert _stored(ws, cid) == []
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CitizenScreen)
        assert "Afslutninger: Der er ikke noteret noget endnu." in screen_text(app)


async def test_a_future_date_is_refused_in_the_dialog(app, ws) -> None:
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await _open_outcomes(app, pilot, cid)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#occurred-on").value = "2999-01-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeDialog), "the dialog stays open"
        assert "2999-01-01 ligger i fremtiden" in screen_text(app)
        assert _stored(ws, cid) == []
        app.screen.query_one("#occurred-on").value = "31.02.2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, OutcomeDialog)
        assert "«31.02.2026» er ikke en dato. Skriv den som dd.mm.åååå" in screen_text(app)
        assert _stored(ws, cid) == []


async def test_the_citizen_screen_lists_what_happened(app, ws) -> None:
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open_outcomes(app, pilot, cid)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#occurred-on").value = "2026-10-15"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert "Afslutninger: Ordinært job fra 15.10.2026" in screen_text(app)
