"""Keeping the screen on and the computer awake while a routine plays: the
person is on the floor, not at the keyboard, and a dark screen or a sleeping
computer would stop the cues. Paused, ended or stopped, the system may sleep again.

Linux asks over the session bus (app/application/dbus_inhibit.py). Windows sets
the GUI thread's execution state, which Windows drops with the thread. macOS
runs `caffeinate -d -i -w <Limber's pid>`, which also ends when Limber does,
however it ends.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtDBus import QDBusConnection

from app.application.dbus_inhibit import DBusInhibitor

NO_WAY = "The screen may go dark during a routine: nothing here can keep it on"
# SetThreadExecutionState's flags (winbase.h).
ES_CONTINUOUS = 0x80000000
ES_SYSTEM_REQUIRED = 0x00000001
ES_DISPLAY_REQUIRED = 0x00000002


class Inhibitor(Protocol):
    """A way to keep the screen on, one hold at a time."""

    def hold(self) -> None:
        """Keeps the screen on and the computer awake."""

    def release(self) -> None:
        """Lets them sleep again."""

    def close(self) -> None:
        """Releases what is held, for good."""


class StayAwake(QObject):
    """Keeps the screen on while a routine plays, as its player says.

    Args:
        bus: The session bus, where Linux is asked; None where there is none.
        parent: The owning QObject.

    Signals:
        unavailable(str): the screen could not be kept on, and why; said once.
    """

    unavailable = Signal(str)
    _failed = Signal(str)

    def __init__(self, bus: QDBusConnection | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._held = False
        self._said = False
        # An inhibitor reports from its own thread.
        self._failed.connect(self._say, Qt.ConnectionType.QueuedConnection)
        self._inhibitor = platform_inhibitor(bus, self._failed.emit)

    def follow(self, playing: bool) -> None:
        """Holds while `playing`, releases when not."""
        if playing == self._held:
            return
        self._held = playing
        if self._inhibitor is None:
            if playing:
                self._say(f"{NO_WAY}: no D-Bus session bus to ask the screen saver")
        elif playing:
            self._inhibitor.hold()
        else:
            self._inhibitor.release()

    def close(self) -> None:
        """Releases the screen for good (at exit)."""
        self._held = False
        if self._inhibitor is not None:
            self._inhibitor.close()

    def _say(self, why: str) -> None:
        if not self._said:
            self._said = True
            self.unavailable.emit(why)


def platform_inhibitor(
    bus: QDBusConnection | None, report: Callable[[str], None]
) -> Inhibitor | None:
    """This system's way to keep the screen on, or None when it has none.

    Args:
        bus: The session bus, if there is one.
        report: Told why a hold failed (from any thread).
    """
    if sys.platform == "win32":
        return ExecutionState(report)
    if sys.platform == "darwin":
        return Caffeinate(report)
    if bus is not None:
        return DBusInhibitor(bus, report)
    return None


class ExecutionState:
    """Windows: the GUI thread's execution state requires the display and the system.

    Args:
        report: Told when Windows refuses.
        set_state: SetThreadExecutionState (tests give a stand-in).
    """

    def __init__(
        self, report: Callable[[str], None], set_state: Callable[[int], int] | None = None
    ) -> None:
        self._report = report
        self._set_state = set_state or _set_thread_execution_state()

    def hold(self) -> None:
        if not self._set_state(ES_CONTINUOUS | ES_SYSTEM_REQUIRED | ES_DISPLAY_REQUIRED):
            self._report(f"{NO_WAY}: Windows refused")

    def release(self) -> None:
        self._set_state(ES_CONTINUOUS)

    def close(self) -> None:
        self.release()


def _set_thread_execution_state() -> Callable[[int], int]:
    if sys.platform != "win32":
        raise OSError("SetThreadExecutionState is Windows's")
    import ctypes

    function = ctypes.windll.kernel32.SetThreadExecutionState
    # ES_CONTINUOUS does not fit ctypes's default int.
    function.argtypes = [ctypes.c_uint32]
    function.restype = ctypes.c_uint32
    return function


class Caffeinate:
    """macOS: `caffeinate` keeps the display and the system awake while it runs.

    Args:
        report: Told when caffeinate cannot be run.
        program: The caffeinate to run (tests give a stand-in).
    """

    def __init__(self, report: Callable[[str], None], program: str = "caffeinate") -> None:
        self._report = report
        self._program = program
        self._process: subprocess.Popen[bytes] | None = None

    def hold(self) -> None:
        if self._process is not None:
            return
        try:
            # -w: it ends with Limber, even a Limber that crashed.
            self._process = subprocess.Popen(
                [self._program, "-d", "-i", "-w", str(os.getpid())],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except OSError as exc:
            self._report(f"{NO_WAY}: caffeinate could not be run ({exc.strerror})")

    def release(self) -> None:
        process, self._process = self._process, None
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=1)
            except subprocess.TimeoutExpired:
                process.kill()

    def close(self) -> None:
        self.release()
