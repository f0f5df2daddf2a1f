"""The meeting at 80×24 and the prompts one at a time: every step's panes fit without
scrolling, the job-search channels a–h show once the scale is answered, the letter keys
act on the citizen's side (or say why they cannot), and the follow-up prompts come one
page at a time, the most useful first, with ``p`` for the next."""

from __future__ import annotations

import pytest

from bip_talk.domain.meeting_history import Answer
from bip_talk.ui.screens.meeting import PROMPT_DELAY, MeetingScreen
from bip_talk.ui.widgets.perspective_pane import PerspectivePane

from .conftest import add_history, direct, session_of
from .screen_text import screen_text
from .test_meeting_screen import open_meeting


def _panes(app) -> list[PerspectivePane]:
    return list(app.screen.query(PerspectivePane))


def _hidden_lines(app) -> dict[str, int]:
    """Per pane, how many lines are out of sight (a pane that would need scrolling)."""
    return {p.perspective: p.max_scroll_y for p in _panes(app) if p.max_scroll_y}


def _prompt_lines(app) -> list[str]:
    text = str(app.screen.query_one("#prompt-line").render())
    return [line for line in text.split("\n") if line.strip()]


async def _settle(pilot) -> None:
    await pilot.pause(PROMPT_DELAY + 0.15)


async def _prompt_shown(pilot) -> None:
    """The prompt comes after PROMPT_DELAY; on a busy machine the timer fires later, so
    wait for it (at most 5 s) instead of a fixed pause."""
    await _settle(pilot)
    for _ in range(50):
        if _prompt_lines(pilot.app):
            return
        await pilot.pause(0.1)


