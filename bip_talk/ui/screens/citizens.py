"""The start screen (the desk): find a citizen by name or id, or list your own.

The citizen may already be sitting beside the caseworker, so the desk names nobody
until the caseworker asks: typing searches everyone (one page at a time, never
thousands of rows); a key lists only the caseworker's caseload, the citizens they met
today or their unfinished meetings. Coming back from a citizen the desk is blank
again. The number of unfinished meetings is said, never whose they are."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from bip_talk.domain.entities import CitizenScope, CitizenSummary
from bip_talk.i18n import format_date
from bip_talk.ui.messages import CaseworkChanged
from bip_talk.ui.screens.base import BaseScreen
from bip_talk.ui.text import plain
from bip_talk.ui.widgets.footer import FittingFooter
from bip_talk.ui.widgets.key_guide import KeyGuide
from bip_talk.ui.widgets.line_list import LineList
from bip_talk.ui.widgets.plain_line import PlainLine
from bip_talk.ui.widgets.search_input import SearchInput

PAGE = 30  # a screenful; PgDn pages on. Repainting the list is most of a keystroke's cost

# Besides the caseworker's own lists (``CitizenScope``): the demo's hand-shaped citizens.
SHOWCASE = "showcase"


@dataclass(frozen=True, slots=True)
class Row:
    id: str
    text: str


class CitizensScreen(BaseScreen):
    BINDINGS = [
        Binding("f6", "scope('caseload')", "keys.caseload", id="caseload"),
        Binding("f7", "scope('today')", "keys.today", id="today"),
        Binding("f8", "scope('unfinished')", "keys.unfinished", id="unfinished"),
        Binding("f9", "scope('showcase')", "keys.showcase", id="showcase"),
        Binding("f2", "new_citizen", "keys.new_citizen", id="new-citizen"),
        Binding("escape", "clear", "keys.clear", show=False, id="clear"),
        Binding("f1", "help", "keys.help", id="help"),
        # In the help and the palette; left out of the footer so it fits 120 columns.
        Binding("f3", "switch_user", "keys.switch_user", show=False, id="switch-user"),
        Binding("f5", "demo", "keys.demo", show=False, id="demo"),
        Binding("pagedown", "page(1)", "keys.next_page", show=False, id="next-page"),
        Binding("pageup", "page(-1)", "keys.previous_page", show=False, id="previous-page"),
        Binding("down", "to_list", show=False, id="to-list"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.page_start = 0
        self.scope: CitizenScope | str | None = None  # a key's list; None: search or nothing
        self.rows: list[Row] = []
        self._blank_on_return = False
        self._quiet = False  # the field emptied by the screen itself: no search of its own

    def compose(self) -> ComposeResult:
        with Vertical(id="citizens"):
            yield Static(id="who")
            yield SearchInput(id="search")
            yield PlainLine(id="list-heading")
            yield KeyGuide(id="empty")
            yield LineList(id="citizen-list")
            yield PlainLine(id="list-status")
        yield FittingFooter()

    def on_mount(self) -> None:
        search = self.query_one("#search", Input)
        search.placeholder = self.t("citizens.search_placeholder")
        search.focus()
        # The list follows the field within the frame of the typed key: a watcher runs
        # at once, while Input.Changed comes as a message after the field has been
        # painted – two frames for every key.
        self.watch(search, "value", self._typed, init=False)

    def _typed(self) -> None:
        if not self._quiet:
            self.page_start = 0
            self.refresh_list()

    def _blank_search(self) -> None:
        """Empty the search field without a search of its own (the caller refills)."""
        search = self.query_one("#search", Input)
        self._quiet = True
        try:
            search.value = ""
        finally:
            self._quiet = False

    def blank_on_return(self) -> None:
        """Come back empty from the screen opened over this one (a citizen's)."""
        self._blank_on_return = True

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown: one place fills it.
        if self._blank_on_return:
            # Back from a citizen, who may still be beside the caseworker: no list.
            self._blank_on_return = False
            self.scope = None
            self.page_start = 0
            self._blank_search()
            self.query_one("#search", Input).focus()
        self.refresh_who()
        self.refresh_list()

    def refresh_who(self) -> None:
        cw = self.app.caseworker
        text = self.t("citizens.signed_in", name=cw.name, initials=cw.initials) if cw else ""
        if self.app.is_demo:
            text = f"{self.t('citizens.demo_banner')} {text}"
        self.query_one("#who", Static).update(plain(text))

    def on_casework_changed(self, message: CaseworkChanged) -> None:
        """The database has opened, or someone else signed in."""
        message.stop()
        self.refresh_who()
        self.refresh_list()

    # -- what is listed ------------------------------------------------------------------

    @property
    def search_text(self) -> str:
        return self.query_one("#search", Input).value

    def _fetch(self) -> tuple[list[Row], bool]:
        """The rows of this page, and whether there are more."""
        text = self.search_text
        if self.scope == SHOWCASE:
            return self._showcase(text), False
        scope: CitizenScope = self.scope or "all"  # type: ignore[assignment]
        found = self.casework.search_citizens(
            text, limit=PAGE + 1, offset=self.page_start, scope=scope
        )
        rows = [Row(r.id, self._line(r)) for r in found[:PAGE]]
        return rows, len(found) > PAGE

    def _showcase(self, text: str) -> list[Row]:
        from bip_talk.services.synthetic.demo import showcase

        folded = text.strip().casefold()
        return [
            Row(
                s.citizen_id,
                self.t("citizens.showcase_row", name=s.name, id=s.citizen_id, shows=s.shows),
            )
            for s in showcase(self.casework.search_citizens, self.t)
            if folded in f"{s.name} {s.citizen_id}".casefold()
        ]

    def refresh_list(self) -> None:
        t = self.t
        listing = self.query_one("#citizen-list", LineList)
        empty = self.query_one("#empty", KeyGuide)
        heading = self.query_one("#list-heading", PlainLine)
        status = self.query_one("#list-status", PlainLine)
        if not self.app.database_open:
            # The app is still opening the database; CaseworkChanged fills the list.
            self._show_nothing(t("citizens.opening"))
            return
        text = self.search_text
        if self.scope is None and not text.strip():
            self._show_nothing(self._guide())
            return
        self.rows, more = self._fetch()
        listing.show([(r.text, r.id) for r in self.rows])
        heading.say(self._heading(text))
        heading.display = True
        if not self.rows:  # said only when shown: an update of a hidden line still lays out
            empty.say(self._nothing_found(text))
        empty.display = not self.rows
        listing.display = bool(self.rows)
        if self.rows:
            line = t(
                "citizens.page", first=self.page_start + 1, last=self.page_start + len(self.rows)
            )
            line += " " + t("citizens.more") if more else ""
            line += " " + t(
                "citizens.open_hint_resume" if self.scope == "unfinished" else "citizens.open_hint"
            )
        else:
            line = ""
        status.say(line)

    def _show_nothing(self, message: str) -> None:
        self.rows = []
        self.query_one("#citizen-list", LineList).show([])
        self.query_one("#citizen-list").display = False
        self.query_one("#list-heading").display = False
        empty = self.query_one("#empty", KeyGuide)
        empty.say(message)
        empty.display = True
        self.query_one("#list-status", PlainLine).say("")

    def _guide(self) -> str:
        """What the desk says while it lists nobody: how to find a citizen."""
        if not self.casework.search_citizens("", limit=1):
            return self.t("citizens.first_run")
        lines = [self.t("citizens.guide")]
        unfinished = self.casework.unfinished_count()
        if unfinished:
            lines.append(self.t("citizens.unfinished_count", count=unfinished))
        if self.app.is_demo:
            lines.append(self.t("citizens.guide_demo"))
        return "\n".join(lines)

    def _heading(self, text: str) -> str:
        if self.scope is None:
            return self.t("citizens.heading_search", text=text.strip())
        title = self.t(f"citizens.heading_{self.scope}")
        if text.strip():
            title += "  " + self.t("citizens.heading_filter", text=text.strip())
        return title

    def _nothing_found(self, text: str) -> str:
        if self.scope is None:
            return self.t("citizens.no_match", text=text.strip())
        if text.strip():
            return self.t("citizens.no_match_in", text=text.strip())
        return self.t(f"citizens.none_{self.scope}")

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

    # -- keys ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "scope" and parameters == (SHOWCASE,):
            return self.app.is_demo  # only the demo has hand-shaped citizens
        return True

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._open_highlighted()

    def on_line_list_selected(self, event: LineList.Selected) -> None:
        if event.row_id:
            self._open(event.row_id)

    def _open_highlighted(self) -> None:
        listing = self.query_one("#citizen-list", LineList)
        if listing.highlighted is not None and self.rows:
            self._open(self.rows[listing.highlighted].id)

    def _open(self, citizen_id: str) -> None:
        self._blank_on_return = True
        if self.scope == "unfinished":
            self.app.resume_meeting(citizen_id)
        else:
            self.app.open_citizen(citizen_id)

    def action_scope(self, scope: str) -> None:
        """A key's list; the same key again goes back to searching everyone."""
        self.scope = None if self.scope == scope else scope
        self.page_start = 0
        self.refresh_list()
        self.query_one("#search", Input).focus()

    def action_clear(self) -> None:
        """Esc: nobody listed, the search box empty (e.g. when the citizen sits down)."""
        self.scope = None
        self.page_start = 0
        self._blank_search()
        self.query_one("#search", Input).focus()
        self.refresh_list()

    def action_to_list(self) -> None:
        listing = self.query_one("#citizen-list", LineList)
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
                self._blank_on_return = True
                self.app.open_citizen(citizen_id)

        self.app.push_screen(NewCitizenScreen(), callback=created)

    def action_switch_user(self) -> None:
        self.app.switch_user()

    def action_demo(self) -> None:
        self.app.switch_to_demo()

    def action_help(self) -> None:
        from bip_talk.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen("citizens"))
