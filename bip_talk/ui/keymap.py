"""Keys remapped by binding id from the ``[keymap]`` table of settings.toml, as Posting
does, through Textual's public keymap API (``App.set_keymap``; a binding's ``id``).

``BINDING_IDS`` lists every id a user may remap; a test checks it against the
``BINDINGS`` of every screen and against the list in the README. An id names the same
action on every screen that has it (``help`` is help everywhere).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.keys import REPLACED_KEYS, Keys, key_to_character
from textual.screen import Screen

from bip_talk.i18n import Translator
from bip_talk.settings import shown

BINDING_IDS = frozenset(
    {
        # always
        "curtain",
        "quit",
        "palette",
        "next-field",
        "previous-field",
        # citizens
        "new-citizen",
        "switch-user",
        "settings",
        "demo",
        "help",
        "next-page",
        "previous-page",
        "to-list",
        "list-down",
        "list-up",
        "list-first",
        "list-last",
        "list-open",
        "caseload",
        "today",
        "unfinished",
        "showcase",
        "clear",
        # citizen
        "meeting",
        "reassign",
        "handover",
        "edit-citizen",
        "outcomes",
        "outcome-new",
        "outcome-delete",
        "back",
        # opening
        "outcome-done",
        "outcome-partly",
        "outcome-not-done",
        "outcome-running",
        "outcome-undo",
        "start-questions",
        # meeting
        *(f"rate-{d}" for d in range(1, 6)),
        *(f"toggle-{k}" for k in "abcdefgh"),
        "decline",
        "switch-side",
        "next",
        "previous",
        "note",
        "review",
        "private",
        "next-prompt",
        "discussed",
        "leave",
        # pause
        "resume",
        "leave-meeting",
        # review, plan
        "pick-topic",
        "plan",
        "finish",
        "copy-journal",
        "save-reports",
        "accept",
        "new-item",
        "edit-item",
        "rule-text",
        "closing",
        # handover
        "continue",
        # dialogs
        "sign-in-enter",
        "choose",
        "choice-previous",
        "choice-next",
        "yes",
        "no",
        "cancel",
        "save",
        "correct-note",
        "close",
        "show",
        # role page, statistics
        "stats",
        "recount",
        # training
        "start",
        "end",
        "next-change",
    }
)

# Groups the help text shows as a range ("1–5") while no key of the group is remapped.
GROUPS = {"rate": "rate-", "toggle": "toggle-"}

_MODIFIERS = frozenset({"ctrl", "shift", "alt", "meta", "super", "hyper"})
_NAMED_KEYS = frozenset(k.value for k in Keys if not k.value.startswith("<")) | frozenset(
    REPLACED_KEYS
)


def is_key(text: str) -> bool:
    """A key Textual can deliver: ``n``, ``N``, ``f6``, ``ctrl+n``, ``question_mark``, ``?``."""
    *modifiers, name = text.strip().split("+")
    if not name or any(m not in _MODIFIERS for m in modifiers):
        return False
    if len(name) == 1:
        return name.isprintable() and not name.isspace()
    return name in _NAMED_KEYS or key_to_character(name) is not None


def keymap_problems(keymap: Mapping[str, str], file: Path, t: Translator) -> list[str]:
    """Every entry that cannot be used, as "<file>: keymap.<id>: what to do"."""
    problems = []
    for binding_id, keys in keymap.items():
        where = f"{file}: keymap.{shown(binding_id)}"
        if binding_id not in BINDING_IDS:
            problems.append(f"{where}: {t('keymap.unknown_id')}")
            continue
        bad = [k.strip() for k in keys.split(",") if not is_key(k)]
        if bad or not keys.strip():
            keys_shown = ", ".join(f"'{shown(k, 40)}'" for k in bad) or "''"
            problems.append(f"{where}: {t('keymap.bad_key', keys=keys_shown)}")
    return problems


def apply_keymap(app: App, keymap: Mapping[str, str]) -> None:
    """The one place the keymap reaches Textual: footer, palette and keys follow it."""
    app.set_keymap(dict(keymap))


def _declared(node: object) -> list[Binding]:
    """The bindings a screen or app class declares (its own and inherited ``BINDINGS``)."""
    out: list[Binding] = []
    for cls in type(node).__mro__:
        for item in cls.__dict__.get("BINDINGS", []):
            out.append(item if isinstance(item, Binding) else Binding(*item))
    return out


def binding_keys(node: object, keymap: Mapping[str, str], binding_id: str) -> frozenset[str]:
    """The keys (Textual's names: ``n``, ``ctrl+s``) that run ``binding_id`` on ``node``,
    after the keymap – for a screen that must recognise its own key in ``on_key``."""
    for binding in _declared(node):
        if binding.id == binding_id:
            return frozenset(k.strip() for k in keymap.get(binding_id, binding.key).split(","))
    return frozenset()


def key_labels(app: App, screen: Screen, keymap: Mapping[str, str]) -> dict[str, str]:
    """Binding id -> its keys as the footer shows them (after the keymap) on ``screen``,
    for the help text; ids the screen does not have map to ''. Range groups (``rate``,
    ``toggle``) read ``1–5`` until one of their keys is remapped."""
    keys: dict[str, list[str]] = {}
    for binding in _declared(screen) + _declared(app):
        if not binding.id or binding.id in keys:
            continue  # the screen's own binding wins over the app's of the same id
        found = keys.setdefault(binding.id, [])
        for key in keymap.get(binding.id, binding.key).split(","):
            label = app.get_key_display(binding.with_key(key.strip(), key_display=None))
            if label not in found:
                found.append(label)
    labels = {binding_id: "" for binding_id in BINDING_IDS}
    labels.update({binding_id: " ".join(found) for binding_id, found in keys.items()})
    for group, prefix in GROUPS.items():
        members = sorted(i for i in keys if i.startswith(prefix))
        if not members:
            labels[group] = ""
        elif set(keymap) & set(members):
            labels[group] = " ".join(labels[i] for i in members)
        else:
            labels[group] = f"{labels[members[0]]}–{labels[members[-1]]}"
    return labels


def written_key(label: str) -> str:
    """A footer label as a sentence writes it: ``^r`` -> ``Ctrl+R`` (``f5`` -> ``F5``,
    ``esc`` -> ``Esc``, ``⏎`` -> ``Enter``)."""
    words = []
    for key in label.split():
        if key.startswith("^") and len(key) > 1:
            key = "Ctrl+" + key[1:].upper()
        elif len(key) > 1 and key[0] == "f" and key[1:].isdigit():
            key = key.upper()
        elif key == "⏎":
            key = "Enter"
        elif len(key) > 1 and key.isalpha():
            key = key.capitalize()
        words.append(key)
    return " ".join(words)
