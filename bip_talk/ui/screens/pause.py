"""The meeting on pause (Esc in the meeting): a neutral screen for this citizen only.

It shows nothing the citizen should not see – no list of citizens, no caseworker
notes – and offers what comes next: resume, finish the meeting, or leave it for later
(asked first). Everything was saved as it was given, so nothing waits here."""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Middle, Vertical
from textual.widgets import OptionList, Static

from bip_talk.services.meeting import MeetingSession
from bip_talk.ui.screens.base import BaseScreen
from bip_talk.ui.text import plain
from bip_talk.ui.widgets.footer import FittingFooter
from bip_talk.ui.widgets.marked import MarkedOptionList

# What the pause screen is dismissed with.
RESUME, LEFT, COMPLETED = "resume", "left", "completed"


class PauseScreen(BaseScreen):
    BINDINGS = [
        Binding("escape", "resume", "keys.resume", id="resume"),
        Binding("f", "finish", "keys.finish", id="finish"),
        Binding("q", "leave", "keys.leave_meeting", id="leave-meeting"),
    ]

    def __init__(self, session: MeetingSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Middle(), Center(), Vertical(id="pause"):
            yield Static(self.t("pause.title"), classes="dialog-title")
            yield Static(id="pause-text")
            choices = [(RESUME, "resume"), ("finish", "finish"), ("leave", "leave")]
            labels = {key: self.t(f"pause.{key}") for _, key in choices}
            width = max(cell_len(label) for label in labels.values()) + 3
            yield MarkedOptionList(
                *[
                    (f"{labels[key]:<{width}}{self.t(f'pause.{key}_keys')}", choice)
                    for choice, key in choices
                ],
                id="pause-choices",
            )
            yield Static(self.t("pause.curtain_hint", keys=self.keys), classes="dialog-hint")
        yield FittingFooter()

    def on_mount(self) -> None:
        answered, total = self.session.progress()
        self.query_one("#pause-text", Static).update(
            plain(
                self.t(
                    "pause.text",
                    name=self.session.citizen.display_name,
                    answered=answered,
                    total=total,
                )
            )
        )
        self.query_one("#pause-choices", MarkedOptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        {RESUME: self.action_resume, "finish": self.action_finish}.get(
            event.option.id or "", self.action_leave
        )()

    def action_resume(self) -> None:
        self.dismiss(RESUME)

    def action_finish(self) -> None:
        from bip_talk.ui.screens.review import finish_meeting

        finish_meeting(self, self.session)  # asks first; dismisses with "completed"

    def action_leave(self) -> None:
        from bip_talk.ui.screens.confirm import ConfirmScreen

        def answer(ok: bool | None) -> None:
            if ok:
                self.dismiss(LEFT)

        self.app.push_screen(ConfirmScreen(self.t("pause.leave_question")), callback=answer)
