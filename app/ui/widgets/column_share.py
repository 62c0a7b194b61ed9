"""Columns that share a table's width: each gets what its text needs while there
is room, and where there is not, only the columns of long free text give way."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QHeaderView, QTableView, QTreeView

# A column's need is measured on at most this many rows (the ones in view first):
# a long log is never read whole to size a column.
SAMPLE_ROWS = 64
# A column that gives way keeps at least this many pixels.
NARROWEST = 70


class ColumnShare(QObject):
    """Sizes the columns of `view` to their text, and to the view's width.

    Args:
        view: A table or tree view.
        giving: The columns that give way when the text of all does not fit
            (names, notes); the others keep their need (dates, times, counts).
    """

    def __init__(self, view: QTableView | QTreeView, giving: tuple[int, ...]) -> None:
        super().__init__(view)
        self._view = view
        self._giving = giving
        self._needs: list[int] = []
        self._header = view.horizontalHeader() if isinstance(view, QTableView) else view.header()
        self._header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self._header.setStretchLastSection(False)  # the last takes what is left, here
        self._header.setResizeContentsPrecision(SAMPLE_ROWS)
        if isinstance(view, QTableView):
            view.verticalHeader().setResizeContentsPrecision(SAMPLE_ROWS)
        self._watching = False

    def refit(self) -> None:
        """Measures the columns again (the rows changed) and shares the width."""
        view, header = self._view, self._header
        model = view.model()
        columns = model.columnCount() if model is not None else 0
        measure = self._table_need if isinstance(view, QTableView) else view.sizeHintForColumn
        self._needs = [max(measure(c), header.sectionSizeHint(c)) + 4 for c in range(columns)]
        if not self._watching:
            # The header is as wide as the view's viewport (the view sets it so, a
            # scroll bar shown or not); it is watched from the first rows on, as
            # before them there is nothing to share. Not the viewport: PySide6 makes
            # every QWidget subclass's Python class the first time a plain QWidget
            # such as `viewport()` comes back to Python, 13 ms of the first frame.
            header.installEventFilter(self)
            self._watching = True
        self._share()

    def _table_need(self, column: int) -> int:
        """What Qt's `sizeHintForColumn` finds for a table, for a tenth of the calls
        into the model: the cell with the widest text among SAMPLE_ROWS from the top
        of the view, sized by the view itself (and a pixel for the grid). Qt asks
        every sampled cell for a dozen roles; a history of ten years refits on each
        change of a filter."""
        view = self._view
        assert isinstance(view, QTableView)
        model = view.model()
        first = max(0, view.rowAt(0))
        metrics = view.fontMetrics()
        widest, width = None, -1
        for row in range(first, min(model.rowCount(), first + SAMPLE_ROWS)):
            index = model.index(row, column)
            text = model.data(index)
            advance = metrics.horizontalAdvance(str(text)) if text is not None else 0
            if advance > width:
                widest, width = index, advance
        if widest is None:
            return 0
        return view.sizeHintForIndex(widest).width() + (1 if view.showGrid() else 0)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Resize and self._needs:
            self._share()
        return False

    def _share(self) -> None:
        needs = list(self._needs)
        room = self._header.width()  # the viewport's
        over = sum(needs) - room
        giving = [c for c in self._giving if c < len(needs)]
        while over > 0:
            # The widest columns that can give come down together, to the next widest.
            candidates = [c for c in giving if needs[c] > NARROWEST]
            if not candidates:
                break
            widest = max(needs[c] for c in candidates)
            top = [c for c in candidates if needs[c] == widest]
            floor = max([NARROWEST, *(needs[c] for c in candidates if needs[c] < widest)])
            step = min(widest - floor, -(-over // len(top)))
            for column in top:
                needs[column] -= step
                over -= step
        if needs:
            needs[-1] += max(0, room - sum(needs))  # what is left goes to the last
        for column, width in enumerate(needs):
            if self._header.sectionSize(column) != width:
                self._header.resizeSection(column, width)
