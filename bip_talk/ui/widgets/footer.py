"""A footer that shows only the keys that fit, never a key cut mid-word.

Textual's footer lays every shown binding in one row and cuts whatever runs past the
edge ("f12 Skærmen skju▏"). This one keeps the keys in the screen's order while they
fit beside the palette key on the right, and leaves out the rest: ``Ctrl+P`` lists
every action of the screen (its key then says "Mere", to leave a key more room), and
the help (``?`` / ``F1``) every key."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from textual.events import Resize
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # not exported; Textual is pinned

KEY_PADDING = 3  # " key description " around the two texts (the non-compact style)
PALETTE_EDGE = 1  # the bar left of the palette key


def _palette_width(palette: list[Widget]) -> int:
    return sum(_width(p) + PALETTE_EDGE for p in palette)


def _width(item: Widget) -> int:
    """Cells one footer item takes (a FooterKey: its key and its words)."""
    key, words = getattr(item, "key_display", None), getattr(item, "description", "")
    return cell_len(key) + cell_len(words) + KEY_PADDING if isinstance(key, str) else 0


class FittingFooter(Footer):
    # Shown even when little else fits: the privacy curtain.
    ALWAYS = frozenset({"curtain"})

    def __init__(self) -> None:
        super().__init__()
        # Textual's footer composes empty first and fills itself when the screen's
        # bindings are first announced (when the screen is shown): every screen paid two
        # composes, and a screen built ahead (ui/ahead.py) would be shown without keys.
        # The screen's bindings are known once the footer is in it: fill it at once.
        self.set_reactive(Footer._bindings_ready, True)
        self._composed_for: tuple[object, ...] | None = None

    def _keys_shown(self) -> tuple[object, ...]:
        """What a compose now would show: the width and every shown binding's key, words
        and state (the screen's bindings, in the user's language)."""
        return (
            self.app.size.width,
            self.compact,
            tuple(
                (
                    key,
                    b.binding.action,
                    b.binding.description,
                    b.binding.key_display,
                    b.enabled,
                    b.tooltip,
                )
                for key, b in self.screen.active_bindings.items()
                if b.binding.show
            ),
        )

    def bindings_changed(self, screen: Screen) -> None:
        # Announced on every show of the screen and every focus change: compose again
        # only when the keys to show did change.
        if self.is_attached and screen is self.screen and self._composed_for == self._keys_shown():
            return
        super().bindings_changed(screen)

    def compose(self) -> Iterable[Widget]:
        self._composed_for = self._keys_shown()
        items = list(super().compose())
        palette = [i for i in items if i.has_class("-command-palette")]
        keys = [i for i in items if i not in palette]
        # Fitted to this width: a resize to the same width (the first one of every new
        # screen) need not compose the keys again.
        self._laid_out_for = self.app.size.width
        always = [i for i in keys if getattr(i, "action", None) in self.ALWAYS]
        room = self._laid_out_for - sum(_width(i) for i in always)
        if sum(_width(i) for i in keys if i not in always) > room - _palette_width(palette):
            # Not every key fits: the palette key says it in a word ("^p Mere"), which
            # leaves room for one more key of the screen (the review's "f Afslut").
            short = getattr(self.app, "t", None)
            for p in palette:
                if isinstance(p, FooterKey) and short is not None:
                    p.description = short("keys.palette_short")
        room -= _palette_width(palette)
        shown = set(always)
        for item in keys:
            if item in shown:
                continue
            if _width(item) > room:
                break  # the rest stays in the palette and the help
            room -= _width(item)
            shown.add(item)
        for item in keys:
            if item in shown and isinstance(item, FooterKey):
                # A key starts compact (its reactive's default) and turns to the footer's
                # value once bound: two restyles per key per compose, a third of a
                # screen's first paint. Start it at the footer's value instead. (The
                # palette key is not bound: it stays as Textual makes it.)
                item.set_reactive(FooterKey.compact, self.compact)
                item.set_class(self.compact, "-compact", update=False)
        yield from (i for i in keys if i in shown)
        yield from palette

    _laid_out_for = 0

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._laid_out_for:
            self._laid_out_for = event.size.width
            self.call_after_refresh(self.recompose)
