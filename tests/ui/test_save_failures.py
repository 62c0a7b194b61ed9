"""Saving a routine when the disk is full or the folder cannot be written: the
editor stays open with the work, the undo entry stays, and a box says why."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.recorder import LogWriter, SessionRecorder
from app.storage.session_log import SessionLog
from app.ui.library.routine_editor import RoutineEditor
from app.ui.main_window import MainWindow
from tests.full_disk import fill, free, full_folder
from tests.storage.log_helpers import record
from tests.ui.conftest import WindowFactory
from tests.ui.test_routine_editor import type_into


def boxes(parent: QWidget) -> list[str]:
    """The texts of the message boxes showing over `parent`."""
    return [box.text() for box in parent.findChildren(QMessageBox) if box.isVisible()]


def user_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("filler"))


def edited_routine(window: MainWindow) -> RoutineEditor:
    editor = window.library_actions.new_routine()
    type_into(editor.fields["id"], "pre-run")
    type_into(editor.fields["name"], "Pre-run")
    return editor


def test_a_full_disk_keeps_the_editor_open_with_the_work(
    window: MainWindow, data_dir: Path
) -> None:
    with full_folder(data_dir / "routines") as folder:
        editor = edited_routine(window)
        assert not editor.save()
        assert editor.isVisible() and editor.dirty
        assert editor.fields["name"].text() == "Pre-run"  # type: ignore[union-attr]
        [message] = boxes(editor)
        assert message.startswith("“Pre-run” could not be saved: cannot write ")
        assert "No space left on device" in message
        assert user_files(folder) == []  # no routine, no temp file
        assert "pre-run" not in {s.routine.id for s in window.routines.store.all()}
        free(folder)
        assert editor.save()
        assert not editor.isVisible()
        assert user_files(folder) == ["pre-run.json"]
        assert window.library.selected_id() == "pre-run"


def test_a_folder_that_cannot_be_made_keeps_the_editor_open(
    window: MainWindow, data_dir: Path
) -> None:
    data_dir.mkdir(exist_ok=True)
    (data_dir / "routines").write_text("")  # where the folder should be
    editor = edited_routine(window)
    assert not editor.save()
    assert editor.isVisible()
    [message] = boxes(editor)
    assert f"cannot write {data_dir / 'routines'} (File exists)" in message


def test_a_renamed_routine_that_cannot_be_saved_keeps_the_old_file(
    window: MainWindow, data_dir: Path
) -> None:
    with full_folder(data_dir / "routines") as folder:
        free(folder)
        assert edited_routine(window).save()
        fill(folder)
        window.library.select("pre-run")
        editor = window.library_actions.edit_routine()
        assert editor is not None
        type_into(editor.fields["id"], "pre-run-long")
        type_into(editor.fields["name"], "Pre-run, longer")
        assert not editor.save()
        assert editor.isVisible()
        assert user_files(folder) == ["pre-run.json"]
        assert window.routines.store.find("pre-run").routine.name == "Pre-run"


def test_a_failed_undo_says_so_and_keeps_the_undo(window: MainWindow, data_dir: Path) -> None:
    editor = edited_routine(window)
    assert editor.save()
    window.library_actions.delete_routine()
    folder = data_dir / "routines"
    folder.rmdir()
    folder.write_text("")  # the routines folder cannot be made now
    window.undo()
    [message] = boxes(window)
    assert message.startswith("Could not undo delete of the routine “Pre-run”: cannot write")
    assert message.endswith("Ctrl+Z tries again.")
    assert window.undo_action.isEnabled()
    assert "Pre-run" in window.undo_action.text()
    folder.unlink()
    window.undo()
    assert window.routines.store.find("pre-run").routine.name == "Pre-run"
    # Next on the undo list: the save that made the routine.
    assert window.undo_action.text() == "&Undo new routine “Pre-run”"


def test_a_session_whose_undo_cannot_be_written_stays_on_the_undo_list(
    make_window: WindowFactory, data_dir: Path
) -> None:
    log = SessionLog(data_dir / "log")
    log.open()
    session = record()
    log.finish(session)
    window = make_window(SessionRecorder(log, LogWriter()))
    window.sessions.arrived(log.sessions())
    window.delete_session(session)
    assert window.sessions.recorder is not None and window.sessions.recorder.writer.flush()
    month = data_dir / "log" / "sessions-2026-11.json"
    month.rename(month.with_suffix(".kept"))
    month.mkdir()  # the session's month cannot be written now
    window.undo()
    assert window.sessions.recorder.writer.flush()
    QApplication.processEvents()
    [message] = boxes(window)
    assert message.startswith("Could not restore the session of 2026-11-21 08:00")
    assert message.endswith("Ctrl+Z tries again.")
    assert session.id not in {s.id for s in window.history.sessions}
    assert window.undo_action.isEnabled()
    month.rmdir()
    month.with_suffix(".kept").rename(month)
    window.undo()
    assert window.sessions.recorder.writer.flush()
    assert session.id in {s.id for s in SessionLog(data_dir / "log").sessions()}
    assert session.id in {s.id for s in window.history.sessions}
