"""One template for every language for the HTML report and the citizen's summary:
the words come from a catalog section; in HTML the values put into those words
are escaped like the rest, in text they stay plain."""

from __future__ import annotations

import re

import pytest
from jinja2 import UndefinedError

from bip_talk.i18n import LANGUAGES, Translator, catalog
from bip_talk.render import Words, environment
from bip_talk.resources import prompts_dir


def test_words_escape_the_values_but_not_the_catalog_text() -> None:
    words = Words(Translator("en"), "report_html", html=True)
    title = words("title", held_on="2026-11-24", name="<b>Anna</b> & Co", id="B-1")
    assert title == "Meeting 2026-11-24 – &lt;b&gt;Anna&lt;/b&gt; &amp; Co (B-1)"
    assert '(marked "PRIVATE")' in words.private_notice  # own text: not escaped twice


def test_a_missing_word_is_an_error_not_a_placeholder() -> None:
    template = environment().from_string("{{ L.no_such_word }}")
    with pytest.raises(UndefinedError):
        template.render(L=Words(Translator("da"), "report_html", html=True))


TEMPLATES = {
    "report.html": "report_html",
    "summary.md": "summary",
    "summary.txt": "summary",
}


def test_text_words_are_plain_text() -> None:
    words = Words(Translator("en"), "summary", html=False)
    assert words("hello", citizen_name="<b> & Co").startswith("Hello <b> & Co.")


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_each_report_template_exists_once(name: str) -> None:
    assert (prompts_dir() / "shared" / "reports" / name).is_file()
    for lang in LANGUAGES:
        assert not (prompts_dir() / lang / "reports" / name).exists()


@pytest.mark.parametrize("section", sorted(set(TEMPLATES.values())))
def test_every_word_a_template_uses_is_in_its_section_and_every_word_is_used(
    section: str,
) -> None:
    used: set[str] = set()
    for name, of in TEMPLATES.items():
        if of != section:
            continue
        text = (prompts_dir() / "shared" / "reports" / name).read_text(encoding="utf-8")
        text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)  # not a comment's example
        used |= set(re.findall(r"L\.(\w+)", text)) | set(re.findall(r'L\("(\w+)"', text))
    for lang in LANGUAGES:
        have = {k.split(".", 1)[1] for k in catalog(lang) if k.startswith(section + ".")}
        assert used <= have, f"{lang}: missing {sorted(used - have)}"
        assert have <= used, f"{lang}: unused {sorted(have - used)}"
