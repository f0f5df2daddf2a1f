"""The citizen page of a long history at 80×24: the table's header on one line (the gap
column headed "≠", as the legend says), what its marks mean always in view below it,
and PgDn / PgUp to page through the rows that do not fit."""

from __future__ import annotations

from bip_talk.domain.meeting_history import Answer
from bip_talk.ui.screens.citizen import CitizenScreen

from .conftest import direct
from .screen_text import screen_text

# Every scored topic on both sides, six meetings: the table cannot fit 80×24 with the rest.
VALUES = [2, 3, 4, 3, 4, 5]


def _long_history(ws) -> str:
    pack = ws.pack
    with direct(ws) as store:
        cw = store.ensure_caseworker("TS", "Test Sagsbehandler")
        citizen = store.create_citizen("Lene Testesen", caseworker_id=cw.id)
        for n, value in enumerate(VALUES, start=1):
            meeting = store.start_meeting(
                citizen.id, cw.id, pack.id, pack.version, held_on=f"2026-0{n}-01"
            )
            for perspective in ("citizen", "caseworker"):
                for item in pack.items(perspective):
                    if item.type == "scale" and not item.private:
                        store.record_answer(
                            meeting.id,
                            perspective,
                            item.id,
                            Answer(value),
                            actor=cw.id,
                            citizen_id=citizen.id,
                        )
            store.complete_meeting(meeting.id, actor=cw.id)
        return citizen.id


async def test_a_long_history_fits_80x24_with_its_legend_and_pages(app, ws):
    cid = _long_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_citizen(cid)
        await pilot.pause()
        assert isinstance(app.screen, CitizenScreen)
        lines = screen_text(app).splitlines()
        header = next(line for line in lines if "Emne" in line and "Borger" in line)
        assert header.rstrip().endswith("≠") and "Sagsbehandler" in header
        assert all(len(line.rstrip()) <= 80 for line in lines)
        text = " ".join(screen_text(app).split())
        assert "4 (3) seneste samtale (den før)" in text
        assert "hele overblikket med ord: r i samtalen" in text
        rows = app.screen.query_one("#citizen-review")
        assert rows.max_scroll_y > 0  # more rows than room: it pages
        await pilot.press("pagedown")
        await pilot.pause()
        assert rows.scroll_y > 0
        assert "hele overblikket med ord" in " ".join(screen_text(app).split())  # still shown
        await pilot.press("pageup")
        await pilot.pause()
        assert rows.scroll_y == 0
