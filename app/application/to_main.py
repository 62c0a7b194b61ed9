"""Hands work from another thread to the GUI thread, the way Anki's
`taskman.run_on_main` does: a queued signal, so the GUI thread wakes only when
there is something to do (no polling timer)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal


class ToMain(QObject):
    """Runs callables on the thread this object lives in (the GUI thread).

    `run(fn)` may be called from any thread; `fn` runs on the next turn of the
    GUI thread's event loop. A callable sent must hold plain data and objects
    that outlive it (the application's models), never a Qt object made for it.
    """

    _arrived = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._home = threading.get_ident()  # made on the GUI thread
        # Qt's automatic connection, queued from other threads (`run` queues its
        # own): naming QueuedConnection would make all of the Qt namespace's enums
        # before the first frame (see app/ui/widgets/by_name.py).
        self._arrived.connect(self._call)

    def run(self, fn: Callable[[], object]) -> None:
        """Queues `fn` for the GUI thread; returns at once."""
        if threading.get_ident() == self._home:
            QTimer.singleShot(0, self, fn)
        else:
            self._arrived.emit(fn)

    @staticmethod
    def _call(fn: Callable[[], object]) -> None:
        fn()
