"""When the reminders come: a single-shot timer to the next one (no timer at all
while none is set), moved whenever the reminders, the log or the clock change.

A computer asleep does not run timers, and on waking the timer would still wait
out the time it had left: the session bus's login manager says when the computer
woke (`PrepareForSleep(false)`), and a reminder missed while it slept comes then,
once, if its day is not over (`app.domain.reminders.missed`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta
from typing import Any

from PySide6.QtCore import SLOT, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtDBus import QDBusConnection

from app.domain.clock import local_zone
from app.domain.history_stats import counts_as_warm_up, session_day, warm_up_days
from app.domain.reminders import Due, missed, next_due
from app.domain.session import SessionRecord
from app.storage.settings import Settings

LOGIN = "org.freedesktop.login1"
LOGIN_PATH = "/org/freedesktop/login1"
LOGIN_MANAGER = "org.freedesktop.login1.Manager"
# Qt's timers take a 32-bit count of milliseconds (about 24 days).
LONGEST_MS = 2**31 - 1
# A timer may fire a moment before its time (qutebrowser logs early ones).
EARLY = timedelta(seconds=1)


def local_now() -> datetime:
    """Now, in the computer's time zone as it is now (it may change while Limber
    runs), with its rules for changing the clocks."""
    return datetime.now(local_zone())


class ReminderSchedule(QObject):
    """Says when a reminder is due, on a day with no warm-up logged yet.

    Args:
        settings: Where the reminders (and the day they are paused on) are kept.
        sessions: The sessions logged so far (`set_sessions` gives later ones).
        now: The wall clock, aware, in the local zone (tests give a fake one).
        parent: The owning QObject.

    Signals:
        due(Due): a reminder's moment came (or came while the computer slept).
    """

    due = Signal(object)

    def __init__(
        self,
        settings: Settings,
        sessions: Iterable[SessionRecord] = (),
        now: Callable[[], datetime] = local_now,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self._now = now
        self._warm_days: set[date] = set()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._timer.timeout.connect(self._fire)
        self.next: Due | None = None
        self._looked = now()  # when the schedule last looked at the clock
        self._snoozed = QTimer(self)
        self._snoozed.setSingleShot(True)
        self._snoozed.timeout.connect(self._snooze_over)
        self._snoozed_due: Due | None = None
        self.set_sessions(sessions)
        settings.on_change(self.reschedule)

    @property
    def waiting(self) -> bool:
        """Whether a timer waits for the next reminder."""
        return self._timer.isActive()

    def set_sessions(self, sessions: Iterable[SessionRecord]) -> None:
        """The days warmed up on are those of these sessions."""
        self._warm_days = warm_up_days(sessions)
        self.reschedule()

    def add_session(self, session: SessionRecord) -> None:
        """A session was logged: a warm-up today lets today's reminders go."""
        if counts_as_warm_up(session):
            self._warm_days.add(session_day(session))
            self.reschedule()

    def reschedule(self) -> None:
        """Sets the timer to the next reminder from now (or stops it: none is due)."""
        now = self._now()
        self._looked = now
        self.next = next_due(
            self.settings.reminders,
            now,
            warmed_up=self._warm_days.__contains__,
            paused_on=self.settings.reminders_paused_on,
        )
        self._arm(now)

    def woke(self) -> None:
        """The computer woke up: a reminder missed while it slept comes now, once."""
        now = self._now()
        late = missed(
            self.settings.reminders,
            self._looked,
            now,
            warmed_up=self._warm_days.__contains__,
            paused_on=self.settings.reminders_paused_on,
        )
        self.reschedule()
        if late is not None:
            self.due.emit(late)

    def snooze(self, due: Due, minutes: int = 10) -> None:
        """Says `due` again in `minutes` (unless a warm-up is logged meanwhile)."""
        self._snoozed_due = due
        self._snoozed.start(minutes * 60_000)

    def pause_today(self) -> None:
        """No more reminders today."""
        self.settings.reminders_paused_on = self._now().date()

    def _fire(self) -> None:
        due, now = self.next, self._now()
        if due is None:
            return
        if now < due.at - EARLY:  # the clock was set back, or the zone changed
            self.reschedule()
            return
        self._looked = now
        if now.date() == due.at.date() and due.at.date() not in self._warm_days:
            self.due.emit(due)
        # The next one is after this one, even if the timer fired a moment early.
        self._looked = max(now, due.at)
        self.next = next_due(
            self.settings.reminders,
            max(now, due.at),
            warmed_up=self._warm_days.__contains__,
            paused_on=self.settings.reminders_paused_on,
        )
        self._arm(now)

    def _arm(self, now: datetime) -> None:
        """Sets the timer to `next` (or stops it: nothing is due)."""
        if self.next is None:
            self._timer.stop()
            return
        wait = (self.next.at - now).total_seconds() * 1000
        self._timer.start(max(0, min(LONGEST_MS, math.ceil(wait))))

    def _snooze_over(self) -> None:
        due, self._snoozed_due = self._snoozed_due, None
        today = self._now().date()
        if due is not None and today not in self._warm_days:
            self.due.emit(due)


class WakeWatcher(QObject):
    """Calls `woke` when the login manager says the computer woke from sleep.

    Args:
        bus: The system bus (where org.freedesktop.login1 is), or None.
        woke: What to call.
        parent: The owning QObject.
    """

    def __init__(
        self, bus: QDBusConnection | None, woke: Callable[[], None], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._woke = woke
        self.watching = False
        if bus is not None and bus.isConnected():
            # A typed slot signature; PySide6 takes the str SLOT makes.
            slot: Any = SLOT("_sleeping(bool)")
            self.watching = bus.connect(
                LOGIN, LOGIN_PATH, LOGIN_MANAGER, "PrepareForSleep", self, slot
            )

    @Slot(bool)
    def _sleeping(self, going: bool) -> None:
        if not going:
            self._woke()
