"""Preferences: every setting in one dialog, applied at once, kept in the file the CLI reads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from app.domain.clock import FakeClock
from app.domain.plan import CueKind, StepKind
from app.domain.spoken import Phrase
from app.storage.settings import Settings
from app.ui.main_window import MainWindow
from tests.ui.conftest import RecordingCuePlayer, run_for


def open_preferences(window: MainWindow) -> object:
    window.preferences_action.trigger()
    assert window.preferences is not None and window.preferences.isVisible()
    return window.preferences


def test_the_dialog_shows_the_settings_and_writes_each_change_at_once(
    window: MainWindow, settings: Settings, cues: RecordingCuePlayer
) -> None:
    dialog = open_preferences(window)
    assert dialog.volume.value() == settings.volume == 80
    dialog.volume.setValue(35)
    assert settings.volume == 35 and window.player_view.volume.value() == 35
    assert cues.volume == 35
    dialog.muted.setChecked(True)
    assert settings.muted and cues.muted and window.mute_action.isChecked()
    dialog.phrases[Phrase.HALFWAY].setChecked(True)
    assert Phrase.HALFWAY in settings.phrases
    assert window.phrase_actions[Phrase.HALFWAY].isChecked()
    dialog.voice.setChecked(False)
    assert not settings.voice and not window.voice_action.isChecked()
    dialog.weekly_goal.setValue(6)
    dialog.rest_days.setValue(2)
    assert (settings.weekly_goal, settings.rest_days) == (6, 2)
    settings.save()
    kept = Settings(settings.path.parent)
    assert (kept.volume, kept.muted, kept.weekly_goal, kept.voice) == (35, True, 6, False)


def test_the_plans_follow_the_get_ready_time_tempo_and_weaker_side_bonus(
    window: MainWindow, settings: Settings
) -> None:
    window.library.select("spinal-rotation-heel-sitting")
    window.library.start_button.click()  # loaded and started: this one keeps its plan
    window.controller.stop()
    dialog = open_preferences(window)
    dialog.get_ready.setValue(12)
    dialog.bonus_hold.setValue(50)
    assert settings.plan_settings(None).get_ready_seconds == 12.0
    assert settings.plan_settings(None).weak_bonus_hold_percent == 50.0
    routine = window.routines.get("spinal-rotation-heel-sitting")
    assert routine is not None
    window.load_routine(routine.routine, settings.plan_settings(None))
    player = window.controller.player
    assert player is not None and player.plan.steps[0].seconds == 12.0
    dialog.get_ready.setValue(7)  # a routine ready to start is made again
    player = window.controller.player
    assert player is not None and player.plan.steps[0].seconds == 7.0
    assert "(0:" in window.library.list.currentItem().text()  # the totals follow
    dialog.paced.setChecked(True)
    dialog.tempo.setValue(2.5)
    assert settings.default_tempo == 2.5
    dialog.paced.setChecked(False)
    assert settings.default_tempo is None


def test_ticks_left_out_are_not_handed_to_the_cue_player(
    window: MainWindow, cues: RecordingCuePlayer, clock: FakeClock
) -> None:
    dialog = open_preferences(window)
    dialog.count_ticks.setChecked(False)
    window.library.select("spinal-rotation-heel-sitting")
    window.library.start_button.click()
    run_for(window, clock, 30.0)
    kinds = {kind for kind, _ in cues.played}
    assert CueKind.COUNT not in kinds and CueKind.GO in kinds and CueKind.REP in kinds


def test_a_new_engine_voice_or_pace_renews_the_speech(
    window: MainWindow, cues: RecordingCuePlayer
) -> None:
    dialog = open_preferences(window)
    dialog.rate.setValue(150)
    assert cues.renewed == 1
    dialog.engine.setCurrentIndex(dialog.engine.findData("piper"))
    assert cues.renewed == 2


def test_the_dark_theme_applies_at_once_and_the_system_one_comes_back(
    window: MainWindow,
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.palette().color(QPalette.ColorRole.Window).lightness()
    dialog = open_preferences(window)
    dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 80
    # What cannot be used now looks so: dimmer than what can.
    palette, disabled = app.palette(), QPalette.ColorGroup.Disabled
    for role in (QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        assert palette.color(disabled, role).lightness() < palette.color(role).lightness() - 60
    dialog.theme.setCurrentIndex(dialog.theme.findData("system"))
    assert app.palette().color(QPalette.ColorRole.Window).lightness() == before


def test_restore_defaults_keeps_the_weaker_sides_and_the_windows_place(
    window: MainWindow, settings: Settings
) -> None:
    settings.set_weak_side("spinal-rotation-heel-sitting", None)
    from app.domain.routine import Side

    settings.set_weak_side("spinal-rotation-heel-sitting", Side.LEFT)
    dialog = open_preferences(window)
    dialog.volume.setValue(20)
    dialog.get_ready.setValue(30)
    dialog.restore_button.click()
    assert (settings.volume, settings.get_ready_seconds) == (80, 5)
    assert dialog.volume.value() == 80 and dialog.get_ready.value() == 5
    assert settings.weak_side("spinal-rotation-heel-sitting") is Side.LEFT


def test_the_command_line_plays_with_the_preferences(data_dir: Path, tmp_path: Path) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "settings.json").write_text(
        json.dumps(
            {"format": "limber-settings", "version": 1, "get_ready_seconds": 9,
             "weak_bonus_reps": 4}
        )
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "app", "plan", "thoracic-spine-roller-twisters",
         "--weak-side", "left", "--json"],
        capture_output=True, text=True, check=True,
        env={**os.environ, "LIMBER_DATA_DIR": str(data_dir), "HOME": str(tmp_path)},
    )  # fmt: skip
    steps = [json.loads(line) for line in done.stdout.splitlines()[:-1]]
    assert steps[0]["kind"] == StepKind.COUNTDOWN.value and steps[0]["seconds"] == 9.0
    reps = {step["side"]: step["reps"] for step in steps if step["kind"] == "reps"}
    assert reps == {"left": 14, "right": 10}
