"""Keeping the screen on through the session bus (Linux): the screen saver's
`org.freedesktop.ScreenSaver.Inhibit`, or, where no screen saver service answers
(a Flatpak sandbox, some desktops), the desktop portal's
`org.freedesktop.portal.Inhibit`, which also keeps the computer from suspending.

Crash safety: both services tie an inhibit to the D-Bus connection that asked
for it and drop it once that connection's name leaves the bus, which the bus
makes happen when a killed Limber's socket closes. A crash cannot leave the
screen on.

The calls run one after another on a thread of their own, where they may wait
for their replies: the GUI thread never waits for a slow bus. They must be able
to wait: UnInhibit's cookie and the portal's flags are uint32s, which PySide6
sends only through a QDBusInterface's typed meta-call (a Python int goes as an
int32, which both services refuse), and that call blocks until the reply comes.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Q_ARG, Q_RETURN_ARG, QMetaObject
from PySide6.QtDBus import QDBus, QDBusConnection, QDBusInterface, QDBusMessage, QDBusObjectPath

from app.application.call_thread import CallThread, Job

SCREENSAVER = "org.freedesktop.ScreenSaver"
# KDE answers on both paths, others on the first only.
SCREENSAVER_PATHS = ("/org/freedesktop/ScreenSaver", "/ScreenSaver")
PORTAL = "org.freedesktop.portal.Desktop"
PORTAL_PATH = "/org/freedesktop/portal/desktop"
PORTAL_INHIBIT = "org.freedesktop.portal.Inhibit"
PORTAL_REQUEST = "org.freedesktop.portal.Request"
PORTAL_SUSPEND = 4
PORTAL_IDLE = 8
APP_NAME = "Limber"
REASON = "A routine is playing"
# How long a call waits for its reply before it is given up.
CALL_MS = 5000
NOTHING_ANSWERED = (
    "The screen may go dark during a routine: neither the screen saver nor the "
    "desktop portal agreed to keep it on"
)


class DBusInhibitor:
    """Holds and releases one inhibit at a time, on a thread of its own.

    Args:
        bus: The session bus.
        report: Told (on the inhibitor's thread) why the screen could not be kept
            on, each time a hold fails.
    """

    def __init__(self, bus: QDBusConnection, report: Callable[[str], None]) -> None:
        self._bus = bus
        self._report = report
        self._calls = CallThread("limber-inhibit")
        self._undo: Job | None = None  # on the inhibitor's thread only

    def hold(self) -> None:
        """Asks for the screen to stay on; returns at once."""
        self._calls.submit(self._hold)

    def release(self) -> None:
        """Lets the screen sleep again; returns at once."""
        self._calls.submit(self._release)

    def close(self, timeout: float = 2.0) -> None:
        """Releases what is held and ends the thread, waiting up to `timeout` seconds."""
        self._calls.close(self._release, timeout)

    def _hold(self) -> None:
        if self._undo is None:
            self._undo = self._screensaver() or self._portal()
            if self._undo is None:
                self._report(NOTHING_ANSWERED)

    def _release(self) -> None:
        undo, self._undo = self._undo, None
        if undo is not None:
            undo()

    def _screensaver(self) -> Job | None:
        for path in SCREENSAVER_PATHS:
            screensaver = QDBusInterface(SCREENSAVER, path, SCREENSAVER, self._bus)
            if not screensaver.isValid():
                return None  # no such service: the other path is no better
            screensaver.setTimeout(CALL_MS)
            reply = screensaver.call("Inhibit", APP_NAME, REASON)
            if reply.type() is QDBusMessage.MessageType.ReplyMessage:
                return _uninhibit(screensaver, int(reply.arguments()[0]))
        return None

    def _portal(self) -> Job | None:
        portal = QDBusInterface(PORTAL, PORTAL_PATH, PORTAL_INHIBIT, self._bus)
        if not portal.isValid():
            return None
        portal.setTimeout(CALL_MS)
        handle = QMetaObject.invokeMethod(
            portal,
            "Inhibit",
            Q_RETURN_ARG("QDBusObjectPath"),
            Q_ARG("QString", ""),  # no window to name: Limber's are not exported
            Q_ARG("uint", PORTAL_SUSPEND | PORTAL_IDLE),
            Q_ARG("QVariantMap", {"reason": REASON}),
        )
        if not isinstance(handle, QDBusObjectPath) or not handle.path():
            return None
        request = handle.path()

        def close() -> None:
            message = QDBusMessage.createMethodCall(PORTAL, request, PORTAL_REQUEST, "Close")
            self._bus.call(message, QDBus.CallMode.Block, CALL_MS)

        return close


def _uninhibit(screensaver: QDBusInterface, cookie: int) -> Job:
    def uninhibit() -> None:
        QMetaObject.invokeMethod(screensaver, "UnInhibit", Q_ARG("uint", cookie))

    return uninhibit
