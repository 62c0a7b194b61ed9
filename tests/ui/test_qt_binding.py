"""The Qt binding in use does not abort on what Limber does all the time."""

from __future__ import annotations

import subprocess
import sys

EMIT_MANY = """
from PySide6.QtCore import QCoreApplication, QObject, Signal
class Source(QObject):
    changed = Signal(object)
app = QCoreApplication([])
source = Source()
for _ in range(20_000):
    source.changed.emit(object())
print("ok")
"""


def test_emitting_a_signal_many_times_does_not_abort_python() -> None:
    # PySide6 6.12.0 loses a reference to the bool emit() returns: Python aborts
    # with "bool_dealloc" after a few thousand emits (the player emits ten a second).
    done = subprocess.run(
        [sys.executable, "-c", EMIT_MANY], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-500:]
