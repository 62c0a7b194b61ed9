"""Columns that share a table's width: each measured as Qt measures it."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QTableView
from pytestqt.qtbot import QtBot

from app.ui.widgets.column_share import SAMPLE_ROWS, ColumnShare


def test_a_table_column_needs_what_qt_would_measure(qtbot: QtBot) -> None:
    model = QStandardItemModel()
    texts = [
        ("2026-11-23 07:00", "Spinal Rotation", "i" * (row % 7), "W" * (row % 11 + 1))
        for row in range(3 * SAMPLE_ROWS)
    ]
    for row in texts:
        model.appendRow([QStandardItem(text) for text in row])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(900, 400)
    view.show()
    columns = ColumnShare(view, giving=(1,))
    columns.refit()
    header = view.horizontalHeader()
    for column in range(model.columnCount()):
        qt_need = max(view.sizeHintForColumn(column), header.sectionSizeHint(column)) + 4
        assert columns._needs[column] == qt_need, column
