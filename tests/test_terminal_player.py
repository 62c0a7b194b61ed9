"""`limber play --no-window`: the terminal loop on a fake clock, and the real command."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from app.domain.clock import FakeClock
from app.domain.plan import CueKind, PlanSettings, build_plan
from app.domain.routine import Exercise, Kind, Routine, Side
from app.storage.paths import user_routines_dir
from app.storage.routine_store import RoutineStore
from app.terminal_player import INTERRUPTED, play_in_terminal
from tests.sound import point_alsa_at_file
from tests.ui.conftest import RecordingCuePlayer


def heel_sitting_plan() -> object:
    routine = RoutineStore(user_routines_dir()).find("spinal-rotation-heel-sitting").routine
    return build_plan(routine, PlanSettings(weak_side=Side.LEFT))


def test_the_terminal_prints_each_step_and_plays_every_cue() -> None:
    clock, cues, out = FakeClock(), RecordingCuePlayer(), io.StringIO()
    status = play_in_terminal(
        heel_sitting_plan(),
        clock,
        cues,
        out,  # type: ignore[arg-type]
        sleep=clock.advance,
    )
    assert status == 0
    assert out.getvalue().splitlines() == [
        "Spinal Rotation in Heel Sitting: 4 steps, 0:42. Ctrl+C stops.",
        "  0:00  RIGHT  Get ready: Spinal rotation in heel sitting: 5 s",
        "  0:05  RIGHT  Spinal rotation in heel sitting: 3 reps right",
        "  0:17  LEFT   Switch sides: switch to the left side",
        "  0:22  LEFT   Spinal rotation in heel sitting: 5 reps left",
        "Done! Well moved.",
    ]
    assert [k for k, _ in cues.played][-2:] == [CueKind.REP, CueKind.ROUTINE_DONE]
    assert [at - 1000.0 for k, at in cues.played if k is CueKind.GO] == [5.0, 22.0]


def test_ctrl_c_stops_cleanly() -> None:
    clock, cues, out = FakeClock(), RecordingCuePlayer(), io.StringIO()
    slept = 0

    def sleep(seconds: float) -> None:
        nonlocal slept
        slept += 1
        if slept == 20:
            raise KeyboardInterrupt
        clock.advance(seconds)

    status = play_in_terminal(
        heel_sitting_plan(),
        clock,
        cues,
        out,  # type: ignore[arg-type]
        sleep=sleep,
    )
    assert status == INTERRUPTED and out.getvalue().endswith("\nStopped.\n")
    assert cues.cancels == 1


def test_a_waiting_step_and_a_suspend_go_on_with_enter() -> None:
    routine = Routine(
        "r", "R", (Exercise("Squat", Kind.REPS, reps=6), Exercise("Hold", Kind.HOLD, seconds=10))
    )
    clock, cues, out = FakeClock(), RecordingCuePlayer(), io.StringIO()
    presses = []

    def sleep(seconds: float) -> None:
        clock.advance(seconds)
        if clock.now() > 1012 and not any(p == "suspend" for p in presses):
            presses.append("suspend")
            clock.suspend(3600)

    def enter() -> None:
        presses.append("enter")

    status = play_in_terminal(
        build_plan(routine), clock, cues, out, sleep=sleep, wait_for_enter=enter
    )
    assert status == 0
    text = out.getvalue()
    assert "6 reps, at your pace" in text and "At your pace: press Enter when done." in text
    assert "Paused: the computer slept. Press Enter to go on from this step.\nGoing on.\n" in text
    assert text.count("Going on.") == 1  # not after Done at the waiting step
    assert presses == ["enter", "suspend", "enter"]


@pytest.mark.slow
def test_limber_play_no_window_plays_a_routine_with_real_cues(
    tmp_path: Path, data_dir: Path
) -> None:
    home = tmp_path / "home"
    home.mkdir()
    out = tmp_path / "alsa.raw"
    point_alsa_at_file(home, out)
    routine = tmp_path / "short.json"
    routine.write_text(
        json.dumps(
            {
                "format": "limber-routine",
                "version": 1,
                "id": "short",
                "name": "Short",
                "exercises": [
                    {
                        "name": "Reach",
                        "kind": "reps",
                        "reps": 2,
                        "tempo": 0.5,
                        "sides": "each",
                        "switch_seconds": 1,
                    }
                ],
            }
        )
    )
    env = {**os.environ, "HOME": str(home), "LIMBER_DATA_DIR": str(data_dir)}
    subprocess.run(
        [sys.executable, "-m", "app", "routines", "import", str(routine)],
        env=env,
        check=True,
        capture_output=True,
    )
    done = subprocess.run(
        [sys.executable, "-m", "app", "play", "short", "--weak-side", "right", "--no-window"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Short: 4 steps, 0:09. Ctrl+C stops."
    assert lines[2] == "  0:05  LEFT   Reach: 2 reps left"
    assert lines[4] == "  0:07  RIGHT  Reach: 4 reps right"
    # The end, then the logged session's summary as the window's end screen has it.
    assert lines[-3] == "Done! Well moved."
    assert lines[-2].startswith("  0:") and lines[-2].endswith(" in all, completed")
    assert lines[-1] == "  Reach: left 2 reps, right 4 reps"
    assert out.exists() and any(out.read_bytes())
    # Said by espeak-ng: the words were rendered into the cache and played.
    assert list((data_dir / "cache" / "speech" / "espeak-ng").glob("*.wav"))
    spoken = out.stat().st_size
    out.unlink()
    chimes = subprocess.run(
        [sys.executable, "-m", "app", "play", "short", "--no-window", "--no-voice"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert chimes.returncode == 0, chimes.stderr
    # The words take longer than the chimes they replace (a second of speech is
    # 44 kB of samples at espeak-ng's 22,050 16-bit samples a second).
    assert spoken > out.stat().st_size + 44_000


@pytest.mark.slow
def test_ctrl_c_in_the_real_command_stops_with_130(tmp_path: Path, data_dir: Path) -> None:
    env = {**os.environ, "HOME": str(tmp_path), "LIMBER_DATA_DIR": str(data_dir)}
    with subprocess.Popen(
        [sys.executable, "-m", "app", "play", "thoracic-spine-roller-twisters", "--no-window"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None
        first = process.stdout.readline()
        assert first.startswith("Thoracic Spine Roller Twisters")
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 130, err
    # Stopped in the first get-ready countdown: nothing was done, nothing logged.
    assert out.rstrip().endswith("Stopped before the first exercise: not logged.")
    assert "Traceback" not in err


def test_the_terminal_says_when_sound_fails_and_when_it_comes_back() -> None:
    from app.audio.cue_player import AudioStatus

    clock, cues, out = FakeClock(), RecordingCuePlayer(), io.StringIO()
    cues.status = AudioStatus(False, "sound unavailable: no audio player found")
    slept = 0

    def sleep(seconds: float) -> None:
        nonlocal slept
        slept += 1
        if slept == 10:  # from the cue player's thread, as a device comes back
            cues.set_status(AudioStatus(True, "sound through alsa"))
        if slept == 30:
            cues.set_status(AudioStatus(False, "sound unavailable: alsa could not play"))
        clock.advance(seconds)

    status = play_in_terminal(
        heel_sitting_plan(),
        clock,
        cues,
        out,  # type: ignore[arg-type]
        sleep=sleep,
    )
    lines = out.getvalue().splitlines()
    assert status == 0
    assert lines[1] == "Sound unavailable: no audio player found; the routine goes on without cues."
    assert "Cues are back (sound through alsa)." in lines
    assert "Sound unavailable: alsa could not play; the routine goes on without cues." in lines


def test_the_terminal_says_once_why_cues_are_not_spoken() -> None:
    from app.audio.cue_player import AudioStatus

    clock, cues, out = FakeClock(), RecordingCuePlayer(), io.StringIO()
    cues.status = AudioStatus(
        True, "recording", voice="spoken cues are off: install espeak-ng to hear them; chimes only"
    )
    play_in_terminal(heel_sitting_plan(), clock, cues, out, sleep=clock.advance)  # type: ignore[arg-type]
    lines = out.getvalue().splitlines()
    assert lines[1] == "Spoken cues are off: install espeak-ng to hear them; chimes only."
    assert sum("espeak-ng" in line for line in lines) == 1
