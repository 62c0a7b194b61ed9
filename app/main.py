"""Composition root: builds the objects, wires them together and shows the window."""

from __future__ import annotations

import os
import sys

from app.storage.paths import user_routines_dir
from app.storage.routine_store import RoutineStore

# Set by tests/bench/startup.py: print a line and quit once the window is on screen.
QUIT_WHEN_SHOWN_ENV = "LIMBER_QUIT_WHEN_SHOWN"


def run_window() -> int:
    """Opens the main window and runs the Qt event loop; returns the exit status."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Limber")
    app.setOrganizationName("Limber")
    window = MainWindow(RoutineStore(user_routines_dir()))
    window.show()
    if os.environ.get(QUIT_WHEN_SHOWN_ENV):
        # Runs once the event loop has shown and painted the window.
        QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
    return app.exec()
