"""One jinja2 Environment over ``prompts/``: conversation prompts and report templates.

``prompts/<lang>/…`` holds a template per language where the language shapes the text
(conversation prompts); ``prompts/shared/…`` holds one template for every language
whose words come from a catalog section (the reports): ``render_shared``.

StrictUndefined: a template that uses a value the caller did not give fails loudly
instead of printing an empty hole in front of a citizen. Plain-text templates are
never escaped; ``.html``/``.htm``/``.xml``/``.svg`` templates are autoescaped.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    Template,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)
from markupsafe import Markup

from bip_talk.domain.typography import glue_units
from bip_talk.errors import BipTalkError
from bip_talk.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator
from bip_talk.resources import prompts_dir


class PromptError(BipTalkError):
    """A template file that is missing or cannot be parsed."""

    exit_code = 2


@cache
def environment(root: Path | None = None) -> Environment:
    return Environment(
        loader=FileSystemLoader(str(root or prompts_dir())),
        undefined=StrictUndefined,
        autoescape=select_autoescape(
            enabled_extensions=("html", "htm", "xml", "svg"),
            default_for_string=False,
            default=False,
        ),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def template_name(name: str, lang: str) -> str:
    """``("conversation/opening.txt", "en")`` -> ``"en/conversation/opening.txt"``."""
    return f"{lang if lang in LANGUAGES else DEFAULT_LANGUAGE}/{name}"


def _template(full: str, t: Translator) -> Template:
    try:
        return environment().get_template(full)
    except TemplateNotFound as exc:
        raise PromptError(f"{prompts_dir() / full}: {t('prompts.not_found')}") from exc
    except TemplateSyntaxError as exc:
        where = f"{exc.filename or prompts_dir() / full}:{exc.lineno}"
        raise PromptError(f"{where}: {t('prompts.syntax', detail=exc.message or '')}") from exc


def warm(folder: str, lang: str) -> int:
    """Compile every template under ``folder`` for ``lang`` now (the environment keeps
    them), so the first render of each does not pay; returns how many. A template
    that does not compile is left for its render to report, with file and line."""
    root = prompts_dir() / template_name(folder, lang)
    names = sorted(p.relative_to(prompts_dir()).as_posix() for p in root.rglob("*.txt"))
    done = 0
    for name in names:
        try:
            environment().get_template(name)
        except TemplateError:
            continue
        done += 1
    return done


def render(name: str, lang: str, /, **context: object) -> str:
    """Render ``prompts/<lang>/<name>``; surrounding blank lines are dropped."""
    t = Translator(lang)
    return glue_units(_template(template_name(name, lang), t).render(**context).strip())


class Words:
    """A catalog section for a shared template: ``L.key`` or ``L("key", v=...)``.

    In an HTML template (``html=True``) the catalog texts are the project's own and may
    hold HTML; the values put into them (names, notes, dates) are escaped, as
    everything else in an .html template. In a text template they are plain text (the
    template escapes what it must, e.g. Markdown). A key the section lacks is an
    error, never a visible placeholder."""

    def __init__(self, t: Translator, section: str, *, html: bool) -> None:
        self._t, self._section, self._html = t, section, html

    def _text(self, key: str) -> str:
        full = f"{self._section}.{key}"
        if not self._t.has(full):
            raise AttributeError(full)
        return self._t(full)

    def __getattr__(self, key: str) -> str:
        if key.startswith("_"):
            raise AttributeError(key)
        text = self._text(key)
        return Markup(text) if self._html else text

    def __call__(self, key: str, /, **values: object) -> str:
        text = self._text(key)
        return Markup(text).format(**values) if self._html else text.format(**values)


def render_shared(name: str, lang: str, words: str, /, **context: object) -> str:
    """Render ``prompts/shared/<name>`` with ``L`` = the catalog section ``words`` in
    ``lang``; surrounding blank lines are dropped."""
    t = Translator(lang)
    html = name.endswith((".html", ".htm", ".svg", ".xml"))
    template = _template(f"shared/{name}", t)
    return glue_units(template.render(L=Words(t, words, html=html), **context).strip())
