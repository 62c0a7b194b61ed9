"""The player view: readable from three metres away."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from app.application.player import PlayerController
from app.audio.cue_player import AudioStatus
from app.domain.player import PlayerState
from app.domain.screen import EMPTY, Screen
from app.ui.player.summary_panel import SummaryPanel
from app.ui.widgets.plain_text import PlainLabel, plain_tooltip
from app.ui.widgets.side_badge import SideBadge

# The countdown's share of the view's height (the issue asks for at least a third).
COUNTDOWN_SHARE = 0.42


class PlayerView(QWidget):
    """Shows a player snapshot: countdown, exercise, side, counters, next, progress.

    The buttons never take keyboard focus, so Space and the arrows always reach
    the window's shortcuts.

    Signals:
        primary_clicked(): Start, Pause or Go on.
        back_clicked(), skip_clicked(), stop_clicked(), compact_clicked()
        mute_toggled(bool)
        volume_changed(int): percent.
    """

    primary_clicked = Signal()
    back_clicked = Signal()
    skip_clicked = Signal()
    stop_clicked = Signal()
    compact_clicked = Signal()
    mute_toggled = Signal(bool)
    volume_changed = Signal(int)

    def __init__(self, controller: PlayerController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build_labels()
        self._build_controls()
        self._lay_out()
        self._scale_fonts()
        self.show_screen(controller.screen)
        controller.screen_changed.connect(self.show_screen)
        self.primary_clicked.connect(controller.primary)
        self.back_clicked.connect(controller.back)
        self.skip_clicked.connect(controller.skip)
        self.stop_clicked.connect(controller.stop)

    def _build_labels(self) -> None:
        self.title = PlainLabel(EMPTY.title)
        self.title.setObjectName("title")
        self.title.setWordWrap(True)
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.badge = SideBadge()
        self.countdown = PlainLabel("")
        self.countdown.setObjectName("countdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.reps = PlainLabel("")
        self.sets = PlainLabel("")
        self.instruction = PlainLabel("")
        self.instruction.setWordWrap(True)
        self.instruction.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.status = PlainLabel("")
        self.status.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next = PlainLabel("")
        self.next.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.elapsed = PlainLabel("")
        self.sound_notice = PlainLabel("")
        self.sound_notice.setObjectName("soundNotice")
        self.sound_notice.setWordWrap(True)
        self.sound_notice.setVisible(False)
        self.summary = SummaryPanel()

    def _build_controls(self) -> None:
        self.back_button = self._button(
            "◀◀ Back", "Back: restart the step, or the one before (Left arrow)", self.back_clicked
        )
        self.primary_button = self._button(
            "▶ Start", "Start, pause, go on (Space)", self.primary_clicked
        )
        self.skip_button = self._button(
            "Skip ▶▶", "Skip to the next step (Right arrow)", self.skip_clicked
        )
        self.stop_button = self._button("■ Stop", "Stop the routine (Esc)", self.stop_clicked)
        self.compact_button = self._button(
            "Compact", "A small window that stays on top (Ctrl+K)", self.compact_clicked
        )
        self.mute_button = QPushButton("Mute")
        self.mute_button.setCheckable(True)
        self.mute_button.setToolTip("Mute the cues (M)")
        self.mute_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.mute_button.toggled.connect(self.mute_toggled)
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(1, 100)
        self.volume.setToolTip("Cue volume")
        self.volume.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.volume.setMaximumWidth(160)
        self.volume.valueChanged.connect(self.volume_changed)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.badge)
        counters = QHBoxLayout()
        counters.addWidget(self.reps)
        counters.addStretch(1)
        counters.addWidget(self.sets)
        progress = QHBoxLayout()
        progress.addWidget(self.progress, 1)
        progress.addWidget(self.elapsed)
        controls = QHBoxLayout()
        for widget in (self.back_button, self.primary_button, self.skip_button, self.stop_button):
            controls.addWidget(widget)
        controls.addStretch(1)
        for control in (self.compact_button, self.mute_button, self.volume):
            controls.addWidget(control)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.countdown, 1)
        layout.addLayout(counters)
        layout.addWidget(self.instruction)
        layout.addWidget(self.status)
        layout.addWidget(self.next)
        layout.addLayout(progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.sound_notice)
        layout.addLayout(controls)

    def _button(self, text: str, tip: str, signal: SignalInstance) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(plain_tooltip(tip))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        button.clicked.connect(signal)
        return button

    def show_screen(self, screen: Screen) -> None:
        """Shows what the player is at (`EMPTY`: no routine loaded)."""
        self.title.setText(screen.title)
        self.badge.set_side(screen.side)
        self.countdown.setText(screen.big)
        self.reps.setText(screen.reps)
        self.sets.setText(screen.sets)
        self.instruction.setText(screen.instruction)
        self.status.setText(screen.status)
        self.next.setText(screen.next)
        self.progress.setValue(round(screen.progress * 1000))
        self.elapsed.setText(screen.elapsed)
        self._enable(screen.loaded, screen.state)

    def show_audio_status(self, status: AudioStatus) -> None:
        """Shows a notice while sound is unavailable."""
        self.sound_notice.setText(
            "" if status.available else f"🔇 {status.message[:1].upper()}{status.message[1:]}"
        )
        self.sound_notice.setVisible(not status.available)

    def _enable(self, loaded: bool, state: PlayerState) -> None:
        active = state in (PlayerState.RUNNING, PlayerState.PAUSED)
        self.primary_button.setEnabled(
            loaded and state not in (PlayerState.FINISHED, PlayerState.STOPPED)
        )
        self.primary_button.setText(
            "❚❚ Pause"
            if state is PlayerState.RUNNING
            else "▶ Go on"
            if state is PlayerState.PAUSED
            else "▶ Start"
        )
        for button in (self.back_button, self.skip_button, self.stop_button):
            button.setEnabled(loaded and active)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._scale_fonts()

    def _scale_fonts(self) -> None:
        """Sizes the text to the view, so it reads from across the room at any size."""
        height = max(self.height(), 300)
        self._set_pixel_size(self.countdown, int(height * COUNTDOWN_SHARE), bold=True)
        self._set_pixel_size(self.title, max(18, int(height * 0.065)), bold=True)
        self._set_pixel_size(self.badge, max(16, int(height * 0.05)), bold=True)
        for label in (self.reps, self.sets):
            self._set_pixel_size(label, max(16, int(height * 0.05)), bold=True)
        for label in (self.instruction, self.next, self.status):
            self._set_pixel_size(label, max(14, int(height * 0.035)), bold=False)

    @staticmethod
    def _set_pixel_size(label: QLabel, pixels: int, *, bold: bool) -> None:
        font = QFont(label.font())
        font.setPixelSize(pixels)
        font.setBold(bold)
        label.setFont(font)
