"""The playsound3 cue player through the real backend: samples written, failures reported."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.audio.playsound_player import NO_BACKEND, PlaysoundCuePlayer
from app.domain.plan import CueKind


def wait_for(condition: object, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def test_a_cue_plays_through_playsound3_and_alsa_writes_its_samples(
    alsa_file: Path, tmp_path: Path
) -> None:
    player = PlaysoundCuePlayer(tmp_path / "cache", volume=100)
    try:
        assert player.wait_ready()
        assert player.status.available, player.status.message
        assert player.backend is not None
        player.play(CueKind.GO, time.monotonic())
        assert wait_for(lambda: any(launch.kind == "go" for launch in player.launches))
        player.drain(timeout=10)
    finally:
        player.close()
    assert alsa_file.exists() and alsa_file.stat().st_size > 1000
    assert any(alsa_file.read_bytes()), "only silence reached the device"
    assert player.status.available


def test_a_cue_starts_at_its_moment_not_when_handed_over(alsa_file: Path, tmp_path: Path) -> None:
    player = PlaysoundCuePlayer(tmp_path / "cache", volume=50)
    try:
        assert player.wait_ready()
        due = time.monotonic() + 0.3
        player.play(CueKind.REP, due)
        assert wait_for(lambda: any(launch.kind == "rep" for launch in player.launches))
        launch = next(launch for launch in player.launches if launch.kind == "rep")
        # Started no sooner than its moment less the measured start-up delay.
        assert launch.started_at >= due - launch.launch_seconds - 0.005
    finally:
        player.close()


def test_cancel_drops_cues_not_yet_started(alsa_file: Path, tmp_path: Path) -> None:
    player = PlaysoundCuePlayer(tmp_path / "cache")
    try:
        assert player.wait_ready()
        player.play(CueKind.GO, time.monotonic() + 0.5)
        player.cancel()
        player.drain(timeout=5)  # nothing is left to start
        assert not any(launch.kind == "go" for launch in player.launches)
    finally:
        player.close()


def test_no_sound_device_is_reported_not_raised(alsa_nowhere: None, tmp_path: Path) -> None:
    player = PlaysoundCuePlayer(tmp_path / "cache")
    try:
        assert player.wait_ready()
        if player.backend != "alsa":
            pytest.skip(f"only aplay reports a missing device; the backend is {player.backend}")
        assert wait_for(lambda: not player.status.available)
        assert "is a sound device connected?" in player.status.message
        player.play(CueKind.GO, time.monotonic())  # still no exception
    finally:
        player.close()


def test_no_audio_player_at_all_is_reported_not_raised(tmp_path: Path) -> None:
    code = (
        "from pathlib import Path; from app.audio.playsound_player import PlaysoundCuePlayer;"
        "import time; from app.domain.plan import CueKind;"
        f"p = PlaysoundCuePlayer(Path({str(tmp_path)!r})); p.wait_ready();"
        "p.play(CueKind.GO, time.monotonic()); print(p.status.available); print(p.status.message);"
        "p.close()"
    )
    # A PATH with none of the players playsound3 looks for. This Python is started
    # by its own path: a link to it elsewhere would lose a venv's packages.
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {**os.environ, "PATH": str(empty)}
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["False", NO_BACKEND]


def test_changing_the_volume_mid_routine_keeps_cues_playing(
    alsa_file: Path, tmp_path: Path
) -> None:
    player = PlaysoundCuePlayer(tmp_path / "cache", volume=80)
    try:
        assert player.wait_ready()
        now = time.monotonic()
        for offset in (0.0, 0.05, 0.1, 0.15):
            player.play(CueKind.REP, now + offset)
            player.set_volume(20 if offset else 60)
        player.drain(timeout=10)
        assert [launch.kind for launch in player.launches].count("rep") == 4
        assert player.status.available, player.status.message
        assert (tmp_path / "cache" / "sounds-20" / "rep.wav").exists()
    finally:
        player.close()
