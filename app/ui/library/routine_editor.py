"""The routine editor: every field of the routine format, checked by the file validator.

The editor builds the same JSON document a routine file holds and runs it
through `routine_format.from_document`, so a field shows exactly the message a
broken file would get, and Save stays off until there is none. Numbers are typed
as text for that reason: "ten" in a reps field gets the validator's own words.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import text
from app.domain.plan import build_plan
from app.domain.routine import Kind, Routine, Sides
from app.domain.routine_format import (
    FORMAT_NAME,
    FORMAT_VERSION,
    RoutineFormatError,
    from_document,
    to_document,
)
from app.ui.widgets.plain_text import PlainLabel, message_box, plain_tooltip

# The exercise keys edited as text and turned into numbers where they read as one.
NUMBER_KEYS = ("reps", "reps_max", "tempo", "seconds", "sets", "rest_seconds", "switch_seconds")
PROGRESSION_COLUMNS = ("name", "reps", "reps_max", "tempo", "seconds", "instructions")
ERROR_STYLE = "border: 2px solid #c2410c;"


def blank_exercise() -> dict[str, Any]:
    """A new exercise: ten paced reps."""
    return {"name": "New exercise", "kind": "reps", "reps": 10, "tempo": 3}


def blank_routine(routine_id: str) -> dict[str, Any]:
    """The document of a new routine with one exercise."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "id": routine_id,
        "name": "New routine",
        "exercises": [blank_exercise()],
    }


def parse_number(text: str) -> object:
    """A whole number or a decimal where the text reads as one, else the text itself
    (which the validator then names); None for an empty field."""
    text = text.strip()
    if not text:
        return None
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            continue
    return text


