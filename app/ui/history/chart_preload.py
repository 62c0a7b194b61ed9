"""Gets pyqtgraph's import ready between events on the GUI thread, a few
milliseconds at a time.

pyqtgraph takes a quarter of a second to import, most of it spent making every
PySide6 class and enum (PySide6 makes them lazily, on first use) and loading
modules it needs. Importing it on another thread raced that lazy making with the
GUI thread and crashed Limber (in 2 of about 100 start-ups), so the work is done
here instead, in steps: the modules, then the Qt types a few at a time. What is
left, pyqtgraph's own modules (about 50 ms in one piece), loads when the History
tab first shows its charts.
"""

from __future__ import annotations

import contextlib
import importlib
import time
from collections.abc import Iterator

from PySide6.QtCore import QObject, QTimer

# How long one step may run before the events waiting get their turn.
STEP_SECONDS = 0.008
# Modules pyqtgraph imports that take a while and can be imported on their own.
QT_MODULES = ("PySide6.QtSvg", "PySide6.QtOpenGLWidgets", "PySide6.QtTest")
STANDARD_MODULES = ("xml.etree.ElementTree", "subprocess", "multiprocessing", "pydoc")
# The modules whose every name pyqtgraph copies (and so makes).
COPIED_MODULES = ("PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets")


class ChartPreloader(QObject):
    """Does the work in steps from a zero-interval timer, which Qt runs when no
    other event waits.

    Args:
        parent: The owner (the main window).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.done = False
        self._steps = self._work()
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        self._deadline = 0.0

    def start(self) -> None:
        """Starts the steps."""
        if not self.done:
            self._timer.start()

    def _step(self) -> None:
        self._deadline = time.perf_counter() + STEP_SECONDS
        if next(self._steps, None) is None:
            self.done = True
            self._timer.stop()

    def _work(self) -> Iterator[bool]:
        """The work, yielding (True) whenever a step has used its time."""
        for name in QT_MODULES + STANDARD_MODULES:
            with contextlib.suppress(ImportError):  # pyqtgraph does without the Qt ones
                importlib.import_module(name)
            yield True
        for module_name in COPIED_MODULES:
            module = importlib.import_module(module_name)
            for name in dir(module):
                with contextlib.suppress(AttributeError):
                    getattr(module, name)  # PySide6 makes the class or enum now
                if time.perf_counter() > self._deadline:
                    yield True
