"""The main window: views, menus, shortcuts, settings kept between runs."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from app.domain.clock import FakeClock
from app.domain.routine import Side
from app.main import open_library
from app.ui.app_settings import AppSettings
from app.ui.main_window import HISTORY, LIBRARY, PLAYER, MainWindow
from app.ui.player.controller import PlayerController
from tests.ui.conftest import RecordingCuePlayer


def test_the_window_has_library_player_and_history(window: MainWindow) -> None:
    tabs = [window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count())]
    assert tabs == ["Library", "Player", "History"]
    names = [window.library.list.item(i).text() for i in range(window.library.list.count())]
    assert "Spinal Rotation in Heel Sitting  (0:34)" in names and len(names) == 5
    assert window.statusBar().currentMessage() == "5 routines"


def test_menus_carry_the_shortcuts(window: MainWindow) -> None:
    shortcuts = {
        action.text().replace("&", ""): action.shortcut().toString()
        for menu in window.menuBar().actions()
        for action in menu.menu().actions()
        if not action.isSeparator()
    }
    assert shortcuts["Library"] == "Ctrl+1" and shortcuts["History"] == "Ctrl+3"
    assert shortcuts["Start / Pause"] == "Space"
    assert shortcuts["Back"] == "Left" and shortcuts["Skip"] == "Right"
    assert shortcuts["Stop"] == "Esc" and shortcuts["Mute"] == "M"
    assert shortcuts["Compact window"] == "Ctrl+K"
    assert shortcuts["Find"] == "Ctrl+F" and shortcuts["Quit"] == "Ctrl+Q"


def test_the_frame_shows_before_the_views_are_built(qtbot: QtBot, settings: AppSettings) -> None:
    main = MainWindow(settings)
    qtbot.addWidget(main)
    main.show()
    assert main.statusBar().currentMessage() == "Reading your routines…"
    assert not main.primary_action.isEnabled() and not main.start_action.isEnabled()
    main.attach(PlayerController(FakeClock(), RecordingCuePlayer()), open_library())
    assert main.tabs.widget(LIBRARY) is main.library
    assert main.tabs.widget(PLAYER) is main.player_view
    assert main.statusBar().currentMessage() == "5 routines"
    main.compact.close()


def test_player_keys_work_only_where_they_do_not_get_in_the_way(window: MainWindow) -> None:
    window.tabs.setCurrentIndex(LIBRARY)
    assert not window.primary_action.isEnabled()  # Space types in the search box here
    window.tabs.setCurrentIndex(PLAYER)
    assert window.primary_action.isEnabled() and window.stop_action.isEnabled()
    window.tabs.setCurrentIndex(HISTORY)
    assert not window.skip_action.isEnabled()


def test_size_volume_mute_and_weak_side_are_kept(qtbot: QtBot, settings: AppSettings) -> None:
    def build() -> MainWindow:
        main = MainWindow(settings)
        qtbot.addWidget(main)
        main.attach(PlayerController(FakeClock(), RecordingCuePlayer()), open_library())
        return main

    first = build()
    first.resize(777, 555)
    first.player_view.volume.setValue(35)
    first.player_view.mute_button.setChecked(True)
    first.library.select("five-movements-healthy-back")
    first.library.set_weak_side(Side.RIGHT)
    first.close()

    second = build()
    assert (second.width(), second.height()) == (777, 555)
    assert second.player_view.volume.value() == 35
    assert second.player_view.mute_button.isChecked() and second.mute_action.isChecked()
    second.library.select("five-movements-healthy-back")
    assert second.library.plan_settings().weak_side is not None
    assert second.library.plan_settings().weak_side.value == "right"
