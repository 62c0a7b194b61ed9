"""The player view: the floor face, the end screen, and the controls."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, SignalInstance
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QSlider,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.application.player import PlayerController
from app.audio.cue_player import AudioStatus
from app.domain.player import PlayerState
from app.domain.screen import Screen
from app.ui.player.floor_face import FloorFace
from app.ui.player.summary_panel import SummaryPanel
from app.ui.widgets.fonts import set_pixel_font
from app.ui.widgets.plain_text import PlainLabel, plain_tooltip

# The controls' text as a share of the view's height, and its smallest size.
CONTROL_SHARE = 0.032
SMALLEST_CONTROL_PX = 13
# ... and of its width: a row of eight labelled buttons fits 800 pixels.
CONTROL_WIDTH_SHARE = 0.022


class PlayerView(QWidget):
    """The floor face while a routine plays, the end screen after it, and the controls.

    The buttons never take keyboard focus, so Space and the arrows always reach
    the window's shortcuts. Where the full labels do not fit the width, the
    buttons show their symbols only (the tooltips keep the words).

    Signals:
        primary_clicked(): Start, Pause or Go on.
        done_clicked(): a step done at one's own pace is done.
        back_clicked(), skip_clicked(), stop_clicked(), compact_clicked()
        mute_toggled(bool)
        volume_changed(int): percent.
    """

    primary_clicked = Signal()
    done_clicked = Signal()
    back_clicked = Signal()
    skip_clicked = Signal()
    stop_clicked = Signal()
    compact_clicked = Signal()
    mute_toggled = Signal(bool)
    volume_changed = Signal(int)

    def __init__(self, controller: PlayerController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.face = FloorFace()
        self.summary = SummaryPanel()
        self.pages = QStackedWidget()
        self.pages.addWidget(self.face)
        self.pages.addWidget(self.summary)
        self.sound_notice = PlainLabel("")
        self.sound_notice.setObjectName("soundNotice")
        self.sound_notice.setWordWrap(True)
        self.sound_notice.setVisible(False)
        self._controller = controller
        self._labels: dict[QPushButton, tuple[str, str]] = {}
        self._build_controls()
        self._lay_out()
        self._size_controls()
        self.shown = controller.screen
        self.show_screen(controller.screen)
        controller.screen_changed.connect(self.show_screen)
        self.primary_clicked.connect(controller.primary)
        self.done_clicked.connect(controller.continue_step)
        self.back_clicked.connect(controller.back)
        self.skip_clicked.connect(controller.skip)
        self.stop_clicked.connect(controller.stop)

    def _build_controls(self) -> None:
        self.back_button = self._button(
            "◀◀ Back", "◀◀", "Back: restart the step, or the one before (Left arrow)"
        )
        self.primary_button = self._button(
            "▶ Start", "▶", "Start, pause, go on; at the end, play it again (Space)"
        )
        self.done_button = self._button(
            "✓ Done", "✓", "This step is done: go on (Enter)", signal=self.done_clicked
        )
        self.skip_button = self._button("Skip ▶▶", "▶▶", "Skip to the next step (Right arrow)")
        self.stop_button = self._button("■ Stop", "■", "Stop the routine (Esc)")
        self.compact_button = self._button(
            "Compact", "▣", "A small window that stays on top (Ctrl+K)"
        )
        self.back_button.clicked.connect(self.back_clicked)
        self.primary_button.clicked.connect(self.primary_clicked)
        self.skip_button.clicked.connect(self.skip_clicked)
        self.stop_button.clicked.connect(self.stop_clicked)
        self.compact_button.clicked.connect(self.compact_clicked)
        self.mute_button = self._button("Mute", "M", "Mute the cues (M)")
        self.mute_button.setCheckable(True)
        self.mute_button.toggled.connect(self.mute_toggled)
        self.volume = QSlider(Qt.Orientation.Horizontal)
        self.volume.setRange(1, 100)
        self.volume.setToolTip("Cue volume")
        self.volume.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.volume.setMinimumWidth(60)
        self.volume.setMaximumWidth(160)
        self.volume.valueChanged.connect(self.volume_changed)
        for button in (self.primary_button, self.done_button):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _lay_out(self) -> None:
        controls = QHBoxLayout()
        self.controls = controls
        for button in (self.back_button, self.primary_button, self.done_button):
            controls.addWidget(button)
        controls.addWidget(self.skip_button)
        controls.addWidget(self.stop_button)
        controls.addSpacing(12)
        for control in (self.compact_button, self.mute_button, self.volume):
            controls.addWidget(control)
        layout = self.outer = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 6)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.sound_notice)
        layout.addLayout(controls)

    def _button(
        self, text: str, short: str, tip: str, *, signal: SignalInstance | None = None
    ) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(plain_tooltip(tip))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        if signal is not None:
            button.clicked.connect(signal)
        self._labels[button] = (text, short)
        return button

    def show_screen(self, screen: Screen) -> None:
        """Shows what the player is at (`EMPTY`: no routine loaded)."""
        self.shown = screen
        if screen.over:
            self.summary.show_heading(screen.title)
            self.pages.setCurrentWidget(self.summary)
        else:
            if self.pages.currentWidget() is not self.face:
                self.pages.setCurrentWidget(self.face)
                self.summary.show_record(None)  # a new run: the last one's summary goes
            self.face.show_screen(screen)
        self._enable(screen)

    def show_muted(self, muted: bool) -> None:
        """Names what the mute button does next: Mute, or Unmute."""
        self.mute_button.setChecked(muted)
        self._labels[self.mute_button] = ("Unmute", "U") if muted else ("Mute", "M")
        self._fit_labels()

    def show_audio_status(self, status: AudioStatus) -> None:
        """Shows a notice while sound is unavailable (words only: an emoji would
        show as a box where no emoji font is installed)."""
        message = status.message[:1].upper() + status.message[1:]
        self.sound_notice.setText("" if status.available else message)
        self.sound_notice.setVisible(not status.available)

    def _enable(self, screen: Screen) -> None:
        state = screen.state
        active = state in (PlayerState.RUNNING, PlayerState.PAUSED)
        again = screen.over and self._controller.can_again
        self.primary_button.setEnabled(screen.loaded and (again or not screen.over))
        label = (
            ("❚❚ Pause", "❚❚")
            if state is PlayerState.RUNNING
            else ("▶ Go on", "▶")
            if state is PlayerState.PAUSED
            else ("↻ Again", "↻")
            if again
            else ("▶ Start", "▶")
        )
        if self._labels[self.primary_button] != label:
            self._labels[self.primary_button] = label
            self._fit_labels()
        # In place while paused too, so the buttons do not move; it works while
        # the step waits.
        if self.done_button.isVisibleTo(self) != screen.done_at_own_pace:
            self.done_button.setVisible(screen.done_at_own_pace)
            self._fit_labels()
        self.done_button.setEnabled(screen.waiting)
        for button in (self.back_button, self.skip_button, self.stop_button):
            button.setEnabled(screen.loaded and active)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._size_controls()

    def _size_controls(self) -> None:
        """Sizes the controls' text and the end screen's to the view's height."""
        height = max(self.height(), 180)
        by_height = round(height * CONTROL_SHARE)
        pixels = max(SMALLEST_CONTROL_PX, min(by_height, round(self.width() * CONTROL_WIDTH_SHARE)))
        for button in self._labels:
            set_pixel_font(button, pixels, bold=button in (self.primary_button, self.done_button))
        for button, (_text, short) in self._labels.items():
            # The least a button needs is its symbol: the full label must not set
            # the window's smallest width (they show where there is room).
            button.setMinimumWidth(button.fontMetrics().horizontalAdvance(short) + 18)
        for button in (self.primary_button, self.done_button):
            button.setMinimumHeight(round(pixels * 2.6))
        self.summary.set_pixel_size(max(14, round(height * 0.04)))
        self._fit_labels()

    def _fit_labels(self) -> None:
        """Full labels where they fit the width; else symbols, and the volume
        slider left out where even they do not (M and the menu still mute)."""
        margins = self.outer.contentsMargins()
        room = self.width() - margins.left() - margins.right()

        def needed() -> int:
            self.controls.invalidate()  # its hint is cached from before the new texts
            return self.controls.sizeHint().width()

        self.volume.setVisible(True)
        for button, (text, _short) in self._labels.items():
            button.setText(text)
        if needed() <= room:
            return
        for button, (_text, short) in self._labels.items():
            button.setText(short)
        if needed() > room:
            self.volume.setVisible(False)
