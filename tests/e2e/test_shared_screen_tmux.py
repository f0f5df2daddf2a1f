"""The shared screen, as the citizen beside the caseworker sees it: the real
``bip-talk demo`` in tmux (its own socket), read as plain text (``capture-pane -p``),
from start-up through the search, the citizen, the opening, the meeting, Esc (the
pause screen), the review and the plan, and back.

Fails if any other citizen's name, or any caseworker-only text, is on the screen
while this citizen's meeting is open, if a topic goes by its professional name there
("Helbredsmestring" rather than "Dit helbred") – and if the start screen names anyone
at all before the caseworker searches.

The whole walk runs once (a module fixture) and keeps every screen it saw; the tests
below read those captures."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bip_talk.packs import load_pack
from bip_talk.resources import default_pack_dir
from bip_talk.store import Store, open_database
from tests.ui.test_shared_words import professional_topics

from .tmux import Tmux, needs_tmux

pytestmark = [pytest.mark.e2e, needs_tmux]

SETTLE_S = 0.6  # a screen's parts (a hint line, the prompts) may come a frame later
CITIZEN = "Mette Fremgaard"  # open actions to review, private and shared notes

# Caseworker-only wording that must never be on the shared screen.
CASEWORKER_ONLY = (
    "Tror du, at borgeren kommer i job",  # the caseworker's private belief question
    "26,8",  # the belief reflection's figures
    "Vis det ikke som fakta",  # a caution's instruction to the caseworker
    # The evidence behind a suggestion (the plan's i), once on its shared list.
    "procentpoint",
    "KORA",
    "Underbygget",
    "den eneste indsats",
    "What affects",
    # The handover's briefing (the caseworker's h), once shown by itself.
    "mindsker jobchancen",
    "Forløb pr. indikator",
)
HANDED_OVER = "Søren Skiftholm"  # a new caseworker since his last meeting
# Once on the plan screen's hint line ("v: 3 privat note(r) til dig"); now only the
# neutral "v kun til dig" (issue 11 item 1).
PENDING_ON_PLAN = ("privat note",)


def _demo_facts(data: Path) -> tuple[list[str], list[str]]:
    """Every other citizen's name, and every private note, in the demo database."""
    store = Store(open_database(data / "demo.db"))
    try:
        names = [
            row[0]
            for row in store.db.conn.execute("SELECT display_name FROM citizens")
            if row[0] != CITIZEN
        ]
        private = [
            row[0]
            for row in store.db.conn.execute("SELECT text FROM notes WHERE visibility = 'private'")
        ]
    finally:
        store.close()
    return names, private


@pytest.fixture(scope="module")
def walk(tmp_path_factory) -> dict[str, object]:
    data = tmp_path_factory.mktemp("shared") / "data"
    tm = Tmux({"BIP_TALK_DATA_DIR": str(data)}, width=120, height=40)
    seen: dict[str, str] = {}
    handed: dict[str, str] = {}  # the walk with the citizen who has a new caseworker

    def settled(text: str) -> str:
        """The screen once ``text`` is on it and the rest of it has been drawn too."""
        tm.wait_for(text)
        time.sleep(SETTLE_S)
        return tm.screen()

    try:
        tm.start("demo")
        tm.wait_for("Hvem er du?", timeout=90)  # building the demo database takes a moment
        tm.type("Kim Krog")
        tm.keys("Enter")
        tm.type("kk")
        tm.keys("Enter")
        seen["start"] = settled("Her vises ingen navne")
        tm.type("Fremgaard")
        seen["search"] = settled(CITIZEN)
        tm.keys("Enter")
        seen["citizen"] = settled("Afsluttede samtaler")
        tm.keys("m")
        seen["opening"] = settled("Aftaler fra sidst")
        tm.keys("Enter")
        seen["meeting"] = settled("Emne 1 af 11")
        tm.keys("3")
        tm.keys("4")
        seen["meeting answered"] = settled("Begge har svaret")
        tm.keys("Escape")
        seen["pause"] = settled("holder pause")
        tm.keys("Escape")
        tm.wait_for("Emne 1 af 11")
        tm.keys("r")
        seen["review"] = settled("Forslag til dagsorden")
        tm.keys("p")
        seen["picker"] = settled("betyder mest for dig")
        tm.keys("Escape")
        tm.wait_for("Forslag til dagsorden")
        tm.keys("l")
        seen["plan"] = settled("Plan og næste skridt")
        tm.keys("Escape")
        tm.wait_for("Forslag til dagsorden")
        tm.keys("Escape")
        tm.wait_for("Emne 1 af 11")
        tm.keys("Escape")
        tm.wait_for("holder pause")
        tm.keys("q")
        tm.wait_for("fortsæt en anden dag?")
        tm.keys("j")
        seen["citizen after"] = settled("ufærdig samtale")
        tm.keys("Escape")
        seen["desk after"] = settled("Her vises ingen navne")
        # After a change of caseworker: the opening, never the handover by itself.
        tm.type("Skiftholm")
        tm.wait_for(HANDED_OVER)
        tm.keys("Enter")
        handed["citizen"] = settled("Afsluttede samtaler")
        tm.keys("m")
        handed["opening"] = settled("Åbning")
        tm.keys("C-q")
    finally:
        tm.close()
    names, private = _demo_facts(data)
    return {"seen": seen, "names": names, "private": private, "handed": handed}


