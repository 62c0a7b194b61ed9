"""Reminders in the window: said as a notification with Start and Snooze (over a
private bus, a stand-in server pressing the button), set in Preferences, and
Limber started at login."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from app import APP_ID
from app.application.notifications import Notifier
from app.application.reminder_schedule import ReminderSchedule
from app.desktop_entry import autostart_file, autostarts
from app.domain.player import PlayerState
from app.domain.reminders import Due, Reminder
from app.storage.settings import Settings
from app.ui.main_window import MainWindow
from app.ui.reminder_notices import ReminderNotices
from tests.private_bus import DesktopService, PrivateBus

BERLIN = ZoneInfo("Europe/Berlin")
MINI = "thoracic-spine-mini-routine"


def test_start_on_the_notification_plays_the_reminders_routine(
    qtbot: QtBot,
    window: MainWindow,
    private_bus: PrivateBus,
    desktop_service: Callable[..., DesktopService],
) -> None:
    server = desktop_service("notifications", "start")
    notifier = Notifier(private_bus.connect(), APP_ID)
    schedule = ReminderSchedule(
        window.settings, (), lambda: datetime(2026, 11, 23, 7, tzinfo=BERLIN)
    )
    ReminderNotices(window, schedule, notifier)
    reminder = Reminder(frozenset(range(7)), 7, 30, MINI)
    try:
        schedule.due.emit(Due(datetime(2026, 11, 23, 7, 30, tzinfo=BERLIN), reminder, 0))
        qtbot.waitUntil(lambda: window.controller.player is not None, timeout=10_000)
    finally:
        notifier.close()
    call = server.calls[0]
    assert call["summary"] == "Time to warm up"
    assert call["body"] == "Thoracic Spine Mini-Routine, 4:50"
    assert call["actions"] == ["start", "Start", "snooze", "Snooze"]
    player = window.controller.player
    assert player is not None and player.plan.routine_id == MINI
    assert player.state is PlayerState.RUNNING


def test_the_suggested_routine_is_the_one_played_last(window: MainWindow) -> None:
    notices = ReminderNotices(window, ReminderSchedule(window.settings), None)
    first = notices.routine_for(None)
    assert first is not None  # nothing played yet: the first in the library
    assert first.routine.id == window.routines.routines[0].routine.id


def test_reminders_are_added_and_removed_in_preferences(
    window: MainWindow, settings: Settings
) -> None:
    window.preferences_action.trigger()
    dialog = window.preferences
    assert dialog is not None
    dialog.days.setText("mon,wed,fri")
    from PySide6.QtCore import QTime

    dialog.time.setTime(QTime(7, 30))
    dialog.add_reminder()
    assert [(sorted(r.days), r.hour, r.minute) for r in settings.reminders] == [([0, 2, 4], 7, 30)]
    assert dialog.reminders.count() == 1
    dialog.days.setText("someday")
    dialog.add_reminder()
    assert dialog.reminder_problem.text() and len(settings.reminders) == 1
    dialog.reminders.setCurrentRow(0)
    dialog.remove_reminder()
    assert settings.reminders == []


def test_start_at_login_writes_and_removes_the_autostart_entry(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    window.preferences_action.trigger()
    dialog = window.preferences
    assert dialog is not None and not dialog.autostart.isChecked()
    dialog.autostart.setChecked(True)
    entry = autostart_file()
    assert entry == tmp_path / "config" / "autostart" / f"{APP_ID}.desktop"
    text = entry.read_text()
    assert "--background" in next(line for line in text.splitlines() if line.startswith("Exec="))
    assert autostarts()
    dialog.autostart.setChecked(False)
    assert not entry.exists() and not autostarts()


def test_on_macos_start_at_login_is_a_launch_agent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import plistlib
    import sys

    from app.desktop_entry import set_autostart

    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.setenv("HOME", str(tmp_path))
    written = set_autostart(True, ("/Applications/Limber.app/Contents/MacOS/limber",))
    assert written == tmp_path / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
    agent = plistlib.loads(written.read_bytes())
    assert agent["ProgramArguments"][-1] == "--background" and agent["RunAtLoad"] is True
    assert autostarts()
    set_autostart(False)
    assert not written.exists()


def test_a_reminder_missed_asleep_comes_when_the_login_manager_says_the_computer_woke(
    qtbot: QtBot, tmp_path: Path, private_bus: PrivateBus
) -> None:
    from PySide6.QtDBus import QDBusMessage

    from app.application.reminder_schedule import (
        LOGIN,
        LOGIN_MANAGER,
        LOGIN_PATH,
        WakeWatcher,
    )

    login = private_bus.connect()  # the login manager, on the bus standing for the system's
    assert login.registerService(LOGIN)
    woken: list[bool] = []
    watcher = WakeWatcher(private_bus.connect(), lambda: woken.append(True))
    assert watcher.watching
    for going in (True, False):  # to sleep, then awake
        signal = QDBusMessage.createSignal(LOGIN_PATH, LOGIN_MANAGER, "PrepareForSleep")
        signal.setArguments([going])
        login.send(signal)
    qtbot.waitUntil(lambda: bool(woken), timeout=10_000)
    assert woken == [True]
