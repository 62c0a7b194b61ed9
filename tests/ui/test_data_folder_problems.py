"""A data folder that is a file, or a settings.ini that is a link: the window
opens, works with what it can, and says what is wrong."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app.domain.clock import FakeClock
from app.main import build_window, open_data
from app.storage.settings import Settings
from app.ui.main_window import HISTORY, MainWindow
from tests.ui.conftest import RecordingCuePlayer


def opened(
    qtbot: QtBot, settings: Settings, clock: FakeClock, cues: RecordingCuePlayer
) -> MainWindow:
    """The window as `limber` opens it, up to the log's writer starting."""
    window, _ = build_window(settings, clock, cues)
    qtbot.addWidget(window)
    window.show()
    open_data(window)
    QApplication.processEvents()  # the log is opened a turn later, and the notices shown
    qtbot.addWidget(window.compact)
    if window.sessions.recorder is not None:
        window.sessions.recorder.writer.close()
    return window


def shown_boxes(window: MainWindow) -> list[str]:
    return [box.text() for box in window.findChildren(QMessageBox) if box.isVisible()]


def test_a_data_folder_that_is_a_file_opens_the_window_and_says_so(
    qtbot: QtBot, clock: FakeClock, cues: RecordingCuePlayer, tmp_path: Path, data_dir: Path
) -> None:
    data_dir.write_text("")
    window = opened(qtbot, Settings(data_dir), clock, cues)
    assert window.sessions.recorder is None
    assert "Reading your routines" not in window.statusBar().currentMessage()
    window.library.select("spinal-rotation-heel-sitting")  # the built-in ones are there
    assert window.library.selected_id() == "spinal-rotation-heel-sitting"
    routines = data_dir / "routines"
    log = data_dir / "log"
    assert shown_boxes(window) == [
        f"Your own routines cannot be read or saved: the routines folder {routines} cannot "
        f"be made: {data_dir} is a file, not a folder\n\n"
        f"Sessions will not be logged: the log folder {log} cannot be made: {data_dir} is "
        "a file, not a folder"
    ]
    window.tabs.setCurrentIndex(HISTORY)
    assert window.history.empty.text() == (
        f"Sessions will not be logged: the log folder {log} cannot be made: {data_dir} is "
        "a file, not a folder"
    )


def test_a_log_folder_that_is_a_file_leaves_the_routines_working(
    qtbot: QtBot,
    clock: FakeClock,
    cues: RecordingCuePlayer,
    data_dir: Path,
) -> None:
    data_dir.mkdir()
    (data_dir / "log").write_text("")
    window = opened(qtbot, Settings(data_dir), clock, cues)
    assert window.sessions.recorder is None
    message = (
        f"Sessions will not be logged: the log folder {data_dir / 'log'} is a file, not a folder"
    )
    assert shown_boxes(window) == [message]
    window.tabs.setCurrentIndex(HISTORY)
    assert window.history.empty.text() == message
    editor = window.library_actions.new_routine()
    assert editor.save()
    assert (data_dir / "routines" / "my-routine.json").is_file()


@pytest.mark.parametrize("link", [True, False], ids=["symlink", "fifo"])
def test_a_settings_file_that_is_a_link_or_a_fifo_is_never_written_through(
    link: bool,
    tmp_path: Path,
    data_dir: Path,
) -> None:
    data_dir.mkdir()
    path = data_dir / "settings.json"
    target = tmp_path / "elsewhere.txt"
    target.write_text("the user's own file\n")
    if link:
        path.symlink_to(target)
    else:
        os.mkfifo(path)
    settings = Settings(data_dir)  # a FIFO is not opened: this would hang
    settings.volume = 30
    settings.save()
    assert settings.volume == 30  # kept for this run
    assert target.read_text() == "the user's own file\n"
    assert path.is_symlink() == link


def test_the_window_says_why_settings_are_not_saved(
    qtbot: QtBot, clock: FakeClock, cues: RecordingCuePlayer, tmp_path: Path, data_dir: Path
) -> None:
    data_dir.mkdir()
    path = data_dir / "settings.json"
    target = tmp_path / "elsewhere.txt"
    target.write_text("the user's own file\n")
    path.symlink_to(target)
    window = opened(qtbot, Settings(data_dir), clock, cues)
    window.close()  # the window's size goes to the settings
    window.settings.save()
    assert target.read_text() == "the user's own file\n"
    assert shown_boxes(window) == [
        f"Settings are not saved: {path} is a symbolic link, not followed. Limber does not "
        "write through it; replace it with a plain file (or remove it) to keep your settings."
    ]