def _while_open(walk) -> dict[str, str]:
    """The screens shown while the citizen's meeting is open (and their own page)."""
    seen = walk["seen"]
    return {k: v for k, v in seen.items() if k not in ("start", "search", "desk after")}


def test_start_up_and_the_desk_afterwards_name_nobody(walk):
    for step in ("start", "desk after"):
        screen = walk["seen"][step]
        assert CITIZEN not in screen, step
        assert not [n for n in walk["names"] if n in screen], step


def test_no_other_citizen_while_the_meeting_is_open(walk):
    assert len(walk["names"]) > 100  # the demo's cohort is there to be leaked
    for step, screen in _while_open(walk).items():
        if step != "picker":  # a dialog over the review, which it hides
            assert CITIZEN in screen, step  # the screen really is this citizen's
        leaked = [n for n in walk["names"] if n in screen]
        assert not leaked, (step, leaked)


def test_no_caseworker_only_text_while_the_meeting_is_open(walk):
    assert walk["private"], "the demo has caseworker-only notes to leak"
    for step, screen in _while_open(walk).items():
        flat = " ".join(screen.split())  # a note may wrap over lines
        for text in (*CASEWORKER_ONLY, *walk["private"]):
            assert " ".join(text.split()) not in flat, (step, text)
        if step != "plan":
            for text in PENDING_ON_PLAN:
                assert text not in screen, (step, text)


def test_the_shared_screens_name_topics_in_the_citizens_words(walk):
    """The picker, the citizen screen's table, the review and the plan once said
    "Helbredsmestring", "Målrettethed" …; the citizen's words are "Dit helbred"."""
    pack = load_pack(default_pack_dir())
    assert "Dit helbred" in walk["seen"]["picker"] and "Dit helbred" in walk["seen"]["review"]
    for step, screen in _while_open(walk).items():
        found = professional_topics(" ".join(screen.split()), pack, "da")
        assert not found, (step, found)


def test_after_a_change_of_caseworker_the_opening_comes_without_the_briefing(walk):
    handed = walk["handed"]
    assert "h: overdragelsen (kun til dig" in handed["citizen"]  # offered, on purpose
    opening = " ".join(handed["opening"].split())
    # The walk is signed in as a stand-in, not as the caseworker the case moved to: the
    # stand-in says so (one definition of a change: domain/caseworker_change.py).
    assert "i stedet for din sagsbehandler" in opening and "ny på din sag" not in opening
    assert "Overdragelse" not in opening
    for text in CASEWORKER_ONLY:
        assert text not in opening, text


def test_the_plan_screen_has_no_private_note_count(walk):
    for text in PENDING_ON_PLAN:
        assert text not in walk["seen"]["plan"]


def test_esc_in_the_meeting_is_a_pause_for_this_citizen(walk):
    pause = walk["seen"]["pause"]
    assert "Fortsæt samtalen" in pause and "Afslut samtalen" in pause
    assert "Søg på navn" not in pause  # not the start screen
