"""A seed routine through the real widgets on a fake clock; keys; compact mode; no sound."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.audio.cue_player import AudioStatus
from app.domain.clock import FakeClock
from app.domain.plan import CueKind
from app.domain.player import PlayerState
from app.domain.routine import Side
from app.domain.screen import BEATS, EMPTY
from app.ui.main_window import PLAYER, MainWindow
from app.ui.player.floor_face import FloorFace
from tests.ui.conftest import RecordingCuePlayer, run_for


def start(window: MainWindow, routine_id: str, side: Side | None) -> None:
    window.library.select(routine_id)
    window.library.set_weak_side(side)
    window.library.start_button.click()


def painted(window: MainWindow) -> dict[str, str]:
    """The texts the floor face painted, by part (it is painted to a pixmap first)."""
    window.player_view.face.grab()
    return {part: drawn.text for part, drawn in window.player_view.face.drawn.items()}


def screen(window: MainWindow) -> tuple[str, str, str, str]:
    view = window.player_view
    if view.pages.currentWidget() is view.summary:
        return (view.summary.heading.text(), "", "", "")
    texts = painted(window)
    return tuple(texts.get(part, "") for part in ("title", "band", "number", "caption"))  # type: ignore[return-value]


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
        progress.append(round(window.player_view.shown.progress * 1000))
        run_for(window, clock, 0.1)
    title = "Spinal rotation in heel sitting"
    ready = f"Get ready: {title}"
    assert seen[:3] == [
        (ready, "RIGHT SIDE", "5", "seconds to get ready"),
        (ready, "RIGHT SIDE", "4", "seconds to get ready"),
        (ready, "RIGHT SIDE", "3", "seconds to get ready"),
    ]
    assert [s for s in seen if "to get ready" not in s[3]] == [
        (title, "RIGHT SIDE", "1", "of 3 reps"),
        (title, "RIGHT SIDE", "2", "of 3 reps"),
        (title, "RIGHT SIDE", "3", "of 3 reps"),
        ("Switch sides", "LEFT SIDE", "5", "seconds to switch"),
        ("Switch sides", "LEFT SIDE", "4", "seconds to switch"),
        ("Switch sides", "LEFT SIDE", "3", "seconds to switch"),
        ("Switch sides", "LEFT SIDE", "2", "seconds to switch"),
        ("Switch sides", "LEFT SIDE", "1", "second to switch"),
        (title, "LEFT SIDE", "1", "of 5 reps"),
        (title, "LEFT SIDE", "2", "of 5 reps"),
        (title, "LEFT SIDE", "3", "of 5 reps"),
        (title, "LEFT SIDE", "4", "of 5 reps"),
        (title, "LEFT SIDE", "5", "of 5 reps"),
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
    assert painted(window)["next"] == "Next: Thoracic spine roller twister, 10 reps left"
    run_for(window, clock, 6)
    texts = painted(window)
    assert (texts["number"], texts["caption"]) == ("1", "of 10 reps · set 1 of 2")
    assert texts["instruction"] == (
        "Set up on the foam roller as in the article's video (its title is in the Library)"
    )
    run_for(window, clock, 6.5)
    assert painted(window)["instruction"] == (
        "Twist through the upper back, slowly and under control"
    )
    run_for(window, clock, 70.5 - 12.5)  # countdown 5, left 30, switch 5, right 30: rest
    texts = painted(window)
    assert (texts["title"], texts["number"]) == ("Rest", "30")
    assert texts["caption"] == "seconds of rest · set 1 of 2"
    run_for(window, clock, 30)
    assert painted(window)["caption"].endswith("set 2 of 2")


def test_on_a_paced_step_the_rep_number_is_the_biggest_thing_at_every_size(
    window: MainWindow, qtbot: QtBot, clock: FakeClock
) -> None:
    start(window, "spinal-rotation-heel-sitting", Side.LEFT)
    run_for(window, clock, 6)
    face = window.player_view.face
    for width, height in ((1000, 700), (800, 600), (640, 480), (1600, 1000), (3840, 2160)):
        window.resize(width, height)
        qtbot.wait(10)
        face.grab()
        number = face.drawn["number"]
        others = [d.pixel_size for part, d in face.drawn.items() if part != "number"]
        assert number.text == "1" and number.pixel_size > max(others)
        assert number.pixel_size >= face.height() * 0.2
        # The side band: at least an eighth of the height, in the side's colour.
        band = face.drawn["band"]
        assert band.text == "RIGHT SIDE" and not band.cut
        image = face.grab().toImage()
        assert image.pixelColor(2, 2).name() == "#c2410c"
        assert image.pixelColor(2, round(face.height() / 8) - 2).name() == "#c2410c"
        assert not any(d.cut for d in face.drawn.values())


def test_paused_and_waiting_are_unmistakable(
    window: MainWindow, clock: FakeClock, data_dir: object
) -> None:
    from app.domain.plan import PlanSettings
    from app.domain.routine import Exercise, Kind, Routine

    routine = Routine("squats", "Squats", (Exercise("Squat", Kind.REPS, reps=8),))
    window.load_routine(routine, PlanSettings())
    view = window.player_view
    window.controller.primary()
    run_for(window, clock, 2)
    running = view.face.grab().toImage()
    window.controller.primary()
    texts = painted(window)
    assert texts["paused"] == "Paused" and texts["status"] == "Press Space to go on"
    assert "number" not in texts  # no number shows through the sign
    assert view.face.drawn["paused"].pixel_size >= view.face.height() * 0.15
    paused = view.face.grab().toImage()
    # Dimmed: the band and the title are faint under the sign.
    title_row = view.face.drawn["title"].rect.center().y()
    assert _darkest(running, title_row) < 60
    assert _darkest(paused, title_row) > 150
    window.controller.primary()
    run_for(window, clock, 4)
    texts = painted(window)
    assert (texts["number"], texts["caption"]) == ("8", "reps, at your pace")
    assert texts["status"] == "At your pace: press Enter when done"
    assert view.done_button.isVisible() and view.primary_button.text() == "❚❚ Pause"
    view.primary_button.click()  # Pause pauses here too
    assert window.controller.screen.paused
    assert view.done_button.isVisible() and not view.done_button.isEnabled()  # stays put
    view.primary_button.click()
    view.done_button.click()
    assert window.controller.screen.over


def _darkest(image: object, row: int) -> int:
    from PySide6.QtGui import QImage

    assert isinstance(image, QImage)
    return min(image.pixelColor(x, row).lightness() for x in range(0, image.width(), 3))


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
    assert painted(window)["title"] == "Pick a routine in the Library and press Start"


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
    assert window.player_view.summary.heading.text() == "Stopped"
    assert not window.player_view.stop_button.isEnabled()


def test_a_step_that_waits_goes_on_with_enter_and_space_pauses_it(
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
    assert painted(window)["status"] == "At your pace: press Enter when done"
    run_for(window, clock, 60)
    assert window.controller.player is not None and window.controller.player.step_index == 1
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(view, Qt.Key.Key_Space)
    assert window.controller.screen.paused and window.controller.player.step_index == 1
    QTest.keyClick(view, Qt.Key.Key_Space)
    QTest.keyClick(view, Qt.Key.Key_Return)
    assert painted(window)["title"] == "Get ready: Hold"


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
    assert compact.badge.text() == "RIGHT" and compact.countdown.text() == "1"
    assert compact.caption.text() == "of 3 reps"
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
    assert notice.isVisible() and notice.text() == "Sound unavailable: no audio player found"
    run_for(window, clock, 45)
    assert window.controller.player is not None
    assert window.controller.player.state is PlayerState.FINISHED
    cues.set_status(AudioStatus(True, "sound through alsa"))
    QTest.qWait(0)
    assert not notice.isVisible()


def test_at_the_end_space_or_again_plays_the_routine_once_more(
    window: MainWindow, clock: FakeClock
) -> None:
    start(window, "spinal-rotation-heel-sitting", Side.LEFT)
    run_for(window, clock, 46)
    view = window.player_view
    assert view.pages.currentWidget() is view.summary
    assert view.primary_button.isEnabled() and view.primary_button.text() == "↻ Again"
    view.primary_button.click()
    assert window.controller.screen.state is PlayerState.RUNNING
    assert view.pages.currentWidget() is view.face
    assert painted(window)["title"] == "Get ready: Spinal rotation in heel sitting"
    assert painted(window)["band"] == "RIGHT SIDE"  # the same weaker side: left last


@pytest.fixture
def face(qtbot: QtBot) -> FloorFace:
    """A floor face of its own, at the size of a window's player."""
    face = FloorFace()
    qtbot.addWidget(face)
    face.resize(900, 560)
    return face


