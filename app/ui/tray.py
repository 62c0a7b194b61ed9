"""Limber in the tray (`limber --background`): start the suggested routine, open
the window, pause today's reminders, quit."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from app.application.reminder_schedule import ReminderSchedule
from app.ui.reminder_notices import ReminderNotices


class Tray(QSystemTrayIcon):
    """The tray icon and its menu; the menu names the routine Start would play.

    Args:
        icon: Limber's icon.
        notices: Knows the suggested routine and plays it.
        schedule: Pauses the reminders for today.
        open_window: Shows the window.
        quit_app: Quits Limber.
        parent: The window.
    """

    def __init__(
        self,
        icon: QIcon,
        notices: ReminderNotices,
        schedule: ReminderSchedule,
        *,
        open_window: Callable[[], None],
        quit_app: Callable[[], None],
        parent: QWidget,
    ) -> None:
        super().__init__(icon, parent)
        self._notices = notices
        self.setToolTip("Limber")
        self.menu = QMenu(parent)
        self.start_action = QAction("Start", self.menu)
        self.start_action.triggered.connect(self._start)
        self.menu.addAction(self.start_action)
        self.menu.addAction("Open Limber", open_window)
        self.pause_action = self.menu.addAction("Pause reminders for today", schedule.pause_today)
        self.menu.addSeparator()
        self.menu.addAction("Quit", quit_app)
        self.menu.aboutToShow.connect(self._name_routine)
        self.setContextMenu(self.menu)
        self.activated.connect(
            lambda reason: open_window() if reason == self.ActivationReason.Trigger else None
        )
        self._name_routine()

    def _name_routine(self) -> None:
        suggested = self._notices.routine_for(None)
        self.start_action.setEnabled(suggested is not None)
        self.start_action.setText(
            f"Start “{suggested.routine.name}”" if suggested is not None else "Start"
        )

    def _start(self) -> None:
        suggested = self._notices.routine_for(None)
        if suggested is not None:
            self._notices.start(suggested.routine.id)
