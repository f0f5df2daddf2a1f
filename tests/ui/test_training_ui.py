"""Training mode in the app: the persona answers the citizen's side, the trainee the
caseworker's; feedback after the meeting; the next meeting three months on; the
calibration drill; and the real database is never touched."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bip_talk.services.training.calibration_drill import Drill
from bip_talk.services.training.rehearsal import Rehearsal
from bip_talk.services.workstation import Workstation
from bip_talk.settings import Preferences, Settings
from bip_talk.ui.screens.meeting import MeetingScreen
from bip_talk.ui.screens.opening import OpeningScreen
from bip_talk.ui.training.app import CalibrationApp, TrainingApp
from bip_talk.ui.training.screens import CalibrationScreen, FeedbackScreen, TrainingIntroScreen

from .conftest import add_history, workstation_for
from .screen_text import widget_text


def text_of(screen) -> str:
    return widget_text(screen)


def _training_app(tmp_path: Path, seed: int = 3) -> TrainingApp:
    settings = Settings(data_dir=tmp_path / "data", db_path=tmp_path / "real.db")
    rehearsal = Rehearsal.start(settings, "kontant_helbred", seed=seed, lang="da")
    ws = rehearsal.workstation(Preferences())
    assert ws.settings.database.parent == rehearsal.folder  # never the real one
    app = TrainingApp(ws, rehearsal, tmp_path / "reports")
    app.persona_pause = 0.01
    return app


async def _rehearse_one_meeting(app: TrainingApp, pilot) -> None:
    await pilot.pause()
    assert isinstance(app.screen, TrainingIntroScreen)
    assert "midlertidig database" in text_of(app.screen)  # says it is practice
    await pilot.press("enter")
    await pilot.pause()
    if isinstance(app.screen, OpeningScreen):
        await pilot.press("1", "enter")
        await pilot.pause()
    assert isinstance(app.screen, MeetingScreen)
    session = app.screen.session
    for _ in session.steps:
        await pilot.pause(0.05)  # the persona's short pause
        await pilot.pause()
        await pilot.press("3", "t", "enter")
    await pilot.pause()


async def test_persona_answers_and_feedback_follows(tmp_path):
    app = _training_app(tmp_path)
    (tmp_path / "reports").mkdir()
    async with app.run_test(size=(120, 40)) as pilot:
        await _rehearse_one_meeting(app, pilot)
        rehearsal = app.rehearsal
        session = rehearsal.session
        citizen_items = [i for i in rehearsal.pack.items("citizen")]
        assert all(session.answered("citizen", i) for i in citizen_items)  # all by the persona
        assert session.answer("caseworker", "helbred").value == 3  # by the trainee
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("ctrl+s", "f")
        await pilot.pause()
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, FeedbackScreen)
        text = text_of(app.screen)
        assert "Noget virksomhedsrettet i planen – Nået" in text
        assert "Ændringer fulgt op – Nået" in text  # every step was marked talked about
        first_date = rehearsal.round.held_on
        await pilot.press("s")
        await app.workers.wait_for_complete()  # saved in a worker
        await pilot.pause()
        assert list((tmp_path / "reports").glob("bip-talk-training-*.md"))
        await pilot.press("n")
        await pilot.pause()
        assert rehearsal.round.number == 2
        assert rehearsal.round.held_on > first_date  # three months on
        assert isinstance(app.screen, (OpeningScreen, MeetingScreen))


async def test_same_seed_gives_the_same_story(tmp_path):
    answers = []
    for run in range(2):
        app = _training_app(tmp_path / str(run), seed=11)
        async with app.run_test(size=(120, 40)) as pilot:
            await _rehearse_one_meeting(app, pilot)
            session = app.rehearsal.session
            answers.append({k: v for k, v in session.answers.items() if k[0] == "citizen"})
    assert answers[0] == answers[1]


async def test_training_never_touches_the_real_database(tmp_path):
    ws = workstation_for(tmp_path)
    add_history(ws)
    ws.close()
    real = tmp_path / "app.db"
    before = hashlib.sha256(real.read_bytes()).hexdigest()
    settings = Settings(data_dir=tmp_path / "data", db_path=real)
    rehearsal = Rehearsal.start(settings, None, seed=1, lang="da")
    app = TrainingApp(
        rehearsal.workstation(Preferences(caseworker_name="K", caseworker_initials="KU")),
        rehearsal,
        tmp_path,
    )
    app.persona_pause = 0.01
    async with app.run_test(size=(120, 40)) as pilot:
        await _rehearse_one_meeting(app, pilot)
    assert hashlib.sha256(real.read_bytes()).hexdigest() == before
    assert not rehearsal.folder.exists()  # the throwaway database is gone


async def test_calibration_drill_scores_and_frames_as_learning(tmp_path):
    settings = Settings(data_dir=tmp_path / "d", db_path=tmp_path / "a.db")
    drill = Drill.start(settings, seed=2, lang="da", limit=2)
    app = CalibrationApp(
        Workstation(settings, Preferences(caseworker_name="K", caseworker_initials="KU")), drill
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CalibrationScreen)
        for _ in range(2):
            while not screen.revealed:
                await pilot.press("3")
            assert "Reference" in text_of(screen)
            await pilot.press("enter")
            await pilot.pause()
        assert screen.finished
        summary = text_of(screen)
        assert "Samme vurdering som referencen" in summary
        assert len(drill.ratings) == len(drill.tasks())


async def _finish(app: TrainingApp, pilot) -> None:
    """From the meeting's last step: the review, finish, yes – the feedback follows."""
    await pilot.press("f")
    await pilot.pause()
    await pilot.press("j")
    await pilot.pause()
    assert isinstance(app.screen, FeedbackScreen)


