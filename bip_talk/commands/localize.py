"""The command line in the user's language: our help texts and click's own words.

Commands name their help texts by catalog key (``help="seed.help"``); nothing is
translated when a module is imported. ``localize`` runs once the language is known
(``--lang`` on the command line, else ``BIP_TALK_LANG``, else Danish), before click
parses anything — so ``bip-talk --lang en --help`` is English although click handles
``--help`` before ``--lang``.

click's own words (Usage, Options, Error, Missing argument …) come from
``gettext.gettext``, which each click module binds to a module-level ``_``/``ngettext``
when it is imported. We rebind those names to the ``click`` catalog; a test pins the
modules and names so a click upgrade that moves them fails loudly.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from types import ModuleType

import click

from bip_talk.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator

# click's message ids -> our catalog keys (section ``click``). Anything not listed stays
# as click wrote it.
WORDS: dict[str, str] = {
    "Usage:": "usage",
    "Options": "options",
    "Commands": "commands",
    "Positional arguments": "arguments",
    "Error: {message}": "error",
    "Try '{command} {option}' for help.": "try_help",
    "Show this message and exit.": "help_option",
    "Show the version and exit.": "version_option",
    "Missing argument": "missing_argument",
    "Missing option": "missing_option",
    "Missing parameter": "missing_parameter",
    "Missing parameter: {param_name}": "missing_parameter_named",
    "Missing {param_type}": "missing_type",
    "Missing command.": "missing_command",
    "No such command {name!r}.": "no_such_command",
    "No such option {name!r}.": "no_such_option",
    "Option {name!r} does not take a value.": "no_value",
    "Invalid value for {param_hint}: {message}": "invalid_value_for",
    "Invalid value: {message}": "invalid_value",
    "{value!r} is not a valid {number_type}.": "not_a_number",
    "required": "required",
    "{value} is not in the range {range}.": "out_of_range",
    "{name} {filename!r} does not exist.": "does_not_exist",
    "{name} {filename!r} is a file.": "is_a_file",
    "{name} {filename!r} is a directory.": "is_a_directory",
    "{name} {filename!r} is not readable.": "not_readable",
    "{name} {filename!r} is not writable.": "not_writable",
    "file": "file",
    "directory": "directory",
    "path": "path",
    "Aborted!": "aborted",
    "default: {default}": "default",
    "env var: {var}": "env_var",
    "Got unexpected extra argument ({args})": "extra_argument",
    "Got unexpected extra arguments ({args})": "extra_arguments",
    "Option {name!r} requires an argument.": "needs_argument",
    "Option {name!r} requires {nargs} arguments.": "needs_arguments",
    "Did you mean {possibility}?": "did_you_mean",
    "(Did you mean one of: {possibilities}?)": "did_you_mean_one_of",
    "{value!r} is not {choice}.": "not_choice",
    "{value!r} is not one of {choices}.": "not_one_of",
}

# The click modules whose messages reach our users, and the names they bind.
CLICK_MODULES: tuple[ModuleType, ...] = (
    click.core,
    click.exceptions,
    click.formatting,
    click.decorators,
    click.parser,
    click.types,
    click.termui,
)

# Placeholders click derives from a parameter's type (``PATH``, ``INTEGER`` …).
METAVARS: dict[type[click.ParamType], str] = {
    click.Path: "click.metavar_path",
    click.File: "click.metavar_file",
    click.types.IntParamType: "click.metavar_integer",
    click.types.StringParamType: "click.metavar_text",
}


def language_from(argv: Sequence[str]) -> str:
    """The language the user asked for: ``--lang X`` / ``--lang=X`` anywhere before a
    ``--``, else ``BIP_TALK_LANG``, else Danish."""
    for n, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and n + 1 < len(argv):
            value = argv[n + 1]
        elif arg.startswith("--lang="):
            value = arg.partition("=")[2]
        else:
            continue
        if value in LANGUAGES:
            return value
    env = os.environ.get("BIP_TALK_LANG", "")
    return env if env in LANGUAGES else DEFAULT_LANGUAGE


def _gettext(t: Translator) -> Callable[[str], str]:
    def gettext(message: str) -> str:
        key = WORDS.get(message)
        return t(f"click.{key}") if key else message

    return gettext


def _ngettext(t: Translator) -> Callable[[str, str, int], str]:
    gettext = _gettext(t)

    def ngettext(singular: str, plural: str, n: int) -> str:
        return gettext(singular if n == 1 else plural)

    return ngettext


def use_click_words(t: Translator) -> None:
    gettext, ngettext = _gettext(t), _ngettext(t)
    for module in CLICK_MODULES:
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]


def _translated(obj: object, attr: str, t: Translator) -> None:
    """Translate ``obj.attr`` from its catalog key; the key is kept on the object so a
    second call (tests run ``main`` many times in one process) translates it again."""
    keys: dict[str, str] = obj.__dict__.setdefault("_bip_keys", {})
    key = keys.get(attr)
    if key is None:
        value = getattr(obj, attr, None)
        if not isinstance(value, str) or not t.has(value):
            return
        key = keys[attr] = value
    setattr(obj, attr, t(key))


def localize(command: click.Command, t: Translator) -> None:
    """Every help text, short help and placeholder of the tree, in ``t``'s language,
    and an explicit ``--help`` whose text comes from the catalog."""
    if not any("--help" in p.opts for p in command.params):
        click.help_option("--help", help="cli.opt_help")(command)
    for attr in ("help", "short_help", "epilog"):
        _translated(command, attr, t)
    command.options_metavar = t("click.options_metavar")
    if isinstance(command, click.Group):
        command.subcommand_metavar = t(
            "click.commands_metavar_optional"
            if command.invoke_without_command
            else "click.commands_metavar"
        )
    for param in command.params:
        _translated(param, "help", t)
        _translated(param, "metavar", t)
        # An option's placeholder comes from its type (PATH, INTEGER): ours, translated
        # (and, through its kept key, again by ``_translated`` on the next call).
        if isinstance(param, click.Option) and not param.is_flag and param.metavar is None:
            key = next(filter(None, map(METAVARS.get, type(param.type).__mro__)), None)
            if key:
                param.__dict__.setdefault("_bip_keys", {})["metavar"] = key
                param.metavar = t(key)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            localize(sub, t)
