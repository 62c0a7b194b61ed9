"""One Limber per user and data folder, with the installed `limber` in processes
of their own: a second `limber` brings the first one's window to the front and
ends, `limber play ROUTINE` hands the routine over, a socket left by a crashed
Limber does not stop the next one, and SIGTERM still quits without asking.

The first Limber runs offscreen with tests/e2e/watcher/sitecustomize.py loaded,
which prints what its window is asked to do.
"""

from __future__ import annotations

import os
import queue
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.application.single_instance import instance_address
from tests.application.test_single_instance import listener

WATCHER = Path(__file__).resolve().parent / "watcher"
# Qt's offscreen platform says these of every window it shows or raises.
OFFSCREEN_REMARKS = ("does not support propagateSizeHints()", "does not support raise()")
# A second `limber` never opens a window: it should be done long before this.
HAND_OVER_S = 10.0


class FirstLimber:
    """The installed `limber` running with the watcher; its lines read in the background."""

    def __init__(self, limber: Path, cwd: Path, **env: str) -> None:
        self.process = subprocess.Popen(
            [str(limber)],
            cwd=cwd,
            env={**os.environ, "PYTHONPATH": str(WATCHER), **env},
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def wait_for(self, expected: str, timeout: float = 60.0) -> list[str]:
        """The lines up to the first that starts with `expected`, which must come."""
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while not seen or not seen[-1].startswith(expected):
            try:
                seen.append(self.lines.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                pytest.fail(f"no {expected!r} from the first Limber; it said {seen}")
        return seen

    def stop(self, signal_number: int = signal.SIGTERM) -> tuple[int, str]:
        """Sends it a signal; its exit status and what it said on stderr."""
        self.process.send_signal(signal_number)
        try:
            _, err = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            _, err = self.process.communicate()
            pytest.fail(f"the first Limber went on after {signal_number!r}:\n{err}")
        return self.process.returncode, err


@pytest.fixture
def first(limber: Path, tmp_path: Path) -> Iterator[FirstLimber]:
    running = FirstLimber(limber, tmp_path, QT_QPA_PLATFORM="offscreen", LIMBER_WATCH_DECOY="1")
    yield running
    if running.process.poll() is None:
        running.process.kill()
        running.process.communicate()


def second(limber: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """A second `limber`, which must end by itself, quickly."""
    started = time.monotonic()
    done = subprocess.run(
        [str(limber), *args],
        capture_output=True,
        text=True,
        timeout=HAND_OVER_S,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert time.monotonic() - started < HAND_OVER_S
    return done


def complaints(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not line.endswith(OFFSCREEN_REMARKS)]


def test_a_second_limber_hands_over_to_the_first_and_ends(first: FirstLimber, limber: Path) -> None:
    first.wait_for("serving")
    first.wait_for("active QWidget")  # the watcher's own window is in front

    raised = second(limber)
    assert (raised.returncode, raised.stderr) == (0, "")
    assert raised.stdout == "Limber is open already: brought its window to the front.\n"
    first.wait_for("active MainWindow")

    played = second(limber, "play", "spinal-rotation-heel-sitting", "--weak-side", "left")
    assert (played.returncode, played.stderr) == (0, "")
    assert played.stdout == (
        "Limber is open already: handed it “Spinal Rotation in Heel Sitting”.\n"
    )
    seen = first.wait_for("started")
    assert "loaded Spinal Rotation in Heel Sitting, weaker side left" in seen
    assert seen[-1] == "started spinal-rotation-heel-sitting"

    # Mid-routine, another routine handed over is asked about, not started.
    replacing = second(limber, "play", "scorpion-stretch-progressions")
    assert replacing.returncode == 0, replacing.stderr
    seen = first.wait_for("question")
    assert seen[-1] == (
        "question “Spinal Rotation in Heel Sitting” is under way. "
        "Stop it and play “Scorpion Stretch Progressions”?"
    )

    # Neither the routine under way nor the question holds up SIGTERM.
    status, err = first.stop(signal.SIGTERM)
    assert status == 128 + signal.SIGTERM
    assert complaints(err) == []
    assert not Path(instance_address()).exists()  # the socket goes with its Limber


def test_a_socket_left_by_a_crashed_limber_does_not_stop_the_next(
    limber: Path, tmp_path: Path
) -> None:
    address = instance_address()
    stale = socket.socket(socket.AF_UNIX)
    stale.bind(address)  # a socket file no one listens at, as a crash leaves it
    stale.close()
    assert Path(address).exists()

    running = FirstLimber(limber, tmp_path, QT_QPA_PLATFORM="offscreen")
    try:
        running.wait_for("serving")
        raised = second(limber)
        assert (raised.returncode, raised.stdout) == (
            0,
            "Limber is open already: brought its window to the front.\n",
        )
    finally:
        status, err = running.stop(signal.SIGTERM)
    assert status == 128 + signal.SIGTERM
    assert complaints(err) == []


def test_limbers_of_two_data_folders_are_two(
    first: FirstLimber, limber: Path, tmp_path: Path
) -> None:
    first.wait_for("serving")
    other = {
        **os.environ,
        "LIMBER_DATA_DIR": str(tmp_path / "other"),
        "LIMBER_QUIT_WHEN_SHOWN": "1",
    }
    done = subprocess.run(
        [str(limber)], capture_output=True, text=True, timeout=60, check=True, env=other
    )
    assert done.stdout.split() == ["painted", "library", "sessions"]  # a window of its own


def test_a_routine_the_open_limber_cannot_take_is_said_in_one_line(limber: Path) -> None:
    # An open Limber that cannot find the routine, even reading its library
    # again, answers so; the second `limber` says it and fails, opening no window.
    with listener(instance_address(), b'{"v": 1, "ok": false}\n') as process:
        done = second(limber, "play", "spinal-rotation-heel-sitting")
        process.wait(5)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        "limber: the Limber already open cannot find “Spinal Rotation in Heel Sitting” "
        "in its library; close it and try again\n"
    )