async def test_a_caseworker_change_shows_the_handover_as_the_real_app(tmp_path):
    from bip_talk.ui.screens.handover import HandoverScreen

    app = _training_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _rehearse_one_meeting(app, pilot)
        await _finish(app, pilot)
        await pilot.press("c")  # next meeting, with a new caseworker (you)
        await pilot.pause()
        # As the real app: the opening says so, the handover is on h, never by itself.
        assert isinstance(app.screen, OpeningScreen)
        assert "ny på din sag" in text_of(app.screen)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)  # the real app's screen
        text = text_of(app.screen).replace("\u00a0", " ")
        assert "Kun for dig som sagsbehandler" in text
        assert "22 %" in text and "→" in text  # who handed over to whom, and why it matters
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)


async def test_the_persona_whose_story_has_a_change_offers_the_handover(tmp_path):
    from bip_talk.ui.screens.handover import HandoverScreen

    settings = Settings(data_dir=tmp_path / "data", db_path=tmp_path / "real.db")
    rehearsal = Rehearsal.start(settings, "sagsbehandlerskift", seed=2, lang="da")
    app = TrainingApp(rehearsal.workstation(Preferences()), rehearsal, tmp_path / "reports")
    app.persona_pause = 0.01
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the introduction
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        assert "h overdragelsen (kun til dig)" in text_of(app.screen)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HandoverScreen)


async def test_esc_on_the_introduction_after_a_meeting_offers_to_save(tmp_path):
    from bip_talk.ui.training.screens import SaveBeforeEndScreen

    app = _training_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await _rehearse_one_meeting(app, pilot)
        await _finish(app, pilot)
        await pilot.press("n")  # the next meeting; then Esc back to the introduction
        await pilot.pause()
        if isinstance(app.screen, OpeningScreen):
            await pilot.press("enter")
            await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TrainingIntroScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SaveBeforeEndScreen)
        await pilot.press("escape")  # back to the rehearsal: nothing ends
        await pilot.pause()
        assert isinstance(app.screen, TrainingIntroScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # "Gem rapporten og afslut", highlighted first
        await pilot.pause()
    assert list((tmp_path / "reports").glob("bip-talk-training-kontant_helbred-*.md"))


async def test_esc_before_any_meeting_is_held_just_ends(tmp_path):
    app = _training_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 0 and not (tmp_path / "reports").exists()


async def test_ctrl_q_in_a_rehearsal_says_it_ends_for_good(tmp_path):
    from bip_talk.ui.screens.confirm import ConfirmScreen

    app = _training_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the introduction: start
        await pilot.pause()
        if isinstance(app.screen, OpeningScreen):
            await pilot.press("enter")
            await pilot.pause()
        assert isinstance(app.screen, MeetingScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        text = " ".join(text_of(app.screen).split())
        assert "Øvelsen slutter" in text and "en anden dag" not in text  # nothing to resume
        await pilot.press("j")
        await pilot.pause()
    assert app.return_code == 0
