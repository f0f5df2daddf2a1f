"""Screen sizes the layout changes at."""

from __future__ import annotations

# Below this height (80×24 included) the screens go compact: the meeting shows one item
# of a side at a time, the review and the dialogs lose their spacing, and only one
# notice shows at a time (stacked, they would cover a pane).
SHORT = 32
