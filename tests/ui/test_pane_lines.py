"""A meeting pane's text drawn line by line (``PaneLines``): it reads as the widgets it
replaced did, the side's turn is marked with ``▶`` in plain text, user text is never
markup, a changed answer repaints only its lines and lays nothing out, the pane's
colour follows the pane (a side not asked is muted), and a click on an answer line
gives that answer."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.containers import VerticalScroll
from textual.geometry import Region

from bip_talk.ui.messages import ChoiceClicked, PaneClicked, ScaleClicked
from bip_talk.ui.widgets.pane_lines import (
    CHOICE,
    HELP,
    QUESTION,
    SCALE,
    STATUS,
    TITLE,
    PaneLines,
    Part,
)

from .screen_text import screen_text

HOSTILE_NAME = "Anna [/] Hansen"
HOSTILE_NOTE = "[bold]x[/] og [link=file:///etc/passwd]y[/link]\x1b]0;pwned\x07"


def parts(chosen: int | None = None, *, active: bool = True, status: str = "Mangler svar"):
    title = f"▶ {HOSTILE_NAME}" if active else HOSTILE_NAME
    return [
        Part(title, TITLE),
        Part("Hvordan har du det med at søge job i denne tid?", QUESTION, gap=True),
        Part(HOSTILE_NOTE, HELP),
        *[
            Part(f"{'●' if n == chosen else '○'} {n}  Svar {n}", SCALE, n == chosen, n)
            for n in range(1, 6)
        ],
        Part(status, STATUS, chosen is not None, gap=True),
        Part("a  ☐ Aviser", CHOICE, False, "aviser"),
    ]


class Host(App[None]):
    CSS = """
    VerticalScroll { height: 20; width: 40; }
    VerticalScroll.-idle { color: red; }
    PaneLines > .pane-lines--scale-chosen { text-style: bold reverse; }
    PaneLines > .pane-lines--hover { background: $boost; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.got: list[object] = []

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="pane"):
            yield PaneLines("citizen", id="lines")

    def on_mount(self) -> None:
        self.query_one(PaneLines).show(parts())

    def on_scale_clicked(self, message: ScaleClicked) -> None:
        self.got.append(message)

    def on_choice_clicked(self, message: ChoiceClicked) -> None:
        self.got.append(message)

    def on_click(self) -> None:
        self.got.append(PaneClicked("citizen"))  # a click that was not an answer


def _style(strip):
    """The style of a line's first cell."""
    return list(strip)[0].style


def _rows(app: App[None]) -> list[str]:
    return [line.rstrip() for line in screen_text(app).splitlines()[:20]]


async def test_the_parts_read_as_plain_text_with_the_turn_marked() -> None:
    app = Host()
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        rows = _rows(app)
        assert rows[0] == f"▶ {HOSTILE_NAME}"  # brackets as typed, the turn as a glyph
        assert rows[1] == ""  # the gap before the question
        assert rows[2:4] == ["Hvordan har du det med at søge job i", "denne tid?"]  # wrapped
        # Markup shows as typed; the escape is a visible symbol, never sent on.
        note = "\n".join(rows[4:7])
        assert "[bold]x[/]" in note and "[link=file:///etc/passwd]y" in note
        assert "\x1b" not in screen_text(app) and "␛" in note
        assert rows[7] == " ○ 1  Svar 1"  # an answer line: one cell of padding
        assert rows[12:14] == ["", "Mangler svar"]  # the gap before the status
        assert app.query_one(PaneLines).texts[0] == f"▶ {HOSTILE_NAME}"


async def test_a_changed_answer_repaints_its_lines_and_lays_nothing_out() -> None:
    app = Host()
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        lines = app.query_one(PaneLines)
        calls: list[tuple[tuple[object, ...], dict[str, object]]] = []
        refresh = lines.refresh

        def counted(*regions, **kwargs):
            calls.append((regions, kwargs))
            return refresh(*regions, **kwargs)

        lines.refresh = counted  # type: ignore[method-assign]
        lines.show(parts(chosen=3, status="Besvaret"))
        await pilot.pause()
        assert all(not kwargs.get("layout") for _, kwargs in calls)
        repainted = sorted(r.y for regions, _ in calls for r in regions if isinstance(r, Region))
        assert repainted == [9, 13]  # the answer line and the status, nothing else
        rows = _rows(app)
        assert rows[9] == " ● 3  Svar 3" and rows[13] == "Besvaret"
        # The chosen answer is reversed; only its text, not the padding.
        strip = lines.render_line(9)
        reversed_text = "".join(s.text for s in strip if s.style and s.style.reverse)
        assert reversed_text == "● 3  Svar 3"
        calls.clear()
        lines.show(parts(chosen=3, status="Besvaret"))  # the same again: nothing
        assert calls == []
        # A part that needs another line (a longer status) lays the pane out again.
        lines.show(parts(chosen=3, status="Besvaret, og det er vist for begge sider nu"))
        assert any(kwargs.get("layout") for _, kwargs in calls)
        await pilot.pause()
        assert _rows(app)[13:15] == ["Besvaret, og det er vist for begge sider", "nu"]


async def test_the_text_takes_the_colour_of_the_pane() -> None:
    app = Host()
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        lines = app.query_one(PaneLines)
        before = _style(lines.render_line(2))
        app.query_one("#pane").add_class("-idle")  # a side not asked at this step
        await pilot.pause()
        after = _style(lines.render_line(2))
        assert before is not None and after is not None
        assert after.color is not None and after.color != before.color
        assert after.color.triplet is not None and after.color.triplet.red == 255


async def test_a_click_on_an_answer_line_gives_that_answer() -> None:
    app = Host()
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        lines = app.query_one(PaneLines)
        assert lines.row_of(4) == 10
        await pilot.click(lines, offset=(5, lines.row_of(4)))
        await pilot.click(lines, offset=(5, lines.row_of("aviser")))
        await pilot.pause()
        assert app.got == [ScaleClicked("citizen", 4), ChoiceClicked("citizen", "aviser")]
        await pilot.click(lines, offset=(5, 0))  # the title: the pane's, not an answer
        await pilot.pause()
        assert app.got[-1] == PaneClicked("citizen")


async def test_the_answer_line_under_the_mouse_is_lit() -> None:
    app = Host()
    async with app.run_test(size=(60, 24)) as pilot:
        await pilot.pause()
        lines = app.query_one(PaneLines)
        plain_bg = _style(lines.render_line(7)).bgcolor
        await pilot.hover(lines, offset=(5, 7))
        await pilot.pause()
        lit = lines.render_line(7)
        assert _style(lit).bgcolor != plain_bg  # padding included
        assert _style(lines.render_line(8)).bgcolor == plain_bg
        await pilot.hover(lines, offset=(5, 0))  # off the answers
        await pilot.pause()
        assert _style(lines.render_line(7)).bgcolor == plain_bg
