"""Handover: the new caseworker sees the history, what was tried and what moved, the
citizen's own priorities, shared notes and open actions — before the first meeting.

It is the caseworker's briefing (figures, professional words), so it is their private
view: opened only on their key (``h`` on the citizen's screen, in the opening, on the
plan), headed "Kun for dig som sagsbehandler" in a red frame, and Esc or Enter returns
to the shared screen it came from."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from bip_talk.presenters.handover import handover_lines
from bip_talk.ui.screens.base import BaseScreen
from bip_talk.ui.text import plain
from bip_talk.ui.widgets.footer import FittingFooter


class HandoverScreen(BaseScreen):
    CSS_PATH = "handover.tcss"
    BINDINGS = [
        # Either key closes the private view, back to the shared screen it came from.
        Binding("enter", "done", "keys.back", id="continue"),
        Binding("escape", "done", "keys.back", show=False, id="back"),
    ]

    def __init__(self, citizen_id: str) -> None:
        super().__init__()
        self.citizen_id = citizen_id

    def compose(self) -> ComposeResult:
        with Vertical(id="handover"):
            yield Static(id="handover-title", classes="screen-title")
            yield Static(
                f"{self.t('private.title')} · {self.t('private.warning', keys=self.keys)}",
                id="handover-private",
                classes="dialog-error",
            )
            with VerticalScroll(id="handover-body", classes="private"):
                yield Static(id="handover-text")
        yield FittingFooter()

    def on_mount(self) -> None:
        h = self.casework.handover(self.citizen_id)
        self.query_one("#handover-title", Static).update(
            plain(self.t("handover.title", name=h.citizen.display_name, id=h.citizen.id))
        )
        self.query_one("#handover-text", Static).update(
            plain("\n".join(handover_lines(h, self.casework.pack, self.t)))
        )
        self.query_one("#handover-body").focus()

    def action_done(self) -> None:
        self.dismiss(True)
