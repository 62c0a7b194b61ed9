"""A seed routine through the real widgets on a fake clock; keys; compact mode; no sound."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.audio.cue_player import AudioStatus
from app.domain.clock import FakeClock
from app.domain.plan import CueKind
from app.domain.player import PlayerState
from app.domain.routine import Side
from app.ui.main_window import PLAYER, MainWindow
from tests.ui.conftest import RecordingCuePlayer, run_for


def start(window: MainWindow, routine_id: str, side: Side | None) -> None:
    window.library.select(routine_id)
    window.library.set_weak_side(side)
    window.library.start_button.click()


def screen(window: MainWindow) -> tuple[str, str, str, str]:
    view = window.player_view
    badge = view.badge.text() if view.badge.isVisible() else ""
    return (view.title.text(), badge, view.reps.text(), view.sets.text())


def test_heel_sitting_runs_hands_free_good_side_first_more_reps_on_the_left(
    window: MainWindow, clock: FakeClock, cues: RecordingCuePlayer
) -> None:
    start(window, "spinal-rotation-heel-sitting", Side.LEFT)
    assert window.tabs.currentIndex() == PLAYER
    seen: list[tuple[str, str, str, str]] = []
    progress: list[int] = []
    for _ in range(460):  # 46 s of a 42 s routine, with no key pressed
        if not seen or screen(window) != seen[-1]:
            seen.append(screen(window))
        progress.append(window.player_view.progress.value())
        run_for(window, clock, 0.1)
    title = "Spinal rotation in heel sitting"
    assert seen == [
        (f"Get ready: {title}", "RIGHT", "", ""),
        (title, "RIGHT", "Rep 1 of 3", ""),
        (title, "RIGHT", "Rep 2 of 3", ""),
        (title, "RIGHT", "Rep 3 of 3", ""),
        ("Switch sides", "LEFT", "", ""),
        (title, "LEFT", "Rep 1 of 5", ""),
        (title, "LEFT", "Rep 2 of 5", ""),
        (title, "LEFT", "Rep 3 of 5", ""),
        (title, "LEFT", "Rep 4 of 5", ""),
        (title, "LEFT", "Rep 5 of 5", ""),
        ("Done! Well moved.", "", "", ""),
    ]
    assert progress == sorted(progress) and progress[-1] == 1000
    assert [k for k, _ in cues.played] == [
        CueKind.ANNOUNCE,
        CueKind.COUNT,
        CueKind.COUNT,
        CueKind.COUNT,
        CueKind.GO,
        CueKind.REP,
        CueKind.REP,
        CueKind.SWITCH,
        CueKind.COUNT,
        CueKind.COUNT,
        CueKind.COUNT,
        CueKind.GO,
        CueKind.REP,
        CueKind.REP,
        CueKind.REP,
        CueKind.REP,
        CueKind.ROUTINE_DONE,
    ]
    assert window.statusBar().currentMessage() == "Routine done"


def test_sets_rest_and_next_step_show_on_the_twisters(window: MainWindow, clock: FakeClock) -> None:
    start(window, "thoracic-spine-roller-twisters", None)
    view = window.player_view
    assert view.next.text() == "Next: Thoracic spine roller twister, 10 reps left"
    run_for(window, clock, 6)
    assert (view.reps.text(), view.sets.text()) == ("Rep 1 of 10", "Set 1 of 2")
    assert view.instruction.text() == "Set up on the foam roller as shown in the article's video"
    run_for(window, clock, 6.5)
    assert view.instruction.text() == "Twist through the upper back, slowly and under control"
    run_for(window, clock, 70.5 - 12.5)  # countdown 5, left 30, switch 5, right 30: rest
    assert (view.title.text(), view.sets.text()) == ("Rest", "Set 1 of 2")
    assert view.countdown.text() == "30"
    run_for(window, clock, 30)
    assert view.sets.text() == "Set 2 of 2"


def test_the_countdown_fills_a_third_of_the_window(
    window: MainWindow, qtbot: QtBot, clock: FakeClock
) -> None:
    start(window, "spinal-rotation-heel-sitting", None)
    for width, height in ((1000, 700), (640, 480), (1600, 1000)):
        window.resize(width, height)
        qtbot.wait(10)
        label = window.player_view.countdown
        assert label.height() >= window.height() / 3
        assert label.font().pixelSize() >= window.height() * 0.3


def test_keys_with_no_routine_loaded_do_nothing(window: MainWindow, qtbot: QtBot) -> None:
    window.tabs.setCurrentIndex(PLAYER)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for key in (
        Qt.Key.Key_Space,
        Qt.Key.Key_Return,
        Qt.Key.Key_Left,
        Qt.Key.Key_Right,
        Qt.Key.Key_Escape,
    ):
        QTest.keyClick(window.player_view, key)
    assert window.controller.player is None
    assert window.player_view.title.text() == "Pick a routine in the Library and press Start"


def test_keys_pause_skip_back_stop_and_mute(
    window: MainWindow, qtbot: QtBot, clock: FakeClock, cues: RecordingCuePlayer
) -> None:
    window.library.select("thoracic-spine-roller-twisters")
    window.library.start_button.click()
    player = window.controller.player
    assert player is not None
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    def key(code: Qt.Key) -> None:
        QTest.keyClick(window.player_view, code)

    key(Qt.Key.Key_Space)
    assert player.state is PlayerState.PAUSED
    assert window.player_view.primary_button.text() == "▶ Go on"
    key(Qt.Key.Key_Space)
    assert player.state is PlayerState.RUNNING
    key(Qt.Key.Key_Right)
    assert player.step_index == 1
    key(Qt.Key.Key_Right)
    assert player.step_index == 2
    key(Qt.Key.Key_Left)  # near the start of the step: the one before
    assert player.step_index == 1
    key(Qt.Key.Key_M)
    assert cues.muted and window.player_view.mute_button.text() == "Unmute"
    key(Qt.Key.Key_M)
    assert not cues.muted
    key(Qt.Key.Key_Escape)
    assert player.state is PlayerState.STOPPED
    assert window.player_view.title.text() == "Stopped"
    assert not window.player_view.stop_button.isEnabled()


def test_a_step_that_waits_goes_on_with_enter(
    window: MainWindow, qtbot: QtBot, clock: FakeClock, data_dir: object
) -> None:
    from app.domain.plan import PlanSettings
    from app.domain.routine import Exercise, Kind, Routine

    routine = Routine(
        "squats",
        "Squats",
        (Exercise("Squat", Kind.REPS, reps=8), Exercise("Hold", Kind.HOLD, seconds=20)),
    )
    window.load_routine(routine, PlanSettings())
    window.controller.primary()
    run_for(window, clock, 5.5)
    view = window.player_view
    assert view.status.text() == "Press Space or Enter when done"
    assert view.countdown.text() == "8" and view.reps.text() == "8 reps"
    run_for(window, clock, 60)
    assert window.controller.player is not None and window.controller.player.step_index == 1
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert view.title.text() == "Get ready: Hold"


def test_compact_window_follows_along_and_gives_the_main_window_back(
    window: MainWindow, clock: FakeClock
) -> None:
    start(window, "spinal-rotation-heel-sitting", Side.LEFT)
    window.compact_action.trigger()
    compact = window.compact
    assert compact.isVisible() and not window.isVisible()
    assert compact.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    run_for(window, clock, 6)
    assert compact.exercise.text() == "Spinal rotation in heel sitting"
    assert compact.badge.text() == "RIGHT" and compact.countdown.text() == "11"
    assert compact.next.text() == "Next: switch to the left side"
    assert window.primary_action.isEnabled()  # the keys work from the compact window
    window.compact_action.trigger()
    assert window.isVisible() and not compact.isVisible()


def test_without_sound_the_routine_runs_and_says_so(
    window: MainWindow, clock: FakeClock, cues: RecordingCuePlayer
) -> None:
    cues.set_status(AudioStatus(False, "sound unavailable: no audio player found"))
    start(window, "spinal-rotation-heel-sitting", None)
    run_for(window, clock, 2)
    QTest.qWait(0)  # the cue player's news comes through the event loop
    notice = window.player_view.sound_notice
    assert notice.isVisible() and notice.text() == "🔇 Sound unavailable: no audio player found"
    run_for(window, clock, 45)
    assert window.controller.player is not None
    assert window.controller.player.state is PlayerState.FINISHED
    cues.set_status(AudioStatus(True, "sound through alsa"))
    QTest.qWait(0)
    assert not notice.isVisible()
