"""One jinja2 Environment over ``prompts/``: conversation prompts (plain text) now,
report templates (HTML) later.

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
    TemplateNotFound,
    TemplateSyntaxError,
    select_autoescape,
)

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


def render(name: str, lang: str, /, **context: object) -> str:
    """Render ``prompts/<lang>/<name>``; surrounding blank lines are dropped."""
    full = template_name(name, lang)
    t = Translator(lang)
    try:
        template = environment().get_template(full)
    except TemplateNotFound as exc:
        raise PromptError(f"{prompts_dir() / full}: {t('prompts.not_found')}") from exc
    except TemplateSyntaxError as exc:
        where = f"{exc.filename or prompts_dir() / full}:{exc.lineno}"
        raise PromptError(f"{where}: {t('prompts.syntax', detail=exc.message or '')}") from exc
    return glue_units(template.render(**context).strip())
