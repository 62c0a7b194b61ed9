"""History benchmark: ten years of sessions against a one-session log, in one run.

Run:  python tests/bench/history.py [--years 10] [--per-day 2]

For a synthetic log of `years` x 365 days x `per-day` sessions (a few days
off), and for a log of one session, prints:
- logging one more session (the write, on the log's writer thread),
- how long the GUI thread is held when a session ends in the window (the record
  handed to the writer, the summary shown, the history and the library updated),
- the GUI thread's longest stall at start-up once the library is shown, while
  the log is opened and read in the background and pyqtgraph's import made ready,
- opening the history view: the table shown, and every chart drawn (a moment
  later), in a fresh process each time,
- redrawing the table and charts after a filter change,
- the log's size on disk.
Each as the median of several runs, with the ratio big/one. Goals: logging at
most 50 ms, the GUI thread held at most 16 ms, opening at most 300 ms, a redraw
after a filter change at most 16 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Last on the path, for the benchmark's helpers: `app` is the installed Limber.
sys.path.append(str(ROOT))

from tests.bench.synthetic import sessions, write_log  # noqa: E402

TODAY = date(2026, 11, 21)

OPEN_HISTORY = """
import os, sys, time, json
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtWidgets import QApplication
from app.domain.clock import FakeClock
from app.audio.cue_player import NullCuePlayer
from app.main import assemble_window, open_library
from app.recorder import LogWriter, SessionRecorder
from app.storage.session_log import SessionLog
from app.storage.settings import Settings
from app.ui.main_window import HISTORY
app = QApplication([])
folder, warm = Path(sys.argv[1]), sys.argv[2] == "warm"
log = SessionLog(folder / "log")
recorder = SessionRecorder(log, LogWriter())
window = assemble_window(Settings(folder), FakeClock(), NullCuePlayer(), open_library(), recorder)
window.show()
window.routines.load()
window.sessions.load()
while not window.sessions.loaded:  # read on the writer's thread as the window opens
    app.processEvents()
if warm:  # a History opened once before: numpy and pyqtgraph are loaded
    import numpy, pyqtgraph
def settle():
    # Handles events until none are left: what one pass posts (a layout, a
    # repaint) is part of the work too.
    for _ in range(20):
        t = time.perf_counter()
        app.processEvents()
        if time.perf_counter() - t < 0.0003:
            return
settle()
from PySide6.QtCore import QEvent, QObject
class FirstPaint(QObject):
    at = None
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.perf_counter()
        return False
table_painted = FirstPaint()
window.history.table.viewport().installEventFilter(table_painted)
started = time.perf_counter()
window.tabs.setCurrentIndex(HISTORY)
while window.history.charts is None:  # the table shows first, the charts next
    app.processEvents()
window.history.charts.repaint()
settle()
opened = time.perf_counter() - started
shown = table_painted.at - started
redraws = []
combo = window.history.routine_filter
for n in range(20):
    t = time.perf_counter()
    combo.setCurrentIndex((n + 1) % combo.count())  # each routine in turn, and All
    settle()  # the table and the charts repaint here
    redraws.append(time.perf_counter() - t)
# A chart that raised would look quick: check that they all drew.
charts = window.history.charts
assert len(charts.week_bars.opts["height"]) == 12 and charts.heat_image.image is not None
print(json.dumps({"open": opened, "shown": shown, "redraw": redraws}))
"""


START_UP = """
import os, sys, time, json
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import app.application.library as library
app = QApplication([])
ticks = []
timer = QTimer()
timer.setInterval(1)
timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
timer.start()
attached = []
load = library.RoutineLibrary.load
def timed_load(self):
    load(self)
    attached.append(time.perf_counter())  # the library is up: start-up proper is over
library.RoutineLibrary.load = timed_load
QTimer.singleShot(2000, app.quit)
from app.main import run_window
run_window()
after = [t for t in ticks if t >= attached[0]]
print(json.dumps({"gap": max(b - a for a, b in zip(after, after[1:]))}))
"""

SESSION_END = """
import os, sys, time, json
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from pathlib import Path
from PySide6.QtWidgets import QApplication
from app.audio.cue_player import NullCuePlayer
from app.domain.clock import FakeClock
from app.main import build_window, open_data
from app.storage.settings import Settings
from app.ui.main_window import PLAYER
app = QApplication([])
clock = FakeClock()
window, _ = build_window(Settings(Path(os.environ["LIMBER_DATA_DIR"])), clock, NullCuePlayer())
window.show()
open_data(window)
recorder = window.sessions.recorder
while not window.sessions.loaded:
    app.processEvents()
held = []
for _ in range(int(sys.argv[1])):
    window.library.select("spinal-rotation-heel-sitting")
    window.library.start_button.click()
    window.tabs.setCurrentIndex(PLAYER)
    app.processEvents()
    while window.controller.player.state.name != "FINISHED":
        clock.advance(0.1)
        started = time.perf_counter()
        window.controller.poll()
        app.processEvents()  # the summary and the views repaint here
        took = time.perf_counter() - started
    held.append(took)  # the poll that ended the session
    recorder.writer.flush()
