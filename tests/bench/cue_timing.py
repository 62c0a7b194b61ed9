"""Cue timing benchmark: how close to its boundary each cue's sound process starts.

Run:  python tests/bench/cue_timing.py [--steps 240] [--step-seconds 0.25] [--real-device]

Plays a plan of short steps at real time through the real controller (Qt
timers), the real playsound3 cue player and the real sound backend, while
another process keeps the machine's other cores busy. For every cue it takes the
error between the boundary the engine computed and the moment the cue's sound
process had started (its Popen returned). Prints p50, p99 and max in ms, the
mean error over the first and the last quarter of the run (drift would show as
a growing error), and, measured in the same run, a baseline: a bare Python
thread that sleeps until each boundary and starts the same sound process, with
no Qt and no compensation.

Without --real-device, ALSA's default device is pointed at a file in a temp HOME
(the sounds really play, into the file), so it runs headless. Goal: p99 at most
5 ms, max at most 20 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

from app.domain.plan import Cue, CueKind, Plan, PlanStep, StepKind

# The repository's root, last on the path, for tests.sound (app is the installed one).
sys.path.append(str(Path(__file__).resolve().parents[2]))

from tests.sound import point_alsa_at_file

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

BURNER = "while True: pass"


def short_steps(count: int, seconds: float) -> Plan:
    """`count` steps of `seconds`, each with a rep cue on its boundary."""
    step = PlanStep("Bench", 0, StepKind.TIMED, seconds, cues=(Cue(0.0, CueKind.REP),))
    return Plan("bench", "Bench", (step,) * count)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(name: str, errors_ms: list[float]) -> None:
    quarter = max(1, len(errors_ms) // 4)
    print(
        f"  {name:<34} n={len(errors_ms):<4} p50 {percentile(errors_ms, 0.5):6.2f}  "
        f"p99 {percentile(errors_ms, 0.99):6.2f}  max {max(errors_ms, key=abs):6.2f}  "
        f"first quarter mean {statistics.mean(errors_ms[:quarter]):6.2f}  "
        f"last quarter mean {statistics.mean(errors_ms[-quarter:]):6.2f}  (ms)"
    )


def run_limber(plan: Plan, cache: Path) -> tuple[list[float], float]:
    """Plays `plan` in the real window; returns each cue's error (ms) and the lead used.

    The first cue is due the moment Start is pressed, so nothing can start it
    early: its error is the reaction to the key, reported apart from the rest.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from app.audio.playsound_player import PlaysoundCuePlayer
    from app.domain.clock import SystemClock
    from app.main import assemble_window, open_library
    from app.storage.settings import Settings

    _app = QApplication.instance() or QApplication([])  # kept while the window lives
    cues = PlaysoundCuePlayer(cache, volume=30)
    if not cues.wait_ready() or not cues.status.available:
        raise SystemExit(f"cue_timing.py: {cues.status.message}")
    window = assemble_window(Settings(cache), SystemClock(), cues, open_library(), None)
    window.show()
    window.routines.load()
    play_through(window, plan)
    cues.drain(timeout=5)
    lead = cues.lead
    errors = [
        (launch.started_at - launch.due_at) * 1000
        for launch in cues.launches
        if launch.kind == CueKind.REP.value
    ]
    window.close()
    cues.close()
    return errors, lead


def play_through(window: MainWindow, plan: Plan) -> None:
    """Loads `plan` in the shown window, presses Start half a second later and turns
    the event loop until the routine ends."""
    from PySide6.QtWidgets import QApplication

    from app.domain.player import PlayerState

    controller = window.controller
    controller.load(plan)
    settle = time.monotonic() + 0.5  # the window is drawn before anyone presses Start
    while time.monotonic() < settle:
        QApplication.processEvents()
        time.sleep(0.005)
    controller.primary()
    player = controller.player
    assert player is not None
    while player.state is PlayerState.RUNNING:
        QApplication.processEvents()
        time.sleep(0.001)  # the event loop's own idle wait, as in app.exec()


def run_baseline(plan: Plan, cache: Path) -> list[float]:
    """A bare thread sleeping to each boundary and starting the sound: no Qt, no lead."""
    import playsound3

    from app.audio.sounds import sounds_at_volume

    sound = str(sounds_at_volume(30, cache)["rep"])
    backend = "alsa" if "alsa" in playsound3.AVAILABLE_BACKENDS else None
    start = time.monotonic() + 0.5
    errors, running = [], []
    for index, when in enumerate(plan.starts()):
        due = start + when
        while (left := due - time.monotonic()) > 0:
            time.sleep(left)
        running.append(playsound3.playsound(sound, block=False, backend=backend))
        errors.append((time.monotonic() - due) * 1000)
        if index % 20 == 0:
            running = [s for s in running if s.is_alive()]
    for sound_process in running:
        sound_process.wait()
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=240)
    parser.add_argument("--step-seconds", type=float, default=0.25)
    parser.add_argument(
        "--real-device",
        action="store_true",
        help="play on the default sound device instead of into a file",
    )
    args = parser.parse_args()
    plan = short_steps(args.steps, args.step_seconds)
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        if not args.real_device:
            home = folder / "home"
            home.mkdir()
            point_alsa_at_file(home, folder / "alsa.raw")
            os.environ["HOME"] = str(home)
        burners = [
            subprocess.Popen([sys.executable, "-c", BURNER])
            for _ in range(max(1, (os.cpu_count() or 2) - 1))
        ]
        try:
            all_errors, lead = run_limber(plan, folder)
            baseline = run_baseline(short_steps(min(args.steps, 120), args.step_seconds), folder)
        finally:
            for burner in burners:
                burner.kill()
        written = (folder / "alsa.raw").stat().st_size if not args.real_device else None
    print(
        f"cue timing: {args.steps} steps of {args.step_seconds:g} s at real time, "
        f"{len(burners)} busy process(es) on the other core(s)"
    )
    print(
        f"  measured sound-process start-up delay (lead less hand-over): "
        f"{(lead - 0.03) * 1000:.2f} ms"
    )
    press, errors = all_errors[0], all_errors[1:]
    print(f"  Start pressed to first sound process: {press:.2f} ms")
    report("limber (Qt controller + cue thread)", errors)
    worst_five = sorted(range(len(errors)), key=lambda i: -abs(errors[i]))[:5]
    print("    worst: " + ", ".join(f"boundary {i + 1} {errors[i]:+.2f} ms" for i in worst_five))
    report("baseline (bare sleep-until + Popen)", baseline)
    p99, worst = percentile(errors, 0.99), max(abs(e) for e in errors)
    ratio = percentile([abs(e) for e in errors], 0.99) / max(
        1e-9, percentile([abs(e) for e in baseline], 0.99)
    )
    print(f"  |error| p99 limber / baseline: {ratio:.2f}x")
    if written is not None:
        print(f"  samples in ALSA's file device after the run (the last sound): {written:,} bytes")
    verdict = "met" if p99 <= 5 and worst <= 20 else "NOT met"
    print(f"goal p99 <= 5 ms and max <= 20 ms: {verdict} (p99 {p99:.2f} ms, max {worst:.2f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
