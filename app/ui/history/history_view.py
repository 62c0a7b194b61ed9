"""The history view (the session log and its charts come with the history issue)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class HistoryView(QWidget):
    """Says where the sessions will show; nothing is logged yet."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        label = QLabel("Your sessions will show here: how often you warm up, streaks and "
                       "minutes per week.\nSession logging is not built yet.")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
