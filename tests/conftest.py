"""Shared test set-up: Qt offscreen, and a data dir of the test's own."""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    from pytestqt.qtbot import QtBot

    from tests.private_bus import DesktopService, PrivateBus

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# The tests run against the installed Limber (see tests/test_package.py). A child
# Python started with `-c` or `-m` would put its working folder first on sys.path
# and, started from the repository, import the source tree instead.
os.environ["PYTHONSAFEPATH"] = "1"
# No test, nor a Limber a test starts, reaches the desktop's own session bus: a
# test that needs a bus starts one of its own (the private_bus fixture).
os.environ.pop("DBUS_SESSION_BUS_ADDRESS", None)


@pytest.fixture(autouse=True)
def collect_qt_garbage() -> Iterator[None]:
    """Collects each test's Qt objects on the main thread when it ends.

    A test's windows and QObjects can end up in reference cycles; left to
    Python's cyclic collector, they could be freed on whichever thread allocates
    next (the log writer's, a QThread of a later test), and a Qt object deleted
    off its thread warns or crashes.
    """
    yield
    gc.collect()


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Points LIMBER_DATA_DIR at a fresh folder so no test touches the real one."""
    folder = tmp_path / "limber-data"
    monkeypatch.setenv("LIMBER_DATA_DIR", str(folder))
    return folder


@pytest.fixture(scope="session")
def limber() -> Path:
    """The installed `limber` program: the console script beside this Python."""
    program = Path(sys.executable).parent / ("limber.exe" if os.name == "nt" else "limber")
    assert program.is_file(), f"no installed limber at {program}: pip install '.[test]' first"
    return program


@pytest.fixture
def private_bus() -> Iterator[PrivateBus]:
    """A D-Bus session bus of the test's own; it is shut down after the test."""
    from tests.private_bus import PrivateBus

    bus = PrivateBus()
    yield bus
    bus.close()


@pytest.fixture
def desktop_service(
    qtbot: QtBot, private_bus: PrivateBus
) -> Iterator[Callable[..., DesktopService]]:
    """Starts stand-ins for the desktop's services on the private bus:
    `desktop_service("screensaver")`, `desktop_service("screensaver", "/ScreenSaver")`
    or `desktop_service("portal")`; they are ended after the test."""
    from tests.private_bus import DesktopService

    started: list[DesktopService] = []

    def start(which: str, *path: str) -> DesktopService:
        started.append(DesktopService(qtbot, private_bus, which, *path))
        return started[-1]

    yield start
    for service in started:
        service.close()
