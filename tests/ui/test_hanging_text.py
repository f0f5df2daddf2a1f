"""At 80×24 nothing that belongs under a bullet or a heading wraps to the edge: the
review's agenda and legend, the opening words' list of actions and the training
feedback go on under their own text (the walkthrough's item 7: "– også største
forskel" / " (4)", and the feedback's reasons at column 0)."""

from __future__ import annotations

from textual.widgets import Static

from bip_talk.presenters.layout import LIST_MARK
from bip_talk.ui.screens.opening import OpeningScreen
from bip_talk.ui.training.screens import FeedbackScreen

from .conftest import add_history
from .test_review_layout import _actions, _review
from .test_training_ui import _finish, _rehearse_one_meeting, _training_app


def _lines(app, selector: str) -> list[str]:
    return str(app.screen.query_one(selector, Static).render()).splitlines()


def _continues_under(lines: list[str], source: str) -> None:
    """Each line either starts a line of ``source`` (as it was before wrapping) or
    carries one on, starting where that line's text starts after its mark ("  1. ",
    "- ", "✓ ") or indent – never at the edge."""
    starts = [x for x in source.splitlines() if x.strip()]
    column = None
    for line in lines:
        if not line.strip():
            continue
        if any(x.startswith(line.rstrip()) or line.startswith(x[:20]) for x in starts):
            found = LIST_MARK.match(line, len(line) - len(line.lstrip()))
            column = found.end() if found else len(line) - len(line.lstrip())
            continue
        assert column is not None and len(line) - len(line.lstrip()) == column, (line, lines)


async def test_the_review_agenda_and_legend_at_80x24(app, ws, db):
    cid = add_history(ws)
    _actions(db, cid)
    async with app.run_test(size=(80, 24)) as pilot:
        # samarbejde lowest of the job-linked topics: its agenda line is longer than 78.
        await _review(app, pilot, cid, {"samarbejde": (1, 2), "helbred": (4, 4)})
        agenda = _lines(app, "#agenda")
        assert any("At arbejde sammen med andre" in line for line in agenda)
        assert len(agenda) > 2, agenda  # it wraps …
        assert all(len(line) <= 78 for line in agenda)
        _continues_under(agenda, app.screen._agenda)  # … under its text
        legend = _lines(app, "#review-legend")
        assert len(legend) == 2 and all(len(line) <= 78 for line in legend), legend
        assert legend[0].endswith(" ·") and not legend[1].startswith("·")


async def test_the_opening_words_at_80x24(app, ws, db):
    cid = add_history(ws)
    last = db.meetings_for(cid)[-1]
    db.add_plan_item(
        cid,
        actor=db.caseworker_by_initials("TS").id,
        meeting_id=last.id,
        kind="other",
        title="Spørg lageret, om der er mulighed for løntilskud efter praktikken",
        responsible="Anna og sagsbehandleren",
        due_on="2026-10-14",
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_meeting(cid)
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        words = _lines(app, "#opening-prompt")
        long = [n for n, line in enumerate(words) if "Spørg lageret" in line]
        assert long and words[long[0] + 1].startswith("  ") and words[long[0] + 1][2] != " "
        _continues_under(words, app.screen._words)
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        words = _lines(app, "#opening-prompt")  # laid out again to the new width
        assert any("Spørg lageret" in line and "praktikken" in line for line in words)


async def test_the_training_feedback_at_80x24(tmp_path):
    app = _training_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await _rehearse_one_meeting(app, pilot)
        await _finish(app, pilot)
        assert isinstance(app.screen, FeedbackScreen)
        text = _lines(app, "#feedback-text")
        assert len(text) > 8 and all(len(line) <= 76 for line in text)
        for line in text:
            if line.strip():  # a check's title, or its reason (and their wrapped lines)
                assert line.startswith(("✓ ", "✗ ", "– ", "  ")), (line, text)
        _continues_under(text, app.screen._feedback)
        reasons = [line for line in text if line.startswith("    ")]
        assert len(reasons) > len([x for x in text if x[:1] in "✓✗–" and x.strip()])  # wrapped
        keys = _lines(app, "#feedback-keys")
        assert all(line.endswith(" ·") for line in keys[:-1]) and "s gem rapport" in " ".join(keys)
