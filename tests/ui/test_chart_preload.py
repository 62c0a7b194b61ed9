"""pyqtgraph's import is made ready between events on the GUI thread, in many
small steps, leaving little for the History tab to do."""

from __future__ import annotations

import os
import subprocess
import sys

PRELOAD = """
import sys
from PySide6.QtWidgets import QApplication
from app.ui.history.chart_preload import ChartPreloader
app = QApplication([])
preloader = ChartPreloader()
steps = 0
preloader.start()
while not preloader.done:
    app.processEvents()  # one step of the preloader's timer at a time
    steps += 1
early = "pyqtgraph" in sys.modules  # left for the charts to load
import pyqtgraph  # and it loads on what was made ready
print(steps, preloader._timer.isActive(), early, pyqtgraph.__name__)
"""


def test_the_import_is_made_ready_in_steps_between_events() -> None:
    # In a fresh Python: this one may have loaded pyqtgraph already.
    done = subprocess.run(
        [sys.executable, "-c", PRELOAD],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    steps, active, early, name = done.stdout.split()
    assert int(steps) > 8 and active == "False" and early == "False" and name == "pyqtgraph"
