"""What a second `limber` hands the open window: it comes to the front, and plays
the routine handed over, asking first when one is under way."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.domain.clock import FakeClock
from app.domain.plan import PlanSettings, build_plan
from app.domain.player import PlayerState
from app.domain.routine import Routine, Side
from app.ui.instance_requests import InstanceRequests
from app.ui.main_window import PLAYER, MainWindow
from tests.ui.conftest import run_for

HEEL_SITTING = "spinal-rotation-heel-sitting"
TWISTERS = "thoracic-spine-roller-twisters"


def routine(window: MainWindow, routine_id: str) -> Routine:
    stored = window.routines.get(routine_id)
    assert stored is not None
    return stored.routine


def questions() -> list[QMessageBox]:
    return [
        w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def decoy(qtbot: QtBot) -> QWidget:
    """Another window, made the active one."""
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    other.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is other)
    return other


def test_a_routine_handed_over_starts_with_its_saved_weaker_side(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.settings.set_weak_side(HEEL_SITTING, Side.LEFT)
    decoy(qtbot)
    InstanceRequests(window).play(routine(window, HEEL_SITTING), None)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert window.controller.player is not None
    assert window.controller.player.state is PlayerState.RUNNING
    expected = build_plan(routine(window, HEEL_SITTING), PlanSettings(weak_side=Side.LEFT))
    assert window.controller.player.plan == expected
    assert window.tabs.currentIndex() == PLAYER
    assert window.library.selected_id() == HEEL_SITTING


def test_the_weaker_side_given_wins_over_the_saved_one(window: MainWindow) -> None:
    window.settings.set_weak_side(HEEL_SITTING, Side.LEFT)
    InstanceRequests(window).play(routine(window, HEEL_SITTING), PlanSettings(weak_side=None))
    assert window.controller.player is not None
    assert window.controller.player.plan == build_plan(
        routine(window, HEEL_SITTING), PlanSettings()
    )


def test_a_routine_under_way_is_replaced_only_when_the_person_says_so(
    window: MainWindow, clock: FakeClock, qtbot: QtBot
) -> None:
    requests = InstanceRequests(window)
    requests.play(routine(window, HEEL_SITTING), None)
    run_for(window, clock, 8)

    requests.play(routine(window, TWISTERS), None)
    (box,) = questions()
    assert box.text() == (
        "“Spinal Rotation in Heel Sitting” is under way. "
        "Stop it and play “Thoracic Spine Roller Twisters”?"
    )
    assert box.textFormat() is Qt.TextFormat.PlainText
    assert box.defaultButton().text() == box.escapeButton().text() == "Keep going"
    QTest.keyClick(box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: questions() == [])
    assert window.controller.player is not None
    assert window.controller.player.plan.routine_id == HEEL_SITTING
    assert window.controller.player.state is PlayerState.RUNNING

    window.controller.primary()  # paused is under way too
    requests.play(routine(window, TWISTERS), None)
    requests.play(routine(window, TWISTERS), None)  # a later request replaces the question
    (box,) = questions()
    replace = next(b for b in box.buttons() if b.text().startswith("Stop and play"))
    assert replace.text() == "Stop and play “Thoracic Spine Roller Twisters”"
    replace.click()
    qtbot.waitUntil(lambda: questions() == [])
    assert window.controller.player.plan.routine_id == TWISTERS
    assert window.controller.player.state is PlayerState.RUNNING


def test_coming_to_the_front_unminimises_and_activates_the_window_shown(
    window: MainWindow, qtbot: QtBot
) -> None:
    requests = InstanceRequests(window)
    window.showMinimized()
    qtbot.waitUntil(window.isMinimized)
    decoy(qtbot)
    requests.bring_to_front()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    assert not window.isMinimized()

    window.toggle_compact()  # the compact window stands in for the main one
    decoy(qtbot)
    requests.bring_to_front()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window.compact)
    assert not window.isVisible()
