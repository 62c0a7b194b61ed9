"""`limber history --json` on ten years of sessions, against `python -c pass`.

Run:  python tests/bench/history_cli.py [--runs 15] [--years 10]

For a synthetic log of `years` x 365 days x 2 sessions, times the installed
`limber history --json` as a person gets it: from process start to exit, its
output read through a pipe. `python -c pass` (the interpreter the command runs
on) is timed the same way, and the runs alternate so that a busy machine slows
both alike. Prints the median and max of each and the ratio of the medians.

`limber history` keeps what it printed for each month file in the cache (see
`app/storage/printed_months.py`), so the runs that matter differ in what changed
since the last one, and each is timed apart:

- "a session added": the latest month file changed (as after each day's
  session), so that month is read and checked again and the others are not;
  the usual case, and the figure the goal is for: a median of at most 150 ms;
- "nothing changed": every month printed before;
- "first run": no month printed before (the first run after an install or an
  upgrade of Limber, or with the cache deleted): every row read and checked.

Limber's modules are compiled to bytecode first, as `pip install .` leaves them.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Last on the path, for the benchmark's helpers: `app` is the installed Limber.
sys.path.append(str(ROOT))

from tests.bench.synthetic import sessions, write_log  # noqa: E402

TODAY = date(2026, 11, 21)
GOAL_MS = 150.0


def timed(command: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Seconds from starting `command` to its exit, its whole output read from a
    pipe; and the number of lines it printed."""
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env, check=False)
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(
            f"history_cli.py: {command[0]} failed ({done.returncode}):\n{done.stderr.decode()}"
        )
    return took, done.stdout.count(b"\n")


def limber_command() -> list[str] | None:
    """The entry script beside this interpreter, as `pip install .` made it."""
    script = Path(sysconfig.get_path("scripts")) / "limber"
    found = str(script) if script.exists() else shutil.which("limber")
    return [found] if found else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="timed runs of each (default 15)")
    parser.add_argument("--years", type=int, default=10, help="years of sessions (default 10)")
    args = parser.parse_args()
    limber = limber_command()
    if limber is None:
        print(
            "history_cli.py: the limber command is not installed (pip install .)", file=sys.stderr
        )
        return 2
    import app

    compileall.compile_dir(str(Path(app.__file__).parent), quiet=1)
    python = [sys.executable, "-c", "pass"]
    history = [*limber, "history", "--json"]
    with tempfile.TemporaryDirectory() as data:
        records, plans = sessions(args.years * 365, 2, TODAY, days_off=0.0)
        log = Path(data) / "log"
        write_log(log, records, plans)
        latest = max(log.glob("sessions-*.json"))
        env = {**os.environ, "LIMBER_DATA_DIR": data}

        def session_added(run: int) -> None:
            """The latest month as after a session: one row's notes changed."""
            document = json.loads(latest.read_text())
            row = next(reversed(document["sessions"].values()))
            row["notes"] = f"run {run}"
            latest.write_text(json.dumps(document, separators=(",", ":")))

        def cache_deleted(_run: int) -> None:
            shutil.rmtree(Path(data) / "cache" / "history", ignore_errors=True)

        cases: dict[str, tuple[list[str], Callable[[int], None] | None]] = {
            "python -c pass": (python, None),
            "a session added": (history, session_added),
            "nothing changed": (history, None),
            "first run": (history, cache_deleted),
        }
        # Untimed: warms the file cache, and makes the log's lock file (as the first
        # session logged does), without which `limber history` takes the lock to open it.
        timed(python, env)
        timed(history, env)
        runs: dict[str, list[float]] = {name: [] for name in cases}
        for run in range(args.runs):
            for name, (command, before) in cases.items():
                if before is not None:
                    before(run)
                took, lines = timed(command, env)
                runs[name].append(took)
                if command is history and lines != len(records):
                    raise SystemExit(f"history_cli.py: {lines} sessions listed of {len(records)}")

    baseline = statistics.median(runs["python -c pass"])
    print(
        f"limber history --json, {len(records):,} sessions over {args.years} years, "
        f"{args.runs} runs each (process start to exit, output read from a pipe)"
    )
    for name, times in runs.items():
        median = statistics.median(times)
        print(
            f"  {name:<24} median {median * 1000:7.1f} ms   max {max(times) * 1000:7.1f} ms   "
            f"{median / baseline:5.1f}x python -c pass"
        )
    figure = statistics.median(runs["a session added"]) * 1000
    verdict = "met" if figure <= GOAL_MS else "missed"
    print(
        f"goal: a median of at most {GOAL_MS:.0f} ms after a session added; "
        f"{figure:.0f} ms: {verdict}"
    )
    first = statistics.median(runs["first run"]) * 1000
    print(f"  (the first run, with no month printed before, takes {first:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
