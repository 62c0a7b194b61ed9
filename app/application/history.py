"""The logged sessions as the window uses them: read from the log off the GUI
thread, and changed by playing, notes, answers and deletes (Ctrl+Z brings a
deleted session back). History and the Library both read this one model."""

from __future__ import annotations

import bisect
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.application.to_main import ToMain
    from app.application.undo import UndoHistory
    from app.domain.session import SessionRecord
    from app.recorder import SessionRecorder

    # Opens the log, handing it where its thread reports ("notice" or "refused",
    # text): the recorder, or None and why sessions will not be logged.
    OpenLog = Callable[[Callable[[str, str], None]], tuple[SessionRecorder | None, str]]


class SessionHistory(QObject):
    """The finished sessions, oldest first.

    The log is opened when first used, once the window's first frame is on the
    screen (to read it, or by the player): its modules (TinyDB, the recorder)
    are not loaded before.

    Args:
        open_log: Opens the log, handing it what its thread must tell the person
            (see `report`): returns the recorder, or None and why sessions will
            not be logged.
        undo: The application's undo list.
        to_main: Brings what the log's thread read back to the GUI thread.

    Signals:
        reset(): every session was (re)read.
        put(SessionRecord): a session was added or changed.
        removed(SessionRecord): a session was deleted.
        finished(SessionRecord): the routine just played was logged.
        unavailable_changed(str): the log cannot be used, and why.
        notice(str): something the person must hear of (a repair, a failed write).
    """

    reset = Signal()
    put = Signal(object)
    removed = Signal(object)
    finished = Signal(object)
    unavailable_changed = Signal(str)
    notice = Signal(str)

    def __init__(self, open_log: OpenLog, undo: UndoHistory, to_main: ToMain) -> None:
        super().__init__()
        self._open_log = open_log
        self._log: tuple[SessionRecorder | None, str] | None = None  # once opened
        self._refused_why = ""
        self.loaded = False
        self._undo = undo
        self._to_main = to_main
        self._sessions: list[SessionRecord] = []

    @property
    def recorder(self) -> SessionRecorder | None:
        """Logs sessions and runs the log's writes; None when the log cannot be
        used (`unavailable` says why). Made when first asked for."""
        return self._opened()[0]

    @property
    def unavailable(self) -> str:
        """Why no sessions will be logged ("" when they will)."""
        return self._refused_why or self._opened()[1]

    def _opened(self) -> tuple[SessionRecorder | None, str]:
        if self._log is None:
            self._log = self._open_log(self.report)
            recorder = self._log[0]
            if recorder is not None:
                recorder.on_finished(self._logged)
        return self._log

    def close(self) -> None:
        """Waits for the log's writes to finish, when it was opened."""
        if self._log is not None and self._log[0] is not None:
            self._log[0].writer.close()

    @property
    def sessions(self) -> list[SessionRecord]:
        return list(self._sessions)

    def __len__(self) -> int:
        return len(self._sessions)

    # From the log's thread ----------------------------------------------------------

    def load(self) -> None:
        """Reads the log on its writer's thread; `reset` follows (at once without a log)."""
        if self.recorder is None:
            self.arrived([])
            return
        log, to_main = self.recorder.log, self._to_main

        def read() -> None:  # on the writer's thread: plain data only
            sessions = log.sessions()
            to_main.run(lambda: self.arrived(sessions))

        self.recorder.writer.submit(read)

    def report(self, kind: str, text: str) -> None:
        """What the log's thread must tell the person: ("notice", text), or
        ("refused", text) when the log cannot be used. Safe from any thread."""
        if kind == "refused":
            self._to_main.run(lambda: self._refused(text))
        else:
            self._to_main.run(lambda: self.notice.emit(text))

    def arrived(self, sessions: list[SessionRecord]) -> None:
        """The sessions read from the log (on the GUI thread)."""
        self._sessions = sorted(sessions, key=_key)
        self.loaded = True
        self.reset.emit()

    def _refused(self, text: str) -> None:
        self._refused_why = text
        self.unavailable_changed.emit(text)
        self.notice.emit(text)

    # Changes ------------------------------------------------------------------------

    def _logged(self, record: SessionRecord) -> None:
        self._put(record)
        self.finished.emit(record)

    def annotate(self, record: SessionRecord) -> None:
        """Saves a session's note or answer."""
        if self.recorder is not None:
            self.recorder.annotate(record)
        self._put(record)

    def delete(self, record: SessionRecord) -> None:
        """Deletes a session from the log; Ctrl+Z brings it back."""
        if self.recorder is None:
            return
        self._delete(record)
        self._offer_undo(record)

    def _delete(self, record: SessionRecord) -> None:
        assert self.recorder is not None
        log = self.recorder.log
        self.recorder.writer.submit(lambda: log.delete(record))
        self._remove(record)

    def _offer_undo(self, record: SessionRecord) -> None:
        self._undo.push_done(
            f"delete of {session_name(record)}",
            lambda: self._restore(record),
            lambda: self._delete(record),
            said=f"Deleted {session_name(record)}. Ctrl+Z brings it back.",
        )

    def _restore(self, record: SessionRecord) -> None:
        """Puts a deleted session back. If the log cannot be written, the writer's
        thread says so, the session goes again and its undo is offered again."""
        from app.storage.session_log import LogFormatError

        assert self.recorder is not None
        log, to_main = self.recorder.log, self._to_main

        def write_back() -> None:  # on the writer's thread: plain data only
            try:
                log.restore(record)
            except (OSError, LogFormatError) as exc:
                reason = str(exc)
                to_main.run(lambda: self._restore_failed(record, reason))

        self.recorder.writer.submit(write_back)
        self._put(record)

    def _restore_failed(self, record: SessionRecord, reason: str) -> None:
        self._remove(record)
        self._offer_undo(record)
        self.notice.emit(f"Could not restore {session_name(record)}: {reason}. Ctrl+Z tries again.")

    def _put(self, record: SessionRecord) -> None:
        self._drop(record.id)
        # No list of keys kept beside: ten years' would hold 0.5 MB.
        index = bisect.bisect(self._sessions, _key(record), key=_key)
        self._sessions.insert(index, record)
        self.put.emit(record)

    def _remove(self, record: SessionRecord) -> None:
        if self._drop(record.id):
            self.removed.emit(record)

    def _drop(self, session_id: str) -> bool:
        for index, session in enumerate(self._sessions):
            if session.id == session_id:
                del self._sessions[index]
                return True
        return False


def _key(record: SessionRecord) -> tuple[str, str]:
    return (record.started, record.id)


def session_name(record: SessionRecord) -> str:
    """A session as the undo menu and messages name it."""
    return f"the session of {record.started[:16].replace('T', ' ')} ({record.routine})"
