"""Drives the real `limber` window from inside its own process, as a person would.

tests/e2e/test_installed_app.py puts this folder on PYTHONPATH, so Python loads
this module at start-up: it wraps QApplication.exec so that, once the installed
Limber has shown its window, a step timer presses its keys and reports what it
sees on stdout, one line a step, then closes the window. Nothing of it ships.
"""

from __future__ import annotations

import os
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

ROUTINE = os.environ["LIMBER_E2E_ROUTINE"]
PLAY_SECONDS = float(os.environ["LIMBER_E2E_PLAY_SECONDS"])
SHOT = Path(os.environ.get("LIMBER_E2E_SHOT", os.devnull))
# After playing: "history" (Esc, then History, then close the window) or "wait".
THEN = os.environ.get("LIMBER_E2E_THEN", "history")
STEP_MS = 50
GIVE_UP_S = 60.0

_exec = QApplication.exec


def _report(*words: object) -> None:
    print(*words, flush=True)


def _window() -> object | None:
    from app.ui.main_window import MainWindow

    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    return windows[0] if windows else None


def _until(condition: Callable[[], object]) -> Iterator[None]:
    """Yields (one step timer tick each) until `condition()` holds."""
    deadline = time.monotonic() + GIVE_UP_S
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {condition.__doc__}")
        yield


def _script() -> Iterator[None]:
    def filled() -> bool:
        """the library to be filled"""
        window = _window()
        return bool(window is not None and window.library.list.count())

    yield from _until(filled)
    window = _window()
    _report("library", window.library.list.count())
    icon = QApplication.windowIcon()
    _report(
        "identity",
        QApplication.desktopFileName(),
        len(icon.availableSizes()),
        window.windowIcon().cacheKey() == icon.cacheKey(),
    )

    window.library.select(ROUTINE)
    QTest.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    started = time.monotonic()

    def played() -> bool:
        """the routine to play"""
        return time.monotonic() - started >= PLAY_SECONDS

    yield from _until(played)
    cues = window.controller.cues
    _report(
        "played",
        f"{time.monotonic() - started:.1f}",
        ",".join(launch.kind for launch in cues.launches),
    )
    _report("audio", cues.status.available, cues.backend)
    if THEN == "wait":  # the test stops Limber its own way
        _report("playing")
        return
    QTest.keyClick(window, Qt.Key.Key_Escape)

    def logged() -> bool:
        """the stopped session to be logged"""
        return bool(window.sessions.sessions)

    yield from _until(logged)
    QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)

    def charts_drawn() -> bool:
        """History's charts to be drawn"""
        return window.history.charts is not None and window.history.charts.isVisible()

    yield from _until(charts_drawn)
    _report(
        "history",
        window.tabs.currentIndex(),
        len(window.history.sessions),
        window.history.sessions[-1].status.value,
    )
    window.grab().save(str(SHOT))
    window.close()
    _report("closed")


def _run_script() -> None:
    script = _script()
    timer = QTimer()

    def step() -> None:
        try:
            next(script)
        except StopIteration:
            timer.stop()
        except Exception:
            timer.stop()
            traceback.print_exc()
            QApplication.exit(3)

    timer.timeout.connect(step)
    timer.start(STEP_MS)
    _run_script.timer = timer  # type: ignore[attr-defined]  # kept alive


def _exec_and_drive(*_app: object) -> int:
    # Called as app.exec() or QApplication.exec(); Qt's own takes no argument.
    QTimer.singleShot(0, _run_script)
    return _exec()


QApplication.exec = _exec_and_drive  # type: ignore[method-assign]
