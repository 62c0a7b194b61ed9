"""The playsound3 cue player through the real backend: samples written, failures reported."""

from __future__ import annotations

import itertools
import os
import re
import subprocess
import sys
import threading
import time
import wave
from array import array
from pathlib import Path

import pytest

from app.audio.cue_player import AudioStatus
from app.audio.playsound_player import NO_BACKEND, PlaysoundCuePlayer
from app.audio.sounds import shipped_sound
from app.domain.plan import Cue, CueKind
from tests.sound import point_alsa_at_file

# How far from its moment a cue's sound process may start: the cue timing
# benchmark's goal for the worst cue (tests/bench/cue_timing.py).
LAUNCH_ERROR_SECONDS = 0.02


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
        player.play(Cue(0.0, CueKind.GO), time.monotonic())
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
        player.play(Cue(0.0, CueKind.REP), due)
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
        player.play(Cue(0.0, CueKind.GO), time.monotonic() + 0.5)
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
        player.play(Cue(0.0, CueKind.GO), time.monotonic())  # still no exception
    finally:
        player.close()


def test_no_audio_player_at_all_is_reported_not_raised(tmp_path: Path) -> None:
    code = (
        "from pathlib import Path; from app.audio.playsound_player import PlaysoundCuePlayer;"
        "import time; from app.domain.plan import Cue, CueKind;"
        f"p = PlaysoundCuePlayer(Path({str(tmp_path)!r})); p.wait_ready();"
        "p.play(Cue(0.0, CueKind.GO), time.monotonic());"
        "print(p.status.available); print(p.status.message);"
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
            player.play(Cue(0.0, CueKind.REP), now + offset)
            player.set_volume(20 if offset else 60)
        player.drain(timeout=10)
        assert [launch.kind for launch in player.launches].count("rep") == 4
        assert player.status.available, player.status.message
        assert (tmp_path / "cache" / "sounds-20" / "rep.wav").exists()
    finally:
        player.close()


def voluntary_switches(thread: threading.Thread) -> int:
    """How often `thread` has given up the CPU: each wake-up from a wait counts one."""
    status = Path(f"/proc/self/task/{thread.native_id}/status").read_text()
    found = re.search(r"^voluntary_ctxt_switches:\s*(\d+)$", status, re.MULTILINE)
    assert found, status
    return int(found[1])


def peak_of_raw(samples: bytes) -> int:
    return max(abs(s) for s in array("h", samples))


def shipped_peak(kind: str) -> int:
    with wave.open(str(shipped_sound(kind))) as sound:
        return peak_of_raw(sound.readframes(sound.getnframes()))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_an_idle_cue_thread_does_not_wake(alsa_file: Path, tmp_path: Path) -> None:
    others = set(threading.enumerate())
    player = PlaysoundCuePlayer(tmp_path / "cache")
    (thread,) = (t for t in threading.enumerate() if t not in others and t.name == "limber-cues")
    try:
        assert player.wait_ready()
        assert player.status.available, player.status.message
        player.drain(timeout=5)  # the start-up silence has played
        # One wake-up is allowed: the look at the silence that may have been pending.
        before = voluntary_switches(thread)
        time.sleep(1.5)
        assert voluntary_switches(thread) - before <= 1
        player.play(Cue(0.0, CueKind.GO), time.monotonic())  # and a cue still wakes it at once
        assert wait_for(lambda: any(launch.kind == "go" for launch in player.launches), 1.0)
    finally:
        player.close()
    assert not thread.is_alive()


def test_status_listeners_hear_each_change_once(alsa_nowhere: None, tmp_path: Path) -> None:
    heard: list[AudioStatus] = []
    lock_free: list[bool] = []
    player = PlaysoundCuePlayer(tmp_path / "cache")

    def listener(status: AudioStatus) -> None:
        heard.append(status)
        # Called outside the player's lock: another thread can take it meanwhile.
        other = threading.Thread(target=player.set_muted, args=(False,))
        other.start()
        other.join(timeout=2)
        lock_free.append(not other.is_alive())

    player.on_status(listener)
    try:
        assert player.wait_ready()
        if player.backend != "alsa":
            pytest.skip(f"only aplay reports a missing device; the backend is {player.backend}")
        assert wait_for(lambda: heard and not heard[-1].available)
        failed = heard[-1]
        assert failed == player.status
        assert "is a sound device connected?" in failed.message
        # The same failure again: the status does not change, nobody is called.
        player.play(Cue(0.0, CueKind.GO), time.monotonic())
        assert wait_for(lambda: any(launch.kind == "go" for launch in player.launches))
        player.drain(timeout=5)
        assert heard[-1] == failed and heard.count(failed) == 1
        # The device comes back: the next cue plays, and the listeners hear it.
        point_alsa_at_file(Path(os.environ["HOME"]), tmp_path / "alsa-out.raw")
        player.play(Cue(0.0, CueKind.REP), time.monotonic())
        assert wait_for(lambda: heard[-1].available)
        player.drain(timeout=5)
        assert heard[-1] == player.status == AudioStatus(True, "sound through alsa")
        assert heard[heard.index(failed) :] == [failed, player.status]
        assert all(earlier != later for earlier, later in itertools.pairwise(heard))
        assert all(lock_free)
    finally:
        player.close()


def test_a_volume_change_just_before_a_cue_does_not_delay_it(
    alsa_file: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    player = PlaysoundCuePlayer(cache, volume=80)
    try:
        assert player.wait_ready()
        assert player.status.available, player.status.message
        player.drain(timeout=5)
        asked = {80}
        for volume in (30, 55):
            # Handed over as the controller does, a lead before its moment.
            due = time.monotonic() + player.lead
            player.play(Cue(0.0, CueKind.REP), due)
            player.set_volume(volume)
            assert wait_for(lambda d=due: any(launch.due_at == d for launch in player.launches))
            launch = next(launch for launch in player.launches if launch.due_at == due)
            assert abs(launch.started_at - due) <= LAUNCH_ERROR_SECONDS, launch
            asked.add(volume)
            assert launch.volume in asked  # the new one once made, an older one till then
            player.drain(timeout=5)
    finally:
        player.close()


def test_a_dragged_volume_slider_makes_the_last_volume_without_a_set_per_step(
    alsa_file: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    player = PlaysoundCuePlayer(cache, volume=80)
    try:
        assert player.wait_ready()
        player.drain(timeout=5)
        for volume in range(80, 39, -1):
            player.set_volume(volume)
        assert wait_for((cache / "sounds-40" / "silence.wav").exists)
        made = sorted(int(folder.name.removeprefix("sounds-")) for folder in cache.iterdir())
        # What start-up made, what was being made when the drag went on, the last.
        assert made[0] == 40 and made[-1] == 80 and len(made) <= 4, made
        # Swapped in once made: a cue a moment later plays at the last volume.
        played = alsa_file.stat().st_size
        due = time.monotonic() + 0.1
        player.play(Cue(0.0, CueKind.GO), due)
        assert wait_for(lambda: any(launch.due_at == due for launch in player.launches))
        player.drain(timeout=5)
        assert next(launch for launch in player.launches if launch.due_at == due).volume == 40
        assert abs(peak_of_raw(alsa_file.read_bytes()[played:]) - shipped_peak("go") * 0.4) <= 2
        assert wait_for(
            lambda: not any(t.name == "limber-cue-volume" for t in threading.enumerate())
        )
    finally:
        player.close()


URL_MODULES = """
import sys, time
from pathlib import Path
from app.audio.playsound_player import PlaysoundCuePlayer
from app.domain.plan import Cue, CueKind
player = PlaysoundCuePlayer(Path(sys.argv[1]))
player.wait_ready()
player.play(Cue(0.0, CueKind.GO), time.monotonic())
player.drain(timeout=10)
loaded = [m for m in ("http.client", "ssl", "email.parser") if m in sys.modules]
print(player.status.available, loaded)
import urllib.request  # whoever uses it gets the real module
print(urllib.request.Request("file:///x").type, "ssl" in sys.modules)
player.close()
"""


def test_playsound3_does_not_load_what_urls_need(tmp_path: Path) -> None:
    # playsound3 imports urllib.request (http.client, email, ssl: 3.1 MiB of the
    # idle window) for sounds given as URLs, which Limber never plays.
    home = tmp_path / "home"
    home.mkdir()
    out = tmp_path / "samples.raw"
    point_alsa_at_file(home, out)
    done = subprocess.run(
        [sys.executable, "-c", URL_MODULES, str(tmp_path / "cache")],
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(home)},
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["True []", "file True"]
    assert out.stat().st_size > 0  # the cue was played, through playsound3's backend
