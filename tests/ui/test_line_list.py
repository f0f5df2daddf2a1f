"""The citizens list drawn line by line: the highlighted row carries ``▶``, text is never
markup, keys move and select, a refill repaints only the lines that changed and never
lays out the screen; the search field lays nothing out as it is typed in either, and
its end stays in view past its width."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Static

from bip_talk.ui.widgets.line_list import LineList
from bip_talk.ui.widgets.plain_line import PlainLine
from bip_talk.ui.widgets.search_input import SearchInput

from .screen_text import highlighted_rows, screen_text

HOSTILE = [
    "Anna [/] Hansen",
    "[bold red]x[/]",
    "[link=file:///etc/passwd]x[/link]",
    "Bo\x1b]0;pwned\x07",
]


class Probe(App[None]):
    CSS = "LineList { height: 8; }"

    def __init__(self) -> None:
        super().__init__()
        self.selected: list[str | None] = []

    def compose(self) -> ComposeResult:
        yield SearchInput(id="search")
        yield LineList(id="rows")
        yield PlainLine(id="status")
        yield Static("fixed", id="other")

    def on_mount(self) -> None:
        self.query_one(LineList).show([(name, f"r{n}") for n, name in enumerate(HOSTILE)])

    def on_line_list_selected(self, event: LineList.Selected) -> None:
        self.selected.append(event.row_id)


def _count_layouts(app: App[None]) -> list[int]:
    """Counts every screen layout from now on (a layout repaints every widget)."""
    screen = app.screen
    seen = [0]
    refresh_layout = screen._refresh_layout

    def counted(*args, **kwargs):
        if screen._layout_required:
            seen[0] += 1
        return refresh_layout(*args, **kwargs)

    screen._refresh_layout = counted  # type: ignore[method-assign]
    return seen


async def test_the_highlighted_row_is_marked_and_follows_the_keys() -> None:
    app = Probe()
    async with app.run_test(size=(60, 20)) as pilot:
        app.query_one(LineList).focus()
        await pilot.pause()
        marked = highlighted_rows(screen_text(app))
        assert len(marked) == 1 and "▶ Anna [/] Hansen" in marked[0]
        await pilot.press("down", "down")
        marked = highlighted_rows(screen_text(app))
        assert len(marked) == 1 and "[link=file:///etc/passwd]x[/link]" in marked[0]
        await pilot.press("up")
        assert "[bold red]x[/]" in highlighted_rows(screen_text(app))[0]
        await pilot.press("end")
        assert "Bo␛]0;pwned␇" in highlighted_rows(screen_text(app))[0]
        await pilot.press("down")  # stays on the last row
        assert "Bo␛]0;pwned␇" in highlighted_rows(screen_text(app))[0]
        await pilot.press("home", "enter")
        await pilot.pause()
        assert app.selected == ["r0"]


async def test_markup_and_control_characters_are_shown_as_characters() -> None:
    app = Probe()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        for name in HOSTILE[:3]:
            assert name in text
        assert "\x1b" not in text and "\x07" not in text
        assert "Bo␛]0;pwned␇" in text


async def test_a_click_selects_the_row_under_the_mouse() -> None:
    app = Probe()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        # Row 2 of the content: the list's border and first two rows are above it.
        await pilot.click(LineList, offset=(5, 3))
        await pilot.pause()
        assert app.selected == ["r2"]
        assert "[link=file:///etc/passwd]x[/link]" in highlighted_rows(screen_text(app))[0]


async def test_a_refill_repaints_only_changed_lines_and_lays_nothing_out() -> None:
    app = Probe()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        rows = app.query_one(LineList)
        layouts = _count_layouts(app)
        repainted: list[int] = []
        refresh_line = rows.refresh_line
        rows.refresh_line = lambda y: (repainted.append(y), refresh_line(y))  # type: ignore[method-assign,assignment,func-returns-value]
        rows.show([("Anna [/] Hansen", "r0"), ("Ny", "n1"), (HOSTILE[2], "r2"), ("Ny 2", "n3")])
        await pilot.pause()
        assert repainted == [1, 3]
        assert "Ny 2" in screen_text(app) and "[bold red]x[/]" not in screen_text(app)
        rows.show([("Kun en", "k")])  # fewer rows: a new scroll range, still no layout
        await pilot.pause()
        assert "▶ Kun en" in highlighted_rows(screen_text(app))[0]
        assert "Ny 2" not in screen_text(app)
        assert layouts == [0]


async def test_many_rows_scroll_to_keep_the_highlight_in_view() -> None:
    app = Probe()
    async with app.run_test(size=(60, 20)) as pilot:
        rows = app.query_one(LineList)
        rows.show([(f"Borger {n:02d}", str(n)) for n in range(30)])
        rows.focus()
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        assert "▶ Borger 29" in highlighted_rows(screen_text(app))[0]
        assert "Borger 00" not in screen_text(app)
        await pilot.press("home")
        await pilot.pause()
        assert "▶ Borger 00" in highlighted_rows(screen_text(app))[0]


async def test_typing_lays_nothing_out_and_keeps_the_end_of_the_text_in_view() -> None:
    app = Probe()
    async with app.run_test(size=(40, 20)) as pilot:
        app.query_one(SearchInput).focus()
        await pilot.pause()
        layouts = _count_layouts(app)
        await pilot.press(*"abcdefghij" * 3)
        await pilot.pause()
        assert layouts == [0]
        # Past the 40 columns the field scrolls along (Textual lays out once, as a scroll
        # range appears).
        await pilot.press(*"abcdefghij" * 2, "x", "y", "z")
        await pilot.pause()
        assert app.query_one(SearchInput).value.endswith("xyz")
        assert "hijxyz" in screen_text(app)


async def test_a_plain_line_shows_markup_as_text_and_grows_when_it_must() -> None:
    app = Probe()
    async with app.run_test(size=(40, 20)) as pilot:
        await pilot.pause()
        status = app.query_one(PlainLine)
        status.say("[b]fed[/b] 1")
        await pilot.pause()
        assert "[b]fed[/b] 1" in screen_text(app)
        status.say("ord " * 20)  # wider than the screen: two lines, laid out again
        await pilot.pause()
        assert status.size.height == 2
        status.say("kort")
        await pilot.pause()
        assert status.size.height == 1


def test_a_row_wider_than_the_list_ends_at_a_whole_word():
    from bip_talk.ui.widgets.line_list import _fit

    row = "▶ Mette Fremgaard  ·  B-EY4RPU  ·  tydelig fremgang under en praktik, der kører"
    fitted = _fit(row, 60)
    assert fitted.endswith("…") and len(fitted) <= 60
    assert row.startswith(fitted[:-1])
    assert row[len(fitted) - 1] == " "  # the cut falls between words
    assert _fit("kort", 60) == "kort"
