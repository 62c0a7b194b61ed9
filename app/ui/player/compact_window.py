"""A small always-on-top window to follow a routine beside a video."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from app.application.player import PlayerController
from app.domain.screen import Screen
from app.ui.widgets.fonts import set_pixel_font
from app.ui.widgets.plain_text import PlainLabel
from app.ui.widgets.side_badge import SideBadge


class CompactWindow(QWidget):
    """Countdown, exercise, side and next step, in a window that stays on top.

    Signals:
        closed(): the user closed it (the main window comes back).
    """

    closed = Signal()

    def __init__(self, controller: PlayerController, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle("Limber")
        self.countdown = PlainLabel("")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_pixel_font(self.countdown, 56, bold=True)
        self.caption = PlainLabel("")
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.exercise = PlainLabel("")
        self.exercise.setWordWrap(True)
        set_pixel_font(self.exercise, 18, bold=True)
        self.badge = SideBadge()
        self.next = PlainLabel("")
        self.next.setWordWrap(True)
        set_pixel_font(self.next, 16)
        set_pixel_font(self.caption, 16)
        top = QHBoxLayout()
        top.addWidget(self.exercise, 1)
        top.addWidget(self.badge)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.countdown)
        layout.addWidget(self.caption)
        layout.addWidget(self.next)
        self.resize(340, 250)
        self.show_screen(controller.screen)
        controller.screen_changed.connect(self.show_screen)

    def show_screen(self, screen: Screen) -> None:
        """Shows the essentials of what the player shows: the same title, side,
        big number and caption, and the status line or what comes next."""
        self.exercise.setText(screen.title)
        self.countdown.setText(screen.big)
        self.caption.setText(screen.caption)
        self.badge.set_side(screen.side)
        self.next.setText(screen.status or screen.next)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        super().closeEvent(event)
        self.closed.emit()
