"""For the caseworker's eyes only: the reflection on their own belief in a job, the
evidence notes marked private, the evidence behind a suggestion. Opened on purpose by a
key, headed "Kun for dig som sagsbehandler" with a reminder to turn the screen – and
shown only on Enter after it, so the citizen beside the caseworker never sees it in
the moment before the screen is turned; Esc returns to the shared screen it came from."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from bip_talk.presenters.layout import hanging
from bip_talk.ui.screens.base import BaseModal
from bip_talk.ui.text import plain

# The dialog's width (.dialog in app.tcss) less its border, padding and scrollbar gutter.
DIALOG_WIDTH = 78
FRAME = 2 + 2 + 1


class PrivateScreen(BaseModal):
    BINDINGS = [
        Binding("enter", "show", "keys.show", id="show"),
        # Enter once the text shows (the same id: one remap moves both): the footer then
        # says what it does, "Luk".
        Binding("enter", "close_shown", "keys.close", id="show"),
        Binding("escape", "close", "keys.close", id="close"),
    ]

    def __init__(self, text: str, about: str = "") -> None:
        """``about``: what the view holds (a line under the heading), if more than notes."""
        super().__init__()
        self.text = text
        self.about = about

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog private", id="private-view"):
            yield Static(self.t("private.title"), classes="dialog-title")
            yield Static(
                self.t("private.warning_hidden", keys=self.keys),
                classes="dialog-error",
                id="warning",
            )
            if self.about:
                yield Static(plain(self.about), classes="dialog-title")
            text = Static(plain(self._laid_out()), id="private-text")
            text.display = False  # until the caseworker has turned the screen: Enter
            yield text

    def on_mount(self) -> None:
        self.query_one("#private-view").focus()  # ↑↓ PgUp PgDn scroll it

    def _laid_out(self) -> str:
        """The text wrapped at whole words, each wrapped line under its own indent (or
        the text after a list mark), so "  Hvorfor: …" and the sources stay readable;
        an address is never broken."""
        width = min(DIALOG_WIDTH, self.app.size.width) - FRAME
        return hanging(self.text, width, under_mark=True)

    def on_resize(self) -> None:
        self.query_one("#private-text", Static).update(plain(self._laid_out()))

    @property
    def shown(self) -> bool:
        return self.query_one("#private-text").display

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("show", "close_shown"):
            return self.shown == (action == "close_shown")
        return True

    def action_close_shown(self) -> None:
        self.dismiss(None)

    def action_show(self) -> None:
        self.query_one("#private-text").display = True
        self.query_one("#warning", Static).update(self.t("private.warning", keys=self.keys))
        self.refresh_bindings()

    def action_close(self) -> None:
        self.dismiss(None)
