"""What a person does with the library's routines from the window: the editor,
import, export and the printable card, with their dialogs and messages. The
changes themselves are the RoutineLibrary's (app/application/library.py)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from app.application.library import LibraryError, RoutineLibrary
from app.ui.widgets.plain_text import message_box

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from app.domain.routine import Routine
    from app.storage.routine_store import OnClash, StoredRoutine
    from app.ui.library.library_view import LibraryView
    from app.ui.library.routine_editor import RoutineEditor


class LibraryActions:
    """The library's menu actions and buttons, over its model and view.

    Args:
        window: The parent of the dialogs.
        routines: The routine library.
        view: The library view (its selection).
        say: Shows a line in the status bar.
        warn: Shows what went wrong, without blocking.
        show_library: Brings the Library tab forward.
    """

    def __init__(
        self,
        window: QWidget,
        *,
        routines: RoutineLibrary,
        view: LibraryView,
        say: Callable[[str], None],
        warn: Callable[[list[str] | str], None],
        show_library: Callable[[], None],
    ) -> None:
        self._window = window
        self._routines = routines
        self._view = view
        self._say = say
        self._warn = warn
        self._show_library = show_library

    def follow_selection(self, edit: QAction, duplicate: QAction) -> None:
        """Keeps the menu's Edit and Duplicate actions as the buttons under the list:
        for a built-in routine, Edit is off and Duplicate reads "Duplicate to edit"."""
        from app.ui.library.library_view import DUPLICATE_TO_EDIT

        def update() -> None:
            selected = self._view.selected_id() is not None
            builtin = self._view.selected_is_builtin()
            edit.setEnabled(selected and not builtin)
            duplicate.setEnabled(selected)
            duplicate.setText(f"&{DUPLICATE_TO_EDIT}" if builtin else "&Duplicate routine")

        self._view.selection_changed.connect(update)
        update()

    def delete_routine(self) -> None:
        """Deletes the selected routine of the user's; Ctrl+Z brings it back."""
        routine = self._view.selected_routine()
        if routine is None:
            return
        try:
            self._routines.delete(routine)
        except LibraryError as exc:
            self._warn(str(exc))
            return
        self._say(f"Deleted the routine “{routine.name}”. Ctrl+Z brings it back.")

    def new_routine(self) -> RoutineEditor:
        """Opens the editor on a new routine."""
        from app.ui.library.routine_editor import blank_routine

        routine_id = self._routines.free_id()
        return self._open_editor(blank_routine(routine_id), "New routine", None)

    def edit_routine(self) -> RoutineEditor | None:
        """Opens the editor on the selected routine; a built-in one is duplicated first."""
        from app.ui.library.routine_editor import document_of

        routine = self._view.selected_routine()
        if routine is None:
            return None
        stored = self._routines.get(routine.id)
        if stored is not None and stored.builtin:
            self._say("Built-in routines are read-only: editing a copy.")
            return self.duplicate_routine()
        return self._open_editor(document_of(routine), f"Edit “{routine.name}”", routine.id)

    def duplicate_routine(self) -> RoutineEditor | None:
        """Opens the editor on a copy of the selected routine (saved only with Save)."""
        from app.ui.library.routine_editor import document_of

        routine = self._view.selected_routine()
        if routine is None:
            return None
        copy = self._routines.copy_of(routine)
        return self._open_editor(document_of(copy), f"Copy of “{routine.name}”", None)

    def _open_editor(
        self, document: dict[str, Any], title: str, replaces: str | None
    ) -> RoutineEditor:
        from app.ui.library.routine_editor import RoutineEditor

        def write(routine: Routine) -> None:
            self._routines.save(routine, replaces=replaces)

        taken = self._routines.taken_ids(but=replaces)
        editor = RoutineEditor(document, taken, title, self._window, write=write)

        def saved(routine: Routine) -> None:
            self._view.select(routine.id)

        editor.saved.connect(saved)
        editor.open()
        return editor

    def import_files(self, paths: list[Path]) -> list[str]:
        """Imports routine files, each on its own; a taken id asks what to do.

        Returns the problems, one line per file refused (also shown to the user).
        """
        result = self._routines.import_files(paths, self.ask_clash)
        if result.imported:
            self._view.select(result.imported[-1])
            self._show_library()
        if result.problems:
            self._warn(result.problems)
        else:
            self._say(result.summary())
        return result.problems

    def ask_clash(self, routine: Routine, existing: StoredRoutine) -> OnClash | None:
        """Asks what to do with an imported routine whose id is taken: None cancels."""
        from PySide6.QtWidgets import QMessageBox

        from app.storage.routine_store import OnClash

        owner = "the built-in routine" if existing.builtin else "your routine"
        box = message_box(
            QMessageBox.Icon.Question,
            "A routine with this id is there",
            f"“{routine.name}” has the id {routine.id}, like {owner} “{existing.routine.name}”.",
            self._window,
        )
        replace = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
        replace.setEnabled(not existing.builtin)
        both = box.addButton("Keep both", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(both)
        box.exec()
        clicked = box.clickedButton()
        return (
            OnClash.REPLACE
            if clicked is replace
            else OnClash.KEEP_BOTH
            if clicked is both
            else None
        )

    def export_selected(self, path: Path) -> None:
        """Writes the selected routine to a routine file."""
        routine = self._view.selected_routine()
        if routine is None:
            return
        try:
            self._routines.export(routine, path)
        except LibraryError as exc:
            self._warn(str(exc))
            return
        self._say(f"Exported “{routine.name}” to {path}")

    def export_card(self, path: Path) -> None:
        """Writes the selected routine's printable card (.html or .pdf)."""
        from app.ui.card_pdf import write_card_pdf

        routine = self._view.selected_routine()
        if routine is None:
            return
        try:
            self._routines.export_card(routine, path, write_card_pdf)
        except LibraryError as exc:
            self._warn(str(exc))
            return
        self._say(f"Wrote the card of “{routine.name}” to {path}")

    def _choose_imports(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        names, _ = QFileDialog.getOpenFileNames(
            self._window,
            "Import routines",
            str(Path.home()),
            "Routine files (*.json);;All files (*)",
        )
        if names:
            self.import_files([Path(n) for n in names])

    def _choose_export(self) -> None:
        self._choose_target(
            "Export routine", ".json", "Routine files (*.json)", self.export_selected
        )

    def _choose_card(self) -> None:
        self._choose_target(
            "Export printable card", ".pdf", "PDF (*.pdf);;Web page (*.html)", self.export_card
        )

    def _choose_target(
        self, title: str, suffix: str, kinds: str, write: Callable[[Path], None]
    ) -> None:
        """Asks where to write the selected routine's file, then writes it."""
        routine = self._view.selected_routine()
        if routine is None:
            return
        from PySide6.QtWidgets import QFileDialog

        name, _ = QFileDialog.getSaveFileName(
            self._window, title, str(Path.home() / f"{routine.id}{suffix}"), kinds
        )
        if name:
            write(Path(name))
