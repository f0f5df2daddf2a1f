"""Conversation prompts: every template renders in both languages with realistic
contexts, a missing value fails, and the right prompts are picked for each step."""

from __future__ import annotations

from dataclasses import replace

import pytest
from jinja2 import UndefinedError

from bip_talk.domain.change import build_review
from bip_talk.render import PromptError, environment, render
from bip_talk.resources import prompts_dir
from bip_talk.services.prompts import (
    closing_prompt,
    day,
    kinds_for_row,
    number,
    opening_prompt,
    step_prompts,
)
from tests.unit.evidence_support import both, item, meeting

LANGS = ("da", "en")
TEMPLATES = (
    "opening",
    "moved_up",
    "moved_down",
    "stayed_low",
    "gap",
    "closing",
    "belief_reflection",
)

ACTIONS = [
    {
        "title": "Virksomhedspraktik hos Bager Jensen",
        "responsible": "Borger",
        "due_on": "15.12.2026",
        "overdue": False,
    },
    {
        "title": "Ring til egen læge om ryggen",
        "responsible": None,
        "due_on": None,
        "overdue": False,
    },
]
CONTEXTS = {
    "opening": [
        {
            "first_meeting": True,
            "citizen": "Mette",
            "last_held_on": None,
            "last_today": False,
            "actions": [],
            "new_caseworker": False,
            "met_before": False,
        },
        {
            "first_meeting": False,
            "citizen": "Mette",
            "last_held_on": "20.08.2026",
            "last_today": False,
            "actions": ACTIONS,
            "new_caseworker": True,
            "met_before": False,
        },
        {
            "first_meeting": False,
            "citizen": "Mette",
            "last_held_on": "20.08.2026",
            "last_today": False,
            "actions": [],
            "new_caseworker": False,
            "met_before": True,
        },
        {
            "first_meeting": False,
            "citizen": "Mette",
            "last_held_on": "20.08.2026",
            "last_today": False,
            "actions": ACTIONS,
            "new_caseworker": False,
            "met_before": False,
        },
    ],
    "moved_up": [
        {
            "indicator": "Dit helbred",
            "changes": [
                {"who": "Borger", "before": "2", "now": "4"},
                {"who": "Sagsbehandler", "before": "2", "now": "3"},
            ],
            "citizen_moved": True,
        },
        {
            "indicator": "At søge job",
            "changes": [{"who": "Sagsbehandler", "before": "2", "now": "4"}],
            "citizen_moved": False,
        },
    ],
    "moved_down": [
        {"indicator": "At søge job", "changes": [{"who": "Borger", "before": "4", "now": "2"}]}
    ],
    "stayed_low": [
        {
            "indicator": "Dit mål",
            "scores": [{"who": "Borger", "now": "2", "label": "Passer lidt"}],
            "meetings_low": 3,
            "first_time": False,
        },
        {
            "indicator": "Dit mål",
            "scores": [{"who": "Borger", "now": "1,5", "label": ""}],
            "meetings_low": 1,
            "first_time": True,
        },
    ],
    "gap": [
        {
            "indicator": "Folk, der støtter dig",
            "high": {"who": "Borger", "now": "5", "label": "Passer helt"},
            "low": {"who": "Sagsbehandler", "now": "2", "label": "I lav grad"},
            "citizen_answer": "Passer helt",
        },
        {
            "indicator": "Folk, der støtter dig",
            "high": {"who": "Borger", "now": "5", "label": ""},
            "low": {"who": "Sagsbehandler", "now": "2", "label": ""},
            "citizen_answer": None,
        },
    ],
    "closing": [
        {
            "citizen": "Mette",
            "topics": ["Dit helbred", "At søge job"],
            "agreed": ACTIONS,
            "next_meeting": "24.2.2027",
        },
        {"citizen": "Mette", "topics": [], "agreed": [], "next_meeting": None},
    ],
    "belief_reflection": [
        {"rating": "Tvivler", "citizen_rating": "Det svinger"},
        {"rating": None, "citizen_rating": None},
    ],
}


def test_both_languages_have_the_same_templates():
    names = {
        lang: sorted(p.name for p in (prompts_dir() / lang / "conversation").glob("*.txt"))
        for lang in LANGS
    }
    assert names["da"] == names["en"] == sorted(f"{t}.txt" for t in TEMPLATES)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", TEMPLATES)
def test_every_template_renders(name, lang):
    for context in CONTEXTS[name]:
        text = render(f"conversation/{name}.txt", lang, **context)
        assert text and "{{" not in text and "{%" not in text and "\n\n\n" not in text
        for value in _strings(context):
            assert value.casefold() in text.casefold(), (value, text)


