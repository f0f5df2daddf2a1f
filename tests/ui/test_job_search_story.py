"""The job search's rating and channels tell one story on the meeting screen (the
walkthrough's item 16): "g Jeg søger ikke job" once unticked the other channels
silently and was taken beside "2 Sjældent", after which the prompt asked "Hvad gjorde
du selv, som hjalp?". Now what a choice takes away is said on the screen, a key that
would make the two disagree is refused with what to press instead, and nothing
changes in the database when it is refused."""

from __future__ import annotations

import pytest

from .conftest import add_history
from .screen_text import screen_text
from .test_meeting_screen import open_meeting


def _said(app) -> str:
    return " ".join(n.message for n in app._notifications)


def _saved(db, session) -> dict:
    answers = db.answers([session.meeting.id])[session.meeting.id]
    return {item: a for (side, item), a in answers.items() if side == "citizen"}


async def _at_job_search(app, pilot, cid):
    session = await open_meeting(app, pilot, cid)
    session.go(step=session.steps.index("jobsoeg"), side="citizen")
    app.screen.render_step()
    await pilot.pause()
    return session


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_not_searching_says_what_it_removed_and_refuses_a_rating_above_1(app, ws, db, size):
    cid = add_history(ws)
    async with app.run_test(size=size) as pilot:
        session = await _at_job_search(app, pilot, cid)
        await pilot.press("c", "b")  # asks a workplace, job sites
        await pilot.press("g")  # "Jeg søger ikke job"
        await pilot.pause()
        assert _saved(db, session)["kanaler"].choices == ("soeger_ikke",)
        assert "g  ☒ Jeg søger ikke job" in screen_text(app)
        assert (
            "«Jeg søger ikke job» kan ikke vælges sammen med andet, så «Jobsider på "
            "internettet» og «Jeg spørger selv en arbejdsplads» er fjernet." in _said(app)
        )
        await pilot.press("2")  # "Sjældent" beside "not searching": refused
        await pilot.pause()
        assert "jobsoeg" not in _saved(db, session)
        assert session.active == "citizen"  # nothing moved on
        assert (
            "Svaret 2 (Sjældent) passer ikke med «Jeg søger ikke job», som er valgt. "
            "Tast g for at fjerne «Jeg søger ikke job» først" in _said(app)
        )
        await pilot.press("1")  # "Jeg søger ikke": the same story
        await pilot.pause()
        assert _saved(db, session)["jobsoeg"].value == 1


async def test_a_rating_first_refuses_the_choice_that_contradicts_it(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        session = await _at_job_search(app, pilot, cid)
        await pilot.press("2")  # Sjældent; the caseworker's turn
        await pilot.press("g")  # back on the citizen's side: refused
        await pilot.pause()
        assert "kanaler" not in _saved(db, session)
        assert (
            "«Jeg søger ikke job» passer ikke med svaret 2 (Sjældent). "
            "Tast 1 (Jeg søger ikke) først" in _said(app)
        )
        await pilot.press("a")  # a way of searching fits "Sjældent"
        await pilot.pause()
        assert _saved(db, session)["kanaler"].choices == ("aviser",)
        # The citizen has rated: the letter leaves the next digit to the caseworker.
        assert session.active == "caseworker"
        # Now 1 ("Jeg søger ikke") beside a way of searching is refused the other way.
        await pilot.press("tab", "1")
        await pilot.pause()
        assert _saved(db, session)["jobsoeg"].value == 2
        assert (
            "Svaret 1 (Jeg søger ikke) passer ikke med «Aviser», som er valgt. "
            "Tast a for at fjerne valget først" in _said(app)
        )


async def test_not_searching_at_1_then_a_channel_is_refused(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await _at_job_search(app, pilot, cid)
        await pilot.press("1", "5", "f")  # citizen 1, caseworker 5, then a temp agency
        await pilot.pause()
        assert "kanaler" not in _saved(db, session)
        assert (
            "«Et vikarbureau» passer ikke med svaret 1 (Jeg søger ikke). "
            "Vælg først et andet svar end 1" in _said(app)
        )
        await pilot.press("g")  # "not searching" fits 1
        await pilot.pause()
        assert _saved(db, session)["kanaler"].choices == ("soeger_ikke",)
