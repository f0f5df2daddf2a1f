"""One side of the meeting screen. It only renders the ``PaneView`` it is given and
posts clicks upward; it never decides what may be shown.

The pane is a scrolling frame (border, the side's turn) around one ``PaneLines`` that
draws all of its text: a widget per line made opening a meeting and every answer
cost Textual a style and layout pass over some forty widgets."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.events import Click

from bip_talk.presenters.meeting import PaneView
from bip_talk.ui.messages import PaneClicked
from bip_talk.ui.widgets.pane_lines import (
    CHOICE,
    CHOICE_QUESTION,
    EARLIER,
    HELP,
    QUESTION,
    SCALE,
    STATUS,
    TITLE,
    PaneLines,
    Part,
)


class PerspectivePane(VerticalScroll, can_focus=False):
    def __init__(self, perspective: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.perspective = perspective
        self.lines = PaneLines(perspective, id=f"{perspective}-lines")

    def compose(self) -> ComposeResult:
        yield self.lines

    def on_click(self, event: Click) -> None:
        self.post_message(PaneClicked(self.perspective))

    @property
    def texts(self) -> tuple[str, ...]:
        """What the pane says, part by part (for tests and checks of the wording)."""
        return self.lines.texts

    def show(
        self,
        view: PaneView,
        active_marker: str,
        *,
        compact: bool = False,
        choosing: bool = False,
        wide: bool = False,
    ) -> None:
        """``compact`` (a short terminal): no spacing, and a side with both a scale and
        choices shows one of them at a time – the scale until it is answered (or a
        choice is made: ``choosing``), then the choices with the answer on one line.
        ``wide``: this pane takes the larger share of the width (its choices fit)."""
        self.set_class(view.active, "-active")
        self.set_class(not view.asked, "-idle")
        self.set_class(compact, "-compact")
        self.set_class(wide, "-wide")
        one_at_a_time = compact and bool(view.choices) and bool(view.scale)
        on_choices = one_at_a_time and (view.answered or choosing)
        gap = not compact  # a blank line before the question, the status and the choices
        title = f"{active_marker} {view.title}" if view.active else view.title
        parts = [Part(title, TITLE), Part(view.question, QUESTION, gap=gap)]
        if view.help and not on_choices:
            parts.append(Part(view.help, HELP))
        scale = [o for o in view.scale if o.chosen] if on_choices else view.scale
        parts += [
            Part(f"{'●' if o.chosen else '○'} {o.digit}  {o.label}", SCALE, o.chosen, o.digit)
            for o in scale
        ]
        parts.append(Part(view.status, STATUS, view.answered, gap=gap))
        if view.earlier and not on_choices:
            parts.append(Part(view.earlier, EARLIER))
        if view.choices:
            later = one_at_a_time and not on_choices
            question = view.choice_later if later else view.choice_question
            parts.append(Part(question, CHOICE_QUESTION, gap=gap))
            if not later:
                parts += [
                    Part(
                        f"{c.key}  {'☒' if c.checked else '☐'} {c.label}",
                        CHOICE,
                        c.checked,
                        c.option_id,
                    )
                    for c in view.choices
                ]
        self.lines.show(parts)