class RoutineEditor(QDialog):
    """Edits a routine document; Save writes it with `write` and emits `saved`.

    Args:
        document: The routine file's document to start from (copied).
        taken_ids: Ids used by other routines, refused for this one.
        title: The window title.
        parent: The window the editor belongs to.
        write: Writes the routine; an OSError it raises (a full disk, a read-only
            folder) keeps the editor open with the user's work, and says why.

    Signals:
        saved(Routine): the routine as saved (written).
    """

    saved = Signal(object)

    def __init__(
        self,
        document: dict[str, Any],
        taken_ids: set[str],
        title: str,
        parent: QWidget | None = None,
        *,
        write: Callable[[Routine], object] | None = None,
    ) -> None:
        super().__init__(parent)
        self._write = write
        self.setWindowTitle(title)
        self.resize(980, 720)
        self.document = copy.deepcopy(document)
        self.taken_ids = taken_ids
        self.routine: Routine | None = None
        self.problems: list[str] = []
        self.dirty = False
        self._loading = False
        self._current = -1
        self._build()
        self._load_routine_fields()
        self.revalidate()
        self.dirty = False

    # Building

    def _build(self) -> None:
        routine_form = self._build_routine_form()
        self._build_exercise_list()
        exercise_form = self._build_exercise_form()
        self._build_bottom()
        self._lay_out(routine_form, exercise_form)

    def _build_routine_form(self) -> QFormLayout:
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        routine_form = QFormLayout()
        for key, label in (
            ("id", "Id"),
            ("name", "Name"),
            ("tags", "Tags (commas)"),
            ("source.title", "Source title"),
            ("source.author", "Author"),
            ("source.url", "Link"),
            ("source.note", "Source note"),
        ):
            self.fields[key] = self._line(routine_form, label)
        for key, label in (("description", "Description"), ("notes", "Notes")):
            self.fields[key] = self._text(routine_form, label, 60)
        return routine_form

    def _build_exercise_list(self) -> None:
        self.exercise_list = QListWidget()
        self.exercise_list.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.exercise_list.model().rowsMoved.connect(self._rows_moved)
        self.exercise_list.currentRowChanged.connect(self._select_exercise)
        self.list_buttons = []
        for label, slot in (
            ("&Add exercise", self.add_exercise),
            ("&Remove", self.remove_exercise),
            ("Move &up", lambda: self.move_exercise(-1)),
            ("Move &down", lambda: self.move_exercise(1)),
        ):
            button = QPushButton(label)
            button.clicked.connect(slot)
            self.list_buttons.append(button)
        for keys, step in (("Ctrl+Up", -1), ("Ctrl+Down", 1)):
            QShortcut(QKeySequence(keys), self.exercise_list, lambda s=step: self.move_exercise(s))

    def _build_exercise_form(self) -> QFormLayout:
        exercise_form = QFormLayout()
        self.exercise_fields: dict[str, QLineEdit | QPlainTextEdit | QComboBox] = {}
        self.exercise_fields["name"] = self._line(exercise_form, "Name")
        self.kind = QComboBox()
        self.kind.addItems([k.value for k in Kind])
        self.kind.currentTextChanged.connect(self._edited)
        exercise_form.addRow("Kind", self.kind)
        self.exercise_fields["kind"] = self.kind
        for key, label in (
            ("reps", "Reps (or bottom of a range)"),
            ("reps_max", "Top of range"),
            ("tempo", "Tempo, s a rep (empty: at your pace)"),
            ("seconds", "Seconds (hold, timed)"),
        ):
            self.exercise_fields[key] = self._line(exercise_form, label)
        self.sides = QComboBox()
        self.sides.addItems([s.value for s in Sides])
        self.sides.currentTextChanged.connect(self._edited)
        exercise_form.addRow("Sides", self.sides)
        self.exercise_fields["sides"] = self.sides
        for key, label in (
            ("sets", "Sets"),
            ("rest_seconds", "Rest between sets, s"),
            ("rest_instruction", "During the rest"),
            ("switch_seconds", "Switch pause, s"),
        ):
            self.exercise_fields[key] = self._line(exercise_form, label)
        self.exercise_fields["instructions"] = self._text(
            exercise_form, "Instructions (a line each)", 70
        )
        self.exercise_fields["notes"] = self._text(exercise_form, "Notes", 40)
        for key, default in (("sets", "1"), ("rest_seconds", "0"), ("switch_seconds", "5")):
            field = self.exercise_fields[key]
            if isinstance(field, QLineEdit):
                field.setPlaceholderText(default)
        self.progressions = QTableWidget(0, len(PROGRESSION_COLUMNS))
        self.progressions.setHorizontalHeaderLabels(
            ["Progression", "Reps", "Top", "Tempo", "Seconds", "Instructions (; between)"]
        )
        self.progressions.itemChanged.connect(self._edited)
        self.add_stage = QPushButton("Add progression")
        self.add_stage.clicked.connect(self.add_progression)
        self.remove_stage = QPushButton("Remove progression")
        self.remove_stage.clicked.connect(self.remove_progression)
        return exercise_form

    def _build_bottom(self) -> None:
        self.total = PlainLabel("")
        self.problem_list = PlainLabel("")
        self.problem_list.setWordWrap(True)
        self.problem_list.setStyleSheet("color: #c2410c;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.close)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)

    def _lay_out(self, routine_form: QFormLayout, exercise_form: QFormLayout) -> None:
        routine_box = QGroupBox("Routine")
        routine_box.setLayout(routine_form)
        exercises_box = QGroupBox("Exercises (drag, or Ctrl+Up / Ctrl+Down, to reorder)")
        exercises_layout = QVBoxLayout(exercises_box)
        exercises_layout.addWidget(self.exercise_list)
        row = QHBoxLayout()
        for button in self.list_buttons:
            row.addWidget(button)
        exercises_layout.addLayout(row)
        exercise_box = QGroupBox("Exercise")
        exercise_layout = QVBoxLayout(exercise_box)
        exercise_layout.addLayout(exercise_form)
        exercise_layout.addWidget(self.progressions)
        stage_row = QHBoxLayout()
        stage_row.addWidget(self.add_stage)
        stage_row.addWidget(self.remove_stage)
        stage_row.addStretch(1)
        exercise_layout.addLayout(stage_row)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(routine_box)
        left_layout.addWidget(exercises_box, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(exercise_box)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.problem_list)
        bottom = QHBoxLayout()
        bottom.addWidget(self.total, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

    def _line(self, form: QFormLayout, label: str) -> QLineEdit:
        edit = QLineEdit()
        edit.textEdited.connect(self._edited)
        form.addRow(label, edit)
        return edit

    def _text(self, form: QFormLayout, label: str, height: int) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setFixedHeight(height)
        edit.textChanged.connect(self._edited)
        form.addRow(label, edit)
        return edit

    # Between the widgets and the document

    def _load_routine_fields(self) -> None:
        self._loading = True
        doc = self.document
        source = doc.get("source", {})
        values = {
            "id": doc.get("id", ""),
            "name": doc.get("name", ""),
            "tags": ", ".join(doc.get("tags", [])),
            "description": doc.get("description", ""),
            "notes": doc.get("notes", ""),
            **{f"source.{k}": source.get(k, "") for k in ("title", "author", "url", "note")},
        }
        for key, widget in self.fields.items():
            _set_text(widget, str(values[key]))
        self._refresh_list(0)
        self._loading = False

    def _refresh_list(self, select: int | None = None) -> None:
        """Lists the exercises again and shows `select` (default: the current row)."""
        row = self.exercise_list.currentRow() if select is None else select
        row = min(max(row, 0), len(self.document["exercises"]) - 1)
        self.exercise_list.blockSignals(True)
        self.exercise_list.clear()
        for index, exercise in enumerate(self.document["exercises"]):
            self.exercise_list.addItem(str(exercise.get("name", "")))
            self.exercise_list.item(index).setData(Qt.ItemDataRole.UserRole, index)
        self.exercise_list.setCurrentRow(row)
        self.exercise_list.blockSignals(False)
        self._select_exercise(row)

    def _select_exercise(self, row: int) -> None:
        self._current = row
        if not 0 <= row < len(self.document["exercises"]):
            return
        self._loading = True
        exercise = self.document["exercises"][row]
        for key, widget in self.exercise_fields.items():
            value = exercise.get(key)
            if key == "instructions":
                _set_text(widget, "\n".join(value or []))
            elif isinstance(widget, QComboBox):
                widget.setCurrentText(str(value or ("none" if key == "sides" else "reps")))
            else:
                _set_text(widget, "" if value is None else _number_text(value))
        self.progressions.blockSignals(True)
        stages = exercise.get("progressions", [])
        self.progressions.setRowCount(len(stages))
        for r, stage in enumerate(stages):
            for c, key in enumerate(PROGRESSION_COLUMNS):
                value = stage.get(key)
                text = (
                    "; ".join(value)
                    if key == "instructions" and value
                    else ("" if value is None else _number_text(value))
                )
                self.progressions.setItem(r, c, QTableWidgetItem(text))
        self.progressions.blockSignals(False)
        self._loading = False
        self._mark_fields()

    def _store_widgets(self) -> None:
        """Copies the widgets into the document."""
        doc = self.document
        text = {key: _get_text(widget) for key, widget in self.fields.items()}
        doc["id"], doc["name"] = text["id"].strip(), text["name"]
        for key in ("description", "notes"):
            _put(doc, key, text[key].strip())
        _put(doc, "tags", [t.strip() for t in text["tags"].split(",") if t.strip()])
        source = {k: text[f"source.{k}"].strip() for k in ("title", "author", "url", "note")}
        _put(doc, "source", {k: v for k, v in source.items() if v})
        row = self._current
        if not 0 <= row < len(doc["exercises"]):
            return
        exercise: dict[str, Any] = {
            "name": _get_text(self.exercise_fields["name"]),
            "kind": self.kind.currentText(),
        }
        for key in NUMBER_KEYS:
            exercise[key] = parse_number(_get_text(self.exercise_fields[key]))
        exercise["sides"] = self.sides.currentText()
        exercise["rest_instruction"] = _get_text(self.exercise_fields["rest_instruction"])
        exercise["instructions"] = [
            line
            for line in _get_text(self.exercise_fields["instructions"]).splitlines()
            if line.strip()
        ]
        exercise["notes"] = _get_text(self.exercise_fields["notes"]).strip()
        stages = []
        for r in range(self.progressions.rowCount()):
            stage: dict[str, Any] = {}
            for c, key in enumerate(PROGRESSION_COLUMNS):
                item = self.progressions.item(r, c)
                cell = item.text() if item is not None else ""
                if key == "name":
                    stage["name"] = cell
                elif key == "instructions":
                    stage["instructions"] = [s.strip() for s in cell.split(";") if s.strip()]
                else:
                    stage[key] = parse_number(cell)
            stages.append(stage)
        exercise["progressions"] = stages
        doc["exercises"][row] = _without_defaults(exercise)

    # Editing

    def _edited(self, *_args: object) -> None:
        if self._loading:
            return
        self.dirty = True
        self._store_widgets()
        item = self.exercise_list.item(self._current)
        if item is not None:
            item.setText(str(self.document["exercises"][self._current].get("name", "")))
        self.revalidate()

    def add_exercise(self) -> None:
        """Adds an exercise after the selected one."""
        self._store_widgets()
        row = self._current + 1
        self.document["exercises"].insert(row, blank_exercise())
        self._refresh_list(row)
        self._changed()

    def remove_exercise(self) -> None:
        """Removes the selected exercise (a routine keeps at least one)."""
        row = self._current
        if len(self.document["exercises"]) <= 1 or not 0 <= row < len(self.document["exercises"]):
            return
        del self.document["exercises"][row]
        self._refresh_list(row)
        self._changed()

    def move_exercise(self, step: int) -> None:
        """Moves the selected exercise up (-1) or down (+1)."""
        self._store_widgets()
        row, exercises = self._current, self.document["exercises"]
        target = row + step
        if not (0 <= row < len(exercises) and 0 <= target < len(exercises)):
            return
        exercises[row], exercises[target] = exercises[target], exercises[row]
        self._refresh_list(target)
        self._changed()

    def _rows_moved(self, *_args: object) -> None:
        """A drag reordered the list: reorder the exercises to match."""
        order = [
            self.exercise_list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.exercise_list.count())
        ]
        if order == sorted(order):
            return
        moved = order.index(self._current) if self._current in order else 0
        self.document["exercises"] = [self.document["exercises"][i] for i in order]
        self._refresh_list(moved)
        self._changed()

    def add_progression(self) -> None:
        """Adds a row for a progression of the selected exercise."""
        self.progressions.blockSignals(True)
        row = self.progressions.rowCount()
        self.progressions.insertRow(row)
        self.progressions.setItem(row, 0, QTableWidgetItem(f"Stage {row + 1}"))
        self.progressions.blockSignals(False)
        self._edited()

    def remove_progression(self) -> None:
        """Removes the selected progression."""
        row = self.progressions.currentRow()
        if row >= 0:
            self.progressions.removeRow(row)
            self._edited()

    def _changed(self) -> None:
        self.dirty = True
        self.revalidate()

    # Checking and saving

    def revalidate(self) -> None:
        """Runs the document through the file validator; marks fields; updates the total."""
        self.problems = []
        self.routine = None
        routine_id = self.document.get("id")
        if routine_id in self.taken_ids:
            self.problems.append(f'id: "{routine_id}" is the id of another routine')
        try:
            routine = from_document(self.document, "routine")
        except RoutineFormatError as exc:
            self.problems += [str(p) for p in exc.problems]
        else:
            if not self.problems:
                self.routine = routine
        self.save_button.setEnabled(self.routine is not None)
        self.problem_list.setText("\n".join(self.problems))
        self.problem_list.setVisible(bool(self.problems))
        if self.routine is not None:
            plan = build_plan(self.routine)
            self.total.setText(
                f"Total {text.clock_text(plan.total_seconds)}, "
                f"{text.counted(len(plan.steps), 'step')}"
            )
        else:
            self.total.setText("No total until the problems above are fixed")
        self._mark_fields()

    def problem_for(self, key: str, exercise: int | None = None) -> str:
        """The validator's message for one field ("" when it is fine)."""
        path = key if exercise is None else f"exercises[{exercise}].{key}"
        for problem in self.problems:
            where, _, message = problem.partition(": ")
            if where == path or where.startswith((f"{path}[", f"{path}.")):
                return message
        return ""

    def _mark_fields(self) -> None:
        for key, widget in self.fields.items():
            _mark(widget, self.problem_for(key.replace("tags", "tags")))
        for key, field in self.exercise_fields.items():
            _mark(field, self.problem_for(key, self._current))
        _mark(self.progressions, self.problem_for("progressions", self._current))
        for row in range(self.exercise_list.count()):
            item = self.exercise_list.item(row)
            broken = any(p.startswith(f"exercises[{row}]") for p in self.problems)
            item.setToolTip(
                plain_tooltip(
                    "\n".join(p for p in self.problems if p.startswith(f"exercises[{row}]"))
                )
            )
            item.setForeground(
                Qt.GlobalColor.red if broken else self.palette().color(self.foregroundRole())
            )

    def save(self) -> bool:
        """Writes the routine, if it has no problem, and emits `saved`; True when saved.

        When it cannot be written the editor stays open, unsaved, and a message
        box says why.
        """
        self._store_widgets()
        self.revalidate()
        if self.routine is None:
            return False
        if self._write is not None:
            try:
                self._write(self.routine)
            except OSError as exc:
                where = f" {exc.filename}" if exc.filename else ""
                box = message_box(
                    QMessageBox.Icon.Warning,
                    "Not saved",
                    f"“{self.routine.name}” could not be saved: cannot "
                    f"write{where} ({exc.strerror or exc}). Your changes are "
                    "still here: free some space or fix the folder, then "
                    "save again.",
                    self,
                )
                box.open()
                return False
        self.saved.emit(self.routine)
        self.dirty = False
        self.accept()
        return True

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.dirty and not self.confirm_discard():
            event.ignore()
            return
        self.dirty = False
        super().closeEvent(event)

    def reject(self) -> None:
        if self.dirty and not self.confirm_discard():
            return
        self.dirty = False
        super().reject()

    def confirm_discard(self) -> bool:
        """Asks before unsaved changes are lost: True to go on (saved or discarded)."""
        box = message_box(
            QMessageBox.Icon.Question, "Unsaved changes", "Save the changes to this routine?", self
        )
        box.setStandardButtons(
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel
        )
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard


def document_of(routine: Routine) -> dict[str, Any]:
    """A routine as the editor edits it."""
    return to_document(routine)


def _without_defaults(exercise: dict[str, Any]) -> dict[str, Any]:
    """Drops empty fields, as a routine file would leave them out."""
    kept = {
        key: value
        for key, value in exercise.items()
        if value is not None and value not in ("", []) and not (key == "sides" and value == "none")
    }
    if "progressions" in kept:
        kept["progressions"] = [
            {k: v for k, v in stage.items() if v not in (None, "", [])}
            for stage in kept["progressions"]
        ]
    return kept


def _put(document: dict[str, Any], key: str, value: object) -> None:
    if value in ("", [], {}):
        document.pop(key, None)
    else:
        document[key] = value


def _number_text(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _set_text(widget: QWidget, text: str) -> None:
    if isinstance(widget, QPlainTextEdit):
        widget.setPlainText(text)
    elif isinstance(widget, QLineEdit):
        widget.setText(text)


def _get_text(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    return ""


def _mark(widget: QWidget, problem: str) -> None:
    widget.setToolTip(plain_tooltip(problem))
    widget.setStyleSheet(ERROR_STYLE if problem else "")
    widget.setAccessibleDescription(problem)
