"""The start screen: find a citizen by name or id (search as you type, one page at a
time), create one, or open one. Never lists thousands of rows."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Input, OptionList, Static
from textual.widgets.option_list import Option

from bip_talk.domain.entities import CitizenSummary
from bip_talk.i18n import format_date
from bip_talk.ui.messages import CaseworkChanged
from bip_talk.ui.screens.base import BaseScreen

PAGE = 30  # a screenful; PgDn pages on. Repainting the list is most of a keystroke's cost


class CitizensScreen(BaseScreen):
    BINDINGS = [
        Binding("f2", "new_citizen", "keys.new_citizen", id="new-citizen"),
        Binding("f3", "switch_user", "keys.switch_user", id="switch-user"),
        Binding("f4", "settings", "keys.settings", id="settings"),
        Binding("f5", "demo", "keys.demo", id="demo"),
        Binding("f1", "help", "keys.help", id="help"),
        Binding("pagedown", "page(1)", "keys.next_page", show=False, id="next-page"),
        Binding("pageup", "page(-1)", "keys.previous_page", show=False, id="previous-page"),
        Binding("down", "to_list", show=False, id="to-list"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.page_start = 0
        self.rows: list[CitizenSummary] = []

    def compose(self) -> ComposeResult:
        with Vertical(id="citizens"):
            yield Static(id="who")
            yield Input(id="search")
            yield Static(id="empty")
            yield OptionList(id="citizen-list")
            yield Static(id="list-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search", Input).placeholder = self.t("citizens.search_placeholder")
        self.query_one("#search", Input).focus()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown: one place fills it.
        self.refresh_who()
        self.refresh_list()

    def refresh_who(self) -> None:
        cw = self.app.caseworker
        text = self.t("citizens.signed_in", name=cw.name, initials=cw.initials) if cw else ""
        if self.app.is_demo:
            text = f"{self.t('citizens.demo_banner')}  {text}"
        self.query_one("#who", Static).update(text)

    def on_casework_changed(self, message: CaseworkChanged) -> None:
        """The database has opened, or someone else signed in."""
        message.stop()
        self.refresh_who()
        self.refresh_list()

    def refresh_list(self) -> None:
        text = self.query_one("#search", Input).value
        if not self.app.database_open:
            # The app is still opening the database; CaseworkChanged fills the list.
            self.query_one("#empty", Static).update(self.t("citizens.opening"))
            self.query_one("#citizen-list").display = False
            return
        self.rows = self.casework.search_citizens(text, limit=PAGE + 1, offset=self.page_start)
        more = len(self.rows) > PAGE
        self.rows = self.rows[:PAGE]
        listing = self.query_one("#citizen-list", OptionList)
        listing.clear_options()
        listing.add_options([Option(self._line(r), id=r.id) for r in self.rows])
        if self.rows:
            listing.highlighted = 0
        empty = self.query_one("#empty", Static)
        total_empty = not self.rows and not text and self.page_start == 0
        empty.update(
            self.t("citizens.first_run")
            if total_empty
            else ("" if self.rows else self.t("citizens.no_match", text=text))
        )
        empty.display = not self.rows
        listing.display = bool(self.rows)
        status = self.t(
            "citizens.page",
            first=self.page_start + 1 if self.rows else 0,
            last=self.page_start + len(self.rows),
        )
        if more:
            status += " " + self.t("citizens.more")
        self.query_one("#list-status", Static).update(status)

    def _line(self, r: CitizenSummary) -> str:
        last = (
            format_date(r.last_meeting_on, self.t.lang)
            if r.last_meeting_on
            else self.t("citizens.never")
        )
        line = self.t(
            "citizens.row",
            name=r.display_name,
            id=r.id,
            last=last,
            caseworker=r.caseworker_initials or "–",
        )
        if r.has_draft:
            line += "  " + self.t("citizens.draft")
        return line

    def on_input_changed(self, event: Input.Changed) -> None:
        self.page_start = 0
        self.refresh_list()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._open_highlighted()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.open_citizen(event.option.id)

    def _open_highlighted(self) -> None:
        listing = self.query_one("#citizen-list", OptionList)
        if listing.highlighted is not None and self.rows:
            self.app.open_citizen(self.rows[listing.highlighted].id)

    def action_to_list(self) -> None:
        listing = self.query_one("#citizen-list", OptionList)
        if self.rows and not listing.has_focus:
            listing.focus()
        else:
            listing.action_cursor_down()

    def action_page(self, step: int) -> None:
        new = max(0, self.page_start + step * PAGE)
        if step > 0 and len(self.rows) < PAGE:
            return
        self.page_start = new
        self.refresh_list()

    def action_new_citizen(self) -> None:
        from bip_talk.ui.screens.new_citizen import NewCitizenScreen

        def created(citizen_id: str | None) -> None:
            if citizen_id:
                self.refresh_list()
                self.app.open_citizen(citizen_id)

        self.app.push_screen(NewCitizenScreen(), callback=created)

    def action_switch_user(self) -> None:
        self.app.switch_user()

    def action_settings(self) -> None:
        self.app.open_settings()

    def action_demo(self) -> None:
        self.app.switch_to_demo()

    def action_help(self) -> None:
        from bip_talk.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen("citizens"))
