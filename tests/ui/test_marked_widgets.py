"""Focus and state read without colour: the highlighted option carries ``▶``, a box
shows ``X`` or a blank, a focused button is framed; text is never markup."""

from __future__ import annotations

from textual.app import App, ComposeResult

from bip_talk.ui.text import plain, safe_text
from bip_talk.ui.widgets.marked import MarkedButton, MarkedCheckbox, MarkedOptionList

from .screen_text import highlighted_rows, screen_text

HOSTILE = [
    "Anna [/] Hansen",
    "[bold red]x[/]",
    "[link=file:///etc/passwd]x[/link]",
    "Bo\x1b]0;pwned\x07",
]


class Probe(App[None]):
    def compose(self) -> ComposeResult:
        yield MarkedOptionList(*[(name, f"r{n}") for n, name in enumerate(HOSTILE)], id="rows")
        yield MarkedCheckbox("Privat", id="box")
        yield MarkedButton("Gem", id="save")


async def test_the_highlighted_row_is_marked_and_the_mark_follows_the_cursor() -> None:
    app = Probe()
    async with app.run_test(size=(60, 20)) as pilot:
        app.query_one(MarkedOptionList).focus()
        await pilot.pause()
        marked = highlighted_rows(screen_text(app))
        assert len(marked) == 1 and "Anna [/] Hansen" in marked[0]
        await pilot.press("down", "down")
        marked = highlighted_rows(screen_text(app))
        assert len(marked) == 1 and "[link=file:///etc/passwd]x[/link]" in marked[0]
        await pilot.press("up")
        marked = highlighted_rows(screen_text(app))
        assert len(marked) == 1 and "[bold red]x[/]" in marked[0]


async def test_markup_and_control_characters_are_shown_as_characters() -> None:
    app = Probe()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        for name in HOSTILE[:3]:
            assert name in text
        assert "\x1b" not in text and "\x07" not in text
        assert "Bo␛]0;pwned␇" in text


async def test_a_checkbox_reads_its_state_in_plain_text() -> None:
    app = Probe()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        box_line = next(line for line in screen_text(app).splitlines() if "Privat" in line)
        assert "X" not in box_line
        app.query_one(MarkedCheckbox).value = True
        await pilot.pause()
        box_line = next(line for line in screen_text(app).splitlines() if "Privat" in line)
        assert "X" in box_line


async def test_a_focused_button_is_framed() -> None:
    app = Probe()
    async with app.run_test(size=(60, 20)) as pilot:
        app.query_one(MarkedButton).focus()
        await pilot.pause()
        assert "▶ Gem ◀" in screen_text(app)
        app.query_one(MarkedCheckbox).focus()
        await pilot.pause()
        assert "▶ Gem ◀" not in screen_text(app)


def test_safe_text_keeps_lines_only_where_asked() -> None:
    assert safe_text("a\nb\tc") == "a\nb\tc"
    assert safe_text("a\nb", lines=False) == "a␊b"
    assert safe_text("\x9b2J") == "\ufffd2J"
    assert str(plain("[b]x[/b]")) == "[b]x[/b]"


class TwoLists(App[None]):
    def compose(self) -> ComposeResult:
        yield MarkedOptionList(("Forslag et", "a1"), ("Forslag to", "a2"), id="left")
        yield MarkedOptionList(("Aftale et", "b1"), ("Aftale to", "b2"), id="right")
        yield MarkedButton("Gem", id="save")


async def test_of_two_lists_only_the_focused_one_shows_the_cursor() -> None:
    """Tab between two lists changes a character, not only a border colour: the
    focused list's row has ``▶``, the other's ``·``. Focus elsewhere (a button, a
    field) leaves each list its ``▶``, as a list alone on a screen has."""
    app = TwoLists()
    async with app.run_test(size=(60, 20)) as pilot:
        app.query_one("#left", MarkedOptionList).focus()
        await pilot.pause()
        text = screen_text(app)
        assert "▶ Forslag et" in text and "· Aftale et" in text and "▶ Aftale" not in text
        await pilot.press("tab")
        await pilot.pause()
        text = screen_text(app)
        assert "· Forslag et" in text and "▶ Aftale et" in text and "▶ Forslag" not in text
        await pilot.press("down")
        await pilot.pause()
        assert "▶ Aftale to" in screen_text(app) and "· Forslag et" in screen_text(app)
        await pilot.press("tab")  # the button
        await pilot.pause()
        text = screen_text(app)
        assert "▶ Forslag et" in text and "▶ Aftale to" in text and "·" not in text
