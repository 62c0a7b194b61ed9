"""The layering STYLE.md asks for: the core never imports Qt; heavy modules load lazily."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
GUI_MODULES = ("PySide6", "shiboken6", "pyqtgraph")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


# cli.py is not here: `limber screenshot` and the window import Qt, lazily; the
# test below checks the other commands never load it.
@pytest.mark.parametrize(
    "part",
    [
        "domain",
        "storage",
        "audio",
        "recorder.py",
        "terminal_player.py",
        "history_export.py",
        "desktop_entry.py",
    ],
)
def test_the_core_never_imports_qt(part: str) -> None:
    target = APP / part
    for path in target.rglob("*.py") if target.is_dir() else [target]:
        for module in imported_modules(path):
            assert not module.startswith(GUI_MODULES), f"{path.name} imports {module}"
            assert not module.startswith("app.ui"), f"{path.name} imports {module}"


def test_the_cli_runs_without_loading_qt() -> None:
    code = (
        "import sys, app.cli; app.cli.main(['routines', 'list']);"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
    )
    assert done.stdout.splitlines()[-1] == "[]"


def test_the_window_opens_without_loading_pyqtgraph() -> None:
    code = (
        "import os, sys; os.environ['LIMBER_QUIT_WHEN_SHOWN'] = '1';"
        "from app.main import run_window; run_window();"
        "print([m for m in sys.modules if m.startswith('pyqtgraph')])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.stdout.splitlines()[-3:] == ["shown", "library", "[]"]


def test_after_start_up_the_sessions_show_and_start_up_objects_are_frozen(
    tmp_path: Path,
) -> None:
    # The log is read in the background once the library is up; when its sessions
    # show, what start-up made is frozen out of the garbage collector's walks and
    # pyqtgraph's import is made ready (pyqtgraph itself loads with the charts).
    from tests.bench.synthetic import sessions, write_log

    records, plans = sessions(30, 1, date(2026, 11, 21))
    write_log(tmp_path / "log", records, plans)
    code = """
import gc, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.ui.main_window import MainWindow
app = QApplication([])
def check():
    windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
    if (windows and windows[0].history.sessions and gc.get_freeze_count()
            and windows[0]._chart_preloader is not None and windows[0]._chart_preloader.done
            and "pyqtgraph" not in sys.modules):
        print(len(windows[0].history.sessions), "sessions shown")
        app.quit()
poll = QTimer()
poll.timeout.connect(check)
poll.start(20)
QTimer.singleShot(20000, app.quit)
from app.main import run_window
run_window()
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "LIMBER_DATA_DIR": str(tmp_path)},
    )
    assert done.stdout.splitlines()[-1] == f"{len(records)} sessions shown"
