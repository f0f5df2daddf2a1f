"""What every bip-talk screen shares: the translator, the casework service, and
bindings in the user's language."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from textual import getters
from textual.binding import ActiveBinding, Binding
from textual.screen import ModalScreen, Screen

from bip_talk.i18n import Translator
from bip_talk.ui.bindings import translate_active
from bip_talk.ui.keymap import key_labels, written_key

if TYPE_CHECKING:
    from bip_talk.services.casework import Casework
    from bip_talk.services.workstation import Workstation
    from bip_talk.ui.app import BipTalkApp


class BaseScreen(Screen[Any]):
    # Tab in the order typed: taken as the app takes the key (a priority binding), the
    # focus moves before the keys typed after it are handed on. Textual's own Tab (on
    # ``Screen``, replaced here) is handled in the queue of the field it leaves, after
    # those keys, so they landed in that field (a name, then initials, typed quickly or
    # pasted). A screen with a Tab of its own (the meeting) replaces these in turn.
    BINDINGS = [
        Binding(
            "tab", "app.focus_next", "keys.focus_next", show=False, priority=True, id="next-field"
        ),
        Binding(
            "shift+tab",
            "app.focus_previous",
            "keys.focus_previous",
            show=False,
            priority=True,
            id="previous-field",
        ),
    ]

    if TYPE_CHECKING:
        app = getters.app(BipTalkApp)  # the type only; Textual's own property at run time

    @property
    def t(self) -> Translator:
        return self.app.t

    @property
    def workstation(self) -> Workstation:
        return self.app.workstation

    @property
    def casework(self) -> Casework:
        """The use cases; every screen past the citizen list runs with the database open."""
        return self.app.casework

    @property
    def keys(self) -> dict[str, str]:
        """Binding id -> its first key as a sentence writes it (``Ctrl+S``, ``Esc``),
        after the keymap: what a catalog text names as ``{keys[save]}``, so a hint
        never tells of a key the user has moved."""
        labels = key_labels(self.app, self, self.workstation.preferences.keymap)
        return {i: written_key(label.split()[0]) if label else "" for i, label in labels.items()}

    def after_typing(self, then: Callable[[], object]) -> None:
        """``then`` once the focused field has taken the keys already handed to it. A
        priority key (Ctrl+S) is taken as the app takes it, before the letters typed just
        before it are in the field: read at once, a note typed quickly lost its end."""
        field = self.focused
        if field is None:
            then()
        else:
            field.call_later(then)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        return translate_active(super().active_bindings, self.t.lang)


class BaseModal(BaseScreen, ModalScreen[Any]):
    pass
