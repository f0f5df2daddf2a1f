"""Today's notes in the meeting and the overview: a shared note written on a topic is
marked on the step's line; `n` there shows it and Ctrl+R opens it to be corrected (or
made private), while `n` alone still writes a new note;
the overview lists the shared ones in the citizen's words; a private note, or one
taken at the caseworker's own step, is never on the shared screen."""

from __future__ import annotations

from textual.widgets import Static, TextArea

from bip_talk.domain.pack import is_private_indicator
from bip_talk.ui.screens.note import NoteScreen
from bip_talk.ui.screens.review import ReviewScreen

from .conftest import add_history
from .screen_text import screen_text
from .test_meeting_screen import open_meeting


def said(app) -> str:
    """The last message the app gave (a notification)."""
    return list(app._notifications)[-1].message


async def _write(pilot, app, text: str) -> None:
    await pilot.press("n")
    await pilot.pause()
    assert isinstance(app.screen, NoteScreen)
    app.screen.query_one(TextArea).text = text
    await pilot.press("ctrl+s")
    await pilot.pause()


async def test_a_shared_note_is_marked_and_opens_again_to_be_corrected(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await open_meeting(app, pilot, cid)
        step_line = next(x for x in screen_text(app).splitlines() if "Emne 1 af" in x)
        assert "✎" not in step_line
        await _write(pilot, app, "Vil gerne prøve lagerarbejde")
        step_line = next(x for x in screen_text(app).splitlines() if "Emne 1 af" in x)
        assert "Dit helbred · ✎ note" in step_line
        await pilot.press("n")  # the same topic: a new note, the saved one shown above it
        await pilot.pause()
        text = screen_text(app)
        assert "Note til: Dit helbred" in text and app.screen.query_one(TextArea).text == ""
        earlier = str(app.screen.query_one("#note-earlier", Static).render())
        assert (
            earlier
            == "Gemt på emnet i denne samtale: «Vil gerne prøve lagerarbejde» · Ctrl+R retter den"
        )
        await pilot.press("ctrl+r")  # to correct it
        await pilot.pause()
        assert "Ret noten til: Dit helbred" in screen_text(app)
        assert "Gemt på emnet i denne samtale" not in screen_text(app)
        area = app.screen.query_one(TextArea)
        assert area.text == "Vil gerne prøve lagerarbejde"
        assert area.cursor_location == area.document.end  # writing goes on at its end
        area.text = "Vil gerne prøve lagerarbejde om formiddagen"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Noten er rettet (delt med borgeren)." in said(app)
        (note,) = db.notes([session.meeting.id], include_private=True)
        assert (note.text, note.visibility) == (
            "Vil gerne prøve lagerarbejde om formiddagen",
            "shared",
        )
        changes = [a for a in db.audit_for(cid) if a.entity == "note" and a.action == "change"]
        assert len(changes) == 1 and "Vil gerne prøve lagerarbejde" in (changes[0].old or "")

        # Made private: off the step's line, and n no longer shows its text.
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+r")
        await pilot.pause()
        app.screen.query_one("#note-private").focus()
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Noten er nu kun for dig (privat)." in said(app)
        (note,) = db.notes([session.meeting.id], include_private=True)
        assert note.visibility == "private"
        step_line = next(x for x in screen_text(app).splitlines() if "Emne 1 af" in x)
        assert "✎" not in step_line
        await pilot.press("n")
        await pilot.pause()
        assert "Note til: Dit helbred" in screen_text(app)  # a new one, empty
        assert app.screen.query_one(TextArea).text == ""
        assert "formiddagen" not in screen_text(app)
        await pilot.press("ctrl+r")  # nothing shared to correct: nothing happens
        await pilot.pause()
        assert "formiddagen" not in screen_text(app) and app.screen.query_one(TextArea).text == ""


async def test_n_on_a_noted_topic_still_writes_a_new_note(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        session = await open_meeting(app, pilot, cid)
        await _write(pilot, app, "Første note")
        await _write(pilot, app, "Anden note")
        notes = session.notes(include_private=True)
        assert [n.text for n in notes] == ["Første note", "Anden note"]
        assert said(app) == "Noten er gemt (delt med borgeren)."
        await pilot.press("n")
        await pilot.pause()
        assert "«Anden note»" in screen_text(app)  # the latest is the one Ctrl+R corrects


async def test_the_overview_lists_todays_shared_notes_and_never_a_private_one(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        session = await open_meeting(app, pilot, cid)
        pack = session.pack
        own = next(s for s in session.steps if is_private_indicator(pack, s))
        health, daily = session.steps[0], session.steps[1]
        session.add_note("Ryggen driller om morgenen", private=False, indicator=health)
        session.add_note("Overvej en helbredsafklaring", private=True, indicator=health)
        session.add_note("Tror ikke selv på det", private=False, indicator=own)
        session.add_note(
            "[bold red]Står op kl. 6[/] og går\nen tur hver dag " + "med hunden " * 30,
            private=False,
            indicator=daily,
        )
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        text = screen_text(app)
        assert "Noter fra samtalen:" in text
        assert "✎ Dit helbred: Ryggen driller om morgenen" in text
        # Markup stays text; a long note takes two lines at most, cut at a word.
        (first, second) = [
            x
            for x in str(app.screen.query_one("#review-notes", Static).render()).splitlines()
            if "hunden" in x or "Står op" in x
        ]
        assert "✎ Din hverdag: [bold red]Står op kl. 6[/] og går en tur" in first
        assert second.startswith("    ") and second.rstrip().endswith("…")
        assert len(first) <= 118 and len(second) <= 118
        for hidden in ("Overvej en helbredsafklaring", "Tror ikke selv på det"):
            assert hidden not in text


async def test_at_80x24_a_note_is_one_line_and_two_are_listed(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await open_meeting(app, pilot, cid)
        health, daily = session.steps[0], session.steps[1]
        session.add_note("Ryggen driller om morgenen", private=False, indicator=health)
        session.add_note(
            "Står op kl. 6 og går " + "med hunden " * 10, private=False, indicator=daily
        )
        for n in range(3):
            session.add_note(f"Ekstra note {n}", private=False, indicator=daily)
        await pilot.press("r")
        await pilot.pause()
        lines = str(app.screen.query_one("#review-notes", Static).render()).splitlines()
        assert lines[0] == "Noter fra samtalen:"
        assert lines[1] == "  ✎ Dit helbred: Ryggen driller om morgenen"
        assert lines[2].startswith("  ✎ Din hverdag: Står op") and lines[2].endswith("…")
        assert lines[3] == "  +3 mere – alle står i opsummeringen (s gemmer den)"
        assert len(lines) == 4 and all(len(x) <= 78 for x in lines) and len(lines[2]) > 70
        # The table keeps its room: the first topics are still on the screen.
        assert "Dit helbred" in screen_text(app).split("Emne", 1)[-1]


async def test_the_overview_has_no_notes_section_without_shared_notes(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await open_meeting(app, pilot, cid)
        session.add_note("Kun for mig", private=True, indicator=session.steps[0])
        await pilot.press("r")
        await pilot.pause()
        assert not app.screen.query_one("#review-notes", Static).display
        assert "Noter fra samtalen" not in screen_text(app)
        assert "Kun for mig" not in screen_text(app)


async def test_ctrl_r_never_throws_away_what_was_typed(app, ws, db):
    """Typed first, then Ctrl+R: the words stay and the reason is given (loaded over
    them, they were lost – or a private thought joined the shared note)."""
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await open_meeting(app, pilot, cid)
        await _write(pilot, app, "Delt note")
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("#note-private").focus()
        await pilot.press("space")  # ticked for the new, private thought
        app.screen.query_one(TextArea).text = "Ny privat tanke"
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert app.screen.query_one(TextArea).text == "Ny privat tanke"
        assert "Gem den først (Ctrl+S), eller slet teksten" in screen_text(app)
        assert not app.screen.correcting
        await pilot.press("ctrl+s")
        await pilot.pause()
        notes = session.notes(include_private=True)
        assert [(n.text, n.visibility) for n in notes] == [
            ("Delt note", "shared"),
            ("Ny privat tanke", "private"),
        ]


async def test_a_note_at_the_caseworkers_own_rating_is_private_and_says_so(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await open_meeting(app, pilot, cid)
        own = next(s for s in session.steps if is_private_indicator(session.pack, s))
        session.go(step=session.steps.index(own))
        app.screen.render_step()
        await pilot.press("n")
        await pilot.pause()
        box = app.screen.query_one("#note-private")
        assert box.value and box.disabled
        assert "Noter ved din egen vurdering er altid private." in screen_text(app)
        app.screen.query_one(TextArea).text = "Min egen tvivl"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert said(app) == "Noten er gemt (privat)."
        (note,) = session.notes(include_private=True)
        assert (note.text, note.visibility, note.indicator) == ("Min egen tvivl", "private", own)


async def test_esc_asks_before_it_throws_a_typed_note_away(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await open_meeting(app, pilot, cid)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("escape")  # nothing typed: closes at once
        await pilot.pause()
        assert not isinstance(app.screen, NoteScreen)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "Vigtig sætning"
        await pilot.press("escape")
        await pilot.pause()
        assert "Kassér det, du har skrevet i noten?" in screen_text(app)
        await pilot.press("enter")  # "Nej" has the focus: Enter keeps the note
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        assert app.screen.query_one(TextArea).text == "Vigtig sætning"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("j")  # yes, discard
        await pilot.pause()
        assert not isinstance(app.screen, NoteScreen)
        assert session.notes(include_private=True) == []


async def test_the_opening_recalls_last_times_shared_notes_and_no_private_one(app, ws, db):
    from bip_talk.ui.screens.opening import OpeningScreen

    cid = add_history(ws)
    last = db.meetings_for(cid)[-1]
    cw = db.caseworker_by_initials("TS")
    own = next(i.id for i in ws.pack.indicators if is_private_indicator(ws.pack, i.id))
    for text, visibility, indicator in (
        ("Ryggen driller – vi taler med lægen", "shared", "helbred"),
        ("Overvej en helbredsafklaring", "private", "helbred"),
        ("Tror ikke selv på det", "shared", own),
    ):
        db.add_note(
            last.id, text, visibility=visibility, indicator=indicator, actor=cw.id, citizen_id=cid
        )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        notes = str(app.screen.query_one("#opening-notes", Static).render()).splitlines()
        assert notes == [
            f"Noter fra sidst ({last.held_on[8:10]}.{last.held_on[5:7]}.{last.held_on[:4]}):",
            "  ✎ Dit helbred: Ryggen driller – vi taler med lægen",
        ]
        text = screen_text(app)
        assert "Ryggen driller" in text
        for hidden in ("Overvej en helbredsafklaring", "Tror ikke selv på det"):
            assert hidden not in text
