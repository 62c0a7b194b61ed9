"""A small always-on-top window to follow a routine beside a video."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from app.domain import display
from app.domain.player import PlayerState, Snapshot
from app.ui.widgets.plain_text import PlainLabel
from app.ui.widgets.side_badge import SideBadge


class CompactWindow(QWidget):
    """Countdown, exercise, side and next step, in a window that stays on top.

    Signals:
        closed(): the user closed it (the main window comes back).
    """

    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle("Limber")
        self.countdown = PlainLabel("")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = QFont(self.countdown.font())
        font.setPixelSize(56)
        font.setBold(True)
        self.countdown.setFont(font)
        self.exercise = PlainLabel("")
        self.exercise.setWordWrap(True)
        self.badge = SideBadge()
        self.next = PlainLabel("")
        self.next.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.exercise, 1)
        top.addWidget(self.badge)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.countdown)
        layout.addWidget(self.next)
        self.resize(300, 190)

    def show_snapshot(self, snapshot: Snapshot | None) -> None:
        """Shows the essentials of a snapshot."""
        if snapshot is None:
            self.exercise.setText("No routine loaded")
            self.countdown.setText("")
            self.badge.set_side(None)
            self.next.setText("")
            return
        done = snapshot.state in (PlayerState.FINISHED, PlayerState.STOPPED)
        self.exercise.setText(
            display.status_line(snapshot) if done else display.step_title(snapshot.step)
        )
        self.countdown.setText("" if done else display.countdown_text(snapshot.seconds_left))
        self.badge.set_side(None if done else snapshot.step.side)
        status = "" if done else display.status_line(snapshot)
        self.next.setText(status or display.next_text(snapshot))

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        super().closeEvent(event)
        self.closed.emit()
