"""Composition root: builds the objects, wires them together and shows the window."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.storage.routine_store import RoutineStore

# Set by tests/bench/startup.py: report the window shown and the library filled, then quit.
QUIT_WHEN_SHOWN_ENV = "LIMBER_QUIT_WHEN_SHOWN"


def run_window() -> int:
    """Opens the main window and runs the Qt event loop; returns the exit status.

    The window is shown first and the routine library is read on the next turn
    of the event loop, so the window appears without waiting for it.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Limber")
    app.setOrganizationName("Limber")
    window = MainWindow()
    window.show()
    benchmark = bool(os.environ.get(QUIT_WHEN_SHOWN_ENV))
    if benchmark:
        QTimer.singleShot(0, lambda: print("shown", flush=True))
    QTimer.singleShot(0, lambda: window.set_library(open_library()))
    if benchmark:
        QTimer.singleShot(0, lambda: (print("library", flush=True), app.quit()))
    return app.exec()


def open_library() -> RoutineStore:
    """The routine library in the user's data dir."""
    from app.storage.paths import user_routines_dir
    from app.storage.routine_store import RoutineStore

    return RoutineStore(user_routines_dir())
