"""Keys for the current screen, in words, from the catalog; each key as the footer
shows it, so a key remapped in settings.toml reads right here too."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from bip_talk.ui.keymap import key_labels
from bip_talk.ui.screens.base import BaseModal
from bip_talk.ui.text import plain
from bip_talk.ui.widgets.key_guide import KeyGuide


class HelpScreen(BaseModal):
    BINDINGS = [Binding("escape,question_mark,q", "close", "keys.close", id="close")]

    def __init__(self, topic: str) -> None:
        super().__init__()
        self.topic = topic

    def compose(self) -> ComposeResult:
        # The keys of the screen help was asked on: the one just below this one.
        stack = self.app.screen_stack
        below = stack[stack.index(self) - 1] if self in stack else self.app.screen
        keys = key_labels(self.app, below, self.workstation.preferences.keymap)
        with VerticalScroll(classes="dialog help"):
            yield Static(self.t(f"help.{self.topic}_title"), classes="dialog-title")
            # A key's words that wrap go on under its words, not under the key column.
            guide = KeyGuide(id="help-text")
            guide.say(self.t(f"help.{self.topic}", **keys))
            yield guide
            yield Static(plain(self.t("help.always", **keys)), classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)
