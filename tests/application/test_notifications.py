"""Notifications with buttons over a private session bus, against a stand-in server."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from app import APP_ID
from app.application.notifications import Notifier
from tests.private_bus import DesktopService, PrivateBus


def test_a_notification_goes_with_its_buttons_and_the_one_pressed_comes_back(
    qtbot: QtBot, private_bus: PrivateBus, desktop_service: Callable[..., DesktopService]
) -> None:
    server = desktop_service("notifications", "start")  # presses Start at once
    notifier = Notifier(private_bus.connect(), APP_ID)
    chosen: list[tuple[int, str]] = []
    sent: list[int] = []
    notifier.chosen.connect(lambda number, key: chosen.append((number, key)))
    try:
        notifier.notify(
            "Time to warm up",
            "Thoracic Spine Mini-Routine, 4:50",
            [("start", "Start"), ("snooze", "Snooze")],
            sent.append,
        )
        qtbot.waitUntil(lambda: bool(chosen), timeout=10_000)
    finally:
        notifier.close()
    call = server.calls[0]
    assert (call["app"], call["icon"], call["summary"]) == ("Limber", APP_ID, "Time to warm up")
    assert call["actions"] == ["start", "Start", "snooze", "Snooze"]
    assert sent == [call["id"]] and chosen == [(call["id"], "start")]


def test_without_a_server_it_says_so(qtbot: QtBot, private_bus: PrivateBus) -> None:
    notifier = Notifier(private_bus.connect(), APP_ID)
    failures: list[str] = []
    notifier.failed.connect(failures.append)
    try:
        notifier.notify("Time to warm up", "", [])
        qtbot.waitUntil(lambda: bool(failures), timeout=10_000)
    finally:
        notifier.close()
    assert failures == ["no notification service on the session bus"]
