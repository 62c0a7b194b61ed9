"""Closing the window (or Ctrl+Q, File > Quit) mid-routine asks first; with nothing
under way, or on Ctrl+C and SIGTERM, it closes at once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.domain.clock import FakeClock
from app.domain.player import PlayerState
from app.ui.main_window import MainWindow
from tests.ui.conftest import run_for

ROUTINE = "spinal-rotation-heel-sitting"


def start(window: MainWindow, clock: FakeClock, seconds: float = 8) -> None:
    window.library.select(ROUTINE)
    window.library.start_button.click()
    run_for(window, clock, seconds)  # past the get-ready countdown, into the reps


def questions() -> list[QMessageBox]:
    """The message boxes on the screen, found as a person sees them."""
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def button(box: QMessageBox, text: str) -> QAbstractButton:
    return next(b for b in box.buttons() if b.text() == text)


def test_closing_mid_routine_asks_and_keep_going_is_the_default(
    window: MainWindow, clock: FakeClock, qtbot: QtBot
) -> None:
    start(window, clock)
    window.close()
    (box,) = questions()
    assert box.text() == "Stop the routine and quit?"
    assert box.textFormat() is Qt.TextFormat.PlainText
    assert sorted(b.text() for b in box.buttons()) == ["Keep going", "Stop and quit"]
    assert box.defaultButton().text() == "Keep going"
    assert box.escapeButton().text() == "Keep going"
    assert window.isVisible() and window.controller.mid_routine

    window.close()  # asked again: the same question comes to the front
    assert questions() == [box]

    QTest.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: questions() == [])
    assert window.isVisible()
    run_for(window, clock, 1)
    assert window.controller.player.state is PlayerState.RUNNING  # it kept going

    window.close()
    (box,) = questions()
    QTest.keyClick(box, Qt.Key.Key_Return)  # Enter takes the default: keep going
    qtbot.waitUntil(lambda: questions() == [])
    assert window.isVisible() and window.controller.mid_routine


@pytest.mark.parametrize("how", ["close", "ctrl+q", "file quit"])
def test_stop_and_quit_stops_the_routine_and_closes(
    window: MainWindow, clock: FakeClock, qtbot: QtBot, how: str
) -> None:
    start(window, clock)
    window.primary_action.trigger()  # paused counts as under way too
    assert window.controller.player.state is PlayerState.PAUSED
    quit_action = next(
        a for a in window.findChildren(type(window.stop_action)) if a.text() == "&Quit"
    )
    answers: list[str] = []

    def answer() -> None:
        (box,) = questions()
        answers.append(box.text())
        button(box, "Stop and quit").click()

    QTimer.singleShot(0, answer)
    asks: dict[str, Callable[[], object]] = {
        "close": window.close,
        "ctrl+q": lambda: QTest.keyClick(window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
        "file quit": quit_action.trigger,
    }
    qtbot.waitUntil(lambda: quit_action.shortcut().toString() == "Ctrl+Q")
    asks[how]()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert answers == ["Stop the routine and quit?"]
    assert window.controller.player.state is PlayerState.STOPPED


def test_nothing_under_way_closes_without_asking(
    window: MainWindow, clock: FakeClock, qtbot: QtBot
) -> None:
    window.close()  # nothing loaded
    assert not window.isVisible() and questions() == []

    window.show()
    window.library.select(ROUTINE)
    window.load_routine(window.library.selected_routine(), window.library.plan_settings())
    window.close()  # loaded, not started
    assert not window.isVisible() and questions() == []

    window.show()
    start(window, clock)
    window.stop_action.trigger()  # stopped
    window.close()
    assert not window.isVisible() and questions() == []

    window.show()
    start(window, clock, seconds=60)  # to the end
    assert window.controller.player.state is PlayerState.FINISHED
    window.close()
    assert not window.isVisible() and questions() == []


def test_quitting_on_a_signal_never_asks(window: MainWindow, clock: FakeClock) -> None:
    # What Ctrl+C in the terminal and SIGTERM call (app.main.close_on_signals).
    start(window, clock)
    window.quit_without_asking()
    assert not window.isVisible() and questions() == []
    assert window.controller.player.state is PlayerState.STOPPED
