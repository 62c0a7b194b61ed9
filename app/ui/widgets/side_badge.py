"""The LEFT/RIGHT badge, a distinct colour per side, readable in light and dark themes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.domain.routine import Side
from app.ui.widgets.plain_text import PlainLabel

# Dark enough for white text in any theme; blue and orange stay apart for the
# common kinds of colour blindness.
SIDE_COLOURS = {Side.LEFT: "#1f5fbf", Side.RIGHT: "#c2410c"}


class SideBadge(PlainLabel):
    """Shows LEFT or RIGHT on its side's colour, and hides for exercises without sides."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.side: Side | None = None
        self.setVisible(False)

    def set_side(self, side: Side | None) -> None:
        """Shows `side`, or hides the badge for None."""
        if side == self.side and self.text() == (side.value.upper() if side else ""):
            return  # a style sheet set again lays the whole view out again
        self.side = side
        if side is None:
            self.setText("")
            self.setVisible(False)
            return
        self.setText(side.value.upper())
        self.setStyleSheet(
            f"QLabel {{ background: {SIDE_COLOURS[side]}; color: white; "
            "border-radius: 8px; padding: 4px 18px; font-weight: bold; }"
        )
        self.setVisible(True)
