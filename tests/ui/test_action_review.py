"""The opening's action review through real keys: the cursor stays where the user put
it, each mark lands on the action marked ▶, "still running" keeps an intervention open
and out of the suggestions, and 0 takes a mark back."""

from __future__ import annotations

from bip_talk.ui.screens.opening import OpeningScreen
from bip_talk.ui.widgets.marked import MarkedOptionList

from .conftest import add_history
from .screen_text import highlighted_rows, screen_text


def _plan(db, cid: str) -> list[int]:
    cw = db.caseworker_by_initials("TS")
    last = db.meetings_for(cid)[-1]
    ids = []
    for kind, title in (
        ("virksomhedspraktik", "Praktik i Netto"),
        ("vejledning_opkvalificering", "Kursus i truckkørsel"),
        ("other", "Ring til lægen"),
    ):
        ids.append(
            db.add_plan_item(
                cid, actor=cw.id, meeting_id=last.id, kind=kind, title=title, responsible="Borger"
            ).id
        )
    return ids


def _marked(app) -> str:
    """The list row that carries the cursor (the hint names the ▶ too)."""
    (row,) = [r for r in highlighted_rows(screen_text(app)) if "│ ▶" in r]
    return row


async def test_mark_move_still_running_and_undo(app, ws, db):
    cid = add_history(ws)
    praktik, kursus, laege = _plan(db, cid)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        meeting = app.screen.session.meeting.id
        listing = app.screen.query_one(MarkedOptionList)
        assert "Praktik i Netto" in _marked(app) and "○ åben" in _marked(app)

        await pilot.press("1")  # done – and the cursor stays on it
        await pilot.pause()
        assert listing.highlighted == 0
        assert "Praktik i Netto" in _marked(app) and "✓ gennemført" in _marked(app)
        assert db.plan_item(praktik).status == "done"

        await pilot.press("1")  # again: the same action, still done, nothing else marked
        await pilot.pause()
        assert db.plan_item(kursus).reviewed_in is None

        await pilot.press("down", "4")  # the course is still running
        await pilot.pause()
        assert "Kursus i truckkørsel" in _marked(app) and "↻ stadig i gang" in _marked(app)
        item = db.plan_item(kursus)
        assert (item.status, item.reviewed_in) == ("open", meeting)

        await pilot.press("down", "2")
        await pilot.pause()
        assert "Ring til lægen" in _marked(app) and "◐ delvist" in _marked(app)

        await pilot.press("up", "0")  # undo the course's mark
        await pilot.pause()
        assert "Kursus i truckkørsel" in _marked(app) and "○ åben" in _marked(app)
        item = db.plan_item(kursus)
        assert (item.status, item.reviewed_in) == ("open", None)
        # The other marks are untouched.
        assert db.plan_item(praktik).status == "done"
        assert db.plan_item(laege).status == "partly"

        await pilot.press("0")  # nothing to undo: it says so, nothing changes
        await pilot.pause()
        assert any("ikke noget at fortryde" in n.message for n in app._notifications)
        assert db.plan_item(kursus).reviewed_in is None

        await pilot.press("4")
        await pilot.pause()
        text = " ".join(screen_text(app).split())  # the hint wraps
        assert "↻ stadig i gang" in text and "✓ gennemført" in text and "◐ delvist" in text
        assert "4 stadig i gang" in text and "0 fortryd" in text  # the hint says so


async def test_a_running_intervention_is_not_suggested_again(app, ws, db):
    cid = add_history(ws)
    db.db["citizens"].update(cid, {"target_group": "aktivitetsparat"})
    praktik, _, _ = _plan(db, cid)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        session = app.screen.session
        await pilot.press("4")  # the placement still runs
        await pilot.pause()
        suggested = app.casework.suggestions(session)
        fresh = [s for s in suggested if s.kind == "virksomhedspraktik" and s.keep_going is None]
        assert not fresh, [s.kind for s in suggested]
        await pilot.press("enter")
        await pilot.pause()
        # The next meeting reviews it again: it is still open.
        assert db.plan_item(praktik).status == "open"


async def test_the_cursor_is_marked_at_80x24(app, ws, db):
    cid = add_history(ws)
    _plan(db, cid)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        await pilot.press("down")
        await pilot.pause()
        text = " ".join(screen_text(app).split())
        assert "Kursus i truckkørsel" in _marked(app)
        assert "Enter til spørgsmålene" in text


async def test_a_long_action_wraps_under_its_title_at_80x24(app, ws, db):
    """The walkthrough: "│ praktikken – Mette og sagsbehandleren" under the mark."""
    cid = add_history(ws)
    cw = db.caseworker_by_initials("TS")
    last = db.meetings_for(cid)[-1]
    title = "Spørg lageret, om der er mulighed for løntilskud efter praktikken i foråret"
    db.add_plan_item(cid, actor=cw.id, meeting_id=last.id, kind="other", title=title)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        lines = screen_text(app).splitlines()
        first = next(n for n, line in enumerate(lines) if "│ ▶ ○ åben" in line)
        column = lines[first].index("Spørg")
        follow = lines[first + 1]
        assert follow[column - 1] == " " and follow[column].isalpha(), (lines[first], follow)


async def test_no_actions_no_marks_in_the_footer(app, ws):
    """The walkthrough: "1 Gennemført 2 Delvist" under "Der er ingen åbne aftaler"."""
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen) and not app.screen.items
        footer = screen_text(app).splitlines()[-1]
        assert "Gennemført" not in footer and "Delvist" not in footer
        assert "spørgsmålene" in footer.lower()
        # The words say there were no agreements; no second line says it again.
        text = " ".join(screen_text(app).split())
        assert "Vi lavede ingen faste aftaler sidst." in text
        assert "ingen åbne aftaler" not in text


async def test_an_action_past_its_date_says_so_in_the_list(app, ws, db):
    """The opening words said "(den dato er passeret)"; the list under them said only
    "○ åben". Now an unmarked action due before today reads "○ dato passeret" there too,
    one due later "○ åben", and 0 on a mark brings the right word back."""
    cid = add_history(ws)
    cw = db.caseworker_by_initials("TS")
    last = db.meetings_for(cid)[-1]
    for title, due in (("Praktik i Netto", "2001-02-03"), ("Kursus i truckkørsel", "2999-01-01")):
        db.add_plan_item(
            cid, actor=cw.id, meeting_id=last.id, kind="other", title=title, due_on=due
        )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        text = screen_text(app)
        (late,) = [r for r in text.splitlines() if "Praktik i Netto" in r and "│" in r]
        (later,) = [r for r in text.splitlines() if "Kursus i truckkørsel" in r and "│" in r]
        assert "○ dato passeret" in late and "○ åben" in later, text
        await pilot.press("1")
        await pilot.pause()
        assert "✓ gennemført" in _marked(app)
        await pilot.press("0")
        await pilot.pause()
        assert "Praktik i Netto" in _marked(app) and "○ dato passeret" in _marked(app)
