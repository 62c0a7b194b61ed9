"""What a second `limber` asks of the window already open (see
app/application/single_instance.py): to come to the front, or to play a routine."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from app.domain.plan import PlanSettings
from app.ui.widgets.plain_text import message_box

if TYPE_CHECKING:
    from app.domain.routine import Routine
    from app.ui.main_window import MainWindow


class InstanceRequests(QObject):
    """Carries out in the window what a second `limber` hands over.

    A routine handed over is loaded and started, as Start in the library does.
    One under way (playing or paused) is never replaced unasked: the window
    comes to the front and asks "Stop “A” and play “B”?", with Keep going the
    default and Escape; a later request replaces a question still open.

    Args:
        window: The main window, which owns this object.
    """

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.question: QMessageBox | None = None

    def bring_to_front(self) -> None:
        """Shows the window (the compact one, when it is up), unminimised, raised
        and active, as far as the desktop lets an app do so."""
        from PySide6.QtCore import Qt

        window = self._window
        shown = window.compact if window.compact_shown else window
        if shown.isMinimized():
            shown.setWindowState(shown.windowState() & ~Qt.WindowState.WindowMinimized)
        shown.show()
        shown.raise_()
        shown.activateWindow()

    def play(self, routine: Routine, settings: PlanSettings | None) -> None:
        """Plays `routine` (with the weaker side saved for it when `settings` is
        None), once the person agrees to stop one under way."""
        self.bring_to_front()
        if self.question is not None:
            self.question.done(QMessageBox.StandardButton.Cancel)
            self.question = None
        controller = self._window.controller
        if not controller.mid_routine or controller.player is None:
            self._start(routine, settings)
            return
        box = message_box(
            QMessageBox.Icon.Question,
            "Limber",
            f"“{controller.player.plan.routine_name}” is under way. "
            f"Stop it and play “{routine.name}”?",
            self._window,
        )
        replace = box.addButton(
            f"Stop and play “{routine.name}”", QMessageBox.ButtonRole.AcceptRole
        )
        keep = box.addButton("Keep going", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)

        def answered() -> None:
            if self.question is box:
                self.question = None
            if box.clickedButton() is replace:
                self._start(routine, settings)
            box.deleteLater()

        box.finished.connect(answered)
        self.question = box
        box.open()

    def _start(self, routine: Routine, settings: PlanSettings | None) -> None:
        window = self._window
        window.library.select(routine.id)
        saved = window.settings
        side = settings.weak_side if settings else saved.weak_side(routine.id)
        window.start_routine(routine, saved.plan_settings(side))
