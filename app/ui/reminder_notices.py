"""Reminders said: "Time to warm up: Thoracic Spine Mini-Routine, 4:50" as a
desktop notification with Start and Snooze (or the tray's message where there is
no notification service), and what the buttons do."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QSystemTrayIcon

from app.application.notifications import Notifier
from app.application.reminder_schedule import ReminderSchedule
from app.domain.plan import build_plan
from app.domain.reminders import Due
from app.domain.text import clock_text
from app.storage.routine_store import StoredRoutine
from app.ui.instance_requests import InstanceRequests

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

SUMMARY = "Time to warm up"
START, SNOOZE = "start", "snooze"
# What a click on the notification itself says (the spec's key).
DEFAULT = "default"


class ReminderNotices(QObject):
    """Says each reminder the schedule gives and acts on the answer: Start plays
    its routine in the window (asking first if another is under way), Snooze says
    it again in ten minutes.

    Args:
        window: The main window.
        schedule: Says when.
        notifier: The desktop's notifications, or None (see `use_tray`).
    """

    def __init__(
        self,
        window: MainWindow,
        schedule: ReminderSchedule,
        notifier: Notifier | None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._schedule = schedule
        self._notifier = notifier
        self._tray: QSystemTrayIcon | None = None
        self._requests = InstanceRequests(window)
        self._waiting: dict[int, tuple[Due, str]] = {}  # notification id: its reminder
        self._last: tuple[Due, str] | None = None  # for the tray's message
        schedule.due.connect(self.say)
        if notifier is not None:
            notifier.chosen.connect(self._chosen)
            notifier.failed.connect(lambda _why: self._say_elsewhere())

    def use_tray(self, tray: QSystemTrayIcon) -> None:
        """Says reminders in the tray's message where there is no notification service."""
        self._tray = tray
        tray.messageClicked.connect(self._tray_clicked)

    def routine_for(self, due: Due | None) -> StoredRoutine | None:
        """The routine a reminder is for: its own, else the suggested one (the
        one played last, else the first in the library)."""
        routines = self._window.routines
        if due is not None and due.reminder.routine_id is not None:
            chosen = routines.get(due.reminder.routine_id)
            if chosen is not None:
                return chosen
        played = sorted(self._window.sessions.sessions, key=lambda s: s.started_at)
        for session in reversed(played):
            last = routines.get(session.routine_id)
            if last is not None:
                return last
        listed = routines.routines
        return listed[0] if listed else None

    def text(self, stored: StoredRoutine) -> str:
        """ "Thoracic Spine Mini-Routine, 4:50": the routine as it would be played."""
        settings = self._window.settings
        plan = build_plan(
            stored.routine, settings.plan_settings(settings.weak_side(stored.routine.id))
        )
        return f"{stored.routine.name}, {clock_text(plan.total_seconds)}"

    def say(self, due: Due) -> None:
        """Shows the reminder `due`."""
        stored = self.routine_for(due)
        if stored is None:
            return
        body, routine_id = self.text(stored), stored.routine.id
        self._last = (due, routine_id)
        if self._notifier is None:
            self._say_elsewhere()
            return

        def sent(number: int) -> None:
            self._waiting[number] = (due, routine_id)

        self._notifier.notify(SUMMARY, body, [(START, "Start"), (SNOOZE, "Snooze")], sent)

    def start(self, routine_id: str) -> None:
        """Plays the routine in the window, brought to the front."""
        stored = self._window.routines.get(routine_id)
        if stored is not None:
            self._requests.play(stored.routine, None)

    def _chosen(self, number: int, key: str) -> None:
        waiting = self._waiting.pop(number, None)
        if waiting is None:
            return
        due, routine_id = waiting
        if key in (START, DEFAULT):
            self.start(routine_id)
        elif key == SNOOZE:
            self._schedule.snooze(due)

    def _say_elsewhere(self) -> None:
        """No notification service: the tray's message, else the status bar."""
        if self._last is None:
            return
        stored = self._window.routines.get(self._last[1])
        body = self.text(stored) if stored is not None else ""
        if self._tray is not None and self._tray.isVisible():
            self._tray.showMessage(SUMMARY, body)
        else:
            self._window.statusBar().showMessage(f"{SUMMARY}: {body}")

    def _tray_clicked(self) -> None:
        if self._last is not None:
            self.start(self._last[1])
