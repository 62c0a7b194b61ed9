"""Stand-ins for the desktop's org.freedesktop.ScreenSaver, portal Inhibit and
Notifications, run as a process of their own on a test's private bus, as the
desktop's are:

    python tests/desktop_services.py ADDRESS screensaver [PATH] | portal
    python tests/desktop_services.py ADDRESS notifications [KEY]

The notification server records each Notify ({"call": "Notify", ...}) and, given
KEY, answers it at once as a person pressing that button would (ActionInvoked).

Each call is printed as a line of JSON: {"ready": ...} once the name is
taken, then {"call": "Inhibit", ...}, {"call": "UnInhibit", "cookie": ...},
{"call": "Close", "path": ...}, and {"gone": NAME} when a caller's name left the
bus, which drops its inhibits, as KDE's and GNOME's screen savers do.
"""

from __future__ import annotations

import itertools
import json
import sys

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot
from PySide6.QtDBus import (
    QDBusAbstractAdaptor,
    QDBusConnection,
    QDBusMessage,
    QDBusObjectPath,
    QDBusServiceWatcher,
)

from app.application.session_bus import dbus_interface

EXPORT = QDBusConnection.RegisterOption.ExportAdaptors


def say(**event: object) -> None:
    print(json.dumps(event), flush=True)


@dbus_interface("org.freedesktop.ScreenSaver")
class ScreenSaver(QDBusAbstractAdaptor):
    def __init__(self, parent: QObject, bus: QDBusConnection) -> None:
        super().__init__(parent)
        self._cookies = itertools.count(41)
        self._watcher = QDBusServiceWatcher(
            "", bus, QDBusServiceWatcher.WatchModeFlag.WatchForUnregistration, self
        )
        self._watcher.serviceUnregistered.connect(lambda name: say(gone=name))

    @Slot(str, str, QDBusMessage, result="uint")
    def Inhibit(self, app: str, reason: str, message: QDBusMessage) -> int:
        cookie = next(self._cookies)
        self._watcher.addWatchedService(message.service())
        say(call="Inhibit", app=app, reason=reason, cookie=cookie, sender=message.service())
        return cookie

    # Typed as the services have it: an int32 cookie finds no such method.
    @Slot("uint")
    def UnInhibit(self, cookie: int) -> None:
        say(call="UnInhibit", cookie=cookie)


@dbus_interface("org.freedesktop.portal.Request")
class Request(QDBusAbstractAdaptor):
    def __init__(self, parent: QObject, path: str) -> None:
        super().__init__(parent)
        self._path = path

    @Slot()
    def Close(self) -> None:
        say(call="Close", path=self._path)


@dbus_interface("org.freedesktop.portal.Inhibit")
class Portal(QDBusAbstractAdaptor):
    def __init__(self, parent: QObject, bus: QDBusConnection) -> None:
        super().__init__(parent)
        self._bus = bus
        self._tokens = itertools.count(1)
        self._requests: list[QObject] = []

    @Slot(str, "uint", "QVariantMap", QDBusMessage, result=QDBusObjectPath)
    def Inhibit(
        self, window: str, flags: int, options: dict[str, object], message: QDBusMessage
    ) -> QDBusObjectPath:
        caller = message.service().removeprefix(":").replace(".", "_")
        path = f"/org/freedesktop/portal/desktop/request/{caller}/limber{next(self._tokens)}"
        request = QObject()
        Request(request, path)
        self._requests.append(request)
        self._bus.registerObject(path, request, EXPORT)
        say(call="Inhibit", window=window, flags=flags, options=options, path=path)
        return QDBusObjectPath(path)


@dbus_interface("org.freedesktop.Notifications")
class Notifications(QDBusAbstractAdaptor):
    ActionInvoked = Signal("uint", str)

    def __init__(self, parent: QObject, press: str) -> None:
        super().__init__(parent)
        self._numbers = itertools.count(7)
        self._press = press

    @Slot(str, "uint", str, str, str, "QStringList", "QVariantMap", int, result="uint")
    def Notify(  # noqa: PLR0917 - the D-Bus method's arguments
        self,
        app: str,
        replaces: int,
        icon: str,
        summary: str,
        body: str,
        actions: list[str],
        hints: dict[str, object],
        timeout: int,
    ) -> int:
        number = next(self._numbers)
        say(call="Notify", id=number, app=app, icon=icon, summary=summary, body=body,
            actions=list(actions))  # fmt: skip
        if self._press:
            QTimer.singleShot(100, lambda: self.ActionInvoked.emit(number, self._press))
        return number

    @Slot(result="QStringList")
    def GetCapabilities(self) -> list[str]:
        return ["actions", "body"]


def main(address: str, service: str, path: str = "/org/freedesktop/ScreenSaver") -> None:
    app = QCoreApplication([])
    bus = QDBusConnection.connectToBus(address, "desktop")
    root = QObject()
    if service == "screensaver":
        ScreenSaver(root, bus)
        name = "org.freedesktop.ScreenSaver"
    elif service == "notifications":
        Notifications(root, press=path if path.isidentifier() else "")
        name, path = "org.freedesktop.Notifications", "/org/freedesktop/Notifications"
    else:
        Portal(root, bus)
        name, path = "org.freedesktop.portal.Desktop", "/org/freedesktop/portal/desktop"
    assert bus.registerObject(path, root, EXPORT) and bus.registerService(name)
    say(ready=name)
    app.exec()


if __name__ == "__main__":
    main(*sys.argv[1:])
