"""The end screen: how the routine ended, what was done, in large type, and a
one-tap (or one-key) "which side felt tighter?" for each exercise done on both
sides."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QGridLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.domain import display
from app.domain.session import SAME, SessionRecord
from app.ui.widgets.fonts import set_pixel_font
from app.ui.widgets.plain_text import PlainLabel

ANSWERS = (("Left", "left", "L"), ("Right", "right", "R"), ("Same", SAME, "S"))
KEYS_HINT = "Keys: L left, R right, S same (for the question marked ▶)"
NEXT_MARK = "▶ "
# The heading the shortcuts dialog lists the keys under.
SHORTCUT_GROUP = "shortcut_group"
END_SCREEN = "At the end of a routine"
# A chosen answer reads from across the room: the highlight colour, not a shade.
CHOSEN_STYLE = (
    "QPushButton:checked { background: palette(highlight); color: palette(highlighted-text);"
    " border: 2px solid palette(highlighted-text); }"
)


class SummaryPanel(QScrollArea):
    """The end of a routine: a heading, the summary, and the tighter-side questions.

    The keys L, R and S answer the first question not yet answered. It scrolls
    rather than grow the window when a long summary does not fit.

    Signals:
        tighter_answered(SessionRecord): the record with the answers so far.
    """

    tighter_answered = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.record: SessionRecord | None = None
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        body = QWidget()
        self.heading = PlainLabel("")
        self.heading.setWordWrap(True)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.lines = PlainLabel("")
        self.lines.setWordWrap(True)
        self.questions = QGridLayout()
        self.hint = PlainLabel("")
        layout = QVBoxLayout(body)
        layout.addWidget(self.heading)
        layout.addWidget(self.lines)
        layout.addLayout(self.questions)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        self.setWidget(body)
        self._body = body
        self._groups: list[tuple[int, QButtonGroup]] = []
        self._pixels = 20
        self.key_actions: list[QAction] = []
        for label, side, key in ANSWERS:
            # Actions rather than bare shortcuts: the shortcuts dialog lists them.
            action = QAction(f"{label} felt tighter", self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.setProperty(SHORTCUT_GROUP, END_SCREEN)
            action.triggered.connect(lambda _c=False, s=side: self.answer_next(s))
            self.addAction(action)  # active while the end screen shows
            self.key_actions.append(action)

    def show_heading(self, heading: str) -> None:
        """Says how the routine ended ("Done! Well moved.", "Stopped")."""
        self.heading.setText(heading)

    def show_record(self, record: SessionRecord | None) -> None:
        """Shows a session's summary and questions; None clears them."""
        self.record = record
        self._clear_questions()
        self.lines.setText("\n".join(display.session_summary(record)) if record else "")
        if record is None:
            self.hint.setText("")
            return
        exercises = display.per_side_exercises(record)
        if exercises and not self._body.styleSheet():
            # Set with the first questions, not at start-up: a style sheet is slow to make.
            self._body.setStyleSheet(CHOSEN_STYLE)
        for row, (index, name) in enumerate(exercises):
            question = PlainLabel(f"{name}: which side felt tighter?")
            question.setWordWrap(True)
            self.questions.addWidget(question, row, 0)
            group = QButtonGroup(self)
            for column, (label, side, key) in enumerate(ANSWERS, start=1):
                button = QPushButton(f"{label} ({key})")
                button.setCheckable(True)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setChecked(record.tighter.get(str(index), None) == side)
                button.clicked.connect(lambda _c=False, i=index, s=side: self._answer(i, s))
                group.addButton(button, column)
                self.questions.addWidget(button, row, column)
            self._groups.append((index, group))
        self.questions.setColumnStretch(0, 1)
        self.set_pixel_size(self._pixels)
        self._mark_next()

    def _mark_next(self) -> None:
        """Marks the question the keys answer next with an arrow."""
        marked = False
        for row, (_index, group) in enumerate(self._groups):
            item = self.questions.itemAtPosition(row, 0)
            label = item.widget() if item is not None else None
            if not isinstance(label, PlainLabel):
                continue
            text = label.text().removeprefix(NEXT_MARK)
            is_next = not marked and group.checkedButton() is None
            marked = marked or is_next
            label.setText(f"{NEXT_MARK}{text}" if is_next else text)
        # With every question answered, no ▶ is left for the keys' hint to point at.
        self.hint.setText(KEYS_HINT if marked else "")

    def answer_next(self, side: str) -> None:
        """Answers the first question with no answer yet (the keys L, R and S)."""
        if not self.isVisible():
            return
        for index, group in self._groups:
            if group.checkedButton() is None:
                self._check(group, side)
                self._answer(index, side)
                return

    def set_pixel_size(self, pixels: int) -> None:
        """Sizes the text for the view: the heading twice the rest."""
        self._pixels = pixels
        set_pixel_font(self.heading, pixels * 2, bold=True)
        set_pixel_font(self.lines, pixels)
        set_pixel_font(self.hint, max(12, pixels * 2 // 3))
        for row in range(self.questions.rowCount()):
            for column in range(self.questions.columnCount()):
                item = self.questions.itemAtPosition(row, column)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    set_pixel_font(widget, pixels, bold=column > 0)

    @staticmethod
    def _check(group: QButtonGroup, side: str) -> None:
        column = next(c for c, (_l, s, _k) in enumerate(ANSWERS, start=1) if s == side)
        button = group.button(column)
        if button is not None:
            button.setChecked(True)

    def _answer(self, exercise_index: int, side: str) -> None:
        if self.record is None:
            return
        tighter = {**self.record.tighter, str(exercise_index): side}
        self.record = self.record.with_changes(tighter=tighter)
        self._mark_next()
        self.tighter_answered.emit(self.record)

    def _clear_questions(self) -> None:
        while self.questions.count():
            item = self.questions.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for _index, group in self._groups:
            group.deleteLater()
        self._groups = []
