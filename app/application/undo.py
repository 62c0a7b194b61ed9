"""One undo list for every change a person can take back: Edit > Undo names it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack


class UndoFailedError(Exception):
    """An undo or redo that could not be done; the text says why, in a few words."""


class DoneCommand(QUndoCommand):
    """A change already made, with how to take it back and how to make it again.

    QUndoStack.push() calls redo() at once; the change is made, so that first
    call does nothing. A callable that fails raises OSError or UndoFailedError:
    the reason is kept in `error` (Qt would swallow an exception).
    """

    def __init__(self, text: str, undo: Callable[[], None], redo: Callable[[], None]) -> None:
        super().__init__(text)
        self._undo, self._redo = undo, redo
        self._skip = "redo"
        self.error = ""

    def redo(self) -> None:
        self.error = "" if self._skipped("redo") else _attempt(self._redo)

    def undo(self) -> None:
        self.error = "" if self._skipped("undo") else _attempt(self._undo)

    def keep_state(self, call: str) -> None:
        """The next `call` ("undo" or "redo") changes nothing: the one before failed."""
        self._skip = call

    def _skipped(self, call: str) -> bool:
        if self._skip != call:
            return False
        self._skip = ""
        return True


def _attempt(action: Callable[[], None]) -> str:
    try:
        action()
    except UndoFailedError as exc:
        return str(exc)
    except OSError as exc:
        where = f" {exc.filename}" if exc.filename else ""
        return f"cannot write{where} ({exc.strerror or exc})"
    return ""


class UndoHistory(QObject):
    """The application's undo stack, which keeps a change whose undo failed.

    Signals:
        failed(str): an undo could not be done (the message to show); it stays
            on the list, so Ctrl+Z tries again once the cause is fixed.
        pushed(str): a change was made that Ctrl+Z takes back: what to say of it.
    """

    failed = Signal(str)
    pushed = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.stack = QUndoStack(self)

    def push_done(
        self, text: str, undo: Callable[[], None], redo: Callable[[], None], said: str
    ) -> None:
        """Records a change already made.

        Args:
            text: What Edit > Undo names ("delete of the routine “Hips”").
            undo: Takes it back; raises OSError or UndoFailedError if it cannot.
            redo: Makes it again.
            said: What to tell the person ("Deleted “Hips”. Ctrl+Z brings it back."),
                or "" when the caller says it.
        """
        self.stack.push(DoneCommand(text, undo, redo))
        if said:
            self.pushed.emit(said)

    def undo(self) -> bool:
        """Takes back the newest change; False (and `failed`) when it could not be."""
        stack = self.stack
        if not stack.canUndo():
            return False
        command = stack.command(stack.index() - 1)
        stack.undo()
        if isinstance(command, DoneCommand) and command.error:
            error = command.error
            command.keep_state("redo")
            stack.redo()  # back where it was: the change is still on the list
            self.failed.emit(f"Could not undo {command.text()}: {error}. Ctrl+Z tries again.")
            return False
        return True

    def redo(self) -> bool:
        """Makes the newest change taken back again."""
        stack = self.stack
        if not stack.canRedo():
            return False
        command = stack.command(stack.index())
        stack.redo()
        if isinstance(command, DoneCommand) and command.error:
            self.failed.emit(f"Could not redo {command.text()}: {command.error}.")
            command.keep_state("undo")
            stack.undo()  # its undo then makes no change either: nothing was redone
            return False
        return True
