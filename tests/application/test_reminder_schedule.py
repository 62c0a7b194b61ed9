"""The reminder schedule on a fake wall clock: one single-shot timer, moved as
the reminders, the log and the clock change; a reminder missed asleep comes once."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pytestqt.qtbot import QtBot

from app.application.reminder_schedule import ReminderSchedule
from app.domain.reminders import Due, Reminder
from app.domain.session import SessionRecord, SessionStatus
from app.storage.settings import Settings

BERLIN = ZoneInfo("Europe/Berlin")
DAILY = frozenset(range(7))


class WallClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def warm_up_on(day: datetime) -> SessionRecord:
    from tests.bench.synthetic import sessions

    record = sessions(1, 1, day.date(), days_off=0.0)[0][0]
    return record.with_changes(status=SessionStatus.COMPLETED)


def make(
    tmp_path: Path, now: datetime, *reminders: Reminder
) -> tuple[ReminderSchedule, WallClock, list[Due]]:
    settings = Settings(tmp_path)
    settings.reminders = list(reminders)
    clock = WallClock(now)
    schedule = ReminderSchedule(settings, (), clock)
    heard: list[Due] = []
    schedule.due.connect(heard.append)
    return schedule, clock, heard


def test_no_reminder_no_timer(tmp_path: Path) -> None:
    schedule, _, _ = make(tmp_path, datetime(2026, 11, 23, 7, 0, tzinfo=BERLIN))
    assert schedule.next is None and not schedule.waiting


def test_the_timer_waits_for_the_next_reminder_and_it_comes(qtbot: QtBot, tmp_path: Path) -> None:
    now = datetime(2026, 11, 23, 7, 29, 59, 900_000, tzinfo=BERLIN)
    schedule, clock, heard = make(tmp_path, now, Reminder(DAILY, 7, 30))
    assert schedule.waiting and schedule.next is not None
    assert schedule.next.at == datetime(2026, 11, 23, 7, 30, tzinfo=BERLIN)
    clock.now = datetime(2026, 11, 23, 7, 30, tzinfo=BERLIN)
    qtbot.waitUntil(lambda: bool(heard), timeout=2000)
    assert [due.at.hour for due in heard] == [7]
    assert schedule.next is not None and schedule.next.at.date().day == 24  # tomorrow's


def test_a_warm_up_logged_today_lets_todays_reminder_go(tmp_path: Path) -> None:
    now = datetime(2026, 11, 23, 7, 0, tzinfo=BERLIN)
    schedule, _, _ = make(tmp_path, now, Reminder(DAILY, 18, 0))
    assert schedule.next is not None and schedule.next.at.day == 23
    schedule.add_session(warm_up_on(now))
    assert schedule.next is not None and schedule.next.at.day == 24


def test_a_reminder_missed_asleep_comes_once_on_waking_and_not_from_yesterday(
    tmp_path: Path,
) -> None:
    slept = datetime(2026, 11, 23, 6, 0, tzinfo=BERLIN)
    schedule, clock, heard = make(tmp_path, slept, Reminder(DAILY, 7, 0), Reminder(DAILY, 8, 0))
    clock.now = slept + timedelta(hours=3)  # woke at 09:00: both fell meanwhile
    schedule.woke()
    assert [due.at.hour for due in heard] == [8]  # the last one, once
    schedule.woke()
    assert len(heard) == 1
    clock.now = datetime(2026, 11, 25, 9, 0, tzinfo=BERLIN)  # asleep for two days
    schedule.woke()
    assert [due.at.hour for due in heard] == [8, 8]  # today's only


def test_paused_for_today_and_a_change_of_reminders_move_the_timer(tmp_path: Path) -> None:
    now = datetime(2026, 11, 23, 7, 0, tzinfo=BERLIN)
    schedule, _, _ = make(tmp_path, now, Reminder(DAILY, 18, 0))
    schedule.pause_today()
    assert schedule.next is not None and schedule.next.at.day == 24
    schedule.settings.reminders = []
    assert schedule.next is None and not schedule.waiting
