"""The routine editor: build a routine through the widgets, save, play, edit, delete, undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from app.domain.clock import FakeClock
from app.domain.player import PlayerState
from app.domain.routine import Side
from app.ui.library.routine_editor import RoutineEditor
from app.ui.main_window import MainWindow
from app.ui.widgets.plain_text import plain_tooltip
from tests.ui.conftest import RecordingCuePlayer, run_for


def type_into(widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Replaces a field's text the way typing does (the editor listens to edits)."""
    if isinstance(widget, QLineEdit):
        widget.selectAll()
        widget.del_()
        QTest.keyClicks(widget, text)
    else:
        widget.setPlainText(text)


def pick(combo: QComboBox, text: str) -> None:
    combo.setCurrentText(text)


def add_timed(editor: RoutineEditor, name: str, kind: str, seconds: str) -> None:
    """Adds a hold or timed exercise through the form, clearing the reps fields."""
    editor.add_exercise()
    fields = editor.exercise_fields
    type_into(fields["name"], name)  # type: ignore[arg-type]
    pick(editor.kind, kind)
    for key in ("reps", "tempo"):
        type_into(fields[key], "")  # type: ignore[arg-type]
    type_into(fields["seconds"], seconds)  # type: ignore[arg-type]


def test_a_new_routine_is_built_saved_and_played(
    window: MainWindow, clock: FakeClock, cues: RecordingCuePlayer
) -> None:
    editor = window.library_actions.new_routine()
    assert isinstance(editor, RoutineEditor) and editor.isVisible()
    fields, exercise = editor.fields, editor.exercise_fields
    type_into(fields["id"], "pre-run")
    type_into(fields["name"], "Pre-run warm-up")
    type_into(fields["tags"], "warm-up, hips")
    # One per-side exercise with a 3-5 range, then a hold, then a timed one.
    type_into(exercise["name"], "Leg swing")
    type_into(exercise["reps"], "3")
    type_into(exercise["reps_max"], "5")
    type_into(exercise["tempo"], "2")
    pick(editor.sides, "each")
    type_into(exercise["instructions"], "Hold a wall\nSwing from the hip")
    add_timed(editor, "Calf hold", "hold", "20")
    add_timed(editor, "Jog on the spot", "timed", "30")
    assert editor.problems == [], editor.problems
    assert editor.total.text().startswith("Total 1:")
    assert editor.save()
    routine = window.routines.store.find("pre-run").routine
    assert [e.name for e in routine.exercises] == ["Leg swing", "Calf hold", "Jog on the spot"]
    assert routine.exercises[0].reps_max == 5 and routine.tags == ("warm-up", "hips")
    assert window.library.selected_id() == "pre-run"

    window.library.set_weak_side(Side.LEFT)
    window.library.start_button.click()
    run_for(window, clock, 5 + 6 + 5 + 10 + 5 + 20 + 5 + 30 + 2)
    player = window.controller.player
    assert player is not None and player.state is PlayerState.FINISHED
    reps = [(s.side.value, s.reps) for s in player.plan.steps if s.reps and s.side]
    assert reps == [("right", 3), ("left", 5)]


def test_invalid_values_are_marked_with_the_validators_words(window: MainWindow) -> None:
    editor = window.library_actions.new_routine()
    type_into(editor.exercise_fields["reps"], "ten")
    assert editor.problem_for("reps", 0) == 'expected a whole number from 1 to 500, got "ten"'
    assert editor.exercise_fields["reps"].toolTip() == plain_tooltip(editor.problem_for("reps", 0))
    assert not editor.save_button.isEnabled()
    type_into(editor.fields["id"], "Not An Id")
    assert "lowercase letters" in editor.problem_for("id")
    type_into(editor.fields["id"], "spinal-rotation-heel-sitting")
    assert editor.problem_for("id") == (
        '"spinal-rotation-heel-sitting" is the id of another routine'
    )
    type_into(editor.fields["id"], "fine-id")
    type_into(editor.exercise_fields["reps"], "4")
    type_into(editor.exercise_fields["reps_max"], "2")
    assert editor.problem_for("reps_max", 0) == "the top of the range (2) is below reps (4)"
    type_into(editor.exercise_fields["reps_max"], "")
    assert editor.problems == [] and editor.save_button.isEnabled()
    editor.dirty = False
    editor.close()


