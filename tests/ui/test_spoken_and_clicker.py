"""Spoken cues chosen from the Voice menu, and a clicker's and media keys in the window."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.domain.clock import FakeClock
from app.domain.plan import CueKind, PlanSettings
from app.domain.player import PlayerState
from app.domain.routine import Exercise, Kind, Routine
from app.domain.spoken import DEFAULT_PHRASES, Phrase
from app.storage.settings import Settings
from app.ui.main_window import PLAYER, MainWindow
from tests.ui.conftest import RecordingCuePlayer, WindowFactory, run_for

AT_YOUR_PACE = Routine(
    "squats",
    "Squats",
    (Exercise("Squat", Kind.REPS, reps=8), Exercise("Hold", Kind.HOLD, seconds=20)),
)


@pytest.fixture
def speaking(cues: RecordingCuePlayer) -> RecordingCuePlayer:
    cues.speaks = True
    return cues


def start_heel_sitting(window: MainWindow) -> None:
    window.library.select("spinal-rotation-heel-sitting")
    window.library.start_button.click()


def test_a_routine_loaded_has_its_words_rendered_ahead_and_said_on_its_cues(
    make_window: WindowFactory, speaking: RecordingCuePlayer, clock: FakeClock
) -> None:
    window = make_window(None)
    start_heel_sitting(window)
    prepared = {words for cue in speaking.prepared for words in cue.words}
    assert "Left side. Spinal rotation in heel sitting." in prepared
    assert "Switch to the right side." in prepared
    run_for(window, clock, 2.0)
    announce = next(cue for cue in speaking.cues if cue.kind is CueKind.ANNOUNCE)
    assert announce.words[0] == "Left side. Spinal rotation in heel sitting. 3 reps."


def test_without_a_speech_engine_the_cues_are_the_chimes(
    make_window: WindowFactory, cues: RecordingCuePlayer, clock: FakeClock
) -> None:
    window = make_window(None)
    start_heel_sitting(window)
    run_for(window, clock, 2.0)
    assert cues.prepared == [] and cues.cues and not any(cue.words for cue in cues.cues)


def test_the_voice_menu_turns_speech_and_each_phrase_off_and_keeps_it(
    make_window: WindowFactory, speaking: RecordingCuePlayer, settings: Settings
) -> None:
    window = make_window(None)
    window.tabs.setCurrentIndex(PLAYER)  # V, like M, is a key of the player's
    assert window.voice_action.isChecked() and settings.phrases == DEFAULT_PHRASES
    window.phrase_actions[Phrase.HALFWAY].trigger()
    assert Phrase.HALFWAY in settings.phrases
    window.phrase_actions[Phrase.EXERCISE].trigger()
    assert Phrase.EXERCISE not in settings.phrases
    assert window.controller.phrases == settings.phrases
    window.voice_action.trigger()  # V: chimes only
    assert not settings.voice and window.controller.phrases == frozenset()
    assert not window.phrase_actions[Phrase.REST].isEnabled()
    assert window.statusBar().currentMessage() == "Cues as chimes only"
    settings.save()
    again = Settings(settings.path.parent)
    assert not again.voice and Phrase.HALFWAY in again.phrases


def test_a_phrase_chosen_before_start_applies_to_the_routine_ready_to_start(
    make_window: WindowFactory, speaking: RecordingCuePlayer, clock: FakeClock
) -> None:
    window = make_window(None)
    window.library.select("spinal-rotation-heel-sitting")
    window.load_routine(
        window.routines.get("spinal-rotation-heel-sitting").routine,  # type: ignore[union-attr]
        PlanSettings(),
    )
    window.phrase_actions[Phrase.REP_COUNT].trigger()
    window.controller.primary()
    run_for(window, clock, 14.0)
    assert any(cue.words == ("2.",) for cue in speaking.cues)


def keys(window: MainWindow, qtbot: QtBot, *codes: Qt.Key) -> None:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    for code in codes:
        QTest.keyClick(window.player_view, code)


# QTest has no text for a media key and says so; the key still reaches the window.
@pytest.mark.qt_log_ignore("keyToAscii Unhandled key code")
def test_a_clicker_pauses_goes_on_skips_and_goes_back(window: MainWindow, qtbot: QtBot) -> None:
    start_heel_sitting(window)
    player = window.controller.player
    assert player is not None
    keys(window, qtbot, Qt.Key.Key_B)  # the clicker's blank-screen button
    assert player.state is PlayerState.PAUSED
    keys(window, qtbot, Qt.Key.Key_Period)
    assert player.state is PlayerState.RUNNING
    keys(window, qtbot, Qt.Key.Key_PageDown, Qt.Key.Key_PageDown)
    assert player.step_index == 2
    keys(window, qtbot, Qt.Key.Key_PageUp)
    assert player.step_index == 1
    keys(window, qtbot, Qt.Key.Key_MediaTogglePlayPause)
    assert player.state is PlayerState.PAUSED
    keys(window, qtbot, Qt.Key.Key_MediaPlay, Qt.Key.Key_MediaNext, Qt.Key.Key_MediaPrevious)
    assert player.state is PlayerState.RUNNING and player.step_index == 1
    keys(window, qtbot, Qt.Key.Key_MediaStop)
    assert player.state is PlayerState.STOPPED


def test_next_on_a_clicker_finishes_a_step_done_at_your_own_pace(
    window: MainWindow, qtbot: QtBot, clock: FakeClock
) -> None:
    window.load_routine(AT_YOUR_PACE, PlanSettings())
    window.controller.primary()
    run_for(window, clock, 5.5)
    assert window.controller.screen.waiting
    player = window.controller.player
    assert player is not None
    keys(window, qtbot, Qt.Key.Key_PageDown)
    assert player.step_index == 2 and player.outcomes[1].completed


def test_speech_turned_off_mid_routine_silences_its_words_at_once(
    make_window: WindowFactory, speaking: RecordingCuePlayer, clock: FakeClock
) -> None:
    window = make_window(None)
    start_heel_sitting(window)
    run_for(window, clock, 2.0)
    assert any(cue.words for cue in speaking.cues)  # "Left side. Spinal rotation..."
    window.voice_action.trigger()
    assert speaking.quieted == 1  # the words being said stop at once
    handed = len(speaking.cues)
    run_for(window, clock, 20.0)  # into the switch to the right side
    later = speaking.cues[handed:]
    assert any(cue.kind is CueKind.SWITCH for cue in later)
    assert not any(cue.words for cue in later)


def test_pausing_during_the_words_says_them_again_on_going_on(
    make_window: WindowFactory, speaking: RecordingCuePlayer, clock: FakeClock
) -> None:
    # Paused while told what comes next, a person on the floor hears it again.
    window = make_window(None)
    start_heel_sitting(window)
    run_for(window, clock, 1.0)
    (announce,) = [cue for cue in speaking.cues if cue.words]
    speaking.saying = announce  # still being said
    window.primary_action.trigger()  # Space: paused, the words cut
    assert window.controller.snapshot().state is PlayerState.PAUSED  # type: ignore[union-attr]
    clock.advance(30.0)
    window.primary_action.trigger()  # Space: going on
    again = speaking.cues[-1]
    assert again.kind is CueKind.SPEECH and again.words == announce.words
    assert speaking.played[-1] == (CueKind.SPEECH, clock.now())
    # Paused after the words had ended (none cut): going on says nothing again.
    window.primary_action.trigger()
    window.primary_action.trigger()
    assert speaking.cues[-1] is again
