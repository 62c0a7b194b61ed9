"""The main window: Library, Player and History views behind one tab bar."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QListWidget, QMainWindow, QTabWidget, QWidget

if TYPE_CHECKING:
    from app.storage.routine_store import RoutineStore


class MainWindow(QMainWindow):
    """Limber's window; the library fills in when `set_library` is called."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Limber")
        self.resize(960, 640)
        self.tabs = QTabWidget()
        self.library = QListWidget()
        self.library.setObjectName("library")
        self.tabs.addTab(self.library, "&Library")
        self.tabs.addTab(_placeholder("Pick a routine in the Library and press Start."), "&Player")
        self.tabs.addTab(_placeholder("Your sessions will show here."), "&History")
        self.setCentralWidget(self.tabs)
        self._build_menus()
        self.statusBar().showMessage("Reading your routines…")

    def set_library(self, store: RoutineStore) -> None:
        """Lists the routines of `store`."""
        self.library.clear()
        for stored in store.all():
            self.library.addItem(stored.routine.name)
        self.statusBar().showMessage(f"{self.library.count()} routines")

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu("&View")
        for index, name in enumerate(("Library", "Player", "History")):
            action = QAction(name, self)
            action.setShortcut(QKeySequence(f"Ctrl+{index + 1}"))
            action.triggered.connect(lambda _checked=False, i=index: self.tabs.setCurrentIndex(i))
            view_menu.addAction(action)


def _placeholder(text: str) -> QWidget:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label
