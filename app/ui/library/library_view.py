"""The library view: find a routine, see its plan, pick the weaker side, start.

The view is built before the window's first frame and filled after it: the
core's modules (plans, routines, sessions) are imported where it is filled.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.domain import text
from app.ui.widgets.by_name import set_by_name
from app.ui.widgets.column_share import ColumnShare
from app.ui.widgets.flow_layout import FlowLayout
from app.ui.widgets.plain_text import LinkLabel, PlainLabel, link_html, plain_tooltip

if TYPE_CHECKING:
    from PySide6.QtCore import QMimeData
    from PySide6.QtGui import QDragEnterEvent, QDropEvent, QResizeEvent

    from app.application.history import SessionHistory
    from app.application.library import RoutineLibrary
    from app.domain.plan import Plan, PlanSettings
    from app.domain.routine import Routine, Side
    from app.domain.session import SessionRecord
    from app.storage.routine_store import StoredRoutine

# Narrower than this, the details go under the list rather than beside it.
NARROW_WIDTH = 620
ALL_TAGS = "All tags"
ROUTINE_ID = 0x0100  # Qt.ItemDataRole.UserRole, as the item's data() takes it: an int
# A built-in routine is read-only: the one way to change it is to edit a copy.
DUPLICATE = "Duplicate"
DUPLICATE_TO_EDIT = "Duplicate to edit"
# The weaker-side radio buttons, in order: none, then Side's values.
SIDE_CHOICES = (None, "left", "right")


class LibraryView(QWidget):
    """Lists routines with search and a tag filter, and shows the selected one's plan.

    Signals:
        start_requested(Routine, PlanSettings): the user pressed Start.
        weak_side_changed(str, object): routine id and its weaker side (Side or None).
        files_dropped(list[Path]): routine files dropped on the library, to import.
        new_requested(), edit_requested(), duplicate_requested(), delete_requested():
            the buttons under the list.
        selection_changed(): another routine (or none) is selected; the buttons
            under the list have been set for it.
    """

    start_requested = Signal(object, object)
    weak_side_changed = Signal(str, object)
    files_dropped = Signal(list)
    new_requested = Signal()
    edit_requested = Signal()
    duplicate_requested = Signal()
    delete_requested = Signal()
    selection_changed = Signal()

    def __init__(
        self, routines: RoutineLibrary, sessions: SessionHistory, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._model = routines
        self._history = sessions
        self._routines: dict[str, StoredRoutine] = {}
        self._weak_sides: dict[str, Side | None] = {}
        self._sessions: list[SessionRecord] = []
        self._build_finder()
        self._build_details()
        self._lay_out()
        self.setAcceptDrops(True)
        self._show_current()
        routines.changed.connect(self._routines_changed)
        self.weak_side_changed.connect(routines.set_weak_side)
        for signal in (sessions.reset, sessions.put, sessions.removed):
            signal.connect(self._sessions_changed)
        if routines.loaded:
            self._routines_changed()
        if sessions.loaded:
            self._sessions_changed()

    def _routines_changed(self) -> None:
        routines = self._model.routines
        self.set_routines(
            routines, {s.routine.id: self._model.weak_side(s.routine.id) for s in routines}
        )

    def _sessions_changed(self, *_: object) -> None:
        self.set_sessions(self._history.sessions)

    def _build_finder(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search (Ctrl+F)")
        self.search.setToolTip("Search routines, exercises and authors (Ctrl+F)")
        self.search.textChanged.connect(self._refilter)
        self.tags = QComboBox()
        self.tags.addItem(ALL_TAGS)
        self.tags.currentTextChanged.connect(self._refilter)
        self.list = QListWidget()
        self.list.setObjectName("routineList")
        self.list.currentItemChanged.connect(self._show_current)
        self.list.itemActivated.connect(lambda _item: self._start())
        self.new_button = QPushButton("New")
        self.new_button.clicked.connect(self.new_requested)
        self.edit_button = QPushButton("Edit")
        self.edit_button.clicked.connect(self.edit_requested)
        self.duplicate_button = QPushButton(DUPLICATE)
        self.duplicate_button.clicked.connect(self.duplicate_requested)
        self.delete_button = QPushButton("Delete")
        self.delete_button.clicked.connect(self.delete_requested)

    def _build_details(self) -> None:
        self.name = PlainLabel("")
        self.name.setWordWrap(True)
        font = QFont(self.name.font())
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        self.name.setFont(font)
        self.source = LinkLabel()
        self.source.setWordWrap(True)
        self.description = PlainLabel("")
        self.description.setWordWrap(True)
        self.tag_line = PlainLabel("")
        self.plan = QTreeWidget()
        self.plan.setObjectName("plan")
        self.plan.setHeaderLabels(["Exercise", "Sets", "Each set", "Time"])
        self.plan.setRootIsDecorated(False)
        self.plan.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        set_by_name(self.plan, "focusPolicy", "NoFocus")
        # The exercise and what each set asks give way when the pane is narrow.
        self.plan_columns = ColumnShare(self.plan, giving=(0, 2))
        self.total = PlainLabel("")
        self.side_buttons = QButtonGroup(self)
        for index, label in enumerate(("&None", "&Left", "&Right")):
            self.side_buttons.addButton(QRadioButton(label), index)
        self.side_buttons.idToggled.connect(self._side_toggled)
        self.suggestion = PlainLabel("")
        self.suggestion.setWordWrap(True)
        # Takes the suggestion in one click: the choice it names, shown only while
        # another one is made.
        self.take_suggestion = QPushButton("")
        self.take_suggestion.clicked.connect(self._take_suggestion)
        self.take_suggestion.hide()
        self._suggested: Side | None = None
        self.start_button = QPushButton("▶ Start")
        self.start_button.setDefault(True)
        self.start_button.setToolTip("Start this routine (Ctrl+Enter)")
        self.start_button.clicked.connect(self._start)

    def _lay_out(self) -> None:
        side_row = QHBoxLayout()
        side_row.addWidget(PlainLabel("Weaker side:"))
        for button in self.side_buttons.buttons():
            side_row.addWidget(button)
        side_row.addStretch(1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.search)
        left_layout.addWidget(self.tags)
        left_layout.addWidget(self.list, 1)
        buttons = QWidget()
        flow = FlowLayout(buttons)  # on two rows where the pane is narrow
        for button in (
            self.new_button,
            self.edit_button,
            self.duplicate_button,
            self.delete_button,
        ):
            flow.addWidget(button)
        left_layout.addWidget(buttons)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.name, self.source, self.description, self.tag_line):
            right_layout.addWidget(widget)
        right_layout.addLayout(side_row)
        suggestion_row = QHBoxLayout()
        suggestion_row.addWidget(self.suggestion, 1)
        at_top = QVBoxLayout()  # beside a suggestion on two lines, level with the first
        at_top.addWidget(self.take_suggestion)
        at_top.addStretch(1)
        suggestion_row.addLayout(at_top)
        right_layout.addLayout(suggestion_row)
        right_layout.addWidget(self.plan, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.total, 1)
        bottom.addWidget(self.start_button)
        right_layout.addLayout(bottom)
        # The details scroll rather than make the window taller; a narrow window
        # puts them under the list rather than beside it.
        details = QScrollArea()
        details.setWidget(right)
        details.setWidgetResizable(True)
        details.setFrameShape(QFrame.Shape.NoFrame)
        set_by_name(details, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        right.setMinimumHeight(320)
        self.splitter = QSplitter()  # side by side, or one above the other (`_narrow`)
        self._narrow = False
        self.splitter.addWidget(left)
        self.splitter.addWidget(details)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        # In a window too small for both panes the view scrolls, rather than
        # make the window taller than the screen.
        page = QScrollArea()
        page.setWidget(self.splitter)
        page.setWidgetResizable(True)
        page.setFrameShape(QFrame.Shape.NoFrame)
        set_by_name(page, "horizontalScrollBarPolicy", "ScrollBarAlwaysOff")
        layout = QVBoxLayout(self)
        layout.addWidget(page)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        narrow = self.width() < NARROW_WIDTH
        if narrow != self._narrow:
            self._narrow = narrow
            set_by_name(self.splitter, "orientation", "Vertical" if narrow else "Horizontal")

    def set_routines(
        self, routines: list[StoredRoutine], weak_sides: dict[str, Side | None]
    ) -> None:
        """Lists `routines`, keeping the selection where it can."""
        selected = self.selected_id()
        self._routines = {s.routine.id: s for s in routines}
        self._weak_sides = dict(weak_sides)
        tags = sorted({t for s in routines for t in s.routine.tags}, key=str.casefold)
        current_tag = self.tags.currentText()
        self.tags.blockSignals(True)
        self.tags.clear()
        self.tags.addItems([ALL_TAGS, *tags])
        self.tags.setCurrentText(current_tag if current_tag in tags else ALL_TAGS)
        self.tags.blockSignals(False)
        self.list.clear()
        for stored in routines:
            routine = stored.routine
            item = QListWidgetItem(self._list_text(routine))
            item.setData(ROUTINE_ID, routine.id)
            item.setToolTip(plain_tooltip(", ".join(routine.tags)))
            self.list.addItem(item)
        self._refilter()
        self.select(selected or (routines[0].routine.id if routines else ""))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt override
        if _dropped_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt override
        files = _dropped_files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.files_dropped.emit(files)

    def set_sessions(self, sessions: list[SessionRecord]) -> None:
        """The logged sessions, for the hint of which side to mark weaker."""
        self._sessions = list(sessions)
        self._show_suggestion()

    def select(self, routine_id: str) -> None:
        """Selects a routine by id, if it is listed and visible."""
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(ROUTINE_ID) == routine_id and not item.isHidden():
                self.list.setCurrentItem(item)
                return

    def selected_id(self) -> str | None:
        """The id of the selected routine, if any."""
        item = self.list.currentItem()
        return item.data(ROUTINE_ID) if item is not None and not item.isHidden() else None

    def selected_routine(self) -> Routine | None:
        """The selected routine, if any."""
        routine_id = self.selected_id()
        return self._routines[routine_id].routine if routine_id else None

    def plan_settings(self) -> PlanSettings:
        """The settings the selected routine would be played with."""
        from app.domain.plan import PlanSettings

        routine_id = self.selected_id()
        return self._settings_of(routine_id) if routine_id else PlanSettings()

    def _settings_of(self, routine_id: str) -> PlanSettings:
        """The settings a routine would be played with: its weaker side, and the
        preferences (get-ready seconds, tempo, the weaker side's bonus)."""
        return self._model.settings.plan_settings(self._weak_sides.get(routine_id))

    def _list_text(self, routine: Routine) -> str:
        """ "Name  (0:42)": the total of the plan as it would be played."""
        total = _plan(routine, self._settings_of(routine.id)).total_seconds
        return f"{routine.name}  ({text.clock_text(total)})"

    def set_weak_side(self, side: Side | None) -> None:
        """Picks the weaker side for the selected routine, as the radio buttons do."""
        self.side_buttons.button(SIDE_CHOICES.index(side)).setChecked(True)

    def _refilter(self) -> None:
        words = self.search.text().casefold().split()
        tag = self.tags.currentText()
        for row in range(self.list.count()):
            item = self.list.item(row)
            routine = self._routines[item.data(ROUTINE_ID)].routine
            haystack = " ".join(
                [
                    routine.name,
                    routine.description,
                    routine.source.author,
                    routine.source.title,
                    *routine.tags,
                    *(e.name for e in routine.exercises),
                ]
            ).casefold()
            visible = all(w in haystack for w in words) and (
                tag in ("", ALL_TAGS) or tag in routine.tags
            )
            item.setHidden(not visible)
        current = self.list.currentItem()
        if current is None or current.isHidden():
            visible_items = [
                self.list.item(r)
                for r in range(self.list.count())
                if not self.list.item(r).isHidden()
            ]
            if visible_items:
                self.list.setCurrentItem(visible_items[0])
            else:
                self.list.setCurrentRow(-1)
        self._show_current()

    def selected_is_builtin(self) -> bool:
        """Whether the selected routine is a built-in one (read-only)."""
        routine_id = self.selected_id()
        return routine_id is not None and self._routines[routine_id].builtin

    def _show_current(self) -> None:
        self._set_buttons()
        self._show_details()
        self.selection_changed.emit()

    def _set_buttons(self) -> None:
        """Buttons for the selection; a built-in routine has one that duplicates, which
        says it is the way to edit, and no Edit or Delete."""
        selected = self.selected_id() is not None
        builtin = self.selected_is_builtin()
        for widget in (self.start_button, self.duplicate_button, *self.side_buttons.buttons()):
            widget.setEnabled(selected)
        for widget in (self.edit_button, self.delete_button):
            widget.setEnabled(selected and not builtin)
        self.edit_button.setToolTip(
            plain_tooltip(
                "A built-in routine is read-only: duplicate it to edit" if builtin else ""
            )
        )
        self.duplicate_button.setText(DUPLICATE_TO_EDIT if builtin else DUPLICATE)

    def _show_details(self) -> None:
        routine = self.selected_routine()
        if routine is None:
            for label in (self.name, self.source, self.description, self.tag_line, self.total):
                label.setText("")
            self.name.setText("No routine matches" if self._routines else "")
            self.plan.clear()
            self._show_suggestion()
            return
        self.name.setText(routine.name)
        self.source.setText(_source_html(routine))
        self.description.setText(routine.description)
        self.tag_line.setText("Tags: " + ", ".join(routine.tags) if routine.tags else "")
        side = self._weak_sides.get(routine.id)
        self.side_buttons.blockSignals(True)
        self.side_buttons.button(SIDE_CHOICES.index(side)).setChecked(True)
        self.side_buttons.blockSignals(False)
        self._show_plan(routine)
        self._show_suggestion()

    def _show_suggestion(self) -> None:
        routine_id = self.selected_id()
        hint = None
        if routine_id:
            # Loaded with the first routine shown, after the first frame (3 ms).
            from app.domain.history_stats import suggest_weak_side

            hint = suggest_weak_side(self._sessions, routine_id)
        chosen = self._weak_sides.get(routine_id) if routine_id else None
        self.suggestion.setText("" if hint is None else hint.message(chosen))
        self.suggestion.setVisible(hint is not None)
        self._suggested = _side(hint.side) if hint is not None else None
        self.take_suggestion.setText(
            f"Mark {self._suggested} weaker" if self._suggested else "No weaker side"
        )
        self.take_suggestion.setVisible(hint is not None and self._suggested != chosen)

    def _take_suggestion(self) -> None:
        self.set_weak_side(self._suggested)

    def _show_plan(self, routine: Routine) -> None:
        from app.domain import display

        plan = _plan(routine, self.plan_settings())
        self.plan.clear()
        for summary in display.plan_summary(plan):
            self.plan.addTopLevelItem(
                QTreeWidgetItem(
                    [
                        summary.name,
                        str(summary.sets),
                        summary.each_set,
                        text.clock_text(summary.seconds),
                    ]
                )
            )
        self.plan_columns.refit()
        self.total.setText(f"Total {text.clock_text(plan.total_seconds)}")

    def _side_toggled(self, button_id: int, checked: bool) -> None:
        routine_id = self.selected_id()
        if not checked or routine_id is None:
            return
        side = _side(SIDE_CHOICES[button_id])
        self._weak_sides[routine_id] = side
        self.weak_side_changed.emit(routine_id, side)
        routine = self._routines[routine_id].routine
        current = self.list.currentItem()
        if current is not None:
            current.setText(self._list_text(routine))
        self._show_plan(routine)
        self._show_suggestion()

    def _start(self) -> None:
        routine = self.selected_routine()
        if routine is not None:
            self.start_requested.emit(routine, self.plan_settings())


def _plan(routine: Routine, settings: PlanSettings) -> Plan:
    from app.domain.plan import build_plan

    return build_plan(routine, settings)


def _side(value: str | None) -> Side | None:
    from app.domain.routine import Side

    return Side(value) if value else None


def _dropped_files(mime: QMimeData) -> list[Path]:
    """The local files among what is dragged."""
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]


def _source_html(routine: Routine) -> str:
    """'From “title” by author' for the source label, the title linked to the source's
    web address; the texts come from the routine file and are escaped."""
    source = routine.source
    by = f"by {source.author}" if source.author else ""
    shown = source.title or source.url
    if not shown:
        return html.escape(by)
    return link_html("From “", shown, source.url, f"” {by}".rstrip())
