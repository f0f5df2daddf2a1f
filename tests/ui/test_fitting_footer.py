"""The footer fills itself as its screen is built (not empty first and again when the
screen is shown), and composes again only when the keys to show change: a screen
shown again, or a focus change that leaves the keys as they were, costs nothing."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from bip_talk.ui.widgets.footer import FittingFooter


class Keys(Screen[None]):
    BINDINGS = [
        Binding("a", "alpha", "Alfa"),
        Binding("b", "beta", "Beta"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.beta = True

    def compose(self) -> ComposeResult:
        yield Static("keys")
        yield FittingFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.beta if action == "beta" else True


class Host(App[None]):
    def on_mount(self) -> None:
        self.push_screen(Keys())


def _shown(screen: Screen[None]) -> list[str]:
    return [k.description for k in screen.query("FooterKey") if k.description]


async def test_the_footer_composes_once_and_again_only_for_other_keys(monkeypatch) -> None:
    composes: list[int] = []
    compose = FittingFooter.compose

    def counted(self):
        composes.append(1)
        return compose(self)

    monkeypatch.setattr(FittingFooter, "compose", counted)
    app = Host()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert _shown(screen)[:2] == ["Alfa", "Beta"]
        assert len(composes) == 1  # built with its keys; showing it changed nothing
        screen.refresh_bindings()  # announced again, the same keys
        await pilot.pause()
        assert len(composes) == 1
        app.push_screen(Screen())  # another screen over it, and back: shown again
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        assert len(composes) == 1
        screen.beta = False  # a key the screen no longer offers
        screen.refresh_bindings()
        await pilot.pause()
        assert len(composes) == 2 and "Beta" not in _shown(screen)
        await pilot.resize_terminal(60, 10)  # another width: fitted again
        await pilot.pause()
        assert len(composes) == 3
