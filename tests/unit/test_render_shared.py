"""One HTML report template for every language: its words come from the catalog
section report_html; values put into those words are escaped like the rest."""

from __future__ import annotations

import pytest
from jinja2 import UndefinedError

from bip_talk.i18n import LANGUAGES, Translator, catalog
from bip_talk.render import Words, environment
from bip_talk.resources import prompts_dir


def test_words_escape_the_values_but_not_the_catalog_text() -> None:
    words = Words(Translator("en"), "report_html")
    title = words("title", held_on="2026-11-24", name="<b>Anna</b> & Co", id="B-1")
    assert title == "Meeting 2026-11-24 – &lt;b&gt;Anna&lt;/b&gt; &amp; Co (B-1)"
    assert '(marked "PRIVATE")' in words.private_notice  # own text: not escaped twice


def test_a_missing_word_is_an_error_not_a_placeholder() -> None:
    template = environment().from_string("{{ L.no_such_word }}")
    with pytest.raises(UndefinedError):
        template.render(L=Words(Translator("da"), "report_html"))


def test_the_report_template_exists_once() -> None:
    assert (prompts_dir() / "shared" / "reports" / "report.html").is_file()
    for lang in LANGUAGES:
        assert not (prompts_dir() / lang / "reports" / "report.html").exists()


def test_every_word_the_template_uses_is_in_the_catalog() -> None:
    import re

    text = (prompts_dir() / "shared" / "reports" / "report.html").read_text(encoding="utf-8")
    text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)  # not the comment's example
    used = set(re.findall(r"L\.(\w+)", text)) | set(re.findall(r'L\("(\w+)"', text))
    for lang in LANGUAGES:
        have = {k.split(".", 1)[1] for k in catalog(lang) if k.startswith("report_html.")}
        assert used <= have, f"{lang}: missing {sorted(used - have)}"
        assert have <= used, f"{lang}: unused {sorted(have - used)}"
