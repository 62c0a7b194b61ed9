"""The desktop's session bus, where Limber is a media player (MPRIS) and asks the
screen to stay on; off Linux, or with no session bus, there is none and both are
off. And the one way this package names the D-Bus interface of an adaptor."""

from __future__ import annotations

import os
import sys
from typing import Any

from PySide6.QtCore import ClassInfo
from PySide6.QtDBus import QDBusConnection

SESSION_BUS_ENV = "DBUS_SESSION_BUS_ADDRESS"


def session_bus() -> QDBusConnection | None:
    """The session bus, connected; None off Linux or when there is none.

    Without DBUS_SESSION_BUS_ADDRESS, libdbus would try to start a bus of its own
    (X11 autolaunch): a desktop session always sets it, so its absence means none.
    """
    if not sys.platform.startswith("linux") or not os.environ.get(SESSION_BUS_ENV):
        return None
    bus = QDBusConnection.sessionBus()
    return bus if bus.isConnected() else None


def dbus_interface(name: str) -> Any:
    """The class decorator naming the D-Bus interface a QDBusAbstractAdaptor
    serves (PySide6's stubs know ClassInfo neither as taking this key nor as a
    decorator)."""
    info: Any = ClassInfo
    return info(**{"D-Bus Interface": name})
