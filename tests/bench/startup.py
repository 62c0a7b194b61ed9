"""Start-up benchmark: `limber` to its first shown window, against a bare PySide6 window.

Run:  python tests/bench/startup.py [--runs N]

Both are timed the same way: from process start until the process says its
window is shown (the first turn of the event loop after show()). Runs
alternate so that a busy machine slows both alike. Limber reads its routine
library on the turn after that; the time until the library is filled is
printed too. The goal is a shown-window ratio of at most 1.5.

Limber's modules are compiled to bytecode first, as `pip install .` leaves them
and as PySide6's own already are: in an editable install under
PYTHONDONTWRITEBYTECODE (set on this machine) they would otherwise be compiled
from source at every start.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

BARE_WINDOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(960, 640)
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), app.quit()))
app.exec()
"""


def time_marks(command: list[str], env: dict[str, str]) -> dict[str, float]:
    """Seconds from starting `command` to each line it prints ("shown", "library")."""
    marks: dict[str, float] = {}
    started = time.perf_counter()
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    ) as process:
        assert process.stdout is not None
        for line in process.stdout:
            marks[line.strip()] = time.perf_counter() - started
        process.wait(timeout=30)
    if "shown" not in marks:
        raise RuntimeError(f"{command[0]} exited without showing a window")
    return marks


def limber_command() -> list[str] | None:
    """The entry script beside this interpreter, not a shim in front of it (pyenv's
    shims start bash and pyenv first, which is not Limber's start-up)."""
    script = Path(sysconfig.get_path("scripts")) / "limber"
    found = str(script) if script.exists() else shutil.which("limber")
    return [found] if found else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each (default 15)")
    args = parser.parse_args()
    limber = limber_command()
    if limber is None:
        print("startup.py: the limber command is not installed (pip install .)", file=sys.stderr)
        return 2
    import app

    compileall.compile_dir(str(Path(app.__file__).parent), quiet=1)
    commands = {"bare PySide6 window": [sys.executable, "-c", BARE_WINDOW], "limber": limber}
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "LIMBER_DATA_DIR": data, "LIMBER_QUIT_WHEN_SHOWN": "1"}
        env.setdefault("QT_QPA_PLATFORM", "offscreen")
        for command in commands.values():  # warm the file cache; not timed
            time_marks(command, env)
        runs: dict[str, list[dict[str, float]]] = {name: [] for name in commands}
        for _ in range(args.runs):
            for name, command in commands.items():
                runs[name].append(time_marks(command, env))

    def median(name: str, mark: str) -> float:
        return statistics.median(r[mark] for r in runs[name])

    baseline = median("bare PySide6 window", "shown")
    print(
        f"start-up, {args.runs} runs each, QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']}, "
        f"median ms and ratio to the bare window shown"
    )
    rows = [("bare PySide6 window", "shown"), ("limber", "shown"), ("limber", "library")]
    for name, mark in rows:
        value = median(name, mark)
        label = f"{name}, {'window shown' if mark == 'shown' else 'library filled'}"
        print(f"  {label:<34} {value * 1000:7.1f} ms   {value / baseline:4.2f}x")
    ratio = median("limber", "shown") / baseline
    print(f"limber window shown / bare window shown: {ratio:.2f}x (goal: at most 1.50x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