def _strings(context):
    """Values a reader must see (names, titles, dates); labels inside lists included."""
    out = []
    for key, value in context.items():
        if isinstance(value, str) and key not in ("citizen_answer",):
            out.append(value)
        elif isinstance(value, dict):
            out += [v for v in value.values() if isinstance(v, str) and v]
        elif isinstance(value, list):
            for entry in value:
                if isinstance(entry, str):
                    out.append(entry)
                elif isinstance(entry, dict):
                    out += [v for v in entry.values() if isinstance(v, str) and v]
    return out


def test_opening_lists_each_action_on_its_own_line():
    text = render("conversation/opening.txt", "da", **CONTEXTS["opening"][1])
    lines = text.splitlines()
    assert "- Virksomhedspraktik hos Bager Jensen (Borger), senest 15.12.2026" in lines
    assert "- Ring til egen læge om ryggen" in lines
    assert "ny på din sag" in text


@pytest.mark.parametrize(
    ("new", "met", "says", "never"),
    [
        (True, False, ("ny på din sag", "min kollega"), ("igen", "Sidst vi", "aftalte vi")),
        (False, False, ("i stedet for din sagsbehandler",), ("igen", "ny på din sag", "vi ")),
        (False, True, ("Godt at se dig igen", "Sidst aftalte vi"), ("ny på din sag",)),
    ],
)
def test_opening_words_agree_with_who_holds_the_meeting(new, met, says, never):
    """The walkthrough: "Godt at se dig igen … Jeg er ny på din sag" in one breath. A new
    caseworker is new; a stand-in has not met the citizen; only someone who has says
    "good to see you again"."""
    praktik = replace(item("virksomhedspraktik"), title="Praktik i Netto")
    text = opening_prompt(
        "da",
        citizen="Ali",
        last_held_on="2026-08-20",
        actions=[praktik],
        new_caseworker=new,
        met_before=met,
    ).text
    assert all(s in text for s in says), text
    assert not any(n in text for n in never), text
    assert "20.08.2026" in text and "- Praktik i Netto" in text


@pytest.mark.parametrize(
    ("lang", "new", "met", "says"),
    [
        ("da", False, True, "Sidst vi talte sammen, var tidligere i dag."),
        ("da", False, False, "Din seneste samtale var tidligere i dag, og jeg har læst"),
        ("da", True, False, "Din seneste samtale var tidligere i dag. Jeg har læst"),
        ("en", False, True, "We last talked earlier today."),
        ("en", True, False, "Your last meeting was earlier today."),
    ],
)
def test_a_follow_up_the_same_day_says_earlier_today(lang, new, met, says):
    """A second meeting minutes after the first read "Sidst vi talte sammen, var
    04.12.2026" – today's date, as if long ago."""
    text = opening_prompt(
        lang,
        citizen="Ali",
        last_held_on="2026-12-04",
        actions=[],
        new_caseworker=new,
        met_before=met,
        held_on="2026-12-04",
    ).text
    assert says in text, text
    assert "04.12.2026" not in text and "4 Dec" not in text
    later = opening_prompt(
        lang, citizen="Ali", last_held_on="2026-12-03", actions=[], held_on="2026-12-04"
    ).text
    assert "tidligere i dag" not in later and "earlier today" not in later


def test_first_meeting_opening_does_not_mention_last_time():
    for lang in LANGS:
        text = render("conversation/opening.txt", lang, **CONTEXTS["opening"][0])
        assert "Sidst" not in text and "Last time" not in text


def test_belief_reflection_carries_the_table_and_the_caveat():
    da = render("conversation/belief_reflection.txt", "da", **CONTEXTS["belief_reflection"][0])
    # Each figure stays with its unit ("26,8 %" with a no-break space).
    assert "Ja 26,8\u00a0%" in da and "26,8 %" not in da
    da = da.replace("\u00a0", " ")
    assert "Nej 1,1 %" in da and "Ja 26,8 %" in da and "kun i BIP" in da
    en = render("conversation/belief_reflection.txt", "en", **CONTEXTS["belief_reflection"][0])
    en = en.replace("\u00a0", " ")
    assert "No 1.1 %" in en and "Yes 26.8 %" in en


@pytest.mark.parametrize("name", TEMPLATES)
def test_a_missing_value_fails(name):
    context = dict(CONTEXTS[name][0])
    first_key = next(iter(context))
    del context[first_key]
    with pytest.raises(UndefinedError):
        render(f"conversation/{name}.txt", "da", **context)


def test_missing_template_is_a_clear_error():
    with pytest.raises(PromptError) as caught:
        render("conversation/nope.txt", "en")
    assert "nope.txt" in str(caught.value) and "does not exist" in str(caught.value)


