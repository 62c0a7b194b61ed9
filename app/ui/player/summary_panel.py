"""After a session: what was done, and a one-tap "which side felt tighter?"."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import display
from app.domain.session import SessionRecord
from app.ui.widgets.plain_text import PlainLabel

SAME = ""


class SummaryPanel(QGroupBox):
    """The summary of the session just ended, with a question per per-side exercise.

    Signals:
        tighter_answered(SessionRecord): the record with the answers so far.
    """

    tighter_answered = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Session done", parent)
        self.record: SessionRecord | None = None
        self.lines = PlainLabel("")
        self.lines.setWordWrap(True)
        self.questions = QGridLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.lines)
        layout.addLayout(self.questions)
        self._groups: list[QButtonGroup] = []
        self.setVisible(False)

    def show_record(self, record: SessionRecord | None) -> None:
        """Shows a session's summary and questions; None hides the panel."""
        self.record = record
        self._clear_questions()
        if record is None:
            self.setVisible(False)
            return
        self.lines.setText("\n".join(display.session_summary(record)))
        for row, (index, name) in enumerate(display.per_side_exercises(record)):
            self.questions.addWidget(PlainLabel(f"{name}: which side felt tighter?"), row, 0)
            group = QButtonGroup(self)
            for column, (label, side) in enumerate(
                (("Left", "left"), ("Right", "right"), ("Same", SAME)), start=1
            ):
                button = QPushButton(label)
                button.setCheckable(True)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setChecked(record.tighter.get(str(index), None) == side)
                button.clicked.connect(lambda _c=False, i=index, s=side: self._answer(i, s))
                group.addButton(button)
                self.questions.addWidget(button, row, column)
            self._groups.append(group)
        self.setVisible(True)

    def _answer(self, exercise_index: int, side: str) -> None:
        if self.record is None:
            return
        tighter = dict(self.record.tighter)
        if side == SAME:
            tighter.pop(str(exercise_index), None)
        else:
            tighter[str(exercise_index)] = side
        self.record = self.record.with_changes(tighter=tighter)
        self.tighter_answered.emit(self.record)

    def _clear_questions(self) -> None:
        while self.questions.count():
            item = self.questions.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._groups = []