recorder.writer.close()
print(json.dumps({"held": held}))
"""


def start_up_stall(folder: Path, runs: int) -> list[float]:
    """The GUI thread's longest stall in the first two seconds once the library is
    up, while the log is opened and read in the background,
    in fresh processes (a 1 ms timer's longest gap)."""
    return [json.loads(run_script(START_UP, folder))["gap"] for _ in range(runs)]


def run_script(script: str, folder: Path, *args: str) -> str:
    """Runs `script` in a fresh Python with `folder` as the data dir; its last line."""
    done = subprocess.run(
        [sys.executable, "-P", "-c", script, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "LIMBER_DATA_DIR": str(folder), "PYTHONFAULTHANDLER": "1"},
    )
    if done.returncode or "Traceback" in done.stderr:
        raise SystemExit(
            f"history.py: a measuring script failed ({done.returncode}):\n{done.stderr}"
        )
    return done.stdout.strip().splitlines()[-1]


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def percentile_ms(values: list[float], percent: int) -> float:
    return statistics.quantiles(values, n=100)[percent - 1] * 1000


def log_one_more(folder: Path, runs: int) -> list[float]:
    """Seconds taken by the log's write of one finished session."""
    from app.storage.session_log import SessionLog
    from tests.storage.log_helpers import record

    log = SessionLog(folder)
    log.open()
    times = []
    for _ in range(runs):
        session = record(f"{TODAY.isoformat()}T09:00:00+01:00")
        started = time.perf_counter()
        log.finish(session)
        times.append(time.perf_counter() - started)
        log.delete(session)
    return times


def gui_thread_hold(folder: Path, runs: int) -> list[float]:
    """Seconds the GUI thread is held as a session ends in the window, the log's
    sessions shown: the record handed to the writer, the summary, the history and
    the library's hint brought up to date (in a fresh process)."""
    with tempfile.TemporaryDirectory() as scratch:  # the sessions played stay out of it
        copy = Path(scratch) / "data"
        shutil.copytree(folder, copy)
        return json.loads(run_script(SESSION_END, copy, str(runs)))["held"]


def open_history(
    folder: Path, runs: int, mode: str
) -> tuple[list[float], list[float], list[float]]:
    """Opening History in fresh processes, the log read in the background as at
    start-up: "warm" with pyqtgraph's import made ready in idle time, "cold"
    clicked before that (as the sessions are shown). Seconds to all charts drawn,
    to the table painted, and of each redraw after a filter change."""
    opens, shown, redraws = [], [], []
    for _ in range(runs):
        result = json.loads(run_script(OPEN_HISTORY, folder, str(folder), mode))
        opens.append(result["open"])
        shown.append(result["shown"])
        redraws.extend(result["redraw"])
    return opens, shown, redraws


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.glob("*.json"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--per-day", type=int, default=2)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        big, small = Path(scratch) / "big", Path(scratch) / "small"
        records, plans = sessions(args.years * 365, args.per_day, TODAY, days_off=0.0)
        write_log(big / "log", records, plans)
        one, one_plan = sessions(1, 1, TODAY)
        write_log(small / "log", one[:1] or records[-1:], one_plan or plans)
        rows = []
        for name, measure in (
            (
                "log one more session (writer thread)",
                lambda folder: log_one_more(folder / "log", args.runs),
            ),
            (
                "GUI thread held as a session ends",
                lambda folder: gui_thread_hold(folder, args.runs),
            ),
        ):
            rows.append((name, median_ms(measure(big)), median_ms(measure(small))))
        rows.append(
            (
                "GUI thread's longest stall at start-up",
                median_ms(start_up_stall(big, 5)),
                median_ms(start_up_stall(small, 5)),
            )
        )
        big_open, big_shown, big_redraw = open_history(big, 5, "warm")
        small_open, small_shown, small_redraw = open_history(small, 5, "warm")
        big_cold, big_cold_shown, _ = open_history(big, 3, "cold")
        small_cold, small_cold_shown, _ = open_history(small, 3, "cold")
        rows.append(("open History: the table shown", median_ms(big_shown), median_ms(small_shown)))
        rows.append(("  all charts drawn", median_ms(big_open), median_ms(small_open)))
        rows.append(
            (
                "  clicked in the first second: table",
                median_ms(big_cold_shown),
                median_ms(small_cold_shown),
            )
        )
        rows.append(
            ("  clicked in the first second: charts", median_ms(big_cold), median_ms(small_cold))
        )
        rows.append(
            ("redraw after a filter change", median_ms(big_redraw), median_ms(small_redraw))
        )
        rows.append(
            (
                "  the same, 90th percentile",
                percentile_ms(big_redraw, 90),
                percentile_ms(small_redraw, 90),
            )
        )
        print(
            f"history: {len(records):,} sessions over {args.years} years against 1 session "
            f"(median ms)"
        )
        for name, big_ms, small_ms in rows:
            print(
                f"  {name:<40} {big_ms:8.2f} ms   one session {small_ms:7.2f} ms   "
                f"ratio {big_ms / small_ms:6.2f}x"
            )
        big_size, small_size = size(big / "log"), size(small / "log")
        print(
            f"  {'log size on disk':<40} {big_size / 1e6:8.2f} MB   one session "
            f"{small_size / 1e3:7.2f} kB   ratio {big_size / small_size:6.1f}x"
        )
        largest = max(p.stat().st_size for p in (big / "log").glob("sessions-*.json"))
        print(f"  largest file rewritten by a log write: {largest / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
