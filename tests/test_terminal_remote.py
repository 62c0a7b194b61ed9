"""`limber play --no-window` as a media player: the real command on a private bus,
driven by dbus-send as a phone or a headset would, keeping the screen on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.application.mpris import BUS_NAME, OBJECT_PATH, PLAYER_INTERFACE
from app.domain.clock import FakeClock
from app.domain.driver import Control
from app.terminal_player import Requests
from tests.private_bus import DesktopService, PrivateBus

HOLDS = {
    "format": "limber-routine",
    "version": 1,
    "id": "holds",
    "name": "Holds",
    "exercises": [
        {"name": "Long hold", "kind": "hold", "seconds": 60},
        {"name": "Squat", "kind": "reps", "reps": 5},
        {"name": "Last hold", "kind": "hold", "seconds": 60},
    ],
}


class Terminal:
    """The real `limber play holds --no-window`, its output read line by line."""

    def __init__(self, tmp_path: Path, data_dir: Path, bus: PrivateBus) -> None:
        routine = tmp_path / "holds.json"
        routine.write_text(json.dumps(HOLDS))
        env = {
            **os.environ,
            "HOME": str(tmp_path),
            "LIMBER_DATA_DIR": str(data_dir),
            "DBUS_SESSION_BUS_ADDRESS": bus.address,
        }
        subprocess.run(
            [sys.executable, "-m", "app", "routines", "import", str(routine)],
            env=env,
            check=True,
            capture_output=True,
        )
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app", "play", "holds", "--no-window", "--no-voice"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def said(self, text: str) -> Callable[[], bool]:
        return lambda: any(text in line for line in self.lines)


def test_the_terminal_player_pauses_skips_finishes_and_stops_over_mpris(
    qtbot: QtBot,
    tmp_path: Path,
    data_dir: Path,
    private_bus: PrivateBus,
    desktop_service: Callable[..., DesktopService],
) -> None:
    saver = desktop_service("screensaver")
    terminal = Terminal(tmp_path, data_dir, private_bus)
    process = terminal.process
    try:

        def press(button: str) -> None:
            private_bus.send(qtbot, BUS_NAME, OBJECT_PATH, f"{PLAYER_INTERFACE}.{button}")

        def status() -> str:
            return private_bus.send(
                qtbot, BUS_NAME, OBJECT_PATH, "org.freedesktop.DBus.Properties.Get",
                f"string:{PLAYER_INTERFACE}", "string:PlaybackStatus",
            )  # fmt: skip

        qtbot.waitUntil(lambda: len(saver.active) == 1, timeout=20_000)  # the screen kept on
        qtbot.waitUntil(lambda: 'string "Playing"' in status(), timeout=10_000)
        press("PlayPause")
        qtbot.waitUntil(terminal.said("Paused"), timeout=10_000)
        qtbot.waitUntil(lambda: not saver.active)  # released while paused
        assert 'string "Paused"' in status()
        press("PlayPause")
        qtbot.waitUntil(lambda: len(saver.active) == 1, timeout=10_000)
        press("Next")  # the get-ready countdown
        press("Next")  # the long hold
        qtbot.waitUntil(terminal.said("at your pace"), timeout=10_000)
        press("Next")  # done with the squats, at the person's pace
        qtbot.waitUntil(terminal.said("Last hold"), timeout=10_000)
        press("Stop")
        process.wait(timeout=20)
        qtbot.waitUntil(lambda: not saver.active)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 0
    # Stopped, then the summary of the session logged, as the end screen has it.
    end = terminal.lines[terminal.lines.index("Stopped.") + 1 :]
    assert end[0].endswith(" in all, stopped early") and end[-1] == "  Squat: 5 reps"
    assert process.stderr is not None and "Traceback" not in process.stderr.read()
    assert [call["call"] for call in saver.calls].count("Inhibit") == 2


def test_requests_wake_the_terminal_at_once_and_a_closed_input_ends_a_wait() -> None:
    requests = Requests()
    requests.put(Control.PRIMARY)
    assert requests.sleep(30.0) is Control.PRIMARY  # at once, not in 30 s
    assert requests.sleep(0.01) is None
    read, write = os.pipe()
    with os.fdopen(read) as stream:
        requests.read(stream)
        # Not read before a wait for Enter: a job in the background would be stopped.
        assert "limber-terminal-input" not in {t.name for t in threading.enumerate()}
        os.write(write, b"\n")
        assert requests.wait_for_enter() == "enter"
        os.close(write)
        with pytest.raises(EOFError):
            requests.wait_for_enter()
        with pytest.raises(EOFError):  # and again: it stays closed
            requests.wait_for_enter()
    # With media controls on the bus, a closed input waits for their buttons.
    requests.buttons = True
    requests.put(Control.NEXT)
    assert requests.wait_for_enter() is Control.NEXT


def test_a_button_while_the_terminal_sleeps_is_applied_at_once() -> None:
    import io

    from app.domain.plan import PlanSettings, build_plan
    from app.domain.routine import Exercise, Kind, Routine
    from app.terminal_player import play_in_terminal
    from tests.ui.conftest import RecordingCuePlayer

    routine = Routine("r", "R", (Exercise("Hold", Kind.HOLD, seconds=60),))
    clock, out = FakeClock(), io.StringIO()
    buttons = iter([None, Control.NEXT, None, Control.STOP])

    def sleep(seconds: float) -> object:
        clock.advance(seconds)
        return next(buttons, None)

    status = play_in_terminal(
        build_plan(routine, PlanSettings()),
        clock,
        RecordingCuePlayer(),
        out,  # type: ignore[arg-type]
        sleep=sleep,
    )
    lines = out.getvalue().splitlines()
    assert status == 0 and lines[-1] == "Stopped."
    assert any(line.strip().startswith("0:05") for line in lines)  # Next left the countdown