async def test_every_step_fits_80x24_before_and_after_answering(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await open_meeting(app, pilot, cid)
        for step in range(len(session.steps)):
            session.go(step=step, side=session.perspectives_at()[0])
            app.screen.render_step()
            await pilot.pause()
            assert not _hidden_lines(app), (session.step_id, "unanswered")
            for side in session.perspectives_at():
                session.go(side=side)
                await pilot.press("1" if side == "citizen" else "5")
            await _settle(pilot)
            assert not _hidden_lines(app), (session.step_id, "answered")
            lines = _prompt_lines(app)
            assert len(lines) <= 3, lines
            assert all(len(line) <= 78 for line in lines), lines


async def test_job_search_channels_show_at_80x24_and_the_letters_reach_the_citizen(app, ws, db):
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await open_meeting(app, pilot, cid)
        session.go(step=session.steps.index("jobsoeg"), side="citizen")
        app.screen.render_step()
        await pilot.pause()
        text = screen_text(app)
        # The scale first; the channels folded to one line that names the keys.
        assert "Bagefter: Hvordan søger du job?" in " ".join(text.split())
        await pilot.press("3")  # the citizen rates; the caseworker's turn
        assert session.active == "caseworker"
        await pilot.press("4")  # the caseworker rates; back to the side with choices
        await pilot.pause()
        assert session.active == "citizen"
        text = screen_text(app)
        for key, label in (("a", "Aviser"), ("b", "Jobsider på internettet"), ("h", "Vil ikke")):
            assert f"{key}  ☐ {label}" in text, text
        # Even from the caseworker's side, b is the citizen's. (The app moved here after
        # the caseworker's 4: the first Tab only says so; the second goes.)
        await pilot.press("tab")
        assert session.active == "citizen"
        await pilot.press("tab")
        assert session.active == "caseworker"
        await pilot.press("b")
        await pilot.pause()
        assert session.active == "citizen"
        assert "b  ☒ Jobsider på internettet" in screen_text(app)
        saved = db.answers([session.meeting.id])[session.meeting.id]
        assert saved[("citizen", "kanaler")].choices == ("internet",)
        assert not _hidden_lines(app)


async def test_a_letter_that_cannot_act_says_why(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        session = await open_meeting(app, pilot, cid)
        assert session.step_id == "helbred"  # no options to choose here
        await pilot.press("c")
        await pilot.pause()
        assert any("ingen at vælge imellem" in n.message for n in app._notifications)
        assert not session.answers


async def test_prompts_one_at_a_time_the_gap_first(app, ws, db):
    """Anna: tro_job was 4 (citizen) and 2 (caseworker). Now the citizen says 2 and the
    caseworker 5: a three-step gap, the citizen down by two, the caseworker up by three."""
    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        session = await open_meeting(app, pilot, cid)
        session.go(step=session.steps.index("tro_job"), side="citizen")
        app.screen.render_step()
        await pilot.press("2", "5")
        await _prompt_shown(pilot)
        screen = app.screen
        assert isinstance(screen, MeetingScreen)
        pages = screen._pages()
        assert len(pages) >= 3
        shown = []
        for _ in pages:
            lines = _prompt_lines(app)
            assert 1 <= len(lines) <= 3
            shown.append(" ".join(lines))
            reveal = str(screen.query_one("#reveal-line").render())
            assert f"{len(shown)} af {len(pages)} · p: næste" in reveal
            await pilot.press("p")
            await pilot.pause()
        assert shown[0].startswith("I ser forskelligt på")  # the gap first
        firsts = [n for n, page in enumerate(shown) if "Tro på et job: gået" in page]
        # Then the larger move (the caseworker's +3) before the citizen's −2.
        ups = [n for n, page in enumerate(shown) if ": gået frem" in page]
        downs = [n for n, page in enumerate(shown) if ": gået tilbage" in page]
        assert firsts and max(ups) < min(downs)
        # p goes round to the first again.
        assert " ".join(_prompt_lines(app)) == shown[0]


async def test_a_single_prompt_page_has_no_next(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        session = await open_meeting(app, pilot, cid)
        await pilot.press("2", "4")  # helbred: the citizen 4 -> 2, the caseworker 3 -> 4
        await _settle(pilot)
        pages = app.screen._pages()
        # The gap, the drop, the rise: each whole on one page at 120 columns.
        assert len(pages) == len(app.screen._prompts()) == 3
        await pilot.press("p", "p")
        await pilot.pause()
        session.go(step=session.steps.index("samarbejde"), side="citizen")
        app.screen.render_step()
        await pilot.press("3", "3")  # not asked before: no move, no gap, not low
        await _settle(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert any("ingen forslag til samtalen" in n.message for n in app._notifications)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_resumed_meeting_fits_and_shows_its_answers(tmp_path, size):
    from bip_talk.ui.app import make_app

    from .conftest import workstation_for

    ws = workstation_for(tmp_path)
    cid = add_history(ws)
    with direct(ws) as store:
        cw = store.caseworker_by_initials("TS")
        m = store.start_meeting(cid, cw.id, ws.pack.id, ws.pack.version)
        store.record_answer(m.id, "citizen", "jobsoeg", Answer(2), actor=cw.id, citizen_id=cid)
        store.record_answer(m.id, "caseworker", "jobsoeg", Answer(2), actor=cw.id, citizen_id=cid)
        store.set_position(m.id, {"step": ws.pack.steps().index("jobsoeg"), "side": "citizen"})
    app = make_app(ws)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        assert session_of(app).step_id == "jobsoeg"
        assert not _hidden_lines(app)
        assert "a  ☐ Aviser" in screen_text(app)
    ws.close()


async def test_the_help_names_the_new_keys(app, ws):
    cid = add_history(ws)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_meeting(app, pilot, cid)
        await pilot.press("question_mark")
        await pilot.pause()
        text = screen_text(app)
        assert "p        næste forslag til samtalen" in text
        assert "a–h      vælg/fravælg svarmuligheder" in text
        await pilot.press("escape", "r")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert "l    planen: forslag, aftaler og afslutning" in screen_text(app)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_topic_name_shows_whole_in_the_header(app, ws, size):
    """The walkthrough: "Emne 11 af 11: Sagsbehandlers tro på" at 80 columns. Narrow,
    the progress bar gives way; the counted answers stay."""
    cid = add_history(ws)
    async with app.run_test(size=size) as pilot:
        session = await open_meeting(app, pilot, cid)
        for step in range(len(session.steps)):
            session.go(step)
            app.screen.render_step()
            await pilot.pause()
            header = screen_text(app).splitlines()[1]
            name = app.screen.query_one("#step-name").render()
            assert str(name).strip() in header, (header, str(name))
            assert "svar" in header


async def test_f1_opens_the_help_on_every_screen_as_on_the_desk(app, ws):
    """The desk says "F1 hjælp og alle taster": F1 does the same in the citizen's screen,
    the meeting and the review (where ? is the key shown)."""
    from bip_talk.ui.screens.help import HelpScreen

    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_citizen(cid)
        await pilot.pause()
        for opened in ("citizen", "meeting", "review"):
            if opened == "meeting":
                await open_meeting(app, pilot, cid)
            elif opened == "review":
                await pilot.press("r")
                await pilot.pause()
            below = app.screen
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen), opened
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is below, opened


async def test_the_meeting_help_wraps_under_each_key_s_words_at_80_columns(app, ws):
    from bip_talk.ui.screens.help import HelpScreen

    cid = add_history(ws)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_meeting(app, pilot, cid)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        lines = str(app.screen.query_one("#help-text").render()).splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("a–h "))
        words = len(lines[at]) - len(lines[at][4:].lstrip())  # where the key's words begin
        assert lines[at + 1].startswith(" " * words) and lines[at + 1].strip()  # wrapped under
        assert max(map(len, lines)) <= 74  # within the dialog


@pytest.mark.parametrize(("size", "shown"), [((80, 24), 1), ((120, 40), 3)])
async def test_on_a_short_screen_one_notice_at_a_time(app, ws, size, shown):
    """Three keys that each answer with a notice: at 80×24 only the newest shows (three
    would lie over the caseworker's pane); on a tall screen they stack."""
    cid = add_history(ws)
    async with app.run_test(size=size, notifications=True) as pilot:  # toasts drawn
        await open_meeting(app, pilot, cid)
        await pilot.press("p", "a", "v")  # no prompts yet; no choices here; nothing private
        await pilot.pause(0.3)  # the toasts mount on the next refreshes
        text = " ".join(screen_text(app).split())
        said = ["Der er ingen forslag", "Tasterne a–h", "Der er ingen privat refleksion"]
        assert sum(s in text for s in said) == shown, text
        assert said[-1] in text  # the newest is always there


async def test_the_opening_and_the_plan_have_their_help_too(app, ws, db):
    """? and F1 did nothing on the opening and the plan, and the Esc meant to close the
    help paused the meeting instead."""
    from bip_talk.ui.screens.help import HelpScreen
    from bip_talk.ui.screens.opening import OpeningScreen
    from bip_talk.ui.screens.plan import PlanScreen

    cid = add_history(ws)
    cw = db.caseworker_by_initials("TS")
    last = db.meetings_for(cid)[-1]
    db.add_plan_item(
        cid, actor=cw.id, meeting_id=last.id, kind="jobsoegning_stoette", title="Ring til lægen"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        for key, screen, title, words in (
            (
                "question_mark",
                OpeningScreen,
                "Taster i åbningen",
                "aftalen fra sidst er gennemført",
            ),
            ("f1", PlanScreen, "Taster i planen", "acceptér forslaget"),
        ):
            if screen is PlanScreen:
                await pilot.press("enter", "r")
                await pilot.pause()
                await pilot.press("l")
                await pilot.pause()
            below = app.screen
            assert isinstance(below, screen)
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen), title
            text = screen_text(app)
            assert title in text and words in text
            assert "{" not in text  # every key filled in
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is below, title  # back where it was, not paused
