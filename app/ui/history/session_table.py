"""The sessions table: a model over session records, sortable, with editable notes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from app.domain import display, text
from app.domain.session import SessionRecord
from app.ui.widgets.plain_text import plain_tooltip

COLUMNS = ("When", "Routine", "Time", "Status", "Weaker side", "Done", "Tighter", "Notes")
NOTES = COLUMNS.index("Notes")
RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
# The roles `data` answers, as the plain numbers Qt hands it. A view asks for
# a dozen roles a cell to size a column; each of the others is turned away at
# once (reading Qt's enum members on every call made the table's refit half of
# a redraw after a filter change).
_TEXT_ROLES = frozenset({int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.EditRole)})
_TOOLTIP_ROLE = int(Qt.ItemDataRole.ToolTipRole)
_RECORD_ROLE = int(RECORD_ROLE)
AnyIndex = QModelIndex | QPersistentModelIndex


class SessionTableModel(QAbstractTableModel):
    """Rows of sessions, newest first; the notes column can be edited.

    Signals:
        note_edited(SessionRecord): a session with new notes.
    """

    note_edited = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.records: list[SessionRecord] = []
        self._texts: dict[str, tuple[str, ...]] = {}  # each record's cells, made once
        self._column = 0
        self._descending = True

    def set_records(self, records: list[SessionRecord], *, already_by_start: bool = False) -> None:
        """Shows `records`, in the order last sorted by. Records `already_by_start`
        (oldest first) need no sorting for the default order, newest first."""
        self.beginResetModel()
        if already_by_start and self._column == 0:
            self.records = records[::-1] if self._descending else list(records)
        else:
            self.records = sorted(records, key=self._key, reverse=self._descending)
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorts in Python, once per click: a proxy model would call back into
        Python for every comparison, far too slow for years of sessions."""
        self.layoutAboutToBeChanged.emit()
        self._column = column
        self._descending = order is Qt.SortOrder.DescendingOrder
        self.records.sort(key=self._key, reverse=self._descending)
        self.layoutChanged.emit()

    def _key(self, record: SessionRecord) -> Any:
        return _sort_key(record, self._column)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802 - Qt API
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == NOTES else base

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        role = int(role)
        if role not in _TEXT_ROLES and role not in (_RECORD_ROLE, _TOOLTIP_ROLE):
            return None
        if not index.isValid():
            return None
        record = self.records[index.row()]
        if role == _RECORD_ROLE:
            return record
        column = index.column()
        if role in _TEXT_ROLES:
            return self._cells(record)[column]
        if column in (5, NOTES):  # the tooltip of the long texts
            return plain_tooltip(self._cells(record)[column])
        return None

    def _cells(self, record: SessionRecord) -> tuple[str, ...]:
        cells = self._texts.get(record.id)
        if cells is None or cells[NOTES] != record.notes:
            cells = self._texts[record.id] = tuple(_text(record, c) for c in range(len(COLUMNS)))
        return cells

    def setData(  # noqa: N802 - Qt API
        self,
        index: AnyIndex,
        value: Any,
        role: int = Qt.ItemDataRole.EditRole,
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != NOTES:
            return False
        record = self.records[index.row()].with_changes(notes=str(value).strip())
        self.records[index.row()] = record
        self.dataChanged.emit(index, index)
        self.note_edited.emit(record)
        return True


def _text(record: SessionRecord, column: int) -> str:
    if column == 0:
        return record.started[:16].replace("T", " ")
    if column == 1:
        return record.routine
    if column == 2:
        return text.clock_text(record.active_seconds)
    if column == 3:
        return record.status.value.replace("_", " ")
    if column == 4:
        return record.weak_side or ""
    if column == 5:
        return "; ".join(display.session_summary(record)[1:])
    if column == 6:
        return ", ".join(sorted(set(record.tighter.values())))
    return record.notes


def _sort_key(record: SessionRecord, column: int) -> Any:
    if column == 0:
        return record.started_at.timestamp()
    if column == 2:
        return record.active_seconds
    return _text(record, column).casefold()
