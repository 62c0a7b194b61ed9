"""The main window: views, menus, shortcuts, settings kept between runs."""

from __future__ import annotations

import gc
from pathlib import Path

from pytestqt.qtbot import QtBot

from app.audio.cue_player import AudioStatus
from app.domain.clock import FakeClock
from app.domain.routine import Side
from app.main import assemble_window, open_library
from app.storage.settings import Settings
from app.ui.main_window import HISTORY, LIBRARY, PLAYER, MainWindow
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


def test_the_window_is_whole_when_built_and_lists_the_routines_when_read(
    qtbot: QtBot, settings: Settings
) -> None:
    main = assemble_window(settings, FakeClock(), RecordingCuePlayer(), open_library(), None)
    qtbot.addWidget(main)
    assert main.tabs.widget(LIBRARY) is main.library
    assert main.library.list.count() == 0  # nothing read before the window shows
    main.show()
    assert main.statusBar().currentMessage() == "Reading your routines…"
    main.routines.load()
    assert main.library.list.count() == 5
    assert main.statusBar().currentMessage() == "5 routines"
    assert "numpy" not in main.tabs.widget(HISTORY).metaObject().className()


def test_the_player_and_the_compact_window_are_built_when_first_needed(
    qtbot: QtBot, settings: Settings
) -> None:
    """Out of the first frame's way, but whole once there: the tab opened, the
    saved volume and mute shown, the sound notice given, the compact window's keys.
    The player itself (and its cue player) is made when first needed too."""
    settings.volume, settings.muted = 35, True
    cues = RecordingCuePlayer(AudioStatus(False, "sound unavailable: no audio player found"))
    main = assemble_window(settings, FakeClock(), cues, open_library(), None)
    qtbot.addWidget(main)
    assert main._player_view is None and main._compact is None and main._controller is None
    assert not main.compact_shown and not main.mid_routine
    assert main.mute_action.isChecked()
    settings.volume = 40  # Preferences, before the player is made: kept for its making
    main.stop_routine()  # Esc, or quitting: nothing to stop, nothing made for it
    assert main._controller is None and cues.volume == 80
    main.show()
    main.tabs.setCurrentIndex(PLAYER)
    view = main.tabs.widget(PLAYER)
    assert view is main.player_view and main.tabs.currentIndex() == PLAYER
    assert view.volume.value() == 40 and view.mute_button.isChecked()
    assert not view.sound_notice.isHidden()
    assert view.sound_notice.text() == "Sound unavailable: no audio player found"
    view.mute_button.click()  # the view built drives the cues and the settings
    assert not settings.muted and not main.mute_action.isChecked()
    qtbot.addWidget(main.compact)
    assert main.primary_action in main.compact.actions()
    main.toggle_compact()
    assert main.compact_shown and main.compact_action.isChecked()


def test_start_up_builds_the_player_just_after_the_first_frame(
    qtbot: QtBot, settings: Settings
) -> None:
    main = assemble_window(settings, FakeClock(), RecordingCuePlayer(), open_library(), None)
    qtbot.addWidget(main)
    main.tabs.setCurrentIndex(HISTORY)
    main.show()
    assert main._player_view is None
    main.add_extras()  # what start-up does once the first frame is painted
    assert main.tabs.widget(PLAYER) is main._player_view is not None
    # The Player tab put in place did not count as shown: its keys stay off here.
    assert main.tabs.currentIndex() == HISTORY
    assert not main.primary_action.isEnabled() and not main.stop_action.isEnabled()


def test_a_routine_loaded_builds_the_player(qtbot: QtBot, settings: Settings) -> None:
    main = assemble_window(settings, FakeClock(), RecordingCuePlayer(), open_library(), None)
    qtbot.addWidget(main)
    main.routines.load()
    stored = main.routines.routines[0]
    main.load_routine(stored.routine, main.settings.plan_settings(None))
    assert main.tabs.currentIndex() == PLAYER
    assert main.tabs.widget(PLAYER) is main.player_view
    assert main.player_view.shown == main.controller.screen
    assert stored.routine.name in main.statusBar().currentMessage()


