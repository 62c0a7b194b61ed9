"""Sessions played in the window go to the real log: checkpoints, the end, the answers."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.domain.clock import FakeClock
from app.domain.routine import Side
from app.domain.session import SessionStatus, WorkDone
from app.recorder import LogWriter, SessionRecorder
from app.storage.session_log import SessionLog
from app.storage.settings import Settings
from app.ui.main_window import HISTORY, MainWindow
from tests.ui.conftest import RecordingCuePlayer, WindowFactory, run_for


@pytest.fixture
def log(data_dir: Path) -> SessionLog:
    opened = SessionLog(data_dir / "log")
    opened.open()
    return opened


@pytest.fixture
def logging_window(make_window: WindowFactory, log: SessionLog) -> MainWindow:
    return make_window(SessionRecorder(log, LogWriter()))


def start(window: MainWindow, routine_id: str, side: Side | None) -> None:
    window.library.select(routine_id)
    window.library.set_weak_side(side)
    window.library.start_button.click()


def flush(window: MainWindow) -> None:
    assert window.sessions.recorder is not None and window.sessions.recorder.writer.flush()


def test_a_completed_session_is_logged_with_each_side(
    logging_window: MainWindow, clock: FakeClock, log: SessionLog
) -> None:
    start(logging_window, "spinal-rotation-heel-sitting", Side.LEFT)
    run_for(logging_window, clock, 20)
    flush(logging_window)
    (live,) = log.in_progress()  # checkpointed after every step
    assert live.status is SessionStatus.IN_PROGRESS and live.work[0].done == 3
    run_for(logging_window, clock, 25)
    flush(logging_window)
    (session,) = log.sessions()
    assert session.status is SessionStatus.COMPLETED and session.weak_side == "left"
    assert session.active_seconds == pytest.approx(42, abs=0.2)
    assert session.work == (
        WorkDone("Spinal rotation in heel sitting", 0, "right", "reps", 3, 3),
        WorkDone("Spinal rotation in heel sitting", 0, "left", "reps", 5, 5),
    )
    assert log.plan(session.plan_id) is not None and log.in_progress() == []
    assert session.started_at.utcoffset() is not None


def test_the_summary_asks_which_side_felt_tighter_and_saves_it(
    logging_window: MainWindow, clock: FakeClock, log: SessionLog
) -> None:
    start(logging_window, "spinal-rotation-heel-sitting", Side.LEFT)
    run_for(logging_window, clock, 45)
    summary = logging_window.player_view.summary
    assert summary.isVisible()
    assert "Spinal rotation in heel sitting: right 3 reps, left 5 reps" in summary.lines.text()
    assert summary.hint.text().startswith("Keys: L left, R right, S same")
    question = summary.questions.itemAtPosition(0, 0).widget()
    assert question.text() == "▶ Spinal rotation in heel sitting: which side felt tighter?"
    logging_window.activateWindow()
    QTest.qWaitForWindowActive(logging_window)
    QTest.keyClick(logging_window, Qt.Key.Key_L)  # the key answers the first question
    flush(logging_window)
    assert log.sessions()[0].tighter == {"0": "left"}
    assert not question.text().startswith("▶")  # nothing left for the keys
    assert summary.hint.text() == ""  # nor a hint of a ▶ no longer there
    left = summary.questions.itemAtPosition(0, 1).widget()
    assert left.isChecked()
    # The answer shows in the highlight colour, readable from across the room.
    image = left.grab().toImage()
    highlight = left.palette().color(left.palette().ColorRole.Highlight)
    pixels = [image.pixelColor(x, y) for x in range(image.width()) for y in range(image.height())]
    assert sum(p == highlight for p in pixels) > len(pixels) / 2
    right = next(
        b
        for b in summary.findChildren(type(logging_window.player_view.stop_button))
        if b.text() == "Right (R)"
    )
    assert not right.isChecked()
    right.click()
    flush(logging_window)
    assert log.sessions()[0].tighter == {"0": "right"}
    # "Same" is an answer of its own, kept apart from no answer at all.
    same = next(b for b in summary.findChildren(type(right)) if b.text() == "Same (S)")
    same.click()
    flush(logging_window)
    assert log.sessions()[0].tighter == {"0": "same"}
    assert same.isChecked() and not right.isChecked()


def test_stopping_halfway_logs_a_stopped_session(
    logging_window: MainWindow, clock: FakeClock, log: SessionLog
) -> None:
    start(logging_window, "thoracic-spine-roller-twisters", None)
    run_for(logging_window, clock, 20)
    logging_window.controller.stop()
    flush(logging_window)
    (session,) = log.sessions()
    assert session.status is SessionStatus.STOPPED
    assert session.work[0].done == 5 and session.work[0].cut_short == 1


def test_closing_the_window_mid_routine_logs_it_as_stopped(
    logging_window: MainWindow, clock: FakeClock, log: SessionLog
) -> None:
    start(logging_window, "five-movements-healthy-back", None)
    run_for(logging_window, clock, 10)
    logging_window.close()  # asks first
    assert logging_window.quit_question is not None
    stop = next(b for b in logging_window.quit_question.buttons() if b.text() == "Stop and quit")
    stop.click()
    assert not logging_window.isVisible()
    flush(logging_window)
    assert [s.status for s in log.sessions()] == [SessionStatus.STOPPED]


@pytest.fixture
def open_in_background(
    qtbot: QtBot, clock: FakeClock, cues: RecordingCuePlayer, settings: Settings
) -> Iterator[Callable[[], MainWindow]]:
    """Builds a window whose log is opened on the writer's thread, as `limber` does."""
    from app.main import build_window, open_data

    windows: list[MainWindow] = []

    def build() -> MainWindow:
        main, _ = build_window(settings, clock, cues)
        qtbot.addWidget(main)
        main.show()
        open_data(main)
        qtbot.addWidget(main.compact)
        windows.append(main)
        return main

    yield build
    for main in windows:
        assert main.sessions.recorder is not None
        main.sessions.recorder.writer.close()