def test_html_is_escaped_and_text_is_not(tmp_path):
    (tmp_path / "x.html").write_text("<p>{{ v }}</p>", encoding="utf-8")
    (tmp_path / "x.txt").write_text("{{ v }}", encoding="utf-8")
    env = environment(tmp_path)
    assert env.get_template("x.html").render(v="<b>&") == "<p>&lt;b&gt;&amp;</p>"
    assert env.get_template("x.txt").render(v="<b>&") == "<b>&"


def test_unknown_language_falls_back_to_danish():
    text = render("conversation/moved_down.txt", "fr", **CONTEXTS["moved_down"][0])
    assert "gået tilbage" in text


# -- choosing prompts for a step -------------------------------------------------------


def _rows(pack, *history):
    return build_review(pack, list(history))


def test_a_gap_comes_before_the_move(pack):
    """Two steps apart: the gap is the conversation to have first."""
    review = _rows(
        pack,
        meeting(1, "2026-08-01", **both(helbred=2)),
        meeting(2, "2026-11-01", c_helbred=4, w_helbred=2),
    )
    assert kinds_for_row(review.row("helbred")) == ["gap", "moved_up"]


def test_a_setback_comes_before_progress_of_the_same_size(pack):
    review = _rows(
        pack,
        meeting(1, "2026-08-01", **both(kendskab=3)),
        meeting(2, "2026-11-01", c_kendskab=2, w_kendskab=4),
    )
    assert kinds_for_row(review.row("kendskab")) == ["gap", "moved_down", "moved_up"]


def test_the_larger_move_comes_first(pack):
    review = _rows(
        pack,
        meeting(1, "2026-08-01", **both(kendskab=3)),
        meeting(2, "2026-11-01", c_kendskab=5, w_kendskab=2),
    )
    # Citizen +2, caseworker −1; the gap (3) first, then the larger move.
    assert kinds_for_row(review.row("kendskab")) == ["gap", "moved_up", "moved_down"]


def test_a_one_step_gap_is_no_prompt_and_a_move_beats_stayed_low(pack):
    review = _rows(
        pack,
        meeting(1, "2026-08-01", **both(maal=2)),
        meeting(2, "2026-11-01", c_maal=1, w_maal=2),
    )
    # Low and moved down by one, one step apart: only the move.
    assert kinds_for_row(review.row("maal")) == ["moved_down"]


def test_stayed_low(pack):
    review = _rows(
        pack,
        meeting(1, "2026-05-01", **both(maal=2)),
        meeting(2, "2026-08-01", **both(maal=2)),
        meeting(3, "2026-11-01", **both(maal=2)),
    )
    assert kinds_for_row(review.row("maal")) == ["stayed_low"]
    (prompt,) = step_prompts(pack, review.row("maal"), "da")
    assert "3 samtaler i træk" in prompt.text


def test_low_at_first_meeting_says_today(pack):
    review = _rows(pack, meeting(1, "2026-11-01", **both(maal=1)))
    (prompt,) = step_prompts(pack, review.row("maal"), "en")
    assert prompt.kind == "stayed_low" and prompt.situation.startswith("Your goal: low today")


def test_a_step_prompt_names_the_topic_in_the_citizens_words(pack):
    """Read aloud on the shared screen: "Dit helbred: gået tilbage", "I ser forskelligt
    på folk, der støtter dig" – never "Helbredsmestring" or "Netværk og støtte"."""
    review = _rows(
        pack,
        meeting(1, "2026-08-01", **both(helbred=4), c_netvaerk=5, w_netvaerk=5),
        meeting(2, "2026-11-01", **both(helbred=2), c_netvaerk=5, w_netvaerk=2),
    )
    (down,) = step_prompts(pack, review.row("helbred"), "da")
    assert down.situation.startswith("Dit helbred: gået tilbage (")
    assert "Helbredsmestring" not in down.text
    gap = step_prompts(pack, review.row("netvaerk"), "da")[0]
    assert gap.kind == "gap" and "I ser forskelligt på folk, der støtter dig (" in gap.text
    english = step_prompts(pack, review.row("helbred"), "en")[0]
    assert english.situation.startswith("Your health: moved down (")


def test_steady_middle_gets_no_prompt(pack):
    review = _rows(
        pack,
        meeting(1, "2026-08-01", **both(helbred=3)),
        meeting(2, "2026-11-01", **both(helbred=3)),
    )
    assert kinds_for_row(review.row("helbred")) == []
    assert step_prompts(pack, review.row("helbred"), "da") == []


def test_private_indicator_gets_only_the_private_reflection(pack):
    review = _rows(
        pack,
        meeting(1, "2026-08-01", w_sb_tro=4, c_tro_job=3),
        meeting(2, "2026-11-01", w_sb_tro=1, c_tro_job=3),
    )
    prompts = step_prompts(pack, review.row("sb_tro"), "da", citizen_belief=review.row("tro_job"))
    assert [p.kind for p in prompts] == ["belief_reflection"]
    assert prompts[0].private
    assert '"Nej"' in prompts[0].text and '"Det svinger"' in prompts[0].text


