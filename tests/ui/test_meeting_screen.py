"""The meeting as a caseworker and citizen use it, through real key presses."""

from __future__ import annotations

from textual.widgets import Static

from bip_talk.domain.meeting_history import Answer
from bip_talk.services.meeting import MeetingSession
from bip_talk.ui.screens.meeting import MeetingScreen
from bip_talk.ui.screens.review import ReviewScreen
from bip_talk.ui.widgets.pane_lines import PaneLines
from bip_talk.ui.widgets.perspective_pane import PerspectivePane

from .conftest import add_history, session_of, workstation_for
from .screen_text import screen_text, widget_text


def pane_text(app, perspective: str) -> str:
    pane = app.screen.query_one(f"#pane-{perspective}", PerspectivePane)
    return "\n".join(pane.texts)


async def open_meeting(
    app, pilot, citizen_id: str, at: tuple[str, str] | None = None
) -> MeetingSession:
    """Open the meeting and go past the opening (last time's actions) to the questions;
    ``at``: then to that (step, side)."""
    from bip_talk.ui.screens.opening import OpeningScreen

    await pilot.pause()
    app.open_meeting(citizen_id)
    await pilot.pause()
    if isinstance(app.screen, OpeningScreen):
        await pilot.press("enter")
        await pilot.pause()
    assert isinstance(app.screen, MeetingScreen)
    session = session_of(app)
    if at is not None:
        step, side = at
        session.go(step=session.steps.index(step), side=side)
        app.screen.render_step()
    return session


