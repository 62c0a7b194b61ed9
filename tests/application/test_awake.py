"""The screen stays on while a routine plays: asked of stand-ins for the screen
saver and the desktop portal on a private session bus, of a stand-in caffeinate,
and of a stand-in for Windows's SetThreadExecutionState."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.application.awake import (
    ES_CONTINUOUS,
    ES_DISPLAY_REQUIRED,
    ES_SYSTEM_REQUIRED,
    NO_WAY,
    Caffeinate,
    ExecutionState,
    StayAwake,
)
from app.application.dbus_inhibit import NOTHING_ANSWERED, PORTAL_IDLE, PORTAL_SUSPEND, REASON
from app.application.media_session import MediaSession
from app.application.player import PlayerController
from app.audio.cue_player import AudioStatus, NullCuePlayer
from app.domain.clock import FakeClock
from app.domain.plan import PlanSettings
from app.domain.player import PlayerState
from app.domain.routine import Exercise, Kind, Routine
from tests.private_bus import DesktopService, PrivateBus

Start = Callable[..., DesktopService]

SHORT = Routine(
    "short",
    "Short",
    (
        Exercise("Squat", Kind.REPS, reps=3),  # waits for the person
        Exercise("Plank", Kind.HOLD, seconds=10),
    ),
)


def playing(bus: PrivateBus | None) -> tuple[PlayerController, FakeClock, StayAwake]:
    """A controller with SHORT loaded, kept awake through `bus` as the window is."""
    clock = FakeClock()
    controller = PlayerController(clock, NullCuePlayer(AudioStatus(True, "")))
    controller.load_routine(SHORT, PlanSettings())
    session = MediaSession(controller, lambda: None, controller)
    awake = StayAwake(bus.connect() if bus else None, controller)
    session.playing_changed.connect(awake.follow)
    return controller, clock, awake


def test_the_screen_saver_is_inhibited_while_a_routine_plays_and_no_longer(
    qtbot: QtBot, private_bus: PrivateBus, desktop_service: Start
) -> None:
    saver = desktop_service("screensaver")
    controller, clock, awake = playing(private_bus)
    controller.primary()  # start
    qtbot.waitUntil(lambda: len(saver.active) == 1)
    inhibit = saver.calls[0]
    assert (inhibit["app"], inhibit["reason"]) == ("Limber", REASON)
    controller.primary()  # pause
    qtbot.waitUntil(lambda: not saver.active)
    # The cookie, sent as the uint32 it is (an int32 would find no such method).
    assert saver.calls[-1] == {"call": "UnInhibit", "cookie": inhibit["cookie"]}
    controller.primary()  # resume
    qtbot.waitUntil(lambda: len(saver.active) == 1)
    controller.stop()
    qtbot.waitUntil(lambda: not saver.active)
    controller.primary()  # again, from the start, to the end
    qtbot.waitUntil(lambda: len(saver.active) == 1)
    controller.skip()  # the countdown: on to the squats, which wait for the person
    assert controller.screen.waiting  # and play on: held still (the calls below say so)
    controller.continue_step()
    controller.skip()  # the countdown before the plank
    for _ in range(110):
        clock.advance(0.1)
        controller.poll()
    assert controller.screen.state is PlayerState.FINISHED
    qtbot.waitUntil(lambda: not saver.active)
    assert [call["call"] for call in saver.calls] == ["Inhibit", "UnInhibit"] * 3
    awake.close()


def test_closing_releases_what_is_held(
    qtbot: QtBot, private_bus: PrivateBus, desktop_service: Start
) -> None:
    saver = desktop_service("screensaver", "/ScreenSaver")  # KDE's other path
    controller, _clock, awake = playing(private_bus)
    controller.primary()
    qtbot.waitUntil(lambda: len(saver.active) == 1)
    awake.close()  # as Limber quits
    qtbot.waitUntil(lambda: not saver.active)


def test_without_a_screen_saver_the_portal_is_asked(
    qtbot: QtBot, private_bus: PrivateBus, desktop_service: Start
) -> None:
    portal = desktop_service("portal")
    controller, _clock, awake = playing(private_bus)
    controller.primary()
    qtbot.waitUntil(lambda: len(portal.calls) == 1)
    inhibit = portal.calls[0]
    assert (inhibit["window"], inhibit["options"]) == ("", {"reason": REASON})
    assert inhibit["flags"] == PORTAL_SUSPEND | PORTAL_IDLE
    controller.primary()  # pause: the request is closed
    qtbot.waitUntil(lambda: len(portal.calls) == 2)
    assert portal.calls[1] == {"call": "Close", "path": inhibit["path"]}
    awake.close()


def test_when_nothing_answers_it_is_said_once(qtbot: QtBot, private_bus: PrivateBus) -> None:
    controller, _clock, awake = playing(private_bus)
    said: list[str] = []
    awake.unavailable.connect(said.append)
    controller.primary()
    qtbot.waitUntil(lambda: said == [NOTHING_ANSWERED])
    controller.primary()
    controller.primary()  # played again: not said again
    awake.close()
    qtbot.wait(50)  # a second report would come by a queued signal
    assert said == [NOTHING_ANSWERED]


def test_without_a_bus_it_is_said_once_and_nothing_else(qtbot: QtBot) -> None:
    controller, _clock, awake = playing(None)
    said: list[str] = []
    awake.unavailable.connect(said.append)
    controller.primary()
    controller.primary()
    controller.primary()
    assert len(said) == 1 and said[0].startswith(NO_WAY)
    awake.close()


KILLED_LIMBER = """
import sys
from PySide6.QtCore import QCoreApplication
from PySide6.QtDBus import QDBusConnection
from app.application.dbus_inhibit import DBusInhibitor

