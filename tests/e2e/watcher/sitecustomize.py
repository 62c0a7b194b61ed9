"""Reports what a real `limber` window is asked to do by a second `limber`.

tests/e2e/test_single_instance.py puts this folder on PYTHONPATH, so Python loads
this module at start-up: it wraps QApplication.exec so that, once the window is
up, it prints one line on stdout for each thing a test looks for:

    serving                      the window listens for a second `limber`
    active CLASS                 the active window changed (MainWindow, QWidget...)
    loaded TEXT                  a routine was loaded ("name, weaker side left")
    started ROUTINE_ID           a routine started
    question TEXT                a message box asks something

With LIMBER_WATCH_DECOY set, it opens a window of its own once the window is
serving and makes it the active one, so that coming to the front shows. Nothing
of it ships.
"""

from __future__ import annotations

import os
import traceback

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

STEP_MS = 50
_exec = QApplication.exec
_kept: list[object] = []


def _report(*words: object) -> None:
    print(*words, flush=True)


def _watch() -> None:
    from app.application.single_instance import InstanceServer
    from app.ui.main_window import MainWindow

    seen: set[int] = set()
    state = {"window": None, "serving": False}

    def active_changed() -> None:
        active = QApplication.activeWindow()
        if active is not None:
            _report("active", type(active).__name__)

    def step() -> None:
        window = state["window"]
        if window is None:
            windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
            if not windows:
                return
            window = state["window"] = windows[0]
            window.controller.loaded.connect(lambda text: _report("loaded", text))
            window.controller.started.connect(
                lambda player: _report("started", player.plan.routine_id)
            )
        server = window.findChild(InstanceServer)
        if not state["serving"] and server is not None and server.listening:
            state["serving"] = True
            if os.environ.get("LIMBER_WATCH_DECOY"):
                decoy = QWidget()
                decoy.setWindowTitle("decoy")
                # Limber still ends when its own window closes.
                decoy.setAttribute(Qt.WidgetAttribute.WA_QuitOnClose, False)
                decoy.show()
                decoy.activateWindow()
                _kept.append(decoy)
            QApplication.instance().focusWindowChanged.connect(active_changed)
            _report("serving")
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible() and id(widget) not in seen:
                seen.add(id(widget))
                _report("question", widget.text())

    def guarded() -> None:
        try:
            step()
        except Exception:
            timer.stop()
            traceback.print_exc()
            QApplication.exit(3)

    timer = QTimer()
    timer.timeout.connect(guarded)
    timer.start(STEP_MS)
    _kept.append(timer)


def _exec_and_watch(*_app: object) -> int:
    # Called as app.exec() or QApplication.exec(); Qt's own takes no argument.
    QTimer.singleShot(0, _watch)
    return _exec()


QApplication.exec = _exec_and_watch  # type: ignore[method-assign]