def test_exercises_reorder_by_keyboard(window: MainWindow, qtbot: QtBot) -> None:
    editor = window.library_actions.new_routine()
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    type_into(editor.exercise_fields["name"], "First")
    editor.add_exercise()
    type_into(editor.exercise_fields["name"], "Second")
    assert editor.exercise_list.currentRow() == 1
    editor.exercise_list.setFocus()
    QTest.keyClick(editor.exercise_list, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [e["name"] for e in editor.document["exercises"]] == ["Second", "First"]
    assert editor.exercise_list.currentRow() == 0
    editor.move_exercise(1)
    assert [e["name"] for e in editor.document["exercises"]] == ["First", "Second"]
    # A drag moves the row in the list's model; the exercises follow.
    from PySide6.QtCore import QModelIndex

    assert editor.exercise_list.model().moveRow(QModelIndex(), 1, QModelIndex(), 0)
    assert [e["name"] for e in editor.document["exercises"]] == ["Second", "First"]
    editor.dirty = False
    editor.close()


def test_a_builtin_routine_is_duplicated_to_edit_and_edits_are_saved(
    window: MainWindow, qtbot: QtBot
) -> None:
    library = window.library
    library.select("spinal-rotation-heel-sitting")
    # One action duplicates, and says it is the way to edit; Edit is off.
    assert library.duplicate_button.text() == "Duplicate to edit"
    assert not library.edit_button.isEnabled() and not library.delete_button.isEnabled()
    assert window.duplicate_action.text() == "&Duplicate to edit"
    assert window.duplicate_action.isEnabled() and not window.edit_action.isEnabled()
    enabled = [b.text() for b in (library.edit_button, library.duplicate_button) if b.isEnabled()]
    assert enabled == ["Duplicate to edit"]
    with qtbot.waitSignal(library.duplicate_requested):
        library.duplicate_button.click()
    editor = window.findChild(RoutineEditor)
    assert editor is not None
    assert editor.document["id"] == "spinal-rotation-heel-sitting-2"
    type_into(editor.exercise_fields["reps"], "4")
    assert editor.save()
    copy = window.routines.store.find("spinal-rotation-heel-sitting-2").routine
    assert copy.exercises[0].reps == 4
    assert window.routines.store.find("spinal-rotation-heel-sitting").routine.exercises[0].reps == 3
    # The copy is the user's: Edit and Duplicate are two actions again.
    assert library.selected_id() == "spinal-rotation-heel-sitting-2"
    assert library.edit_button.isEnabled() and library.duplicate_button.text() == "Duplicate"
    assert window.edit_action.isEnabled() and window.duplicate_action.text() == "&Duplicate routine"
    # Edit the copy: rename its id too.
    editor = window.library_actions.edit_routine()
    assert editor is not None and editor.document["id"] == "spinal-rotation-heel-sitting-2"
    type_into(editor.fields["id"], "my-rotation")
    assert editor.save()
    ids = {s.routine.id for s in window.routines.store.all() if not s.builtin}
    assert ids == {"my-rotation"}


def test_unsaved_changes_are_never_lost_silently(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    editor = window.library_actions.new_routine()
    type_into(editor.fields["name"], "Almost done")
    asked = []
    monkeypatch.setattr(editor, "confirm_discard", lambda: asked.append(1) or False)
    editor.reject()  # Esc or Cancel
    assert asked == [1] and editor.isVisible()
    editor.close()
    assert asked == [1, 1] and editor.isVisible()
    monkeypatch.setattr(editor, "confirm_discard", lambda: True)
    editor.close()
    assert not editor.isVisible()


def test_delete_has_undo(window: MainWindow) -> None:
    editor = window.library_actions.new_routine()
    assert editor.save()
    assert window.library.selected_id() == "my-routine"
    window.library_actions.delete_routine()
    assert "my-routine" not in {s.routine.id for s in window.routines.store.all()}
    assert "Ctrl+Z brings it back" in window.statusBar().currentMessage()
    window.undo_action.trigger()
    assert window.routines.store.find("my-routine").routine.name == "New routine"
    assert window.library.selected_id() == "my-routine"


def test_write_play_export_delete_import_gives_the_same_routine_and_plan(
    window: MainWindow, clock: FakeClock, tmp_path: Path
) -> None:
    from app.domain.plan import PlanSettings, build_plan

    editor = window.library_actions.new_routine()
    type_into(editor.fields["id"], "hip-opener")
    type_into(editor.fields["name"], "Hip opener")
    type_into(editor.exercise_fields["name"], "Hip circle")
    type_into(editor.exercise_fields["reps"], "3")
    type_into(editor.exercise_fields["reps_max"], "5")
    pick(editor.sides, "each")
    add_timed(editor, "Pigeon hold", "hold", "30")
    add_timed(editor, "March", "timed", "40")
    assert editor.save()
    saved = window.routines.store.find("hip-opener").routine
    settings = PlanSettings(weak_side=Side.RIGHT)
    window.library.set_weak_side(Side.RIGHT)
    window.library.start_button.click()
    run_for(window, clock, build_plan(saved, settings).total_seconds + 1)
    assert window.controller.player is not None
    assert window.controller.player.state is PlayerState.FINISHED
    window.tabs.setCurrentIndex(0)
    window.library.select("hip-opener")
    target = tmp_path / "hip-opener.json"
    window.library_actions.export_selected(target)
    window.library_actions.delete_routine()
    assert "hip-opener" not in {s.routine.id for s in window.routines.store.all()}
    assert window.library_actions.import_files([target]) == []
    again = window.routines.store.find("hip-opener").routine
    assert again == saved
    assert build_plan(again, settings) == build_plan(saved, settings)
