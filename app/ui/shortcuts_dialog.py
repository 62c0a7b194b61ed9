"""The keyboard shortcuts dialog (F1, Help > Keyboard shortcuts): the keys of the
window's actions, read from the actions themselves, so it cannot list a key the
window does not have or miss one it has."""

from __future__ import annotations

import re

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QMainWindow,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from app.ui.widgets.plain_text import PlainLabel

# The player's keys first: they are the ones used from the floor. Other menus
# follow in the menu bar's order.
FIRST_MENUS = ("Player", "Library", "View", "Edit")
# Actions with a key that sit in no menu.
OTHER = "Other"
# A description longer than this many average characters (an undo naming a long
# routine) is cut short with "…", so that the dialog keeps its size.
DESCRIPTION_CHARS = 40
# An action with many keys (a clicker's and the media keys besides Space) lists
# them on lines of about this many characters.
KEY_LINE_CHARS = 24

ShortcutGroups = list[tuple[str, list[QAction]]]


def shortcut_groups(window: QMainWindow) -> ShortcutGroups:
    """The window's actions that have a key, grouped by the menu they are in
    (headed by its title), the player's first; actions in no menu come last."""
    groups: dict[str, list[QAction]] = {}
    listed: set[QAction] = set()
    for entry in window.menuBar().actions():
        menu = entry.menu()
        if not isinstance(menu, QMenu):
            continue
        title = plain_action_text(menu.title())
        for action in _with_submenus(menu):
            if action.shortcuts():
                groups.setdefault(title, []).append(action)
                listed.add(action)
    for action in window.findChildren(QAction):
        if action.shortcuts() and action not in listed:
            # Keys of a part of a view name their own heading; the rest are "Other".
            heading = action.property("shortcut_group") or OTHER
            groups.setdefault(str(heading), []).append(action)
    first = [title for title in FIRST_MENUS if title in groups]
    return [(title, groups[title]) for title in first + [t for t in groups if t not in first]]


def _with_submenus(menu: QMenu) -> list[QAction]:
    """A menu's actions, each submenu's in its place (Player > Voice > Speak cues)."""
    actions: list[QAction] = []
    for action in menu.actions():
        submenu = action.menu()
        if isinstance(submenu, QMenu):
            actions.extend(_with_submenus(submenu))
        else:
            actions.append(action)
    return actions


def plain_action_text(text: str) -> str:
    """An action's or menu's text as read: no mnemonic "&", no closing "…"."""
    return re.sub(r"&(.)", r"\1", text).removesuffix("…")


def key_text(action: QAction) -> str:
    """The keys of an action as the platform writes them ("Ctrl+Shift+Z"), on lines
    of at most KEY_LINE_CHARS characters where one key is not longer."""
    native = QKeySequence.SequenceFormat.NativeText
    lines: list[str] = []
    for key in (key.toString(native) for key in action.shortcuts()):
        if lines and len(lines[-1]) + 2 + len(key) <= KEY_LINE_CHARS:
            lines[-1] += f", {key}"
        else:
            lines.append(key)
    return ",\n".join(lines)


class ShortcutsDialog(QDialog):
    """Every shortcut of the window: under a heading per menu, a table of the keys
    and what they do. The groups stand in two halves side by side, so that the
    dialog fits an 800x600 screen without scrolling. Esc, Enter or Close closes it.

    Args:
        groups: Headings and their actions (see `shortcut_groups`).
        parent: The window.
    """

    def __init__(self, groups: ShortcutGroups, parent: QWidget | None = None) -> None:
        from PySide6.QtCore import Qt

        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        columns = QHBoxLayout()
        for index, part in enumerate(_halves(groups)):
            if index:
                # Not the layout's spacing, which the grids would take for theirs.
                columns.addSpacing(self.fontMetrics().averageCharWidth() * 4)
            grid = QGridLayout()
            grid.setHorizontalSpacing(self.fontMetrics().averageCharWidth() * 2)
            grid.setColumnStretch(1, 1)
            self._fill(grid, part)
            column = QVBoxLayout()
            column.addLayout(grid)
            column.addStretch(1)
            columns.addLayout(column)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setDefault(True)  # Enter closes, as Esc does
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(buttons)
        layout.setSizeConstraint(QVBoxLayout.SizeConstraint.SetFixedSize)
        close.setFocus(Qt.FocusReason.OtherFocusReason)

    def _fill(self, grid: QGridLayout, groups: ShortcutGroups) -> None:
        from PySide6.QtCore import Qt

        width = self.fontMetrics().averageCharWidth() * DESCRIPTION_CHARS
        row = 0
        for title, actions in groups:
            heading = PlainLabel(title)
            font = heading.font()
            font.setBold(True)
            font.setPointSizeF(font.pointSizeF() * 1.15)
            heading.setFont(font)
            if row:
                grid.setRowMinimumHeight(row, heading.fontMetrics().height() // 2)
                row += 1
            grid.addWidget(heading, row, 0, 1, 2)
            row += 1
            for action in actions:
                keys = PlainLabel(key_text(action))
                bold = keys.font()
                bold.setBold(True)
                keys.setFont(bold)
                what = self.fontMetrics().elidedText(
                    plain_action_text(action.text()), Qt.TextElideMode.ElideRight, width
                )
                grid.addWidget(keys, row, 0)
                grid.addWidget(PlainLabel(what), row, 1)
                row += 1


def _halves(groups: ShortcutGroups) -> list[ShortcutGroups]:
    """The groups in two columns of about as many lines each, in order."""
    lines = [len(actions) + 2 for _, actions in groups]  # a heading and a gap
    total, left, so_far = sum(lines), 0, 0
    while left < len(groups) and so_far + lines[left] / 2 < total / 2:
        so_far += lines[left]
        left += 1
    return [part for part in (groups[:left], groups[left:]) if part]
