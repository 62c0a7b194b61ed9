"""The LEFT/RIGHT badge, a distinct colour per side, readable in light and dark themes."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QWidget

from app.domain.routine import Side
from app.ui.widgets.plain_text import PlainLabel

# Dark enough for white text in any theme; blue and orange stay apart for the
# common kinds of colour blindness.
SIDE_COLOURS = {Side.LEFT: "#1f5fbf", Side.RIGHT: "#c2410c"}
PADDING = (18, 4)  # pixels left and right, top and bottom of the text


class SideBadge(PlainLabel):
    """Shows LEFT or RIGHT on its side's colour; blank (its place kept) for
    exercises without sides.

    It paints its own colour and keeps one size, fitted to its font: a style
    sheet set at every side change, or a badge that came and went, made Qt lay
    out and repaint the whole player, twice a second in an alternating routine.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("", parent)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.side: Side | None = None
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor("white"))
        self.setPalette(palette)
        font = QFont(self.font())
        font.setBold(True)
        self.setFont(font)
        self._fit()

    def set_side(self, side: Side | None) -> None:
        """Shows `side`, or a blank badge for None."""
        if side == self.side:
            return
        self.side = side
        self.setText(side.value.upper() if side else "")  # one size: only it repaints

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if self.side is not None:
            painter = QPainter(self)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(SIDE_COLOURS[self.side]))
            painter.drawRoundedRect(self.rect(), 8, 8)
            painter.end()
        super().paintEvent(event)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()

    def _fit(self) -> None:
        metrics = self.fontMetrics()
        widest = max(metrics.horizontalAdvance(side.value.upper()) for side in Side)
        self.setFixedSize(widest + 2 * PADDING[0], metrics.height() + 2 * PADDING[1])
