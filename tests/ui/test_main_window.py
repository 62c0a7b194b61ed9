"""The main window: three views, the routine list, menus and shortcuts."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.storage.paths import user_routines_dir
from app.storage.routine_store import RoutineStore
from app.ui.main_window import MainWindow


def test_the_window_has_library_player_and_history(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.set_library(RoutineStore(user_routines_dir()))
    tabs = [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())]
    assert tabs == ["Library", "Player", "History"]
    names = [window.library.item(i).text() for i in range(window.library.count())]
    assert "Spinal Rotation in Heel Sitting" in names and len(names) == 5
    assert window.statusBar().currentMessage() == "5 routines"


def test_ctrl_number_switches_views(qtbot: QtBot) -> None:
    window = MainWindow()
    qtbot.addWidget(window)
    view_menu = window.menuBar().actions()[1].menu()
    shortcuts = {a.text(): a.shortcut().toString() for a in view_menu.actions()}
    assert shortcuts == {"Library": "Ctrl+1", "Player": "Ctrl+2", "History": "Ctrl+3"}
    view_menu.actions()[2].trigger()
    assert window.tabs.currentIndex() == 2
