"""The application layer without a window: models, use cases, one undo list, and
work handed from another thread to the GUI thread."""

from __future__ import annotations

import threading
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.application.history import SessionHistory
from app.application.library import LibraryError, RoutineLibrary
from app.application.to_main import ToMain
from app.application.undo import UndoHistory
from app.domain.routine import Exercise, Kind, Routine
from app.recorder import LogWriter, SessionRecorder
from app.storage.routine_store import RoutineStore
from app.storage.session_log import SessionLog
from app.storage.settings import Settings
from tests.storage.log_helpers import record

HIPS = Routine("hips", "Hips", (Exercise("Hip circle", Kind.REPS, reps=5),))


def library(folder: Path) -> tuple[RoutineLibrary, UndoHistory]:
    undo = UndoHistory()
    routines = RoutineLibrary(RoutineStore(folder / "routines"), Settings(folder), undo)
    routines.load()
    return routines, undo


def ids(routines: RoutineLibrary) -> set[str]:
    return {s.routine.id for s in routines.routines if not s.builtin}


def test_save_edit_delete_each_undo_and_redo_in_order(qtbot: QtBot, tmp_path: Path) -> None:
    routines, undo = library(tmp_path)
    changes: list[int] = []
    routines.changed.connect(lambda: changes.append(1))
    routines.save(HIPS, replaces=None)
    harder = Routine("hips-harder", "Hips, harder", HIPS.exercises)
    routines.save(harder, replaces="hips")  # an edit that changed the id
    assert ids(routines) == {"hips-harder"}
    routines.delete(harder)
    assert (
        ids(routines) == set() and undo.stack.undoText() == "delete of the routine “Hips, harder”"
    )
    assert undo.undo() and ids(routines) == {"hips-harder"}
    assert undo.undo() and ids(routines) == {"hips"}  # the edit taken back
    assert undo.undo() and ids(routines) == set()  # the new routine taken back
    assert not undo.undo()
    assert undo.redo() and undo.redo() and ids(routines) == {"hips-harder"}
    assert len(changes) >= 8  # the views heard of every change


def test_a_built_in_routine_cannot_be_deleted(qtbot: QtBot, tmp_path: Path) -> None:
    routines, undo = library(tmp_path)
    builtin = routines.routines[0].routine
    try:
        routines.delete(builtin)
    except LibraryError as exc:
        assert "built-in" in str(exc)
    else:  # pragma: no cover
        raise AssertionError("deleted a built-in routine")
    assert not undo.stack.canUndo()


def test_an_undo_that_cannot_be_written_stays_on_the_list(qtbot: QtBot, tmp_path: Path) -> None:
    routines, undo = library(tmp_path)
    routines.save(HIPS, replaces=None)
    routines.delete(HIPS)
    folder = tmp_path / "routines"
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()
    folder.write_text("")  # the routines folder cannot be made
    failures: list[str] = []
    undo.failed.connect(failures.append)
    assert not undo.undo()
    assert failures[0].startswith("Could not undo delete of the routine “Hips”: cannot write")
    assert undo.stack.undoText() == "delete of the routine “Hips”"  # still there
    folder.unlink()
    assert undo.undo() and ids(routines) == {"hips"}


def test_the_history_keeps_sessions_in_order_and_hears_the_log_thread(
    qtbot: QtBot, tmp_path: Path
) -> None:
    log = SessionLog(tmp_path / "log")
    early = record("2026-11-01T08:00:00+01:00")
    late = record("2026-11-20T08:00:00+01:00")
    log.finish(late)
    recorder = SessionRecorder(log, LogWriter())
    history = SessionHistory(lambda _report: (recorder, ""), UndoHistory(), ToMain())
    gui = threading.get_ident()
    heard: list[int] = []
    history.reset.connect(lambda: heard.append(threading.get_ident()))
    history.load()  # read on the writer's thread, shown on this one
    qtbot.waitUntil(lambda: history.loaded, timeout=5000)
    assert heard == [gui] and [s.id for s in history.sessions] == [late.id]
    history.annotate(early)  # an older session, put in its place (and written)
    assert [s.id for s in history.sessions] == [early.id, late.id]
    history.delete(late)
    assert recorder.writer.flush() and [s.id for s in log.sessions()] == [early.id]
    notices: list[str] = []
    history.notice.connect(notices.append)
    history.report("notice", "from the log's thread")
    thread = threading.Thread(target=history.report, args=("refused", "the log is newer"))
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(notices) == 2, timeout=5000)
    assert history.unavailable == "the log is newer"
    recorder.writer.close()


def test_the_player_looks_at_the_screen_only_when_it_changes(qtbot: QtBot) -> None:
    """No poll: the refresh timer is set for the next change, and off while paused."""
    from app.application.player import PlayerController
    from app.audio.cue_player import AudioStatus, NullCuePlayer
    from app.domain.clock import FakeClock
    from app.domain.plan import PlanSettings
    from app.domain.routine import Sides
    from app.domain.screen import next_change

    clock = FakeClock()
    controller = PlayerController(clock, NullCuePlayer(AudioStatus(True, "")))
    routine = Routine(
        "r", "R", (Exercise("Cat cow", Kind.REPS, reps=4, tempo=3.0, sides=Sides.EACH),)
    )
    controller.load_routine(routine, PlanSettings())
    refresh = controller._refresh
    assert not refresh.isActive()  # ready: nothing moves
    controller.primary()
    for _ in range(40):
        snapshot = controller.snapshot()
        assert snapshot is not None
        wait = next_change(snapshot)
        assert wait is not None and refresh.isActive() and refresh.isSingleShot()
        assert abs(refresh.interval() - wait * 1000) <= 1
        clock.advance(wait)
        controller.poll()
    controller.primary()  # paused
    assert not refresh.isActive()


def test_nothing_ticks_while_a_step_waits_past_its_estimate(qtbot: QtBot) -> None:
    from app.application.player import PlayerController
    from app.audio.cue_player import AudioStatus, NullCuePlayer
    from app.domain.clock import FakeClock
    from app.domain.plan import PlanSettings

    clock = FakeClock()
    controller = PlayerController(clock, NullCuePlayer(AudioStatus(True, "")))
    squat = Exercise("Squat", Kind.REPS, reps=3, instructions=("Sit back", "Stand tall"))
    controller.load_routine(Routine("r", "R", (squat,)), PlanSettings())
    controller.primary()
    for _ in range(600):  # a minute on the floor, past the step's estimate
        clock.advance(0.1)
        controller.poll()
    assert controller.screen.waiting
    assert not controller._refresh.isActive() and not controller._boundary.isActive()


def test_work_handed_to_the_gui_thread_runs_on_its_next_turn_from_any_thread(
    qtbot: QtBot,
) -> None:
    to_main = ToMain()
    ran: list[tuple[str, int]] = []
    to_main.run(lambda: ran.append(("gui", threading.get_ident())))
    assert ran == []  # not at once, on the GUI thread either
    thread = threading.Thread(
        target=lambda: to_main.run(lambda: ran.append(("thread", threading.get_ident())))
    )
    thread.start()
    thread.join()
    qtbot.waitUntil(lambda: len(ran) == 2, timeout=5000)
    assert sorted(ran) == [("gui", threading.get_ident()), ("thread", threading.get_ident())]
