"""A D-Bus session bus of the test's own (a private dbus-daemon), and stand-ins
for the desktop's services on it: the machine's own bus is never used.

The stand-ins live in the test's process, on connections of their own, and
answer as the GUI thread's event loop turns: a test waits with qtbot (never a
blocking call on that thread) while they are asked something.
"""

from __future__ import annotations

import itertools
import subprocess
from typing import Any

from PySide6.QtCore import ClassInfo, QObject, Slot
from PySide6.QtDBus import (
    QDBusAbstractAdaptor,
    QDBusConnection,
    QDBusMessage,
    QDBusObjectPath,
    QDBusServiceWatcher,
)
from pytestqt.qtbot import QtBot

_names = itertools.count()
EXPORT = QDBusConnection.RegisterOption.ExportAdaptors


class PrivateBus:
    """A dbus-daemon of the test's own, and connections to it."""

    def __init__(self) -> None:
        self.daemon = subprocess.Popen(
            ["dbus-daemon", "--session", "--nofork", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # it cannot raise its fd limit here, and says so
            text=True,
        )
        assert self.daemon.stdout is not None
        self.address = self.daemon.stdout.readline().strip()
        assert self.address, "dbus-daemon printed no address"
        self._names: list[str] = []

    def connect(self) -> QDBusConnection:
        """A new connection to the bus (a client or a service of its own)."""
        name = f"limber-test-{next(_names)}"
        bus = QDBusConnection.connectToBus(self.address, name)
        assert bus.isConnected(), bus.lastError().message()
        self._names.append(name)
        return bus

    def send(self, qtbot: QtBot, destination: str, path: str, method: str, *args: str) -> str:
        """Calls `method` with dbus-send and returns its printed reply; the event
        loop turns meanwhile, so objects of this process can answer."""
        sent = subprocess.Popen(
            [
                "dbus-send",
                f"--bus={self.address}",
                "--print-reply",
                f"--dest={destination}",
                path,
                method,
                *args,
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        qtbot.waitUntil(lambda: sent.poll() is not None, timeout=10_000)
        out = sent.communicate()[0]
        assert sent.returncode == 0, out
        return out

    def close(self) -> None:
        for name in self._names:
            QDBusConnection.disconnectFromBus(name)
        self.daemon.kill()
        self.daemon.wait()
        if self.daemon.stdout is not None:
            self.daemon.stdout.close()


def _interface(name: str) -> Any:
    info: Any = ClassInfo
    return info(**{"D-Bus Interface": name})


@_interface("org.freedesktop.ScreenSaver")
class _ScreenSaverAdaptor(QDBusAbstractAdaptor):
    def __init__(self, service: ScreenSaverStandIn) -> None:
        super().__init__(service)
        self._service = service

    @Slot(str, str, QDBusMessage, result="uint")
    def Inhibit(self, app: str, reason: str, message: QDBusMessage) -> int:
        return self._service.inhibit(message.service(), app, reason)

    # Typed as the service has it: an int32 cookie would find no such method.
    @Slot("uint")
    def UnInhibit(self, cookie: int) -> None:
        self._service.uninhibit(cookie)


class ScreenSaverStandIn(QObject):
    """org.freedesktop.ScreenSaver as KDE's and GNOME's answer it: a cookie per
    Inhibit, and a caller's inhibits dropped when its name leaves the bus.

    Attributes:
        calls: ("Inhibit", app, reason) and ("UnInhibit", cookie), in order.
        active: The inhibits held, cookie to the caller's unique name.
    """

    def __init__(self, bus: QDBusConnection, path: str = "/org/freedesktop/ScreenSaver") -> None:
        super().__init__()
        self.calls: list[tuple[object, ...]] = []
        self.active: dict[int, str] = {}
        self._cookies = itertools.count(41)
        self._adaptor = _ScreenSaverAdaptor(self)
        self._watcher = QDBusServiceWatcher(
            "", bus, QDBusServiceWatcher.WatchModeFlag.WatchForUnregistration, self
        )
        self._watcher.serviceUnregistered.connect(self._gone)
        assert bus.registerObject(path, self, EXPORT)
        assert bus.registerService("org.freedesktop.ScreenSaver")

    def inhibit(self, sender: str, app: str, reason: str) -> int:
        cookie = next(self._cookies)
        self.calls.append(("Inhibit", app, reason))
        self.active[cookie] = sender
        self._watcher.addWatchedService(sender)
        return cookie

    def uninhibit(self, cookie: int) -> None:
        self.calls.append(("UnInhibit", cookie))
        self.active.pop(cookie, None)

    def _gone(self, name: str) -> None:
        self.active = {c: sender for c, sender in self.active.items() if sender != name}


@_interface("org.freedesktop.portal.Request")
class _RequestAdaptor(QDBusAbstractAdaptor):
    def __init__(self, request: _Request) -> None:
        super().__init__(request)
        self._request = request

    @Slot()
    def Close(self) -> None:
        self._request.portal.closed.append(self._request.path)


class _Request(QObject):
    def __init__(self, portal: PortalStandIn, path: str) -> None:
        super().__init__(portal)
        self.portal = portal
        self.path = path
        _RequestAdaptor(self)


@_interface("org.freedesktop.portal.Inhibit")
class _InhibitAdaptor(QDBusAbstractAdaptor):
    def __init__(self, portal: PortalStandIn) -> None:
        super().__init__(portal)
        self._portal = portal

    @Slot(str, "uint", "QVariantMap", QDBusMessage, result=QDBusObjectPath)
    def Inhibit(
        self, window: str, flags: int, options: dict[str, object], message: QDBusMessage
    ) -> QDBusObjectPath:
        return QDBusObjectPath(self._portal.inhibit(message.service(), window, flags, options))


class PortalStandIn(QObject):
    """org.freedesktop.portal.Desktop's Inhibit: a request object per call, at
    the path the portal makes of the caller's name, closed to release.

    Attributes:
        calls: (window, flags, options) of each Inhibit.
        closed: The request paths closed.
    """

    def __init__(self, bus: QDBusConnection) -> None:
        super().__init__()
        self.calls: list[tuple[str, int, dict[str, object]]] = []
        self.closed: list[str] = []
        self._bus = bus
        self._tokens = itertools.count(1)
        _InhibitAdaptor(self)
        assert bus.registerObject("/org/freedesktop/portal/desktop", self, EXPORT)
        assert bus.registerService("org.freedesktop.portal.Desktop")

    def inhibit(self, sender: str, window: str, flags: int, options: dict[str, object]) -> str:
        self.calls.append((window, flags, options))
        caller = sender.removeprefix(":").replace(".", "_")
        path = f"/org/freedesktop/portal/desktop/request/{caller}/limber{next(self._tokens)}"
        assert self._bus.registerObject(path, _Request(self, path), EXPORT)
        return path
