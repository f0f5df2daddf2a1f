"""Our themes: the standard look and a high-contrast one (Textual ships none)."""

from __future__ import annotations

from textual.theme import Theme

STANDARD = Theme(
    name="bip-standard",
    primary="#3B82C4",
    secondary="#7A5CC0",
    accent="#E0A526",
    warning="#E0A526",
    error="#D9534F",
    success="#4CAF50",
    foreground="#E6E6E6",
    background="#15191E",
    surface="#1E242B",
    panel="#262E37",
    dark=True,
)

HIGH_CONTRAST = Theme(
    name="bip-high-contrast",
    primary="#FFFFFF",
    secondary="#FFFF00",
    accent="#FFFF00",
    warning="#FFFF00",
    error="#FF6060",
    success="#00FF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#000000",
    boost="#FFFFFF",
    dark=True,
    variables={
        "border": "#FFFFFF",
        "border-blurred": "#FFFFFF",
        "block-cursor-foreground": "#000000",
        "block-cursor-background": "#FFFF00",
        "footer-key-foreground": "#FFFF00",
        "footer-description-foreground": "#FFFFFF",
        "input-selection-background": "#FFFF00 50%",
    },
)

THEMES = {"standard": STANDARD, "high-contrast": HIGH_CONTRAST}
