"""Loads pyqtgraph between events on the GUI thread, a few milliseconds at a time.

pyqtgraph takes a quarter of a second to import, most of it spent making every
PySide6 class and enum, which PySide6 makes lazily on first use. Importing it on
another thread raced that lazy making with the GUI thread and crashed Limber (in
2 of about 100 start-ups), so it is done here instead: the Qt types a few at a
time, then the standard modules pyqtgraph needs, then pyqtgraph itself (about a
tenth of a second, the one step that cannot be cut).
"""

from __future__ import annotations

import contextlib
import importlib
import sys
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
    """Imports pyqtgraph in steps from a zero-interval timer, which Qt runs when no
    other event waits.

    Args:
        parent: The owner (the main window).
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps = self._work()
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)
        self._deadline = 0.0

    @property
    def done(self) -> bool:
        """Whether pyqtgraph is imported (by this or by anything else)."""
        return "pyqtgraph" in sys.modules

    def start(self) -> None:
        """Starts the steps, unless pyqtgraph is imported already."""
        if not self.done:
            self._timer.start()

    def _step(self) -> None:
        self._deadline = time.perf_counter() + STEP_SECONDS
        if self.done or next(self._steps, None) is None:
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
        importlib.import_module("pyqtgraph")
