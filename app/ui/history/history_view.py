"""The history view: every session, filters, notes, delete with undo, and the charts.

pyqtgraph loads when the charts are first shown, not at start-up.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFrame,
    QScrollArea,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.application.history import SessionHistory
from app.domain import history_stats, history_table, text
from app.domain.history_table import SessionColumns
from app.domain.session import SessionRecord
from app.storage.settings import Settings
from app.ui.history.session_table import COLUMNS, RECORD_ROLE, SessionTableModel
from app.ui.widgets.column_share import ColumnShare
from app.ui.widgets.flow_layout import FlowLayout, labelled
from app.ui.widgets.plain_text import PlainLabel

if TYPE_CHECKING:
    from app.ui.history.charts import HistoryCharts

ALL = "All"
# The charts are built once the table has been painted, or this long after.
CHARTS_AT_LATEST_MS = 100
WEEK_CHOICES = (12, 52)
# The least height of the table and of the charts, which scroll below it.
SMALLEST_PANE = 48
# The columns that give way when the table is too narrow for all: free text.
GIVING_COLUMNS = tuple(COLUMNS.index(name) for name in ("Routine", "Done", "Notes"))


class HistoryView(QWidget):
    """Sessions (filtered by routine, tag and days) and the charts of how often you warm up.

    Signals:
        note_edited(SessionRecord): notes changed on a session.
        delete_requested(SessionRecord): the user pressed Delete on a session.
        goal_changed(int), rest_days_changed(int): the settings below the filters.
        charts_drawn(): the charts were built and drawn, the first time the view shows.
    """

    note_edited = Signal(object)
    delete_requested = Signal(object)
    goal_changed = Signal(int)
    rest_days_changed = Signal(int)
    charts_drawn = Signal()

    def __init__(
        self, sessions: SessionHistory, settings: Settings, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        goal, rest_days = settings.weekly_goal, settings.rest_days
        self.today = date.today()
        self.charts: HistoryCharts | None = None
        self._columns = SessionColumns([])
        self._scales: dict[int, tuple[float, float, float]] = {}
        self._dates_chosen = False  # once the user picks days, new sessions keep them
        self._unavailable = ""  # why no sessions will come, if the log cannot be used
        self._stale = False  # changed while hidden: refreshed when shown
        self._build_filters(goal, rest_days)
        self.model = SessionTableModel()
        self.model.note_edited.connect(self._note_edited)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        # Columns sized to their text (measured on the rows in view, never the whole
        # log) within the table's width: the routine's name, what was done and the
        # notes give way when all do not fit, and no scroll bar comes needlessly.
        self.columns = ColumnShare(self.table, giving=GIVING_COLUMNS)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.table)
        delete.activated.connect(self._delete_selected)
        self.streak = PlainLabel("")
        # A fixed size: Qt then skips re-laying out the view (and repainting much of
        # it) on every new text, which took a quarter of a redraw after a filter change.
        self.streak.setFixedSize(
            self.streak.fontMetrics().horizontalAdvance("Streak: 0000 days · longest 0000") + 8,
            self.streak.sizeHint().height(),
        )
        self.streak.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.empty = PlainLabel("Reading your sessions…")
        self.empty.setWordWrap(True)
        self.charts_area = QWidget()
        self.charts_layout = QVBoxLayout(self.charts_area)
        self.charts_layout.setContentsMargins(0, 0, 0, 0)
        self.charts_waiting = PlainLabel("Drawing the charts…")
        self.charts_waiting.hide()
        self.charts_layout.addWidget(self.charts_waiting)
        self._lay_out()
        self._listen(sessions, settings)

    def _listen(self, sessions: SessionHistory, settings: Settings) -> None:
        """Shows `sessions` and follows their changes; keeps the goal in `settings`."""
        sessions.reset.connect(lambda: self.set_sessions(sessions.sessions))
        sessions.put.connect(self.add_session)
        sessions.removed.connect(self.remove_session)
        sessions.unavailable_changed.connect(self.set_unavailable)
        self.note_edited.connect(sessions.annotate)
        self.delete_requested.connect(sessions.delete)
        self.goal_changed.connect(lambda goal: setattr(settings, "weekly_goal", goal))
        self.rest_days_changed.connect(lambda days: setattr(settings, "rest_days", days))
        # Preferences set them too.
        settings.on_change(lambda: self.goal.setValue(settings.weekly_goal))
        settings.on_change(lambda: self.rest_days.setValue(settings.rest_days))
        if sessions.unavailable:
            self.set_unavailable(sessions.unavailable)
        if sessions.loaded:
            self.set_sessions(sessions.sessions)

    def _build_filters(self, goal: int, rest_days: int) -> None:
        self.routine_filter = QComboBox()
        self.tag_filter = QComboBox()
        self.first_day = QDateEdit()
        self.last_day = QDateEdit()
        for edit in (self.first_day, self.last_day):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.weeks = QComboBox()
        self.weeks.addItems([f"{n} weeks" for n in WEEK_CHOICES])
        self.goal = QSpinBox()
        self.goal.setRange(1, 21)
        self.goal.setValue(goal)
        self.goal.setSuffix(" a week")
        self.rest_days = QSpinBox()
        self.rest_days.setRange(0, 6)
        self.rest_days.setValue(rest_days)
        self.rest_days.setSuffix(" rest days a week")
        for combo in (self.routine_filter, self.tag_filter, self.weeks):
            combo.currentIndexChanged.connect(self.refresh)
        for combo in (self.routine_filter, self.tag_filter):
            # A long routine name widens the list, not the window.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)
        for edit in (self.first_day, self.last_day):
            edit.dateChanged.connect(self._dates_changed)
        self.goal.valueChanged.connect(self.goal_changed)
        self.goal.valueChanged.connect(self.refresh)
        self.rest_days.valueChanged.connect(self.rest_days_changed)
        self.rest_days.valueChanged.connect(self.refresh)

    def _lay_out(self) -> None:
        # One flow of filters and chart settings: a narrow window wraps it onto
        # more rows rather than growing to fit it.
        controls = QWidget()
        flow = FlowLayout(controls)
        for label, widget in (
            ("Routine", self.routine_filter),
            ("Tag", self.tag_filter),
            ("From", self.first_day),
            ("to", self.last_day),
            ("Charts over", self.weeks),
            ("Goal", self.goal),
            ("Streaks allow", self.rest_days),
        ):
            flow.addWidget(labelled(PlainLabel(label), widget))
        flow.addWidget(self.streak)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.empty)
        top_layout.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        # The charts scroll in a window too small for them, rather than make it taller.
        charts = QScrollArea()
        charts.setWidget(self.charts_area)
        charts.setWidgetResizable(True)
        charts.setFrameShape(QFrame.Shape.NoFrame)
        charts.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for part in (charts, self.table):
            part.setMinimumHeight(SMALLEST_PANE)
        splitter.addWidget(charts)
        splitter.setStretchFactor(1, 2)
        # In a window too short for the filters, the table and the charts, the
        # view scrolls (the filters can take several rows when it is narrow).
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(controls)
        page_layout.addWidget(splitter, 1)
        scroll = QScrollArea()
        scroll.setWidget(page)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)

    @property
    def sessions(self) -> list[SessionRecord]:
        """The sessions shown, oldest first."""
        return self._columns.sessions

    def set_sessions(
        self,
        sessions: list[SessionRecord],
        today: date | None = None,
        *,
        columns: SessionColumns | None = None,
    ) -> None:
        """Shows these sessions; filters keep their choice where it still applies.
        `columns` are the sessions' columns made already (off the GUI thread)."""
        self._columns = columns or SessionColumns(sessions, self._columns.facts)
        self.today = today or date.today()
        self._changed()

    def set_unavailable(self, reason: str) -> None:
        """Says why no sessions will come (the log cannot be used)."""
        self._unavailable = reason
        self.refresh()

    def add_session(self, record: SessionRecord) -> None:
        """Adds (or replaces) one session."""
        self._columns.put(record)
        self._changed()

    def remove_session(self, record: SessionRecord) -> None:
        """Takes one session out of the view."""
        self._columns.remove(record)
        self._changed()

    def _changed(self) -> None:
        self._scales = {}
        self._fill_filters()
        self.refresh()

    def filtered(self) -> list[SessionRecord]:
        """The sessions the filters let through (as history_stats.filter_sessions)."""
        return [self.sessions[i] for i in np.flatnonzero(self._chosen())]

    def _chosen(self) -> np.ndarray:
        """A mask over `sessions`: routine, tag and days, on columns made once."""
        columns = self._columns
        chosen = columns.table.between(_day(self.first_day.date()), _day(self.last_day.date()))
        routine = self.routine_filter.currentData()
        if routine:
            chosen &= columns.routine_mask(routine)
        tag = self.tag_filter.currentData()
        if tag:
            chosen &= columns.tag_mask(tag)
        return chosen

    def refresh(self) -> None:
        """Applies the filters to the table, the streaks and the charts; while the
        view is hidden, when it is next shown (a session ending in the player then
        costs the history nothing)."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        chosen = self._chosen()
        sessions = self.sessions
        self.model.set_records([sessions[i] for i in np.flatnonzero(chosen)], already_by_start=True)
        # Lay the rows out now: Qt's own delayed layout would come after the
        # repaint and paint the table a second time.
        self.table.doItemsLayout()
        self.columns.refit()
        self.empty.setText(
            self._unavailable or "No sessions yet: play a routine and it shows here."
        )
        self.empty.setVisible(not self.sessions)
        summary = self._overview_of(chosen)
        streaks = summary.streaks
        self.streak.setText(
            f"Streak: {text.counted(streaks.current, 'day')} · longest {streaks.longest}"
        )
        if self.charts is not None:
            self._draw(summary)

    def overview(self) -> history_stats.Overview:
        """The numbers behind the charts and the streak, for the sessions chosen."""
        return self._overview_of(self._chosen())

    def _overview_of(self, chosen: np.ndarray) -> history_stats.Overview:
        weeks = WEEK_CHOICES[max(0, self.weeks.currentIndex())]
        return history_table.overview(
            self._columns.table, chosen, self.today, weeks, self.rest_days.value()
        )

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if self._stale:
            self.refresh()
        if self.charts is None and self.charts_waiting.isHidden():
            # The table shows at once; the charts, which load pyqtgraph the first
            # time (up to a quarter of a second), once it has been painted.
            self.charts_waiting.show()
            self.table.viewport().installEventFilter(self)
            QTimer.singleShot(CHARTS_AT_LATEST_MS, self, self._build_charts)  # no table shown

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Paint and watched is self.table.viewport():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._build_charts)  # after this paint
        return False

    def _build_charts(self) -> None:
        if self.charts is not None:
            return
        from app.ui.history.charts import HistoryCharts  # pyqtgraph loads here

        self.table.viewport().removeEventFilter(self)
        self.charts = HistoryCharts()
        self.charts_waiting.hide()
        self.charts_layout.addWidget(self.charts)
        self._draw(self.overview())
        self.charts_drawn.emit()

    def _draw(self, summary: history_stats.Overview) -> None:
        from app.ui.history.charts import ChartData

        assert self.charts is not None
        week_top, minutes_top, tighter_top = self._scale()
        self.charts.show_data(
            ChartData(
                per_week=summary.per_week,
                goal=self.goal.value(),
                minutes=summary.minutes,
                heat=summary.heat,
                tighter=summary.tighter,
                week_top=week_top,
                minutes_top=minutes_top,
                tighter_top=tighter_top,
            )
        )

    def _scale(self) -> tuple[float, float, float]:
        """The charts' scales over every session, worked out once per week choice."""
        from app.ui.history.charts import nice_top

        weeks = WEEK_CHOICES[max(0, self.weeks.currentIndex())]
        if weeks not in self._scales:
            everything = history_table.overview(
                self._columns.table, np.ones(len(self.sessions), dtype=bool), self.today, weeks
            )
            answers = [w.left + w.right + w.same for w in everything.tighter]
            self._scales[weeks] = (
                nice_top(max([c for _, c in everything.per_week] + [1]) + 1),
                nice_top(max([m for _, m in everything.minutes] + [10]) * 1.1),
                nice_top(max([*answers, 1]) + 1),
            )
        return self._scales[weeks]

    def _fill_filters(self) -> None:
        routines = sorted(self._columns.routines)
        tags = sorted(self._columns.tags, key=str.casefold)
        for combo, items in (
            (self.routine_filter, [(name, rid) for name, rid in routines]),
            (self.tag_filter, [(t, t) for t in tags]),
        ):
            chosen = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(ALL, "")
            for label, data in items:
                combo.addItem(label, data)
            found = combo.findData(chosen)
            combo.setCurrentIndex(max(0, found))
            combo.blockSignals(False)
        if self._dates_chosen:
            return
        first = (
            date.fromordinal(int(self._columns.table.day.min())) if self.sessions else self.today
        )
        for edit, day in ((self.first_day, first), (self.last_day, self.today)):
            edit.blockSignals(True)
            edit.setDateRange(QDate(2000, 1, 1), QDate(self.today.year + 1, 12, 31))
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)

    def _dates_changed(self) -> None:
        self._dates_chosen = True
        self.refresh()

    def selected(self) -> SessionRecord | None:
        """The selected session, if any."""
        rows = self.table.selectionModel().selectedRows()
        return rows[0].data(RECORD_ROLE) if rows else None

    def _delete_selected(self) -> None:
        record = self.selected()
        if record is not None:
            self.delete_requested.emit(record)

    def _note_edited(self, record: SessionRecord) -> None:
        self._columns.put(record)
        self.note_edited.emit(record)


def _day(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())
