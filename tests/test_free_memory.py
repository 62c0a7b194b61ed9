"""Start-up hands the memory it used and freed back to the system."""

from __future__ import annotations

import linecache
import os
import subprocess
import sys

import app.main
from app.main import give_back_free_memory


def test_the_source_lines_read_at_start_up_are_forgotten() -> None:
    # PySide6's import hook reads every module's source into linecache.
    assert linecache.getlines(app.main.__file__)
    assert app.main.__file__ in linecache.cache
    give_back_free_memory()  # and, on glibc, malloc_trim: must not raise
    assert app.main.__file__ not in linecache.cache


DROPPED = """
import builtins, linecache, sys
from app.main import drop_feature_import_hook
drop_feature_import_hook()
assert builtins.__import__ is not builtins.__feature_import__
import app.domain.display  # a module first imported now
from PySide6.QtWidgets import QApplication, QLabel  # lazily made types still come
application = QApplication([])
label = QLabel("ok")
print(app.domain.display.__file__ in linecache.cache, label.text())
"""


def test_modules_imported_after_pyside6_are_not_read_as_source() -> None:
    # PySide6's __feature__ hook read each module's source after its import (6.5 MB
    # of an idle window's RSS); the window puts Python's own import back first.
    done = subprocess.run(
        [sys.executable, "-c", DROPPED],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-800:]
    assert done.stdout.split() == ["False", "ok"]
