"""The command palette's one source: the screen's actions, found by their words or key.

Textual's own provider matches the action's name only and, when nothing matches, the
palette writes "No matches found" in English. This one also finds an action by its key
("f6" finds "Mine borgere") and, when nothing matches, offers one line in the user's
language that says so and where to look instead (the screen's help, when it has one)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.command import Hit, Hits
from textual.system_commands import SystemCommandsProvider

from bip_talk.ui.text import plain, safe_text

if TYPE_CHECKING:
    from collections.abc import Callable

# Shown below every real match: a score no fuzzy match goes under.
NO_MATCH_SCORE = 0.01


class ScreenActions(SystemCommandsProvider):
    """The current screen's actions (``App.get_system_commands``) for the palette."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        found = 0
        for name, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            score = matcher.match(name)
            # The help text ends in the key as the footer writes it ("Tast: F6"): the key
            # typed whole finds its action.
            if help_text.rpartition(": ")[2].casefold() == query.strip().casefold():
                score = max(score, 1.0)
            if score > 0:
                found += 1
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
        if not found and query.strip():
            yield self._nothing_found(query.strip())

    def _nothing_found(self, query: str) -> Hit:
        t = getattr(self.app, "t", None)
        help_action = self._help_action()
        text = t("app.palette_none", query=safe_text(query, lines=False)) if t else query
        how = t("app.palette_none_help" if help_action else "app.palette_none_close") if t else ""
        return Hit(NO_MATCH_SCORE, plain(text), help_action or _nothing, help=how)

    def _help_action(self) -> Callable[[], object] | None:
        """Run the screen's own help (``?``/``F1``), where it has one."""
        for active in self.screen.active_bindings.values():
            if active.binding.action == "help" and active.enabled:
                node = active.node
                return lambda: self.app.run_action("help", node)
        return None


def _nothing() -> None:
    """Choosing the line only closes the palette."""
