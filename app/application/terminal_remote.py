"""`limber play --no-window` as a media player: MPRIS on the session bus and the
screen kept on while the routine plays, as in the window.

QtDBus answers the bus only while the main thread runs Qt's event loop, so here
the terminal's loop runs on a thread of its own and the main thread runs Qt's.
A button pressed on the bus is handed to the terminal's loop as a request
(`app.terminal_player.Requests`), which wakes it at once; Ctrl+C and SIGTERM
reach the main thread's loop through a socket and interrupt the terminal's.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal

from app.application.awake import StayAwake
from app.application.mpris import MprisPlayer
from app.application.session_bus import session_bus
from app.domain.clock import Clock
from app.domain.driver import Control
from app.domain.media import Playback, media_state
from app.domain.player import Snapshot

# Plays the routine, telling the given callable of each new state or step.
Play = Callable[[Callable[[Snapshot], None]], int]


class _Buttons:
    """MPRIS's buttons, as requests to the terminal's loop."""

    def __init__(self, press: Callable[[Control], None]) -> None:
        self._press = press

    def play_pause(self) -> None:
        self._press(Control.PRIMARY)

    def next(self) -> None:
        self._press(Control.NEXT)

    def previous(self) -> None:
        self._press(Control.BACK)

    def stop(self) -> None:
        self._press(Control.STOP)

    def raise_window(self) -> None:
        """A terminal has no window to raise."""


class TerminalRemote(QObject):
    """Media controls and the screen kept on for the terminal's routine; lives on
    the main thread, whose event loop serves the bus.

    Args:
        routine_name: What the media controls show as the album.
        clock: The routine's clock (for the position in a step).
        press: Hands a button to the terminal's loop (`Requests.put` of
            app.terminal_player); called on the main thread.
        report: Told, once, why the screen cannot be kept on.

    Attributes:
        published: Whether the media controls are on the bus.

    Signals:
        shown(Snapshot): emitted from the terminal's thread with a new state or step.
        ended(int): emitted from the terminal's thread with its exit status.
    """

    shown = Signal(object)
    ended = Signal(int)

    def __init__(
        self,
        routine_name: str,
        clock: Clock,
        press: Callable[[Control], None],
        report: Callable[[str], None],
    ) -> None:
        # QtDBus needs an application object (the terminal has none of its own).
        self._app = QCoreApplication.instance() or QCoreApplication([])
        super().__init__()
        self._name = routine_name
        bus = session_bus()
        self._player = MprisPlayer(_Buttons(press), clock, parent=self)
        self._awake = StayAwake(bus, self)
        self._awake.unavailable.connect(report)
        self.published = bus is not None and self._player.publish(bus)
        self.shown.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def play(self, play: Play) -> int:
        """Runs `play` on a thread of its own and Qt's event loop here until it ends;
        returns its exit status."""
        app = self._app
        status: list[int] = []
        self.ended.connect(app.quit, Qt.ConnectionType.QueuedConnection)

        def run() -> None:
            try:
                status.append(play(self.shown.emit))
            finally:
                self.ended.emit(status[0] if status else 1)

        worker = threading.Thread(target=run, name="limber-terminal")
        worker.start()
        app.exec()
        worker.join()
        return status[0] if status else 1

    def close(self) -> None:
        """Releases the screen and the bus name."""
        self._player.close()
        self._awake.close()

    def _show(self, snapshot: Snapshot) -> None:
        state = media_state(snapshot, self._name)
        self._player.update(state)
        self._awake.follow(state.playback is Playback.PLAYING)
