"""A run stopped in its opening get-ready countdown is not logged: no row, stopped
or in progress. Through the real controller, recorder, log and terminal player,
on a fake clock."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.application.player import PlayerController
from app.domain.clock import FakeClock
from app.domain.plan import PlanSettings, build_plan
from app.domain.routine import Exercise, Kind, Routine, Sides
from app.domain.session import SessionRecord, SessionStatus
from app.recorder import LogWriter, SessionRecorder
from app.storage.session_log import SessionLog
from app.terminal_player import INTERRUPTED, play_in_terminal
from tests.ui.conftest import RecordingCuePlayer

# countdown 5 s | left 3 reps x 4 s | switch 5 s | right 3 reps x 4 s
ROTATION = Routine(
    "rotation",
    "Rotation",
    (Exercise("Rotation", Kind.REPS, reps=3, tempo=4, sides=Sides.EACH, switch_seconds=5),),
)


@pytest.fixture
def log(tmp_path: Path) -> SessionLog:
    opened = SessionLog(tmp_path / "log")
    opened.open()
    return opened


@pytest.fixture
def recorder(log: SessionLog) -> Iterator[SessionRecorder]:
    recorder = SessionRecorder(log, LogWriter())
    yield recorder
    recorder.writer.close()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def controller(qtbot: QtBot, clock: FakeClock, recorder: SessionRecorder) -> PlayerController:
    controller = PlayerController(clock, RecordingCuePlayer(), recorder)
    controller.load_routine(ROTATION, PlanSettings())
    return controller


def advance(controller: PlayerController, clock: FakeClock, seconds: float) -> None:
    """Lets `seconds` pass, polling as the controller's timers would."""
    for _ in range(round(seconds / 0.1)):
        clock.advance(0.1)
        controller.poll()


def written(recorder: SessionRecorder) -> tuple[list[SessionRecord], list[SessionRecord]]:
    """The finished sessions and those in progress, once every write is done."""
    assert recorder.writer.flush()
    return recorder.log.sessions(), recorder.log.in_progress()


def test_start_then_stop_in_the_countdown_logs_nothing(
    controller: PlayerController, clock: FakeClock, recorder: SessionRecorder
) -> None:
    ended: list[SessionRecord] = []
    recorder.on_finished(ended.append)
    controller.primary()
    advance(controller, clock, 2)
    controller.stop()
    assert written(recorder) == ([], [])
    assert ended == [] and recorder.latest is None
    assert not (recorder.log.folder / "plans.json").exists()


def test_the_row_is_written_when_the_first_exercise_begins_and_kept_from_then(
    controller: PlayerController, clock: FakeClock, recorder: SessionRecorder
) -> None:
    controller.primary()
    advance(controller, clock, 4.8)
    assert written(recorder) == ([], [])  # a crash now leaves nothing behind
    advance(controller, clock, 0.4)  # the first exercise begins at 5 s
    finished, (live,) = written(recorder)
    assert finished == [] and live.status is SessionStatus.IN_PROGRESS  # crash-safe
    assert recorder.log.plan(live.plan_id) is not None
    controller.back()  # back into the countdown, then stopped there: still logged
    controller.stop()
    (session,), live_rows = written(recorder)
    assert session.status is SessionStatus.STOPPED and live_rows == []
    assert session.started <= session.ended  # the start is when Start was pressed


def test_skipping_the_countdown_and_stopping_at_once_logs_a_stopped_session(
    controller: PlayerController, recorder: SessionRecorder
) -> None:
    controller.primary()
    controller.skip()
    controller.stop()
    (session,), live_rows = written(recorder)
    assert session.status is SessionStatus.STOPPED and live_rows == []
    assert recorder.log.plan(session.plan_id) is not None


def test_loading_another_routine_in_the_countdown_logs_nothing(
    controller: PlayerController, clock: FakeClock, recorder: SessionRecorder
) -> None:
    controller.primary()
    advance(controller, clock, 1)
    controller.load_routine(ROTATION, PlanSettings())  # stops the one playing
    controller.primary()
    advance(controller, clock, 6)
    controller.stop()
    (session,), _ = written(recorder)  # only the second, which reached its exercise
    assert session.status is SessionStatus.STOPPED


def play_until_ctrl_c(recorder: SessionRecorder, after: float) -> tuple[int, str]:
    """`limber play --no-window` with Ctrl+C `after` seconds in."""
    clock, out = FakeClock(), io.StringIO()
    began = clock.now()
    plan = build_plan(ROTATION)
    recorder.prepare(ROTATION, plan, None)

    def sleep(seconds: float) -> None:
        if clock.now() - began >= after:
            raise KeyboardInterrupt
        clock.advance(min(seconds, 0.1))

    status = play_in_terminal(
        plan,
        clock,
        RecordingCuePlayer(),
        out,  # type: ignore[arg-type]
        sleep=sleep,
        recorder=recorder,
    )
    return status, out.getvalue()


def test_ctrl_c_in_the_terminals_first_countdown_logs_nothing(
    recorder: SessionRecorder,
) -> None:
    status, out = play_until_ctrl_c(recorder, after=2)
    assert status == INTERRUPTED
    assert out.endswith("\nStopped before the first exercise: not logged.\n")
    assert written(recorder) == ([], [])


def test_ctrl_c_in_the_terminal_after_the_countdown_logs_a_stopped_session(
    recorder: SessionRecorder,
) -> None:
    status, out = play_until_ctrl_c(recorder, after=7)
    # Stopped, then the summary of the session logged, as the end screen has it.
    assert status == INTERRUPTED
    assert out.split("\nStopped.\n")[1].startswith("  0:07 in all, stopped early\n")
    (session,), live_rows = written(recorder)
    assert session.status is SessionStatus.STOPPED and live_rows == []
