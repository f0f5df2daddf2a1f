"""The privacy curtain: one key blanks everything; the same key brings it back."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Middle
from textual.widgets import Static

from bip_talk.ui.screens.base import BaseModal


class CurtainScreen(BaseModal):
    def compose(self) -> ComposeResult:
        with Middle(), Center():
            yield Static(self.t("curtain.message", keys=self.keys), id="curtain-message")
