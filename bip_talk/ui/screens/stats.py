"""The job centre's own BIP tables on screen, for the roles that may see them (team lead,
admin) – the same tables and words as ``bip-talk stats``, wrapped to the screen. Counts
over all citizens only: no name, id or row under five people."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from bip_talk.errors import BipTalkError
from bip_talk.ui.screens.base import BaseScreen
from bip_talk.ui.text import plain, safe_text
from bip_talk.ui.widgets.footer import FittingFooter

if TYPE_CHECKING:
    from bip_talk.services.stats import StatsView

# Columns the text leaves free on the right: the scroll bar and the padding.
MARGIN = 6


class StatsScreen(BaseScreen):
    CSS = """
    StatsScreen #stats-scroll { padding: 0 1; }
    StatsScreen #stats-text { width: auto; }
    """
    BINDINGS = [
        Binding("escape,q", "close", "keys.back", id="back"),
        Binding("r", "recount", "keys.recount", id="recount"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._view: StatsView | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stats-scroll"):
            yield Static(plain(self.t("stats.screen_counting")), id="stats-text")
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one("#stats-scroll").focus()  # ↑↓ PgUp PgDn scroll it
        self.action_recount()

    def action_recount(self) -> None:
        """Count in a thread: on a large database every measurement is read (seconds)."""
        if any(w.group == "stats" and not w.is_finished for w in self.workers):
            return
        self.query_one("#stats-text", Static).update(plain(self.t("stats.screen_counting")))
        casework = self.casework

        def count() -> None:
            try:
                view = casework.stats_view()
            except BipTalkError as exc:
                self.app.call_from_thread(self._show_problem, exc.message)
                return
            except Exception as exc:  # a plain message, never a traceback on screen
                kind = type(exc).__name__
                self.app.call_from_thread(self._show_problem, self.t("cli.unexpected", kind=kind))
                return
            self.app.call_from_thread(self._show, view)

        self.run_worker(count, thread=True, group="stats", exit_on_error=False)

    @property
    def _shown(self) -> bool:
        """Still on the stack: a count that ends after Esc has nowhere to go."""
        return self in self.app.screen_stack

    def _show(self, view: StatsView) -> None:
        self._view = view
        self._fill()

    def _show_problem(self, message: str) -> None:
        if self._shown:
            self.query_one("#stats-text", Static).update(safe_text(message))

    def _fill(self) -> None:
        from bip_talk.services.stats import stats_text

        if self._view is None or not self._shown:
            return
        width = max(40, self.size.width - MARGIN)
        text = stats_text(self._view, self.t.lang, width=width)
        self.query_one("#stats-text", Static).update(plain(text.rstrip("\n")))

    def on_resize(self) -> None:
        self._fill()

    def action_close(self) -> None:
        self.dismiss(None)
