"""The meeting: citizen and caseworker side by side, one indicator at a time.

Every key that gives an answer saves it at once through the session; the screen then
re-renders both panes from a fresh ``StepView``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.timer import Timer
from textual.widgets import Footer, ProgressBar, Static

from bip_talk.domain.pack import Item
from bip_talk.presenters.meeting import OPTION_KEYS, step_view
from bip_talk.services.meeting import MeetingSession
from bip_talk.services.prompts import Prompt
from bip_talk.ui.messages import ChoiceClicked, PaneClicked, PrivateOpened, ScaleClicked, StepShown
from bip_talk.ui.screens.base import BaseScreen
from bip_talk.ui.text import plain
from bip_talk.ui.widgets.perspective_pane import PerspectivePane

NARROW = 70  # below this width the panes stack
SHORT = 32  # below this height the prompt box shrinks to a few lines
PROMPT_DELAY = 0.25  # seconds after the last key before the follow-up prompts show


class MeetingScreen(BaseScreen):
    CSS_PATH = Path(__file__).parent / "meeting.tcss"  # absolute: training subclasses it
    BINDINGS = [
        *[
            Binding(
                str(d), f"rate({d})", "keys.rate", show=d == 1, key_display="1–5", id=f"rate-{d}"
            )
            for d in range(1, 6)
        ],
        Binding("0", "decline", "keys.decline", id="decline"),
        Binding("tab", "switch_side", "keys.switch_side", priority=True, id="switch-side"),
        Binding("enter,right", "next", "keys.next", key_display="→", id="next"),
        Binding("left", "previous", "keys.previous", key_display="←", id="previous"),
        Binding("n", "note", "keys.note", id="note"),
        Binding("r", "review", "keys.review", id="review"),
        Binding("v", "private", "keys.private", id="private"),
        Binding("question_mark", "help", "keys.help", key_display="?", id="help"),
        Binding("escape", "leave", "keys.leave", id="leave"),
        *[
            Binding(k, f"choose('{k}')", "keys.toggle", show=False, id=f"toggle-{k}")
            for k in OPTION_KEYS
        ],
    ]

    def __init__(self, session: MeetingSession) -> None:
        super().__init__()
        self.session = session
        self._shown: dict[str, str] = {}
        self._prompt_cache: dict[str, Any] = {}
        self._prompt_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="meeting"):
            yield Static(id="meeting-title")
            with Horizontal(id="step-bar"):
                yield Static(id="step-name")
                yield ProgressBar(show_eta=False, show_percentage=False, id="progress")
                yield Static(id="progress-text")
            with Horizontal(id="panes"):
                for p in self.session.perspective_ids:
                    yield PerspectivePane(p, id=f"pane-{p}", classes="pane")
            yield Static(id="reveal-line")
            with VerticalScroll(id="prompt-box"):
                yield Static(id="prompt-line")
        yield Footer()

    def on_mount(self) -> None:
        c = self.session.citizen
        self.query_one("#meeting-title", Static).update(
            plain(self.t("meeting.title", name=c.display_name, id=c.id))
        )
        self._panes = {
            p: self.query_one(f"#pane-{p}", PerspectivePane) for p in self.session.perspective_ids
        }
        self._layout(self.app.size.width)
        self.render_step()
        self.post_message(StepShown(self.session.step))

    def on_resize(self, event: Resize) -> None:
        self._layout(event.size.width, event.size.height)

    def _layout(self, width: int, height: int | None = None) -> None:
        self.query_one("#panes").set_class(width < NARROW, "-stacked")
        # On a short terminal the panes keep the room; the prompt box scrolls.
        self.query_one("#prompt-box").set_class((height or self.app.size.height) < SHORT, "-short")

    # -- rendering -----------------------------------------------------------------------

    def _put(self, selector: str, text: str, *, fixed: bool = True) -> None:
        """Only touch a line whose text changed; fixed-size lines skip the layout pass."""
        if self._shown.get(selector) != text:
            self._shown[selector] = text
            self.query_one(selector, Static).update(plain(text), layout=not fixed)

    def render_step(self) -> None:
        view = step_view(self.session, self.t)
        self._put(
            "#step-name",
            self.t("meeting.step", number=view.number, total=view.total, name=view.indicator),
        )
        self.query_one("#progress", ProgressBar).update(
            total=view.questions, progress=view.answered
        )
        self._put(
            "#progress-text",
            self.t("meeting.progress", answered=view.answered, total=view.questions),
        )
        marker = self.t("meeting.active_marker")
        for pane_view in view.panes:
            self._panes[pane_view.perspective].show(pane_view, marker)
        asked = [p for p in view.panes if p.asked and p.item_id]
        if len(asked) > 1 and view.revealed:
            reveal = self.t("meeting.revealed")
        elif len(asked) > 1:
            reveal = self.t(
                "meeting.waiting", who=", ".join(p.title for p in asked if not p.answered)
            )
        else:
            reveal = ""
        self._put("#reveal-line", reveal)
        self._schedule_prompt()

    def _schedule_prompt(self) -> None:
        """Prompts depend on the answers and take a full layout to show: render them a
        moment after the last key, so answering stays instant."""
        if self._prompt_timer is not None:
            self._prompt_timer.stop()
        if self._shown.get("#prompt-step") != str(self.session.step):
            self._shown["#prompt-step"] = str(self.session.step)
            self._put("#prompt-line", "", fixed=False)
        self._prompt_timer = self.set_timer(PROMPT_DELAY, self._show_prompt)

    def _show_prompt(self) -> None:
        self._prompt_timer = None
        self._put("#prompt-line", self.prompt_text(), fixed=False)

    def _prompts(self) -> list[Prompt]:
        """Follow-up prompts for this step once both sides have answered (what moved, a
        gap, a low score). Cached per step and answers: a key press must stay cheap."""
        from bip_talk.services.prompts import step_prompts

        s = self.session
        if not s.revealed():
            return []
        key = (
            s.step,
            tuple(
                sorted(
                    (k, v)
                    for k, v in s.answers.items()
                    if k[1] in {i.id for p in s.perspective_ids for i in s.items_at(p)}
                )
            ),
        )
        if self._prompt_cache.get("key") != key:
            review = s.review()
            row = review.row(s.step_id)
            belief = next((r for r in review.rows if r.indicator == "tro_job"), None)
            self._prompt_cache = {
                "key": key,
                "prompts": step_prompts(s.pack, row, self.t.lang, citizen_belief=belief),
            }
        return self._prompt_cache["prompts"]

    def prompt_text(self) -> str:
        prompts = self._prompts()
        shared = [p.text.strip() for p in prompts if not p.private]
        if shared:
            return self.t("meeting.prompt_label") + "\n" + "\n\n".join(shared)
        if any(p.private for p in prompts):
            return self.t("meeting.private_hint")
        return ""

    def action_private(self) -> None:
        from bip_talk.ui.screens.private import PrivateScreen

        private = [p.text.strip() for p in self._prompts() if p.private]
        if not private:
            self.notify(self.t("meeting.no_private"))
            return
        self.post_message(PrivateOpened(self.session.step_id))
        self.app.push_screen(PrivateScreen("\n\n".join(private)))

    def show_status(self, text: str) -> None:
        self._put("#reveal-line", text)

    # -- answering -----------------------------------------------------------------------

    def _scale_item(self, perspective: str) -> Item | None:
        return next((i for i in self.session.items_at(perspective) if i.type == "scale"), None)

    def _after_answer(self, perspective: str) -> None:
        """Move to the other side if it has not answered this step yet."""
        for other in self.session.perspectives_at():
            if other != perspective and not self.session.step_done(other):
                self.session.go(side=other)
                break
        self.render_step()

    def action_rate(self, digit: int) -> None:
        self._rate(self.session.active, digit)

    def _rate(self, perspective: str, digit: int) -> None:
        item = self._scale_item(perspective)
        if item is None:
            self.notify(self.t("meeting.nothing_to_rate"), severity="warning")
            return
        self.session.rate(perspective, item.id, digit)
        self._after_answer(perspective)

    def action_decline(self) -> None:
        perspective = self.session.active
        item = self._scale_item(perspective)
        if item is None:
            return
        self.session.decline(perspective, item.id)
        self._after_answer(perspective)

    def action_choose(self, key: str) -> None:
        self._toggle_for(self.session.active, OPTION_KEYS.index(key))

    def _toggle_for(
        self, perspective: str, index: int | None = None, option_id: str | None = None
    ) -> None:
        item = next((i for i in self.session.items_at(perspective) if i.type == "multi"), None)
        if item is None:
            return
        if option_id is None:
            if index is None or index >= len(item.options):
                return
            option_id = item.options[index].id
        self.session.toggle_choice(perspective, item, option_id)
        self.render_step()

    def on_scale_clicked(self, message: ScaleClicked) -> None:
        self.session.go(side=message.perspective)
        self._rate(message.perspective, message.digit)

    def on_choice_clicked(self, message: ChoiceClicked) -> None:
        self.session.go(side=message.perspective)
        self._toggle_for(message.perspective, option_id=message.option_id)

    def on_pane_clicked(self, message: PaneClicked) -> None:
        if message.perspective != self.session.active:
            self.session.go(side=message.perspective)
            self.render_step()

    # -- navigation ----------------------------------------------------------------------

    def action_switch_side(self) -> None:
        self.session.go(side=self.session.next_side())
        self.render_step()

    def _enter_step(self, step: int) -> None:
        sides = self.session.perspectives_at(step) or self.session.perspective_ids
        first_open = next((p for p in sides if not self.session.step_done(p, step)), sides[0])
        self.session.go(step=step, side=first_open)
        self.render_step()
        self.post_message(StepShown(step))

    def action_next(self) -> None:
        if self.session.step + 1 >= len(self.session.steps):
            self.action_review()
            return
        self._enter_step(self.session.step + 1)

    def action_previous(self) -> None:
        if self.session.step > 0:
            self._enter_step(self.session.step - 1)

    def action_review(self) -> None:
        from bip_talk.ui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.session), callback=self._after_review)

    def _after_review(self, result: str | None) -> None:
        if result == "completed":
            self.dismiss("completed")
        else:
            self.render_step()

    def action_note(self) -> None:
        from bip_talk.ui.screens.note import NoteScreen

        indicator = self.session.step_id
        name = self.session.pack.indicator(indicator).name.get(self.t.lang)

        def saved(result: tuple[str, bool] | None) -> None:
            if result:
                text, private = result
                self.session.add_note(text, private=private, indicator=indicator)
                self.notify(self.t("note.saved_private" if private else "note.saved_shared"))

        self.app.push_screen(NoteScreen(name), callback=saved)

    def action_help(self) -> None:
        from bip_talk.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen("meeting"))

    def action_leave(self) -> None:
        self.notify(self.t("meeting.saved_for_later"))
        self.dismiss("left")
