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


def start_window(code: str, data: Path) -> subprocess.CompletedProcess[str]:
    """Runs `code`, which opens the window on `data`, to the log read (offscreen)."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "LIMBER_DATA_DIR": str(data),
        "LIMBER_QUIT_WHEN_SHOWN": "1",
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env=env,
    )


def test_the_window_opens_and_reads_its_data_without_loading_numpy_or_pyqtgraph(
    tmp_path: Path,
) -> None:
    # numpy and pyqtgraph come with the History tab, not before: the window, the
    # library and the log read at start-up need neither (and idle Limber stays small).
    # The first start makes the quieter copies of the cue sounds with numpy, on the
    # cue thread; the start measured is the next one, as every later start is.
    from tests.bench.synthetic import sessions, write_log

    records, plans = sessions(30, 1, date(2026, 11, 21))
    write_log(tmp_path / "log", records, plans)
    code = (
        "import gc, sys; from app.main import run_window; run_window();"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'numpy', 'pyqtgraph'}),"
        " gc.get_freeze_count() > 0)"
    )
    for _ in range(2):
        done = start_window(code, tmp_path)
    assert (tmp_path / "cache").is_dir()
    # The first frame, the routines listed, the sessions read; start-up's objects frozen.
    assert done.stdout.splitlines()[-4:] == ["painted", "library", "sessions", "[] True"]


def test_the_first_frame_waits_for_no_player_log_or_sound(tmp_path: Path) -> None:
    # What plays and logs routines is made after the first frame, and the core's
    # types are imported where the routines are read: their modules are much of
    # the Python start-up runs (tests/bench/perceived.py part a).
    later = ["app.application.player", "app.recorder", "app.storage.session_log"]
    later += ["tinydb", "app.audio.playsound_player", "playsound3", "app.domain.player"]
    later += ["app.domain.plan", "app.domain.routine", "app.domain.routine_format"]
    later += ["app.domain.spoken", "app.domain.session", "app.domain.display"]
    code = (
        "import builtins, sys; say = builtins.print\n"
        "def watch(*words, **how):\n"
        "    if words == ('painted',):\n"
        f"        say(sorted(set(sys.modules) & {set(later)!r}))\n"
        "        say('Qt' in vars(sys.modules['PySide6.QtCore']))\n"
        "    say(*words, **how)\n"
        "builtins.print = watch\n"
        "from app.main import run_window; run_window()"
    )
    lines = start_window(code, tmp_path).stdout.splitlines()
    # Nor for PySide6 to make the Qt namespace's 93 enums (app/ui/widgets/by_name.py).
    assert lines[lines.index("painted") - 2 :][:2] == ["[]", "False"]
    assert lines[-1] == "sessions"  # and all of them once the log is read


def test_the_layers_hold(tmp_path: Path) -> None:
    # import-linter's contracts in pyproject.toml, over the installed copy (which
    # tests/test_package.py checks is the source tree's).
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--config", str(APP.parent / "pyproject.toml"), "--no-cache"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "3 kept, 0 broken" in done.stdout


def test_the_application_layer_makes_no_widget() -> None:
    for path in (APP / "application").rglob("*.py"):
        for module in imported_modules(path):
            assert not module.startswith("PySide6.QtWidgets"), f"{path.name} imports {module}"
