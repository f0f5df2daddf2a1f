"""One side of the meeting screen. It only renders the ``PaneView`` it is given and
posts clicks upward; it never decides what may be shown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.events import Click
from textual.widgets import Static

from bip_talk.services.meeting_view import PaneView
from bip_talk.ui.messages import ChoiceClicked, PaneClicked, ScaleClicked

MAX_SCALE = 5
MAX_CHOICES = 8


class OptionLine(Static):
    """A clickable answer line; ``value`` is a digit (scale) or an option id (choice)."""

    def __init__(self, kind: str, **kwargs) -> None:
        super().__init__("", **kwargs)
        self.kind = kind
        self.value: int | str | None = None

    def on_click(self, event: Click) -> None:
        event.stop()
        pane = self.query_ancestor(PerspectivePane)
        if self.value is None:
            return
        if self.kind == "scale":
            self.post_message(ScaleClicked(pane.perspective, int(self.value)))
        else:
            self.post_message(ChoiceClicked(pane.perspective, str(self.value)))


class PerspectivePane(VerticalScroll, can_focus=False):
    def __init__(self, perspective: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.perspective = perspective

    def compose(self) -> ComposeResult:
        yield Static(classes="pane-title")
        yield Static(classes="pane-question")
        yield Static(classes="pane-help")
        for n in range(MAX_SCALE):
            yield OptionLine("scale", classes="scale-line", id=f"{self.perspective}-scale-{n + 1}")
        yield Static(classes="pane-status")
        yield Static(classes="pane-earlier")
        yield Static(classes="choice-question")
        for n in range(MAX_CHOICES):
            yield OptionLine("choice", classes="choice-line", id=f"{self.perspective}-choice-{n}")

    def on_click(self, event: Click) -> None:
        self.post_message(PaneClicked(self.perspective))

    def show(self, view: PaneView, active_marker: str) -> None:
        self.set_class(view.active, "-active")
        self.set_class(not view.asked, "-idle")
        title = f"{active_marker} {view.title}" if view.active else view.title
        self.query_one(".pane-title", Static).update(title)
        self.query_one(".pane-question", Static).update(view.question)
        help_line = self.query_one(".pane-help", Static)
        help_line.update(view.help)
        help_line.display = bool(view.help)
        for n, line in enumerate(self.query(".scale-line").results(OptionLine)):
            if n < len(view.scale):
                option = view.scale[n]
                line.value = option.digit
                mark = "●" if option.chosen else "○"
                line.update(f"{mark} {option.digit}  {option.label}")
                line.set_class(option.chosen, "-chosen")
                line.display = True
            else:
                line.value = None
                line.display = False
        self.query_one(".pane-status", Static).update(view.status)
        self.query_one(".pane-status", Static).set_class(view.answered, "-done")
        earlier = self.query_one(".pane-earlier", Static)
        earlier.update(view.earlier)
        earlier.display = bool(view.earlier)
        question = self.query_one(".choice-question", Static)
        question.update(view.choice_question)
        question.display = bool(view.choices)
        for n, line in enumerate(self.query(".choice-line").results(OptionLine)):
            if n < len(view.choices):
                choice = view.choices[n]
                line.value = choice.option_id
                box = "☒" if choice.checked else "☐"
                line.update(f"{choice.key}  {box} {choice.label}")
                line.set_class(choice.checked, "-chosen")
                line.display = True
            else:
                line.value = None
                line.display = False