def test_a_repaired_log_is_announced_at_start_up(
    data_dir: Path, open_in_background: Callable[[], MainWindow], qtbot: QtBot
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from tests.storage.log_helpers import record

    log = SessionLog(data_dir / "log")
    kept = [record(), record()]
    for session in kept:
        log.finish(session)
    (data_dir / "log" / "sessions-2026-11.json").write_bytes(b'{"sessions": {"1": ')
    main = open_in_background()
    qtbot.waitUntil(lambda: bool(main.findChildren(QMessageBox)))
    text = main.findChildren(QMessageBox)[0].text()
    assert "could not be read" in text and "restored its backup" in text
    qtbot.waitUntil(lambda: len(main.history.sessions) == 1)  # the backup: one session
    assert main.history.sessions[0].id == kept[0].id


def test_a_log_from_a_newer_limber_is_left_alone_and_the_window_says_why(
    data_dir: Path, open_in_background: Callable[[], MainWindow], qtbot: QtBot, clock: FakeClock
) -> None:
    import json

    from PySide6.QtWidgets import QMessageBox

    from tests.storage.log_helpers import record

    SessionLog(data_dir / "log").finish(record())
    month = data_dir / "log" / "sessions-2026-11.json"
    document = json.loads(month.read_text())
    document["meta"] = {"1": {"schema": 9}}
    month.write_text(json.dumps(document))
    before = {p.name: p.read_bytes() for p in (data_dir / "log").glob("*.json")}
    main = open_in_background()
    qtbot.waitUntil(lambda: bool(main.findChildren(QMessageBox)))
    assert "newer Limber" in main.findChildren(QMessageBox)[0].text()
    main.tabs.setCurrentIndex(HISTORY)
    assert "newer Limber" in main.history.empty.text() and not main.history.empty.isHidden()
    main.history.goal.setValue(5)  # a redraw keeps saying so
    assert "newer Limber" in main.history.empty.text()
    start(main, "spinal-rotation-heel-sitting", None)  # played, but not written
    run_for(main, clock, 45)
    flush(main)
    assert {p.name: p.read_bytes() for p in (data_dir / "log").glob("*.json")} == before


def test_the_terminal_player_is_told_a_newer_log_turns_logging_off(data_dir: Path) -> None:
    import json

    from app.main import open_log
    from tests.storage.log_helpers import record

    log = SessionLog(data_dir / "log")
    log.finish(record())
    month = data_dir / "log" / "sessions-2026-11.json"
    document = json.loads(month.read_text())
    document["meta"] = {"1": {"schema": 9}}
    month.write_text(json.dumps(document))
    said: list[tuple[str, str]] = []
    recorder, problem = open_log(lambda kind, text: said.append((kind, text)))
    assert recorder is not None and problem == ""
    recorder.writer.start()
    recorder.writer.close()
    kind, text = said[0]
    assert kind == "refused" and text.startswith("Sessions will not be logged: ")
    assert "newer Limber" in text