def test_player_keys_work_only_where_they_do_not_get_in_the_way(window: MainWindow) -> None:
    window.tabs.setCurrentIndex(LIBRARY)
    assert not window.primary_action.isEnabled()  # Space types in the search box here
    window.tabs.setCurrentIndex(PLAYER)
    assert window.primary_action.isEnabled() and window.stop_action.isEnabled()
    window.tabs.setCurrentIndex(HISTORY)
    assert not window.skip_action.isEnabled()


def test_size_volume_mute_and_weak_side_are_kept(qtbot: QtBot, data_dir: Path) -> None:
    def build() -> MainWindow:
        settings = Settings(data_dir)  # read afresh, as the next start-up does
        main = assemble_window(settings, FakeClock(), RecordingCuePlayer(), open_library(), None)
        qtbot.addWidget(main)
        qtbot.addWidget(main.compact)
        main.routines.load()
        return main

    first = build()
    first.resize(777, 555)
    first.player_view.volume.setValue(35)
    first.player_view.mute_button.setChecked(True)
    first.library.select("five-movements-healthy-back")
    first.library.set_weak_side(Side.RIGHT)
    first.close()
    first.settings.save()  # as shutting down does

    second = build()
    assert (second.width(), second.height()) == (777, 555)
    assert second.player_view.volume.value() == 35
    assert second.player_view.mute_button.isChecked() and second.mute_action.isChecked()
    second.library.select("five-movements-healthy-back")
    assert second.library.plan_settings().weak_side is not None
    assert second.library.plan_settings().weak_side.value == "right"


def test_what_follows_the_first_frame_runs_in_the_order_given(qtbot: QtBot) -> None:
    # The routines are read first (they are what the window shows), then the cue
    # thread and the desktop's services start: each on a turn of its own.
    from PySide6.QtWidgets import QWidget

    from app.main import after_first_frame

    widget = QWidget()
    qtbot.addWidget(widget)
    ran: list[str] = []
    after_first_frame(
        widget,
        lambda: ran.append("routines"),
        lambda: ran.append("cues"),
        lambda: ran.append("bus"),
    )
    assert ran == []
    widget.show()
    qtbot.waitUntil(lambda: len(ran) == 3)
    assert ran == ["routines", "cues", "bus"]
    # Each is an event of its own: what the first one leaves for the loop (a
    # paint) is not held up by the others.
    from PySide6.QtWidgets import QApplication

    turns: list[int] = []
    other = QWidget()
    qtbot.addWidget(other)
    after_first_frame(
        other,
        lambda: (QApplication.processEvents(), turns.append(len(ran))),
        lambda: ran.append("later"),
    )
    other.show()
    qtbot.waitUntil(lambda: bool(turns))
    assert turns == [4]  # the second ran from the loop the first gave back to


def test_the_routines_are_painted_as_soon_as_they_are_read(
    qtbot: QtBot, clock: FakeClock, cues: RecordingCuePlayer, settings: Settings
) -> None:
    # Qt paints what changed on a request of low priority, which would wait behind
    # what else start-up queued (the cue thread, the bus's services): the filled
    # list reached the screen 48 ms late. Read, the routines are painted at once.
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from app.main import _start_up, after_first_frame

    window = assemble_window(settings, clock, cues, open_library(), None)
    qtbot.addWidget(window, before_close_func=lambda w: w.quit_without_asking())
    painted: list[int] = []  # the routines listed at each paint of the list

    class Paints(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                painted.append(window.library.list.count())
            return False

    window.library.list.viewport().installEventFilter(Paints(window))
    read_data = _start_up(QApplication.instance(), window, settings, None, None)  # type: ignore[arg-type]
    seen: list[list[int]] = []

    def read_and_look() -> None:  # as start-up does once the first frame is up
        read_data()
        seen.append(list(painted))  # before the event loop turns again

    after_first_frame(window, read_and_look)
    window.show()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen[0] and seen[0][0] == 0 and seen[0][-1] == 5
    # Then the log is read, and start-up's objects are frozen for the collector:
    # not this test process's.
    qtbot.waitUntil(lambda: window.sessions.loaded)
    gc.unfreeze()
