"""The meeting: citizen and caseworker side by side, one indicator at a time.

Every key that gives an answer saves it at once through the session; the screen then
re-renders both panes from a fresh ``StepView``.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Key, Resize
from textual.timer import Timer
from textual.widgets import ProgressBar, Static

from bip_talk.domain.pack import Item, is_private_indicator
from bip_talk.presenters.answer_clash import choice_refused, dropped_text, rating_refused
from bip_talk.presenters.meeting import (
    OPTION_KEYS,
    StepView,
    private_text,
    prompt_pages,
    step_view,
    wrapped,
)
from bip_talk.services.meeting import MeetingSession
from bip_talk.services.prompts import Prompt
from bip_talk.ui.messages import ChoiceClicked, PaneClicked, PrivateOpened, ScaleClicked, StepShown
from bip_talk.ui.screens.base import BaseScreen
from bip_talk.ui.sizes import SHORT
from bip_talk.ui.text import plain
from bip_talk.ui.widgets.footer import FittingFooter
from bip_talk.ui.widgets.perspective_pane import PerspectivePane

NARROW = 70  # below this width the panes stack
ROOMY = 100  # below this width the side with choices to make gets the wider pane
PROMPT_DELAY = 0.25  # seconds after the last key before the follow-up prompts show


class MeetingScreen(BaseScreen):
    CSS_PATH = Path(__file__).parent / "meeting.tcss"  # absolute: training subclasses it
    # The footer shows what fits 120 columns in Danish, most used first; the rest is in
    # the help (?) and the palette (Ctrl+P): 1–5 (every answer line shows its digit),
    # ← back a topic, v the private reflection (the prompt line names it where there is
    # one), Esc the pause.
    BINDINGS = [
        *[
            Binding(
                str(d), f"rate({d})", "keys.rate", show=False, key_display="1–5", id=f"rate-{d}"
            )
            for d in range(1, 6)
        ],
        Binding("0", "decline", "keys.decline", id="decline"),
        Binding("tab", "switch_side", "keys.switch_side", priority=True, id="switch-side"),
        Binding("enter,right", "next", "keys.next", key_display="→", id="next"),
        Binding("n", "note", "keys.note", id="note"),
        Binding("r", "review", "keys.review", id="review"),
        Binding("p", "next_prompt", "keys.next_prompt", id="next-prompt"),
        Binding("left", "previous", "keys.previous", key_display="←", show=False, id="previous"),
        Binding("v", "private", "keys.private", show=False, id="private"),
        Binding("question_mark,f1", "help", "keys.help", key_display="?", show=False, id="help"),
        Binding("escape", "leave", "keys.leave", show=False, id="leave"),
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
        self._page = 0  # which prompt page shows (p steps on)
        self.compact = False
        self.roomy = True
        # Sides that chose an option at this step: on a short screen their pane shows
        # the choices rather than the scale (one item at a time).
        self._choosing: set[str] = set()
        # The step at which Enter was pressed with answers missing: the second press goes
        # on (a topic is never skipped without a word, nor made impossible to skip).
        self._skip_asked: int | None = None
        # The topics with a shared note from this meeting: the step's name marks them.
        self._noted = self._noted_topics()
        self._note_key_at: float | None = None  # when the note's key came (on_key)
        # (step, side) the app moved away from after that side answered (_after_answer).
        self._moved_from: tuple[int, str] | None = None

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
            yield Static(id="prompt-line")
        yield FittingFooter()

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
        self._shown.pop("#prompt-line", None)  # pages are wrapped to the width
        self.render_step()

    def _layout(self, width: int, height: int | None = None) -> None:
        self.query_one("#panes").set_class(width < NARROW, "-stacked")
        self.compact = (height or self.app.size.height) < SHORT
        self.roomy = width >= ROOMY
        # Narrow: the progress bar gives its room to the topic's name (never cut).
        self.query_one("#step-bar").set_class(not self.roomy, "-narrow")

    # -- rendering -----------------------------------------------------------------------

    def _put(self, selector: str, text: str, *, fixed: bool = True) -> None:
        """Only touch a line whose text changed; fixed-size lines skip the layout pass."""
        if self._shown.get(selector) != text:
            self._shown[selector] = text
            self.query_one(selector, Static).update(plain(text), layout=not fixed)

    def render_step(self) -> None:
        view = step_view(self.session, self.t)
        step = self.t("meeting.step", number=view.number, total=view.total, name=view.indicator)
        if self.session.step_id in self._noted:  # a shared note is written on this topic
            step = self.t("meeting.step_noted", step=step)
        self._put("#step-name", step)
        self.query_one("#progress", ProgressBar).update(
            total=view.questions, progress=view.answered
        )
        self._put(
            "#progress-text",
            self.t("meeting.progress", answered=view.answered, total=view.questions),
        )
        marker = self.t("meeting.active_marker")
        choices_here = any(p.choices for p in view.panes)
        for pane_view in view.panes:
            self._panes[pane_view.perspective].show(
                pane_view,
                marker,
                compact=self.compact,
                choosing=pane_view.perspective in self._choosing,
                wide=choices_here and bool(pane_view.choices) and not self.roomy,
            )
        # The page label as last worked out (cheap); the prompt timer brings it up to date.
        cached = self._prompt_cache.get("key")
        pages = self._prompt_cache.get("pages") if cached and cached[0] == view.number - 1 else None
        self._put("#reveal-line", self._reveal_text(view, pages or []))
        self._schedule_prompt()

    def _reveal_text(self, view: StepView, pages: list[str]) -> str:
        """Who is still to answer; once both have, that the answers show and, when there
        is something to ask, which prompt page this is."""
        asked = [p for p in view.panes if p.asked and p.item_id]
        if self._asking_skip(view.revealed):
            return self.t(
                "meeting.skip_ask", who=", ".join(p.title for p in asked if not p.answered)
            )
        if len(asked) > 1 and not view.revealed:
            return self.t(
                "meeting.waiting", who=", ".join(p.title for p in asked if not p.answered)
            )
        text = self.t("meeting.revealed") if len(asked) > 1 else ""
        if asked and all(p.answered for p in asked):
            # Every answer is in: say which key goes on (the footer has no room for it
            # at 80 columns).
            last = self.session.step + 1 >= len(self.session.steps)
            hint = self.t(
                "meeting.on_to_review" if last else "meeting.on_to_next", keys=self._next_keys
            )
            text = f"{text}  ·  {hint}" if text else hint
        if pages and view.revealed:
            label = (
                self.t("meeting.prompt_page", page=self._page + 1, pages=len(pages))
                if len(pages) > 1
                else self.t("meeting.prompt_label")
            )
            text = f"{text}  ·  {label}" if text else label
        return text

    @cached_property
    def _key_labels(self) -> dict[str, str]:
        """The keys of every binding id as the footer writes them, after the keymap."""
        from bip_talk.ui.keymap import key_labels

        return key_labels(self.app, self, self.workstation.preferences.keymap)

    def _key(self, binding_id: str) -> str:
        return "/".join(self._key_labels[binding_id].split())

    @cached_property
    def _next_keys(self) -> str:
        """The keys of "next": ⏎/→."""
        return self._key("next")

    def _schedule_prompt(self) -> None:
        """Prompts depend on the answers and take a full layout to show: render them a
        moment after the last key, so answering stays instant."""
        if self._prompt_timer is not None:
            self._prompt_timer.stop()
        if self._shown.get("#prompt-step") != str(self.session.step):
            self._shown["#prompt-step"] = str(self.session.step)
            self._put("#prompt-line", "")
        self._prompt_timer = self.set_timer(PROMPT_DELAY, self._show_prompt)

    def _show_prompt(self) -> None:
        self._prompt_timer = None
        # The prompt box has a fixed height (three lines): no layout pass needed.
        self._put("#prompt-line", self.prompt_text())
        if self.session.revealed():
            view = step_view(self.session, self.t)
            self._put("#reveal-line", self._reveal_text(view, self._pages()))

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
            self._page = 0  # new answers: start again from the most useful prompt
            review = s.review()
            row = review.row(s.step_id)
            belief = next((r for r in review.rows if r.indicator == "tro_job"), None)
            self._prompt_cache = {
                "key": key,
                "prompts": step_prompts(s.pack, row, self.t.lang, citizen_belief=belief),
            }
        return self._prompt_cache["prompts"]

    def _prompt_width(self) -> int:
        width = self.query_one("#prompt-line").content_size.width
        return width if width > 0 else self.app.size.width - 2

    def _pages(self) -> list[str]:
        """The shared prompts as pages that fit the prompt box (three lines), cached
        with the prompts and the width."""
        prompts = self._prompts()
        if not prompts:  # not both answered yet (the cache may hold another step's)
            return []
        width = self._prompt_width()
        if self._prompt_cache.get("width") != width or "pages" not in self._prompt_cache:
            self._prompt_cache["width"] = width
            self._prompt_cache["pages"] = prompt_pages(prompts, width)
        pages: list[str] = self._prompt_cache["pages"]
        return pages

    def _asking_skip(self, revealed: bool) -> bool:
        return self._skip_asked == self.session.step and not revealed

    def prompt_text(self) -> str:
        """One prompt page at a time, the most useful first (``p`` shows the next); while
        Enter asks about a missing answer, the keys that answer it (no prompt shows
        before both have answered, so the box is free)."""
        if self._asking_skip(self.session.revealed()):
            how = self.t("meeting.skip_how", keys=self._next_keys, decline=self._key("decline"))
            return wrapped(how, self._prompt_width())
        pages = self._pages()
        if pages:
            return pages[min(self._page, len(pages) - 1)]
        if any(p.private for p in self._prompts()):
            return wrapped(self.t("meeting.private_hint", keys=self.keys), self._prompt_width())
        return ""

    def action_next_prompt(self) -> None:
        pages = self._pages()
        if len(pages) < 2:
            self.notify(
                self.t("meeting.no_more_prompts" if pages else "meeting.no_prompts"),
                markup=False,
            )
            return
        self._page = (self._page + 1) % len(pages)
        self._show_prompt()

    def action_private(self) -> None:
        from bip_talk.ui.screens.private import PrivateScreen

        private = private_text(self.session, self._prompts(), self.t.lang)
        if not private:
            self.notify(self.t("meeting.no_private"))
            return
        self.post_message(PrivateOpened(self.session.step_id))
        self.app.push_screen(PrivateScreen(private))

    def show_status(self, text: str) -> None:
        self._put("#reveal-line", text)

    # -- answering -----------------------------------------------------------------------

    def _scale_item(self, perspective: str) -> Item | None:
        return next((i for i in self.session.items_at(perspective) if i.type == "scale"), None)

    def _after_answer(self, perspective: str) -> None:
        """Move to the other side if it has not answered this step yet; else to a side
        that still has choices to make (the job-search channels)."""
        s = self.session
        others = [p for p in s.perspectives_at() if p != perspective]
        waiting = [p for p in others if not s.step_done(p)]
        choosing = [
            p
            for p in s.perspectives_at()
            if (item := self._choice_item(p)) and not s.answered(p, item)
        ]
        target = next(iter(waiting or choosing), s.active)
        if target != s.active:
            s.go(side=target)
        # Moved for them: a Tab right after would take the next digit back to the side
        # that has just answered and change its answer unseen (action_switch_side).
        self._moved_from = (s.step, perspective) if target != perspective else None
        self.render_step()

    def action_rate(self, digit: int) -> None:
        self._rate(self.session.active, digit)

    def _rate(self, perspective: str, digit: int) -> None:
        item = self._scale_item(perspective)
        if item is None:
            self.notify(self.t("meeting.nothing_to_rate"), severity="warning")
            return
        choices = self._choice_item(perspective)
        if choices and (clash := self.session.rating_clash(perspective, digit)):
            text = rating_refused(clash, item, choices, self.session.pack, self.t)
            self.notify(text, severity="warning", markup=False)
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

    def _choice_item(self, perspective: str) -> Item | None:
        return next((i for i in self.session.items_at(perspective) if i.type == "multi"), None)

    def action_choose(self, key: str) -> None:
        """a–h choose on the side that has the choices (the citizen's job-search
        channels), moving there if needed – and back where the key came from when
        that side's rating is all that is missing, so its digit lands there; a key that
        cannot act says why."""
        s = self.session
        sides = [p for p in s.perspectives_at() if self._choice_item(p) is not None]
        if not sides:
            self.notify(self.t("meeting.no_choices"), markup=False)
            return
        side = s.active if s.active in sides else sides[0]
        item = self._choice_item(side)
        assert item is not None
        index = OPTION_KEYS.index(key)
        last = min(len(item.options), len(OPTION_KEYS))
        if index >= last:
            self.notify(self.t("meeting.choice_keys", last=OPTION_KEYS[last - 1]), markup=False)
            return
        came_from = s.active
        if side != came_from:
            s.go(side=side)
        self._toggle_for(side, option_id=item.options[index].id)
        if came_from != side and self._awaits_rating(came_from) and not self._awaits_rating(side):
            s.go(side=came_from)
            self.render_step()

    def _awaits_rating(self, perspective: str) -> bool:
        scale = self._scale_item(perspective)
        return scale is not None and not self.session.answered(perspective, scale)

    def _toggle_for(self, perspective: str, option_id: str) -> None:
        item = self._choice_item(perspective)
        if item is None:
            return
        scale = self._scale_item(perspective)
        if scale and (clash := self.session.choice_clash(perspective, item, option_id)):
            text = choice_refused(clash, scale, self.session.pack, self.t)
            self.notify(text, severity="warning", markup=False)
            return
        before = self.session.answer(perspective, item.id)
        after = self.session.toggle_choice(perspective, item, option_id).choices
        # An exclusive choice stands alone; what it took away is said, never dropped silently.
        if dropped := [c for c in (before.choices if before else ()) if c not in after]:
            if option_id not in dropped:
                self.notify(dropped_text(item, option_id, dropped, self.t), markup=False)
        self._choosing.add(perspective)
        self.render_step()

    def on_scale_clicked(self, message: ScaleClicked) -> None:
        self.session.go(side=message.perspective)
        self._rate(message.perspective, message.digit)

    def on_choice_clicked(self, message: ChoiceClicked) -> None:
        self.session.go(side=message.perspective)
        self._toggle_for(message.perspective, option_id=message.option_id)

    def on_pane_clicked(self, message: PaneClicked) -> None:
        self._moved_from = None
        if message.perspective != self.session.active:
            self.session.go(side=message.perspective)
            self.render_step()

    # -- navigation ----------------------------------------------------------------------

    def action_switch_side(self) -> None:
        s = self.session
        if self._moved_from == (s.step, s.next_side()):
            # "Rate, Tab, rate" from habit: the app has already moved; this Tab would
            # send the next digit over the answer just given. Said, and Tab again goes.
            self._moved_from = None
            titles = {p.perspective: p.title for p in step_view(s, self.t).panes}
            self.notify(
                self.t(
                    "meeting.moved_already",
                    keys=self.keys,
                    now=titles[s.active],
                    back=titles[s.next_side()],
                ),
                markup=False,
            )
            return
        self._moved_from = None
        s.go(side=s.next_side())
        self.render_step()

    def _enter_step(self, step: int) -> None:
        sides = self.session.perspectives_at(step) or self.session.perspective_ids
        first_open = next((p for p in sides if not self.session.step_done(p, step)), sides[0])
        self.session.go(step=step, side=first_open)
        self._choosing.clear()
        self._skip_asked = None
        self.render_step()
        self.post_message(StepShown(step))

    def action_next(self) -> None:
        s = self.session
        if s.step + 1 >= len(s.steps):
            self.action_review()  # the overview lists what is missing
            return
        if not s.revealed() and self._skip_asked != s.step:
            self._skip_asked = s.step  # the lines under the panes ask; a second press goes on
            self.render_step()
            self._put("#prompt-line", self.prompt_text())
            return
        self._enter_step(s.step + 1)

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

    def on_key(self, event: Key) -> None:
        # When the note's key was pressed: letters sent in the same burst (a remote
        # desktop may batch them) reach this screen before the note opens; the note
        # takes those stamped after it (NoteScreen.take_early_key). The first such key
        # only: the same letter in the note's words opens nothing.
        if self._note_key_at is None and event.key in self._note_keys:
            self._note_key_at = event.time
        if event.key not in self._switch_keys:
            self._moved_from = None  # another key came between: Tab switches again

    @cached_property
    def _switch_keys(self) -> frozenset[str]:
        from bip_talk.ui.keymap import binding_keys

        return binding_keys(self, self.workstation.preferences.keymap, "switch-side")

    @cached_property
    def _note_keys(self) -> frozenset[str]:
        from bip_talk.ui.keymap import binding_keys

        return binding_keys(self, self.workstation.preferences.keymap, "note")

    def _noted_topics(self) -> set[str]:
        return {n.indicator for n in self.session.shared_notes() if n.indicator}

    def action_note(self) -> None:
        from bip_talk.ui.screens.note import NoteScreen

        indicator = self.session.step_id
        name = self.session.pack.indicator(indicator).said(self.t.lang)  # on the shared screen
        # A shared note already written on this topic today is shown, and Ctrl+R opens it
        # to correct; a private one never shows here: it would be on the shared screen.
        earlier = self.session.shared_note_on(indicator)

        def saved(result: tuple[str, bool, bool] | None) -> None:
            if not result:
                return
            text, private, correcting = result
            if earlier is None or not correcting:
                self.session.add_note(text, private=private, indicator=indicator)
                key = "note.saved_private" if private else "note.saved_shared"
            elif (text, private) == (earlier.text, False):
                key = "note.unchanged"
            else:
                self.session.update_note(earlier, text, private=private)
                key = "note.changed_private" if private else "note.changed_shared"
            self._noted = self._noted_topics()
            self.notify(self.t(key))
            self.render_step()

        own = is_private_indicator(self.session.pack, indicator)  # the caseworker's rating
        note = NoteScreen(
            name, earlier.text if earlier else "", private_step=own, typed_after=self._note_key_at
        )
        self._note_key_at = None
        self.app.push_screen(note, callback=saved)

    def action_help(self) -> None:
        from bip_talk.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen("meeting"))

    def action_leave(self) -> None:
        """Esc: the app shows the pause screen for this citizen (it says all is saved)."""
        self.dismiss("left")
