"""The window's colours: as the system has them, light or dark (Preferences)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

# The dark palette's colours by role (Fusion's light palette is the other).
DARK = (
    ("Window", "#2b2b2b"),
    ("WindowText", "#f0f0f0"),
    ("Base", "#1e1e1e"),
    ("AlternateBase", "#333333"),
    ("Text", "#f0f0f0"),
    ("Button", "#3a3a3a"),
    ("ButtonText", "#f0f0f0"),
    ("Mid", "#555555"),
    ("Highlight", "#3d8fd6"),
    ("HighlightedText", "#ffffff"),
    ("ToolTipBase", "#3a3a3a"),
    ("ToolTipText", "#f0f0f0"),
    ("PlaceholderText", "#9a9a9a"),
)
# Text on what cannot be used now (Back, Skip and Stop on the end screen): dimmed,
# as Fusion's light palette dims it; without it a disabled button looked enabled.
DARK_DISABLED_TEXT = "#7f7f7f"
_system: tuple[str, QPalette] | None = None  # the style and palette Limber started with


def apply_theme(app: QApplication, theme: str, *, fusion: bool = False) -> None:
    """Colours the whole application: "system" (the style and palette it started
    with), "light" or "dark" (both in the Fusion style, which follows a palette on
    every platform). With `fusion`, "system" is Fusion's light palette too (the
    screenshots look the same on any machine)."""
    global _system  # noqa: PLW0603 - the application's own first look, kept once
    if _system is None:
        _system = (app.style().name(), QPalette(app.palette()))
    if theme == "system" and not fusion:
        app.setStyle(_system[0])
        app.setPalette(_system[1])
        return
    app.setStyle("Fusion")
    palette = app.style().standardPalette()
    if theme == "dark":
        for name, colour in DARK:
            palette.setColor(getattr(QPalette.ColorRole, name), QColor(colour))
        for role in (
            QPalette.ColorRole.WindowText,
            QPalette.ColorRole.Text,
            QPalette.ColorRole.ButtonText,
        ):
            palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(DARK_DISABLED_TEXT))
    app.setPalette(palette)
