"""The one gate for text people type: ``checked`` runs ``domain.text.check_user_text``
and words a refusal in the user's language, naming the field and what to remove.

The store calls it in every method that saves text (so every service and screen is
covered); a dialog may call it first to keep itself open with the message.
"""

from __future__ import annotations

from bip_talk.domain.text import TextRefused, check_user_text
from bip_talk.errors import InputError
from bip_talk.i18n import Translator

# Fields whose text may span lines (newline and tab allowed); the rest are one line.
MULTILINE = frozenset({"note", "answer", "reason", "decline_reason"})


def refusal(exc: TextRefused, field: str, t: Translator) -> str:
    p = exc.problem
    label = t(f"text.field.{field}") if t.has(f"text.field.{field}") else field
    return t(f"text.{p.kind}", field=label, position=p.position, code=p.code)


def checked(value: str, field: str, lang: str = "da") -> str:
    """``value`` ready to save, or ``InputError`` with the message to show."""
    try:
        return check_user_text(value, multiline=field in MULTILINE)
    except TextRefused as exc:
        raise InputError(refusal(exc, field, Translator(lang))) from None


def problem(value: str, field: str, lang: str = "da") -> str | None:
    """The message for ``value``, or None when it may be saved (for dialogs)."""
    try:
        checked(value, field, lang)
    except InputError as exc:
        return exc.message
    return None
