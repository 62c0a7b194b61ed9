"""Desktop notifications with buttons: `org.freedesktop.Notifications` on the
session bus (Linux), for the reminders' "Time to warm up" with Start and Snooze.

Notify's replaces-id is a uint32, which PySide6 sends only through a
QDBusInterface's typed meta-call, and that call waits for its reply: the calls
run on a thread of their own, so the GUI thread never waits for a slow bus. The
buttons' answers (ActionInvoked) arrive as signals on the main thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, SLOT, QMetaObject, QObject, Qt, Signal, Slot
from PySide6.QtDBus import QDBusConnection, QDBusInterface

from app.application.call_thread import CallThread

SERVICE = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
INTERFACE = SERVICE
APP_NAME = "Limber"
# How long a call waits for its reply.
CALL_MS = 5000
# The server's own default for how long a notification shows.
SERVER_DEFAULT = -1


class Notifier(QObject):
    """Sends notifications with actions and says which action was chosen.

    Args:
        bus: The session bus.
        icon: The icon's name (the app id: the desktop finds it among its icons).
        parent: The owning QObject.

    Signals:
        chosen(int, str): the notification's id and the key of the action chosen.
        failed(str): a notification could not be sent, and why.
    """

    chosen = Signal(int, str)
    failed = Signal(str)
    _sent = Signal(int, object)  # from the sending thread: the id, and who wants it

    def __init__(self, bus: QDBusConnection, icon: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bus = bus
        self._icon = icon
        self._calls = CallThread("limber-notify")
        self._sent.connect(self._deliver, Qt.ConnectionType.QueuedConnection)
        # A typed slot signature, so that the uint id arrives as an int. PySide6
        # takes it as the str SLOT makes, where its stubs say bytes.
        slot: Any = SLOT("_invoked(uint,QString)")
        bus.connect(SERVICE, PATH, INTERFACE, "ActionInvoked", self, slot)

    def notify(
        self,
        summary: str,
        body: str,
        actions: list[tuple[str, str]],
        then: Callable[[int], None] | None = None,
    ) -> None:
        """Shows a notification (plain text) with `actions` (key, label); `then` is
        told its id on the main thread, once the server has answered."""
        flat = [part for key, label in actions for part in (key, label)]

        def send() -> None:
            server = QDBusInterface(SERVICE, PATH, INTERFACE, self._bus)
            if not server.isValid():
                self.failed.emit("no notification service on the session bus")
                return
            server.setTimeout(CALL_MS)
            number = QMetaObject.invokeMethod(
                server,
                "Notify",
                Q_RETURN_ARG("uint"),
                Q_ARG("QString", APP_NAME),
                Q_ARG("uint", 0),
                Q_ARG("QString", self._icon),
                Q_ARG("QString", summary),
                Q_ARG("QString", body),
                Q_ARG("QStringList", flat),
                Q_ARG("QVariantMap", {}),
                Q_ARG("int", SERVER_DEFAULT),
            )
            if isinstance(number, int) and number > 0:
                self._sent.emit(number, then)
            else:
                self.failed.emit("the notification service did not answer")

        self._calls.submit(send)

    def close(self, timeout: float = 2.0) -> None:
        """Ends the sending thread (after what it is sending)."""
        self._calls.close(timeout=timeout)

    @Slot("uint", str)
    def _invoked(self, number: int, key: str) -> None:
        self.chosen.emit(int(number), key)

    def _deliver(self, number: int, then: object) -> None:
        if callable(then):
            then(number)
