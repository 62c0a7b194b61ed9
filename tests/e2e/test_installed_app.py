"""The installed `limber`, end to end, as a person gets it.

The real program (the console script pip installed), in a process of its own,
offscreen, from another folder: the library fills with the five routines, a
routine plays with sound through the real controller, cue thread and playsound3
backend into ALSA's file device, Esc stops it, History shows the logged session
with its charts drawn, and the window closes. tests/e2e/driver/sitecustomize.py
presses the keys from inside the process; a traceback or a Qt warning fails it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from app import APP_ID
from app.main import ICON_SIZES
from tests.sound import point_alsa_at_file, sound_bytes

DRIVER = Path(__file__).resolve().parent / "driver"
ROUTINE = "thoracic-spine-roller-twisters"
# The get-ready countdown (5 s) and the first reps, with their cues.
PLAY_SECONDS = 8.0
# Qt's offscreen platform says this of every window it shows; no user sees it.
OFFSCREEN_REMARK = "This plugin does not support propagateSizeHints"


def person_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A desktop session's environment of a person's own, with ALSA writing to a file."""
    home = tmp_path / "home"
    runtime = tmp_path / "runtime"
    for folder in (home, runtime):
        folder.mkdir(mode=0o700)
    sound = tmp_path / "alsa-out.raw"
    point_alsa_at_file(home, sound)
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_RUNTIME_DIR": str(runtime),
        "LIMBER_DATA_DIR": str(tmp_path / "data"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    return env, sound


@pytest.mark.slow
def test_the_installed_app_fills_plays_with_sound_logs_and_charts(
    tmp_path: Path, limber: Path
) -> None:
    env, sound = person_env(tmp_path)
    shot = tmp_path / "history.png"
    driven = {
        **env,
        "PYTHONPATH": str(DRIVER),
        "LIMBER_E2E_ROUTINE": ROUTINE,
        "LIMBER_E2E_PLAY_SECONDS": str(PLAY_SECONDS),
        "LIMBER_E2E_SHOT": str(shot),
    }
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = subprocess.run(
        [str(limber)],
        cwd=elsewhere,
        env=driven,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    complaints = [line for line in done.stderr.splitlines() if OFFSCREEN_REMARK not in line]
    assert complaints == [], done.stderr
    assert done.returncode == 0, done.stdout
    lines = {line.split()[0]: line.split()[1:] for line in done.stdout.splitlines()}
    assert lines["library"] == ["5"]
    assert lines["identity"] == [APP_ID, str(len(ICON_SIZES)), "True"]
    cues = lines["played"][1].split(",")
    assert "count" in cues and "go" in cues, cues
    assert lines["audio"][0] == "True", lines["audio"]
    assert lines["history"] == ["2", "1", "stopped"]  # the History tab, one session
    assert "closed" in lines
    samples = sound.read_bytes()
    assert len(samples) >= sound_bytes(cues), "some cues were not heard to their end"
    assert samples.count(0) < len(samples) / 2, "the sound written is silence"
    picture = QImage(str(shot))
    assert picture.width() >= 800 and picture.height() >= 600

    listed = subprocess.run(
        [str(limber), "history", "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    (session,) = map(json.loads, listed.stdout.splitlines())
    assert session["routine_id"] == ROUTINE and session["status"] == "stopped"
    assert session["seconds"] >= PLAY_SECONDS - 1


@pytest.mark.slow
@pytest.mark.parametrize(("signal_number", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_or_sigterm_closes_the_window_and_logs_the_session_as_stopped(
    signal_number: int, status: int, tmp_path: Path, limber: Path
) -> None:
    env, _ = person_env(tmp_path)
    driven = {
        **env,
        "PYTHONPATH": str(DRIVER),
        "LIMBER_E2E_ROUTINE": ROUTINE,
        # Past the 5-second get-ready countdown: a session stopped in it is not logged.
        "LIMBER_E2E_PLAY_SECONDS": "6",
        "LIMBER_E2E_THEN": "wait",
    }
    with subprocess.Popen(
        [str(limber)],
        cwd=tmp_path,
        env=driven,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as running:
        assert running.stdout is not None
        for line in running.stdout:
            if line.strip() == "playing":
                break
        running.send_signal(signal_number)
        try:
            out, err = running.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            running.kill()
            out, err = running.communicate()
            pytest.fail(f"Limber went on after {signal_number!r}:\n{err}")
    complaints = [line for line in err.splitlines() if OFFSCREEN_REMARK not in line]
    assert complaints == [], err
    assert running.returncode == status, out
    listed = subprocess.run(
        [str(limber), "history", "--json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    (session,) = map(json.loads, listed.stdout.splitlines())
    assert session["status"] == "stopped"