async def test_rating_both_sides_saves_each_answer_at_once(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        session = await open_meeting(app, pilot, cid)
        await pilot.press("2")
        # Saved in the database the moment it was given, not at the end.
        saved = db.answers([session.meeting.id])[session.meeting.id]
        assert saved[("citizen", "helbred")] == Answer(2)
        assert session.active == "caseworker"  # moves to the side that has not answered
        await pilot.press("3")
        saved = db.answers([session.meeting.id])[session.meeting.id]
        assert saved[("caseworker", "helbred")] == Answer(3)


async def test_blind_rating_hides_caseworker_until_both_answered(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meeting(app, pilot, cid)
        await pilot.press("tab", "5")  # caseworker answers first
        await pilot.pause()
        text = pane_text(app, "caseworker")
        assert "● 5" not in text
        assert "skjult" in text
        await pilot.press("2")  # now the citizen
        await pilot.pause()
        assert "● 5" in pane_text(app, "caseworker")
        assert "● 2" in pane_text(app, "citizen")
        assert "Begge har svaret" in str(app.screen.query_one("#reveal-line", Static).render())


def reveal_line(app) -> str:
    return str(app.screen.query_one("#reveal-line", Static).render())


def prompt_box(app) -> str:
    return str(app.screen.query_one("#prompt-line", Static).render())


async def test_once_every_answer_is_in_the_line_says_which_key_goes_on(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:  # the footer has no room for → here
        session = await open_meeting(app, pilot, cid)
        assert "næste emne" not in reveal_line(app)
        await pilot.press("2")
        await pilot.pause()
        assert "næste emne" not in reveal_line(app)  # the caseworker has not answered
        await pilot.press("3")
        await pilot.pause()
        assert "Begge har svaret  ·  ⏎/→: næste emne" in reveal_line(app)
        # The last topic (only the caseworker's private judgement) goes on to the overview.
        session.go(step=len(session.steps) - 1, side="caseworker")
        app.screen.render_step()
        await pilot.pause()
        assert "overblikket" not in reveal_line(app)
        await pilot.press("4")
        await pilot.pause()
        assert reveal_line(app).strip() == "⏎/→: til overblikket"


async def test_blind_rating_off_shows_at_once(tmp_path):
    from bip_talk.settings import Preferences
    from bip_talk.ui.app import make_app

    ws = workstation_for(
        tmp_path, Preferences(caseworker_name="T", caseworker_initials="TS", blind_rating=False)
    )
    cid = add_history(ws)
    app = make_app(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meeting(app, pilot, cid)
        await pilot.press("tab", "5")
        await pilot.pause()
        assert "● 5" in pane_text(app, "caseworker")
    ws.close()


async def test_tab_switches_side_and_click_selects(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        session = await open_meeting(app, pilot, cid)
        assert session.active == "citizen"
        await pilot.press("tab")
        assert session.active == "caseworker"
        await pilot.press("tab")
        assert session.active == "citizen"
        lines = app.screen.query_one("#caseworker-lines", PaneLines)
        await pilot.click(lines, offset=(4, lines.row_of(4)))
        await pilot.pause()
        assert session.answer("caseworker", "helbred") == Answer(4)


async def test_wont_answer_and_navigation(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        session = await open_meeting(app, pilot, cid)
        await pilot.press("0")
        assert session.answer("citizen", "helbred") == Answer(declined=True)
        await pilot.press("enter", "enter")  # the caseworker has not rated: asked, then on
        assert session.step_id == "hverdag"
        await pilot.press("left")
        assert session.step_id == "helbred"
        assert "Vil ikke svare" in pane_text(app, "citizen")


async def test_enter_with_an_answer_missing_asks_once_then_goes_on(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await open_meeting(app, pilot, cid)
        await pilot.press("2")  # the citizen rated; the caseworker has not
        await pilot.press("enter")
        await pilot.pause()
        assert session.step_id == "helbred"  # a topic is not skipped without a word
        assert reveal_line(app).startswith("Mangler stadig svar fra: Sagsbehandler")
        # The keys in the box the prompts take once both have answered: whole at 80.
        how = prompt_box(app)
        assert how == "⏎/→ igen: videre uden svaret  ·  0: vil ikke svare"
        await pilot.press("right")  # either next key is the second press
        assert session.step_id == "hverdag"
        assert session.answer("caseworker", "helbred") is None
        # On the next topic the question is asked afresh.
        await pilot.press("enter")
        await pilot.pause()
        assert session.step_id == "hverdag"
        assert "Mangler stadig svar fra: Borger, Sagsbehandler" in reveal_line(app)
        await pilot.press("2", "3")  # both answer: the prompts have their box back
        await pilot.pause(0.5)
        assert "igen" not in prompt_box(app)
        assert "Begge har svaret" in reveal_line(app)


async def test_enter_on_a_finished_topic_goes_on_at_once(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        session = await open_meeting(app, pilot, cid)
        await pilot.press("2", "3", "enter")
        assert session.step_id == "hverdag"
        await pilot.press("left")  # back to a topic that is done: no question either
        await pilot.press("enter")
        assert session.step_id == "hverdag"


async def test_the_skip_question_names_the_keys_of_the_keymap(tmp_path):
    from bip_talk.settings import Preferences
    from bip_talk.ui.app import make_app

    prefs = Preferences(
        caseworker_name="T", caseworker_initials="TS", keymap={"next": "n", "decline": "x"}
    )
    ws = workstation_for(tmp_path, prefs)
    cid = add_history(ws)
    app = make_app(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        session = await open_meeting(app, pilot, cid)
        await pilot.press("n")
        await pilot.pause()
        assert prompt_box(app) == "n igen: videre uden svaret  ·  x: vil ikke svare"
        await pilot.press("x")  # the citizen won't answer; the caseworker still missing
        assert session.answer("citizen", "helbred") == Answer(declined=True)
        await pilot.press("n")
        assert session.step_id == "hverdag"
    ws.close()


async def test_earlier_answer_is_visible(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meeting(app, pilot, cid)
        assert "Sidst (01.08.2026): 4" in pane_text(app, "citizen")


async def test_job_search_channels_by_keyboard(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(120, 50)) as pilot:
        session = await open_meeting(app, pilot, cid, at=("jobsoeg", "citizen"))
        await pilot.press("b", "e")  # internet job banks, via internship company
        assert session.answer("citizen", "kanaler").choices == ("internet", "praktik")
        await pilot.press("g")  # "not searching" is exclusive
        assert session.answer("citizen", "kanaler").choices == ("soeger_ikke",)
        assert "☒ Jeg søger ikke job" in pane_text(app, "citizen")


async def test_a_letter_for_the_citizen_leaves_the_caseworker_s_digit_to_them(app, ws):
    """The citizen rates, then chooses (g, "Jeg søger ikke job"): the app moves to their
    side for the letter and back, so the caseworker's 2 is the caseworker's – it used to
    land on the citizen's scale and be refused, leaving the caseworker's answer out."""
    cid = add_history(ws)
    async with app.run_test(size=(120, 50)) as pilot:
        session = await open_meeting(app, pilot, cid, at=("jobsoeg", "citizen"))
        await pilot.press("1")
        assert session.active == "caseworker"
        await pilot.press("g")
        assert session.answer("citizen", "kanaler").choices == ("soeger_ikke",)
        assert session.active == "caseworker"
        await pilot.press("2")
        assert session.answer("caseworker", "jobsoeg") == Answer(2)
        assert session.answer("citizen", "jobsoeg") == Answer(1)


async def test_a_letter_stays_with_a_citizen_who_has_not_rated(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(120, 50)) as pilot:
        session = await open_meeting(app, pilot, cid, at=("jobsoeg", "caseworker"))
        await pilot.press("b")  # the citizen's channel, typed while the caseworker is active
        assert session.answer("citizen", "kanaler").choices == ("internet",)
        assert session.active == "citizen"  # their rating is missing too: the digit is theirs
        await pilot.press("4")
        assert session.answer("citizen", "jobsoeg") == Answer(4)


async def test_notes_shared_and_private(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        session = await open_meeting(app, pilot, cid)
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("TextArea").text = "Aftalt at ringe til lægen"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        app.screen.query_one("TextArea").text = "Min bekymring"
        await pilot.click("#note-private")
        await pilot.press("ctrl+s")
        await pilot.pause()
        notes = session.notes(include_private=True)
        assert [(n.text, n.visibility, n.indicator) for n in notes] == [
            ("Aftalt at ringe til lægen", "shared", "helbred"),
            ("Min bekymring", "private", "helbred"),
        ]
        assert [n.text for n in session.notes(include_private=False)] == [
            "Aftalt at ringe til lægen"
        ]
        assert "Min bekymring" not in pane_text(app, "citizen")


async def test_private_belief_item_never_shows_value(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        session = await open_meeting(app, pilot, cid, at=("sb_tro", "caseworker"))
        await pilot.press("1")
        await pilot.pause()
        text = pane_text(app, "caseworker")
        assert session.answer("caseworker", "sb_tro") == Answer(1)
        assert "Tror du" not in text and "● 1" not in text
        assert "privat" in text.lower()
        assert "Tast v for at se spørgsmålet" in " ".join(text.split())


async def test_a_topic_only_the_caseworker_rates_tells_the_citizen_so_in_plain_words(app, ws):
    """Under "Hvad du kan klare" the citizen's side read "Intet spørgsmål til denne side
    her.": now it says who rates here and that their own view is welcome."""
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(app, pilot, cid, at=("realisme", "caseworker"))
        citizen = " ".join(pane_text(app, "citizen").split())
        assert "Her er det sagsbehandleren, der vurderer. Sig gerne, hvad du selv mener." in (
            citizen
        ), citizen
        assert "Intet spørgsmål" not in screen_text(app)


async def test_v_shows_the_private_question_only_after_enter(app, ws):
    from bip_talk.ui.screens.private import PrivateScreen

    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(app, pilot, cid, at=("sb_tro", "caseworker"))
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, PrivateScreen)
        assert "Tror du" not in screen_text(app)  # not while the citizen may be looking
        await pilot.press("enter")
        await pilot.pause()
        shown = " ".join(screen_text(app).split())
        assert "Tror du, at borgeren kommer i job inden for det næste år?" in shown
        assert "1 Nej · 2 Tvivler · 3 Det svinger · 4 Gode chancer · 5 Ja" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        assert "Tror du" not in screen_text(app)


async def test_resume_after_abrupt_stop(tmp_path):
    """The app is torn down mid-meeting without any save step; a new app names nobody
    at start, counts the unfinished meeting on the start screen, lists it on F8 and
    resumes it on Enter, on the same meeting with the answers intact."""
    from bip_talk.ui.app import make_app
    from bip_talk.ui.screens.citizens import CitizensScreen

    ws = workstation_for(tmp_path)
    cid = add_history(ws)
    app = make_app(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        session = await open_meeting(app, pilot, cid)
        await pilot.press("4", "2", "enter", "3")
        meeting_id = session.meeting.id
    ws.close()

    ws2 = workstation_for(tmp_path)
    app2 = make_app(ws2)
    async with app2.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app2.screen, CitizensScreen)
        shown = screen_text(app2)
        assert "Anna Testesen" not in shown
        assert "Ufærdige samtaler: 1" in shown
        await pilot.press("f8")
        await pilot.pause()
        assert "Anna Testesen" in screen_text(app2)
        await pilot.press("enter")
        await pilot.pause()
        resumed = session_of(app2)
        assert resumed.meeting.id == meeting_id
        assert resumed.step_id == "hverdag"
        assert resumed.answer("citizen", "helbred") == Answer(4)
        assert resumed.answer("caseworker", "helbred") == Answer(2)
        assert resumed.answer("citizen", "hverdag") == Answer(3)
    ws2.close()


async def test_review_shows_moves_gaps_and_agenda(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(140, 45)) as pilot:
        session = await open_meeting(app, pilot, cid)
        # helbred: citizen 4 -> 2 (clear drop); caseworker 3 -> 3.
        await pilot.press("2", "3")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        table = app.screen.query_one("#review-table")
        row = [str(c) for c in table.get_row("helbred")]
        assert "◆ Dit helbred" in row[0]  # the citizen's words, on the shared screen
        assert row[1] == "▆▆▂ 2 (4)\n↓ −2 tydelig tilbagegang"
        agenda = str(app.screen.query_one("#agenda", Static).render())
        assert "Største fald: Dit helbred" in agenda
        # tro_job was 4 vs 2 last time; no answer now, so no current gap is claimed.
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("down", "enter")  # pick the second indicator
        await pilot.pause()
        agenda = str(app.screen.query_one("#agenda", Static).render())
        assert agenda.splitlines()[1].strip().startswith("1. ★")
        assert session.meeting.priority == "hverdag"


async def test_finish_meeting_completes_it(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        session = await open_meeting(app, pilot, cid)
        await pilot.press("3", "3", "r", "f")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        assert db.meeting(session.meeting.id).status == "complete"
        assert not isinstance(app.screen, (MeetingScreen, ReviewScreen))


async def test_ctrl_q_in_a_meeting_asks_first_and_again_quits(app, ws, db):
    from bip_talk.ui.screens.confirm import ConfirmScreen

    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await open_meeting(app, pilot, cid)
        await pilot.press("2")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        text = " ".join(widget_text(app.screen).split())
        assert "Samtalen er gemt (1 af 20 svar)" in text and "Luk bip-talk nu?" in text
        assert session.citizen.display_name not in text  # it may show over the curtain
        await pilot.press("n")  # no: back to the meeting, as it was
        await pilot.pause()
        assert isinstance(app.screen, MeetingScreen) and app.return_code is None
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("ctrl+q")  # twice: quits
        await pilot.pause()
    assert app.return_code == 0
    assert db.meeting(session.meeting.id).status == "draft"  # saved, to go on another day


async def test_ctrl_q_outside_a_meeting_quits_at_once(app, ws):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_tab_right_after_the_app_moved_does_not_send_the_next_digit_back(app, ws):
    """ "Rate, Tab, rate" from habit: after the citizen's 2 the app is on the caseworker's
    side already; that Tab took the 3 back over the citizen's answer, unseen."""
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        session = await open_meeting(app, pilot, cid)
        assert session.active == "citizen"
        await pilot.press("2")
        assert session.active == "caseworker"
        await pilot.press("tab")
        await pilot.pause()
        assert session.active == "caseworker"  # stayed, and said why
        (said,) = [n.message for n in app._notifications]
        assert said.startswith("Appen har allerede skiftet til Sagsbehandler (TS) efter svaret.")
        assert "Tab igen for at gå tilbage til Borger" in said
        await pilot.press("3")
        item = "helbred"
        assert session.answer("citizen", item).value == 2
        assert session.answer("caseworker", item).value == 3
        await pilot.press("tab")  # nothing moved for us: Tab switches
        assert session.active == "citizen"
        await pilot.press("4")  # a deliberate correction still works
        assert session.answer("citizen", item).value == 4
        # Tab twice after a move goes back on purpose.
        await pilot.press("right", "right")
        await pilot.pause()
        await pilot.press("1", "tab", "tab")
        assert session.active == "citizen"