def test_rendered_step_prompts_name_the_indicator_and_scores(pack):
    review = _rows(
        pack,
        meeting(1, "2026-08-01", **both(samarbejde=3)),
        meeting(2, "2026-11-01", c_samarbejde=5, w_samarbejde=2),
    )
    prompts = step_prompts(pack, review.row("samarbejde"), "da")
    assert [p.kind for p in prompts] == ["gap", "moved_up", "moved_down"]
    assert 'da du svarede "Passer helt"' in prompts[0].text
    assert "Borger: 3 → 5" in prompts[1].text
    assert "Sagsbehandler: 3 → 2" in prompts[2].text
    assert not any(p.private for p in prompts)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", ("moved_up", "moved_down", "stayed_low", "gap"))
def test_a_step_prompt_is_a_situation_a_guide_and_questions(name, lang):
    from bip_talk.services.prompts import Prompt

    for context in CONTEXTS[name]:
        prompt = Prompt(name, "x", render(f"conversation/{name}.txt", lang, **context))
        assert context["indicator"].casefold() in prompt.situation.casefold()
        assert prompt.guide and prompt.guide.endswith(":")
        assert len(prompt.questions) >= 2
        assert all(q.endswith("?") for q in prompt.questions), prompt.questions


def test_opening_and_closing_from_plan_items():
    praktik = replace(
        item("virksomhedspraktik", due_on="2026-12-15"),
        title="Praktik i Netto",
        responsible="Borger",
    )
    opening = opening_prompt("da", citizen="Ali", last_held_on="2026-08-20", actions=[praktik])
    assert (
        "20.08.2026" in opening.text
        and "- Praktik i Netto (Borger), senest 15.12.2026" in opening.text
    )
    assert "passeret" not in opening.text  # no meeting day given: nothing is overdue
    # On the meeting's day an action due before it says so; one due later does not.
    late = replace(praktik, title="Ring til lægen", due_on="2026-11-01")
    for lang, words in (("da", "(den dato er passeret)"), ("en", "(that date has passed)")):
        text = opening_prompt(
            lang,
            citizen="Ali",
            last_held_on="2026-08-20",
            actions=[late, praktik],
            held_on="2026-11-24",
        ).text
        lines = {line.split(",")[0]: line for line in text.splitlines() if line.startswith("- ")}
        assert lines["- Ring til lægen (Borger)"].endswith(words)
        assert words not in lines["- Praktik i Netto (Borger)"]
    first = opening_prompt("en", citizen="Ali", last_held_on=None, actions=[])
    assert first.text.startswith("Welcome, Ali.")
    closing = closing_prompt(
        "en", citizen="Ali", topics=["Job search"], agreed=[praktik], next_meeting="2027-02-24"
    )
    assert (
        "24 Feb 2027" in closing.text and "Praktik i Netto – Borger, by 15 Dec 2026" in closing.text
    )


def test_number_and_day_formats():
    assert number(3.5, "da") == "3,5" and number(3.5, "en") == "3.5" and number(4.0, "da") == "4"
    assert number(None, "da") == "–"
    assert day("2026-11-24", "da") == "24.11.2026" and day("2026-11-24", "en") == "24 Nov 2026"
    assert day(None, "da") is None


def test_progress_only_the_caseworker_sees_asks_no_what_did_you_do(pack):
    """The walkthrough: "Jeg søger ikke job" and then "Hvad gjorde du selv, som hjalp?".
    When only the caseworker's side moved up, the caseworker says what they see and asks
    whether the citizen recognises it; the citizen's own progress keeps the question."""
    review = _rows(
        pack,
        meeting(1, "2026-08-01", c_jobsoeg=1, w_jobsoeg=1, c_helbred=2, w_helbred=2),
        meeting(2, "2026-11-01", c_jobsoeg=1, w_jobsoeg=2, c_helbred=3, w_helbred=2),
    )
    (seen,) = step_prompts(pack, review.row("jobsoeg"), "da")
    assert seen.kind == "moved_up" and "Sagsbehandler: 1 → 2" in seen.situation
    assert "Hvad gjorde du selv, som hjalp?" not in seen.questions
    assert seen.questions == ("Kan du selv genkende det?", "Hvordan ser du selv på det?")
    (own,) = step_prompts(pack, review.row("helbred"), "da")
    assert "Hvad gjorde du selv, som hjalp?" in own.questions
    english = step_prompts(pack, review.row("jobsoeg"), "en")[0]
    assert "What did you do yourself that helped?" not in english.questions
