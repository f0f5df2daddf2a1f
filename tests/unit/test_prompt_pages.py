"""One prompt at a time: the step's prompts as pages of at most three lines, the most
useful first, nothing cut mid-word, every question on some page."""

from __future__ import annotations

import pytest

from bip_talk.domain.change import build_review
from bip_talk.presenters.meeting import PROMPT_LINES, prompt_pages
from bip_talk.services.prompts import Prompt, step_prompts
from tests.unit.evidence_support import both, meeting

WIDTHS = (78, 116)  # the prompt line at 80×24 and at 120×40


def _prompts(pack, lang: str) -> list[Prompt]:
    """A step with every kind of shared prompt: a three-step gap, a rise and a drop."""
    review = build_review(
        pack,
        [
            meeting(1, "2026-08-01", **both(samarbejde=3)),
            meeting(2, "2026-11-01", c_samarbejde=5, w_samarbejde=2),
        ],
    )
    return step_prompts(pack, review.row("samarbejde"), lang)


@pytest.mark.parametrize("lang", ("da", "en"))
@pytest.mark.parametrize("width", WIDTHS)
def test_every_page_fits_three_lines_and_keeps_every_word(pack, lang, width):
    prompts = _prompts(pack, lang)
    pages = prompt_pages(prompts, width)
    assert pages
    for page in pages:
        lines = page.split("\n")
        assert len(lines) <= PROMPT_LINES, page
        assert all(len(line) <= width for line in lines), page
    words = " ".join(pages).split()
    for prompt in prompts:
        for question in prompt.questions:
            assert all(w in words for w in question.split()), question
        assert all(w in words for w in prompt.situation.split())


def test_pages_follow_the_prompt_order_and_each_names_its_situation(pack):
    prompts = _prompts(pack, "da")
    pages = prompt_pages(prompts, 78)
    kinds = []
    for page in pages:
        # A page opens with its situation (the topic's name first, the same on each).
        (kind,) = [p.kind for p in prompts if p.situation.startswith(page.split("\n")[0])]
        if not kinds or kinds[-1] != kind:
            kinds.append(kind)
    assert kinds == ["gap", "moved_up", "moved_down"]


def test_a_wide_line_holds_a_whole_prompt_on_one_page(pack):
    prompts = _prompts(pack, "da")
    assert len(prompt_pages(prompts, 116)) == len(prompts)
    # At 80 columns the gap's situation takes two lines: a question a page.
    assert len(prompt_pages(prompts, 78)) > len(prompts)


def test_private_prompts_are_never_paged():
    private = Prompt("belief_reflection", "sb_tro", "Kun til dig:\n- Hvad bygger det på?", True)
    assert prompt_pages([private], 78) == []
