"""The window controlled from the floor: media keys, a phone or a headset over
MPRIS, and the screen kept on while it plays (app.main.serve_media), on a private
session bus with a stand-in screen saver."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.application.awake import NO_WAY
from app.application.mpris import BUS_NAME, OBJECT_PATH, PLAYER_INTERFACE
from app.application.session_bus import SESSION_BUS_ENV, session_bus
from app.domain.plan import PlanSettings
from app.domain.player import PlayerState
from app.main import serve_media
from app.ui.main_window import MainWindow
from tests.private_bus import DesktopService, PrivateBus

HEEL_SITTING = "spinal-rotation-heel-sitting"


def load(window: MainWindow) -> None:
    stored = window.routines.get(HEEL_SITTING)
    assert stored is not None
    window.load_routine(stored.routine, PlanSettings())


def test_the_media_keys_play_the_window_s_routine_and_keep_the_screen_on(
    qtbot: QtBot,
    window: MainWindow,
    private_bus: PrivateBus,
    desktop_service: Callable[..., DesktopService],
) -> None:
    saver = desktop_service("screensaver")
    end = serve_media(window, private_bus.connect())
    load(window)
    private_bus.send(qtbot, BUS_NAME, OBJECT_PATH, f"{PLAYER_INTERFACE}.PlayPause")
    assert window.controller.screen.state is PlayerState.RUNNING
    qtbot.waitUntil(lambda: len(saver.active) == 1)
    private_bus.send(qtbot, BUS_NAME, OBJECT_PATH, "org.mpris.MediaPlayer2.Raise")
    end()  # as Limber quits, mid-routine
    qtbot.waitUntil(lambda: not saver.active)
    names = private_bus.send(
        qtbot, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.ListNames"
    )
    assert BUS_NAME not in names


def test_without_a_session_bus_the_status_bar_says_so_once(window: MainWindow) -> None:
    end = serve_media(window, None)
    load(window)
    window.controller.primary()
    assert window.statusBar().currentMessage().startswith(NO_WAY)
    window.statusBar().clearMessage()
    window.controller.primary()
    window.controller.primary()
    assert window.statusBar().currentMessage() == ""
    end()


def test_no_session_bus_is_used_without_its_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SESSION_BUS_ENV, raising=False)
    assert session_bus() is None


def connect_to(address: str) -> subprocess.CompletedProcess[str]:
    """session_bus() in a process of its own (Qt connects once a process)."""
    code = (
        "from app.application.session_bus import session_bus; bus = session_bus();"
        "print(bus and bus.baseService())"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        env={**os.environ, SESSION_BUS_ENV: address},
    )


def test_the_session_bus_is_the_one_its_address_names(private_bus: PrivateBus) -> None:
    assert connect_to(private_bus.address).stdout.startswith(":1.")


def test_a_session_bus_that_is_not_there_is_none_and_nothing_is_said(tmp_path: Path) -> None:
    done = connect_to(f"unix:path={tmp_path / 'no-bus'}")
    assert (done.stdout, done.stderr) == ("None\n", "")
