"""The routine library as the window uses it: the routines, the weaker side
chosen for each, and what a person does with them (create, edit, duplicate,
delete, import, export), each a change Edit > Undo can take back."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.domain import text
from app.storage.routine_store import OnClash, RoutineExistsError, RoutineNotFoundError

if TYPE_CHECKING:
    from app.application.undo import UndoHistory
    from app.domain.plan import PlanSettings
    from app.domain.routine import Routine, Side
    from app.storage.routine_store import BrokenRoutineFile, RoutineStore, StoredRoutine
    from app.storage.settings import Settings

    # Asked when an imported routine's id is taken: what to do (None cancels that file).
    AskClash = Callable[[Routine, StoredRoutine], OnClash | None]


class LibraryError(Exception):
    """A change to the library that could not be made; the text is the one line to show."""


@dataclass
class ImportResult:
    """What an import did: the ids added, and one line per file refused."""

    imported: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return f"Imported {text.counted(len(self.imported), 'routine')}"


class RoutineLibrary(QObject):
    """The routines of a `RoutineStore`, read once and again after every change.

    Views take this model and listen to `changed`; nothing is listed before
    `load()`.

    Args:
        store: The built-in routines and the user's files.
        settings: Where the weaker side of each routine is kept.
        undo: The application's undo list.

    Signals:
        changed(): the routines changed.
        brought_back(str): an undo or redo brought this routine (id) back.
    """

    changed = Signal()
    brought_back = Signal(str)

    def __init__(self, store: RoutineStore, settings: Settings, undo: UndoHistory) -> None:
        super().__init__()
        self.store = store
        self.settings = settings
        self._undo = undo
        self._routines: list[StoredRoutine] = []
        self.loaded = False
        # The totals follow the preferences that change how a routine is played.
        self._played_as: PlanSettings | None = None  # as when loaded
        settings.on_change(self._preferences_changed)

    # Reading ------------------------------------------------------------------------

    def _preferences_changed(self) -> None:
        if not self.loaded:
            return
        played_as = self.settings.plan_settings(None)
        if played_as != self._played_as:
            self._played_as = played_as
            self.changed.emit()

    def load(self) -> None:
        """Reads the routines (again) and tells the views."""
        self._played_as = self.settings.plan_settings(None)
        self._routines = self.store.all()
        self.loaded = True
        self.changed.emit()

    @property
    def routines(self) -> list[StoredRoutine]:
        """Built-in routines first, then the user's, each group by name."""
        return list(self._routines)

    @property
    def broken(self) -> list[BrokenRoutineFile]:
        """The user's routine files that did not load."""
        return list(self.store.broken)

    def get(self, routine_id: str) -> StoredRoutine | None:
        return next((s for s in self._routines if s.routine.id == routine_id), None)

    def weak_side(self, routine_id: str) -> Side | None:
        """The weaker side last chosen for a routine."""
        return self.settings.weak_side(routine_id)

    def set_weak_side(self, routine_id: str, side: Side | None) -> None:
        self.settings.set_weak_side(routine_id, side)

    def status(self) -> str:
        """ "5 routines", and the user's files skipped as broken."""
        message = text.counted(len(self._routines), "routine")
        if self.store.broken:
            names = ", ".join(b.path.name for b in self.store.broken)
            message += f"; skipped broken routine files: {names}"
        return message

    # Changing -----------------------------------------------------------------------

    def delete(self, routine: Routine) -> None:
        """Deletes one of the user's routines; Ctrl+Z brings it back.

        Raises:
            LibraryError: it is built in, or its file cannot be removed.
        """
        try:
            stored = self.store.delete(routine.id)
        except RoutineNotFoundError:
            raise LibraryError(
                f"“{routine.name}” is a built-in routine and cannot be deleted."
            ) from None
        except OSError as exc:
            raise LibraryError(f"Cannot delete “{routine.name}”: {exc.strerror}") from None
        self.load()

        def put_back() -> None:
            self.store.save(stored.routine)
            self.load()
            self.brought_back.emit(stored.routine.id)

        def delete_again() -> None:
            self._forget(stored.routine.id)
            self.load()

        self._undo.push_done(
            f"delete of the routine “{routine.name}”",
            put_back,
            delete_again,
            said=f"Deleted the routine “{routine.name}”. Ctrl+Z brings it back.",
        )

    def save(self, routine: Routine, replaces: str | None) -> None:
        """Saves a new or edited routine of the user's (`replaces`: the id it was
        saved under before, for an edit); Ctrl+Z takes the save back.

        Raises:
            OSError: it cannot be written; the library is as it was.
        """
        before = None if replaces is None else self.get(replaces)
        self.store.save(routine, replaces=replaces)
        self.load()
        previous = before.routine if before is not None and not before.builtin else None

        def take_back() -> None:
            if previous is None:
                self._forget(routine.id)
            else:
                self.store.save(previous, replaces=routine.id)
            self.load()
            if previous is not None:
                self.brought_back.emit(previous.id)

        def save_again() -> None:
            self.store.save(routine, replaces=None if previous is None else previous.id)
            self.load()
            self.brought_back.emit(routine.id)

        what = "edit" if previous is not None else "new routine"
        self._undo.push_done(
            f"{what} “{routine.name}”",
            take_back,
            save_again,
            said=f"Saved “{routine.name}”. Ctrl+Z takes it back.",
        )

    def free_id(self, stem: str = "my-routine") -> str:
        """The first id `stem`, `stem-2`, ... no routine has."""
        taken = self.taken_ids()
        number, routine_id = 1, stem
        while routine_id in taken:
            number += 1
            routine_id = f"{stem}-{number}"
        return routine_id

    def taken_ids(self, but: str | None = None) -> set[str]:
        """The ids in use (less `but`, the routine being edited)."""
        return {s.routine.id for s in self.store.all()} - ({but} if but else set())

    def import_files(self, paths: list[Path], ask: AskClash) -> ImportResult:
        """Imports routine files, each on its own; a taken id asks what to do.

        Each import is its own change on the undo list.
        """
        from app.domain.routine_format import RoutineFormatError

        result = ImportResult()
        for path in paths:
            try:
                routine = self.store.read_file(path)
                existing = self.store.clash(routine)
                choice = OnClash.REFUSE if existing is None else ask(routine, existing)
                if choice is None:
                    result.problems.append(f"{path.name}: not imported (cancelled)")
                    continue
                replaced = existing.routine if choice is OnClash.REPLACE and existing else None
                added = self.store.add(routine, choice, source_name=path.name).routine
            except (RoutineFormatError, RoutineExistsError) as exc:
                result.problems.append(str(exc))
                continue
            except OSError as exc:
                failed = "" if exc.filename in (None, str(path)) else f" {exc.filename}"
                result.problems.append(
                    f"{path.name}: not imported: cannot use{failed} ({exc.strerror or exc})"
                )
                continue
            result.imported.append(added.id)
            self._push_import(added, replaced)
        self.load()
        return result

    def _push_import(self, added: Routine, replaced: Routine | None) -> None:
        def take_back() -> None:
            if replaced is not None:
                self.store.save(replaced)
            else:
                self._forget(added.id)
            self.load()

        def import_again() -> None:
            self.store.save(added)
            self.load()
            self.brought_back.emit(added.id)

        self._undo.push_done(f"import of “{added.name}”", take_back, import_again, said="")

    def _forget(self, routine_id: str) -> None:
        """Deletes a routine of the user's that may be gone already."""
        with contextlib.suppress(RoutineNotFoundError):
            self.store.delete(routine_id)

    def copy_of(self, routine: Routine) -> Routine:
        """The routine under a free id and a name marked as a copy (not saved)."""
        return self.store.as_copy(routine)

    def export(self, routine: Routine, path: Path) -> None:
        """Writes a routine file.

        Raises:
            LibraryError: it cannot be written.
        """
        from app.storage.routine_store import export_routine

        try:
            export_routine(routine, path)
        except OSError as exc:
            raise LibraryError(f"Cannot write {path}: {exc.strerror or exc}") from None

    def export_card(
        self, routine: Routine, path: Path, write_pdf: Callable[[str, Path], object]
    ) -> None:
        """Writes a routine's printable card: HTML, or PDF through `write_pdf`.

        Raises:
            LibraryError: it cannot be written.
        """
        from app.domain.routine_card import card_html
        from app.storage.atomic import write_atomically

        html = card_html(routine)
        try:
            if path.suffix.lower() == ".pdf":
                write_pdf(html, path)
            else:
                write_atomically(path, html.encode("utf-8"))
        except OSError as exc:
            raise LibraryError(f"Cannot write {path}: {exc.strerror or exc}") from None
