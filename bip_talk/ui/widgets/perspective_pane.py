"""One side of the meeting screen. It only renders the ``PaneView`` it is given and
posts clicks upward; it never decides what may be shown."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.events import Click
from textual.widgets import Static

from bip_talk.presenters.meeting import PaneView
from bip_talk.ui.messages import ChoiceClicked, PaneClicked, ScaleClicked
from bip_talk.ui.text import plain

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
        self._shown: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        p = self.perspective
        yield Static(classes="pane-title", id=f"{p}-title")
        yield Static(classes="pane-question", id=f"{p}-question")
        yield Static(classes="pane-help", id=f"{p}-help")
        for n in range(MAX_SCALE):
            yield OptionLine("scale", classes="scale-line", id=f"{self.perspective}-scale-{n + 1}")
        yield Static(classes="pane-status", id=f"{p}-status")
        yield Static(classes="pane-earlier", id=f"{p}-earlier")
        yield Static(classes="choice-question", id=f"{p}-choice-question")
        for n in range(MAX_CHOICES):
            yield OptionLine("choice", classes="choice-line", id=f"{self.perspective}-choice-{n}")

    def on_mount(self) -> None:
        # Look the parts up once; show() runs on every key press.
        self._title = self.query_one(".pane-title", Static)
        self._question = self.query_one(".pane-question", Static)
        self._help = self.query_one(".pane-help", Static)
        self._status = self.query_one(".pane-status", Static)
        self._earlier = self.query_one(".pane-earlier", Static)
        self._choice_question = self.query_one(".choice-question", Static)
        self._scale_lines = list(self.query(".scale-line").results(OptionLine))
        self._choice_lines = list(self.query(".choice-line").results(OptionLine))

    def on_click(self, event: Click) -> None:
        self.post_message(PaneClicked(self.perspective))

    def _put(self, widget: Static, text: str, *, fixed: bool = False) -> None:
        """Update only what changed; one-line widgets skip the layout pass (the costly
        part of a key press)."""
        if self._shown.get(widget.id or str(id(widget))) == text:
            return
        self._shown[widget.id or str(id(widget))] = text
        widget.update(plain(text), layout=not fixed)

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
        title = f"{active_marker} {view.title}" if view.active else view.title
        self._put(self._title, title, fixed=True)
        self._put(self._question, view.question)
        self._put(self._help, view.help)
        self._help.display = bool(view.help) and not on_choices
        scale = [o for o in view.scale if o.chosen] if on_choices else list(view.scale)
        self._fill(
            self._scale_lines,
            [
                (o.digit, f"{'●' if o.chosen else '○'} {o.digit}  {o.label}", o.chosen)
                for o in scale
            ],
        )
        self._put(self._status, view.status)
        self._status.set_class(view.answered, "-done")
        self._put(self._earlier, view.earlier)
        self._earlier.display = bool(view.earlier) and not on_choices
        later = one_at_a_time and not on_choices
        self._put(self._choice_question, view.choice_later if later else view.choice_question)
        self._choice_question.display = bool(view.choices)
        self._fill(
            self._choice_lines,
            []
            if later
            else [
                (c.option_id, f"{c.key}  {'☒' if c.checked else '☐'} {c.label}", c.checked)
                for c in view.choices
            ],
        )

    def _fill(self, lines: list[OptionLine], entries: list[tuple[int | str, str, bool]]) -> None:
        """Show one answer per line (value, text, chosen); hide the lines not needed."""
        for n, line in enumerate(lines):
            if n < len(entries):
                value, text, chosen = entries[n]
                line.value = value
                self._put(line, text, fixed=True)
                line.set_class(chosen, "-chosen")
                line.display = True
            else:
                line.value = None
                line.display = False
