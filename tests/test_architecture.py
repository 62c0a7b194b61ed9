"""The layering STYLE.md asks for: the core never imports Qt; heavy modules load lazily."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
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
@pytest.mark.parametrize("part", ["domain", "storage", "audio", "recorder.py",
                                  "terminal_player.py", "history_export.py"])
def test_the_core_never_imports_qt(part: str) -> None:
    target = APP / part
    for path in (target.rglob("*.py") if target.is_dir() else [target]):
        for module in imported_modules(path):
            assert not module.startswith(GUI_MODULES), f"{path.name} imports {module}"
            assert not module.startswith("app.ui"), f"{path.name} imports {module}"


def test_the_cli_runs_without_loading_qt() -> None:
    code = ("import sys, app.cli; app.cli.main(['routines', 'list']);"
            "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env=os.environ.copy())
    assert done.stdout.splitlines()[-1] == "[]"


def test_the_window_opens_without_loading_pyqtgraph() -> None:
    code = ("import os, sys; os.environ['LIMBER_QUIT_WHEN_SHOWN'] = '1';"
            "from app.main import run_window; run_window();"
            "print([m for m in sys.modules if m.startswith('pyqtgraph')])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert done.stdout.splitlines()[-3:] == ["shown", "library", "[]"]