def test_a_beat_repaints_only_the_arc_it_lights_and_that_covers_the_change(
    face: FloorFace,
) -> None:
    screen = replace(
        EMPTY, loaded=True, state=PlayerState.RUNNING, title="Cat cow", big="2", beat=0.0
    )
    for index in range(1, BEATS):
        face.show_screen(replace(screen, beat=(index - 1) / BEATS))
        before = face.grab().toImage()
        face.show_screen(replace(screen, beat=index / BEATS))
        after = face.grab().toImage()
        arc = face._arcs[index]
        changed = [
            (x, y)
            for x in range(0, before.width(), 2)
            for y in range(0, before.height(), 2)
            if before.pixel(x, y) != after.pixel(x, y)
        ]
        assert changed and all(arc.contains(x, y) for x, y in changed)
        assert arc.width() * arc.height() < face.width() * face.height() / 40


def test_again_plays_the_routine_as_the_library_now_has_it_and_not_once_deleted(
    window: MainWindow, clock: FakeClock
) -> None:

    from app.domain.plan import PlanSettings
    from app.domain.routine import Exercise, Kind, Routine

    routine = Routine("mine", "Mine", (Exercise("Plank", Kind.HOLD, seconds=10),))
    window.routines.save(routine, replaces=None)
    window.start_routine(routine, PlanSettings())
    run_for(window, clock, 20)
    view = window.player_view
    assert view.primary_button.text() == "↻ Again"
    edited = replace(routine, exercises=(Exercise("Side plank", Kind.HOLD, seconds=10),))
    window.routines.save(edited, replaces="mine")
    view.primary_button.click()
    assert painted(window)["title"] == "Get ready: Side plank"  # the routine as edited
    run_for(window, clock, 20)
    window.routines.delete(edited)
    assert not view.primary_button.isEnabled()  # gone: nothing to play again


def test_the_status_line_is_painted_in_ink_and_a_small_face_keeps_its_parts_apart(
    face: FloorFace,
) -> None:
    ready = replace(
        EMPTY, loaded=True, title="Get ready: Squat", big="5", status="Press Space to start"
    )
    face.show_screen(ready)
    image = face.grab().toImage()
    box = face.drawn["status"].rect
    ink = [
        image.pixelColor(x, y)
        for x in range(box.left(), box.right(), 2)
        for y in range(box.top(), box.bottom(), 2)
    ]
    assert sum(c.lightness() < 100 for c in ink) > 50  # drawn, not just recorded
    for width, height in ((400, 170), (300, 150), (240, 120)):
        face.resize(width, height)
        face.grab()
        title, number = face._rects["title"], face._rects["number"]
        assert number.height() >= 0 and face._caption.top() > title.bottom()
        assert face._caption.bottom() <= number.bottom()