app = QCoreApplication([])
bus = QDBusConnection.connectToBus(sys.argv[1], "limber")
DBusInhibitor(bus, print).hold()
app.exec()
"""


def test_a_killed_limber_leaves_the_bus_and_its_inhibit_goes_with_it(
    qtbot: QtBot, private_bus: PrivateBus, desktop_service: Start
) -> None:
    saver = desktop_service("screensaver")
    limber = subprocess.Popen(
        [sys.executable, "-c", KILLED_LIMBER, private_bus.address],
        env={**os.environ, "DBUS_SESSION_BUS_ADDRESS": private_bus.address},
    )
    try:
        qtbot.waitUntil(lambda: len(saver.active) == 1, timeout=20_000)
        limber.send_signal(signal.SIGKILL)  # no chance to release anything
        limber.wait()
        # The bus says the name went (NameOwnerChanged), and the service lets go.
        qtbot.waitUntil(lambda: not saver.active)
        assert [call["call"] for call in saver.calls] == ["Inhibit"]
        assert saver.events[-1] == {"gone": saver.calls[0]["sender"]}
    finally:
        limber.kill()
        limber.wait()


def test_caffeinate_runs_while_held_and_follows_limber(qtbot: QtBot, tmp_path: Path) -> None:
    said = tmp_path / "args"
    program = tmp_path / "caffeinate"
    # Written whole, then renamed: the test sees all of it or nothing.
    program.write_text(
        f'#!/bin/sh\necho "$@" > {said}.part\nmv {said}.part {said}\nexec sleep 60\n'
    )
    program.chmod(0o755)
    caffeinate = Caffeinate(print, str(program))
    caffeinate.hold()
    process = caffeinate._process
    assert process is not None
    caffeinate.hold()  # held already: one caffeinate
    assert caffeinate._process is process
    qtbot.waitUntil(said.exists)  # it has started
    caffeinate.release()
    assert process.returncode is not None  # ended
    assert said.read_text().split() == ["-d", "-i", "-w", str(os.getpid())]
    failures: list[str] = []
    Caffeinate(failures.append, str(tmp_path / "missing")).hold()
    assert failures and failures[0].startswith(f"{NO_WAY}: caffeinate could not be run")


def test_windows_requires_the_display_and_the_system_until_released() -> None:
    states: list[int] = []
    failures: list[str] = []

    def set_state(flags: int) -> int:
        states.append(flags)
        return 0 if len(states) == 3 else ES_CONTINUOUS  # the third call is refused

    windows = ExecutionState(failures.append, set_state)
    windows.hold()
    windows.release()
    assert states == [ES_CONTINUOUS | ES_SYSTEM_REQUIRED | ES_DISPLAY_REQUIRED, ES_CONTINUOUS]
    windows.hold()
    assert failures == [f"{NO_WAY}: Windows refused"]
