"""A D-Bus session bus of the test's own (a private dbus-daemon), and the
desktop's services on it played by tests/desktop_services.py: the machine's own
bus is never used.

The services run in a process of their own, as the desktop's do: a call from a
thread of the test's process to a service on its GUI thread timed out in
PySide6 6.11 (async calls from the GUI thread were answered).
"""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
import threading
from pathlib import Path

from PySide6.QtDBus import QDBusConnection
from pytestqt.qtbot import QtBot

_names = itertools.count()
SERVICES = Path(__file__).with_name("desktop_services.py")


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


class DesktopService:
    """A stand-in for the screen saver or the portal, in a process of its own.

    Args:
        qtbot: Waits for the service to be on the bus.
        bus: The private bus.
        which: "screensaver" or "portal".
        path: The screen saver's object path.

    Attributes:
        events: What the service printed, as dicts, in order (filled from a
            thread of its own).
    """

    def __init__(self, qtbot: QtBot, bus: PrivateBus, which: str, *path: str) -> None:
        self.events: list[dict[str, object]] = []
        self.process = subprocess.Popen(
            [sys.executable, str(SERVICES), bus.address, which, *path],
            stdout=subprocess.PIPE,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        qtbot.waitUntil(lambda: bool(self.events), timeout=20_000)
        assert "ready" in self.events[0], self.events

    @property
    def calls(self) -> list[dict[str, object]]:
        return [event for event in self.events if "call" in event]

    @property
    def active(self) -> set[object]:
        """The screen saver's cookies held: inhibited and neither uninhibited nor
        dropped with their caller."""
        held: dict[object, object] = {}
        for event in list(self.events):
            if event.get("call") == "Inhibit" and "cookie" in event:
                held[event["cookie"]] = event["sender"]
            elif event.get("call") == "UnInhibit":
                held.pop(event["cookie"], None)
            elif "gone" in event:
                held = {c: s for c, s in held.items() if s != event["gone"]}
        return set(held)

    def close(self) -> None:
        self.process.kill()
        self.process.wait()
        self._reader.join(5)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.events.append(json.loads(line))
