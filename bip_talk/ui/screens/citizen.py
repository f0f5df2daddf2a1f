"""One citizen: who they are, the facts the suggestions read, their caseworker, their
meetings, what happened afterwards (a job, an education: ``u``) and the latest review.
Shows nothing about any other citizen, so it is safe on the shared screen."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from bip_talk.domain.change import build_review
from bip_talk.domain.pack import Pack
from bip_talk.i18n import Translator, format_date
from bip_talk.presenters.layout import key_hint
from bip_talk.presenters.review import ReviewLine, SideCells, review_lines
from bip_talk.services.citizen_facts import fact_lines
from bip_talk.services.outcomes import outcome_text
from bip_talk.ui.screens.base import BaseScreen
from bip_talk.ui.text import plain, safe_text
from bip_talk.ui.widgets.footer import FittingFooter


class CitizenScreen(BaseScreen):
    CSS_PATH = "citizen.tcss"
    BINDINGS = [
        Binding("m", "meeting", "keys.meeting", id="meeting"),
        Binding("e", "edit", "keys.edit_citizen", id="edit-citizen"),
        Binding("u", "outcomes", "keys.outcomes", show=False, id="outcomes"),
        Binding("escape", "back", "keys.back", id="back"),
        Binding("question_mark,f1", "help", "keys.help", key_display="?", id="help"),
        # In the help, the hint line and the palette; not in the footer (120 columns).
        Binding("a", "reassign", "keys.reassign", show=False, id="reassign"),
        Binding("h", "handover", "keys.handover", show=False, id="handover"),
        # The review scrolls (at 80×24 a long history does not fit); it takes no focus.
        Binding("pagedown", "page(1)", "keys.next_page", show=False, id="next-page"),
        Binding("pageup", "page(-1)", "keys.previous_page", show=False, id="previous-page"),
    ]

    def __init__(self, citizen_id: str) -> None:
        super().__init__()
        self.citizen_id = citizen_id

    def compose(self) -> ComposeResult:
        with Vertical(id="citizen"):
            yield Static(id="citizen-head")
            yield Static(id="citizen-facts")
            yield Static(id="citizen-outcomes")
            yield Static(id="citizen-meetings")
            with VerticalScroll(id="citizen-review", can_focus=False):
                yield Static(id="citizen-review-lines")
            # Below the table, not in its scroll: a long history at 80×24 scrolls
            # (PgDn/PgUp), and what its marks mean stays in view.
            yield Static(id="citizen-review-legend", classes="hint")
        yield FittingFooter()

    def on_screen_resume(self) -> None:
        # Also sent when the screen is first shown: one place fills it. Filled once, it
        # is not filled again while another screen is already over it (the opening
        # giving way to the questions, on their first key): that is filled, and the look
        # at the citizen logged, when it shows again.
        if self.app.screen is self or not self._filled:
            self._filled = True
            self.refresh_view()

    _filled = False

    def refresh_view(self) -> None:
        pack, t = self.casework.pack, self.t
        overview = self.casework.citizen_overview(self.citizen_id)
        citizen, cw, done, draft = (
            overview.citizen,
            overview.caseworker,
            overview.completed,
            overview.draft,
        )
        self.query_one("#citizen-head", Static).update(
            plain(
                t(
                    "citizen.head",
                    name=safe_text(citizen.display_name, lines=False),
                    id=citizen.id,
                    caseworker=f"{cw.name} ({cw.initials})" if cw else "–",
                )
            )
        )
        facts = fact_lines(pack, citizen, t.lang)
        width = max(cell_len(f.label) for f in facts) + 2
        self.query_one("#citizen-facts", Static).update(
            plain("\n".join(f"{f.label + ':':<{width}}{f.value}" for f in facts))
        )
        outcomes = self.casework.outcomes(self.citizen_id)
        self.query_one("#citizen-outcomes", Static).update(
            plain(
                t("citizen.outcomes_title")
                + " "
                + ("; ".join(outcome_text(o, t) for o in outcomes) or t("outcomes.none"))
            )
        )
        lines = [t("citizen.meetings", count=len(done))]
        if done:
            lines[0] += " · " + t(
                "citizen.last_meeting", date=format_date(done[-1].held_on, t.lang)
            )
        if draft:
            lines.append(t("citizen.has_draft", date=format_date(draft.started_at, t.lang)))
        if overview.handover_due:
            lines.append(t("citizen.handover_offer"))
        lines.append(t("citizen.start_hint_resume" if draft else "citizen.start_hint"))
        self.query_one("#citizen-meetings", Static).update(plain("\n".join(lines)))
        history = overview.history
        review = self.query_one("#citizen-review")
        review.display = bool(history)
        self.query_one("#citizen-review-legend").display = bool(history)
        if history:
            cells = review_lines(pack, build_review(pack, history), t, shared=True)
            self.query_one("#citizen-review-lines", Static).update(
                plain("\n".join(compact_review(pack, cells, t)))
            )
            self.show_legend()

    def show_legend(self) -> None:
        """The legend wrapped between its phrases: at 80 columns it is two lines, never a
        phrase cut at the edge (room left for the scroll bar)."""
        legend = key_hint(self.t("citizen.review_legend"), self.app.size.width - 6)
        self.query_one("#citizen-review-legend", Static).update(legend)

    def on_resize(self) -> None:
        self.show_legend()

    def action_page(self, direction: int) -> None:
        review = self.query_one("#citizen-review", VerticalScroll)
        if direction > 0:
            review.scroll_page_down(animate=False)
        else:
            review.scroll_page_up(animate=False)

    def action_meeting(self) -> None:
        self.app.open_meeting(self.citizen_id)

    def action_edit(self) -> None:
        from bip_talk.ui.screens.new_citizen import NewCitizenScreen

        def saved(citizen_id: str | None) -> None:
            if citizen_id:
                self.notify(self.t("citizen.edited"))
                self.refresh_view()

        citizen = self.casework.citizen(self.citizen_id)
        self.app.push_screen(NewCitizenScreen(citizen), callback=saved)

    def action_outcomes(self) -> None:
        from bip_talk.ui.screens.outcomes import OutcomesScreen

        self.app.push_screen(
            OutcomesScreen(self.citizen_id), callback=lambda _: self.refresh_view()
        )

    def action_reassign(self) -> None:
        from bip_talk.ui.screens.reassign import ReassignScreen

        def done(result: tuple[str, str] | None) -> None:
            if result:
                initials, name = result
                target = self.casework.reassign(self.citizen_id, initials, name)
                self.notify(
                    safe_text(self.t("citizen.reassigned", initials=target.initials)),
                    markup=False,
                )
                self.refresh_view()

        self.app.push_screen(ReassignScreen(), callback=done)

    def action_handover(self) -> None:
        from bip_talk.ui.screens.handover import HandoverScreen

        self.app.push_screen(HandoverScreen(self.citizen_id))

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_help(self) -> None:
        from bip_talk.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen("citizen"))


def compact_review(pack: Pack, lines: list[ReviewLine], t: Translator) -> list[str]:
    """The latest review in columns that fit 80: the indicator, each side's trend, now,
    (before) and the change as arrow and sign, and the gap – the review table's cells
    without their words (the review in the meeting has those)."""
    headers = [t("review.col_indicator")] + [p.name.get(t.lang) for p in pack.perspectives]
    headers.append(t("review.col_gap_short"))  # "≠", as the legend says: 80 columns

    def side(cells: SideCells) -> str:
        arrow_and_sign = " ".join(cells.change.split()[:2])  # "↑ +1 et trin op" -> "↑ +1"
        return f"{cells.summary} {arrow_and_sign}".strip()

    rows = [
        [("◆ " if (line.moved or line.disagree) else "  ") + line.name]
        + [side(line.sides[p.id]) for p in pack.perspectives]
        + [line.gap_size]
        for line in lines
    ]
    table = [["  " + headers[0], *headers[1:]], *rows]
    widths = [max(cell_len(row[n]) for row in table) for n in range(len(headers))]
    return [
        "  ".join(cell + " " * (widths[n] - cell_len(cell)) for n, cell in enumerate(row)).rstrip()
        for row in table
    ]
