"""F1 (Help > Keyboard shortcuts): every key of the window, read from its actions,
in a dialog that fits an 800x600 screen and closes with Esc or Enter."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from app.domain.routine import Routine
from app.ui.main_window import MainWindow
from app.ui.shortcuts_dialog import ShortcutsDialog


def open_dialog(window: MainWindow, qtbot: QtBot) -> ShortcutsDialog:
    """Presses F1, as a person does, once the window's keys are set."""
    help_action = next(a for a in window.findChildren(QAction) if a.text() == "&Keyboard shortcuts")
    qtbot.waitUntil(lambda: help_action.shortcut().toString() == "F1")
    window.activateWindow()  # its keys work while it is the active window
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_F1)
    dialogs: list[ShortcutsDialog] = []

    def shown() -> bool:
        dialogs[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, ShortcutsDialog) and w.isVisible()
        ]
        return len(dialogs) == 1

    qtbot.waitUntil(shown)
    return dialogs[0]


def rows(dialog: ShortcutsDialog) -> list[list[str]]:
    """The dialog's lines as read, top to bottom and left column first."""
    labels = dialog.findChildren(QLabel)
    lines: dict[tuple[int, int], list[str]] = {}
    for label in labels:
        column = label.mapTo(dialog, label.rect().topLeft()).x() > dialog.width() // 2
        lines.setdefault((column, label.mapTo(dialog, label.rect().topLeft()).y()), []).append(
            label.text()
        )
    return [lines[key] for key in sorted(lines)]


def test_every_key_of_the_window_is_listed_with_what_it_does(
    window: MainWindow, qtbot: QtBot
) -> None:
    dialog = open_dialog(window, qtbot)
    # Many keys of one action stand on more than one line.
    listed = [[text.replace(",\n", ", ") for text in row] for row in rows(dialog)]
    with_keys = [a for a in window.findChildren(QAction) if a.shortcuts()]
    assert len(with_keys) >= 20
    for action in with_keys:
        keys = ", ".join(
            k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts()
        )
        what = action.text().replace("&", "").removesuffix("…")
        assert [keys, what] in listed, (keys, what)
    texts = [text for line in listed for text in line]
    assert "Return, Enter" in texts and "Ctrl+Shift+Z" in texts and "F1" in texts
    headings = [line[0] for line in listed if len(line) == 1]
    assert headings[:4] == ["Player", "Library", "View", "Edit"]
    # The end screen's keys, under a heading of their own.
    assert "At the end of a routine" in headings
    assert ["L", "Left felt tighter"] in listed and ["S", "Same felt tighter"] in listed
    assert {label.textFormat() for label in dialog.findChildren(QLabel)} == {
        Qt.TextFormat.PlainText
    }


def test_the_dialog_fits_an_800_by_600_screen_and_nothing_in_it_is_cut(
    window: MainWindow, qtbot: QtBot
) -> None:
    window.resize(800, 600)
    # The undo's text names the routine saved: a long name is cut short.
    stored = window.routines.get("spinal-rotation-heel-sitting")
    assert stored is not None
    long_name = Routine("long", "A very long routine name" * 8, stored.routine.exercises)
    window.routines.save(long_name, replaces=None)
    assert window.undo_action.text().endswith("”")
    dialog = open_dialog(window, qtbot)
    assert any(label.text().endswith("…") for label in dialog.findChildren(QLabel))
    frame = dialog.frameGeometry()
    assert frame.width() <= 800 and frame.height() <= 600 - 40, frame  # and a panel
    inside = QRect(0, 0, dialog.width(), dialog.height())
    for label in dialog.findChildren(QLabel):
        where = QRect(label.mapTo(dialog, label.rect().topLeft()), label.size())
        assert inside.contains(where), label.text()
        assert label.width() >= label.sizeHint().width(), label.text()
        assert label.height() >= label.sizeHint().height(), label.text()


def test_esc_and_enter_close_it(window: MainWindow, qtbot: QtBot) -> None:
    for key in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):
        dialog = open_dialog(window, qtbot)
        QTest.keyClick(dialog, key)
        qtbot.waitUntil(lambda d=dialog: not d.isVisible())
