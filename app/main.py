"""Composition root: builds the objects, wires them together and shows the window."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from typing import TYPE_CHECKING

from app import APP_ID, __version__

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QWidget

    from app.audio.playsound_player import PlaysoundCuePlayer
    from app.domain.plan import PlanSettings
    from app.domain.routine import Routine
    from app.recorder import SessionRecorder
    from app.storage.routine_store import RoutineStore
    from app.storage.session_log import SessionLog
    from app.ui.main_window import MainWindow
    from app.ui.player.controller import PlayerController

# The sizes of the icon shipped as PNG (resources/icons/hicolor/NxN/apps/).
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Set by tests/bench/startup.py: report the window shown and the library filled, then quit.
QUIT_WHEN_SHOWN_ENV = "LIMBER_QUIT_WHEN_SHOWN"


def run_window(routine: Routine | None = None, plan_settings: PlanSettings | None = None) -> int:
    """Opens the main window and runs the Qt event loop; returns the exit status.

    The window is shown first; the routine library is read and the sound backend
    started on the next turn of the event loop, so the window does not wait for
    them. With `routine`, the player opens with it loaded, ready to start.
    """
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.storage.paths import data_dir
    from app.ui.app_settings import AppSettings
    from app.ui.main_window import MainWindow

    # Python hands its lock between threads every 5 ms by default: the GUI thread,
    # which lets go of it for every Qt call, then waited that long again and again
    # while the log was read (stalls of up to 70 ms). 1 ms keeps it responsive.
    sys.setswitchinterval(0.001)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("Limber")
    app.setOrganizationName("Limber")
    app.setApplicationVersion(__version__)
    # The desktop matches the window to its launcher and icon by this name (on
    # Wayland, without it, the window is "python3" with a generic icon).
    app.setDesktopFileName(APP_ID)
    settings = AppSettings(data_dir() / "settings.ini")
    window = MainWindow(settings)
    window.show()
    signalled = close_on_signals(window)

    def settle() -> None:
        # Start-up is over: what exists now (modules, the window, the sessions read)
        # lives as long as the app, and the garbage collector need not walk it ever
        # again. With ten years of sessions a full collection took 50 ms, all
        # threads stopped: long enough to make a cue late. Then pyqtgraph loads in
        # idle time, for the History tab.
        window.sessions_shown.disconnect(settle)
        gc.freeze()
        window.preload_charts()

    def finish_start_up() -> None:
        from app.domain.clock import SystemClock
        from app.domain.plan import PlanSettings
        from app.ui.player.controller import PlayerController

        app.setWindowIcon(app_icon())  # 6 ms: after the first sight of the window
        cues = open_cue_player(settings.volume, muted=settings.muted)
        window.sessions_shown.connect(settle)
        recorder = attach_views(window, PlayerController(SystemClock(), cues))
        # The log is opened and read once the library is up: the two at once, each
        # holding Python's lock in turn, took half as long again. Without a log,
        # the (no) sessions are shown already.
        QTimer.singleShot(
            0, window.sessions_shown.emit if recorder is None else recorder.writer.start
        )
        if routine is not None:
            window.library.select(routine.id)
            chosen = plan_settings or PlanSettings(weak_side=settings.weak_side(routine.id))
            window.load_routine(routine, chosen)

    benchmark = bool(os.environ.get(QUIT_WHEN_SHOWN_ENV))
    if benchmark:
        QTimer.singleShot(0, lambda: print("shown", flush=True))
    QTimer.singleShot(0, finish_start_up)
    if benchmark:
        QTimer.singleShot(0, lambda: (print("library", flush=True), app.quit()))
    try:
        status = app.exec()
        # Stopped by a signal: the shell's status for it (130 for Ctrl+C).
        return 128 + signalled[0] if signalled else status
    finally:
        if window.attached:
            window.controller.cues.close()
            if window.recorder is not None:
                window.recorder.writer.close()


def close_on_signals(window: QWidget) -> list[int]:
    """Ctrl+C in the terminal (SIGINT) or SIGTERM closes `window` as File > Quit does.

    A routine playing ends as stopped and is logged. Python runs a signal's handler
    only between its own bytecodes, so without this Ctrl+C raised KeyboardInterrupt
    in whichever slot ran next (a traceback, and the window stayed). The signal's
    number is written to a socket that Qt's event loop watches, which wakes it even
    when no Python code runs. Returns the list the signals received are put in.
    """
    import signal
    import socket

    from PySide6.QtCore import QSocketNotifier

    received: list[int] = []
    ends = socket.socketpair()  # both kept open by woken(), which the notifier holds
    for end in ends:
        end.setblocking(False)
    signal.set_wakeup_fd(ends[1].fileno(), warn_on_full_buffer=False)
    notifier = QSocketNotifier(ends[0].fileno(), QSocketNotifier.Type.Read, window)

    def woken() -> None:
        with contextlib.suppress(OSError):
            received.extend(ends[0].recv(16))
        if received:
            window.close()

    notifier.activated.connect(woken)
    for number in (signal.SIGINT, signal.SIGTERM):
        # Python's own handler would raise; the socket has the signal already.
        signal.signal(number, lambda *_: None)
    return received


def app_icon() -> QIcon:
    """Limber's icon, from the sizes shipped in the package (each read when first drawn)."""
    from importlib.resources import files

    from PySide6.QtGui import QIcon

    icon = QIcon()
    hicolor = files("app.resources") / "icons" / "hicolor"  # installed: a real folder
    for size in ICON_SIZES:
        icon.addFile(str(hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
    return icon


def attach_views(window: MainWindow, controller: PlayerController) -> SessionRecorder | None:
    """Builds the window's views on the library and a recorder whose writer is not
    started yet (None when the log cannot be used).

    A data folder that is a file does not stop the window: it opens with what can
    be used (the built-in routines, no log) and says what is wrong, in a message
    box and in the history.
    """
    from app.storage.paths import DataFolderError, check_folder, log_dir, user_routines_dir

    inbox = window.inbox  # the writer thread reports here, never to a Qt object
    notices = [window.settings.notice] if window.settings.notice else []
    try:
        check_folder(user_routines_dir(), "the routines folder")
    except DataFolderError as exc:
        notices.append(f"Your own routines cannot be read or saved: {exc}")
    recorder, log_problem = None, ""
    try:
        check_folder(log_dir(), "the log folder")
        recorder = start_recorder(lambda kind, text: inbox.put((kind, text)), start=False)
    except DataFolderError as exc:
        log_problem = f"Sessions will not be logged: {exc}"
    except OSError as exc:  # the log's folder cannot be made
        log_problem = f"Sessions will not be logged: cannot make {exc.filename}: {exc.strerror}"
    window.attach(controller, open_library(), recorder)
    if recorder is None:
        window.history.set_unavailable(log_problem)
        notices.append(log_problem)
    window.show_notices(notices)
    return recorder


def open_library() -> RoutineStore:
    """The routine library in the user's data dir."""
    from app.storage.paths import user_routines_dir
    from app.storage.routine_store import RoutineStore

    return RoutineStore(user_routines_dir())


def open_cue_player(volume: int, *, muted: bool) -> PlaysoundCuePlayer:
    """The playsound3 cue player; its thread finds the backend in the background."""
    from app.audio.playsound_player import PlaysoundCuePlayer
    from app.storage.paths import data_dir

    return PlaysoundCuePlayer(data_dir() / "cache", volume, muted=muted)


def open_recorder(
    on_error: Callable[[str], None],
) -> tuple[SessionRecorder | None, list[str]]:
    """The session log, opened and checked now, with a recorder writing to it.

    Returns the recorder (None when the log cannot be used) and what to tell the
    user: repairs made, or why sessions will not be logged.
    """
    from app.recorder import LogWriter, SessionRecorder
    from app.storage.paths import log_dir
    from app.storage.session_log import SessionLog

    try:
        log = SessionLog(log_dir())
    except OSError as exc:  # its folder cannot be made
        return None, [f"Sessions will not be logged: cannot make {exc.filename}: {exc.strerror}"]
    usable, messages = _open_log(log)
    if not usable:
        return None, messages
    writer = LogWriter(on_error=lambda exc: on_error(f"A session could not be logged: {exc}"))
    return SessionRecorder(log, writer), messages


def start_recorder(report: Callable[[str, str], None], *, start: bool = True) -> SessionRecorder:
    """A recorder whose log is opened on its writer's thread, for the window.

    Opening checks every file of the log and may repair, migrate or recover
    sessions, which takes a while on years of sessions and writes: the GUI thread
    never waits for it. What the user must hear of goes to `report` (from the
    writer's thread) as ("notice", text), or ("refused", text) when the log
    cannot be used; it is then left alone, every later job skipped. Without
    `start`, nothing runs before `recorder.writer.start()`.

    Raises:
        OSError: the log's folder cannot be made.
    """
    from app.recorder import LogWriter, SessionRecorder
    from app.storage.paths import log_dir
    from app.storage.session_log import SessionLog

    log = SessionLog(log_dir())
    said: set[object] = set()

    def failed(exc: Exception) -> None:
        # A read-only or full disk fails every checkpoint alike: say it once.
        kind = getattr(exc, "errno", None) or str(exc)
        if kind not in said:
            said.add(kind)
            report("notice", f"A session could not be logged: {exc}")

    writer = LogWriter(on_error=failed, start=False)

    def open_in_background() -> None:
        usable, messages = _open_log(log)
        if not usable:
            writer.refuse()
        for message in messages:
            report("notice" if usable else "refused", message)

    writer.submit(open_in_background)
    if start:
        writer.start()
    return SessionRecorder(log, writer)


def _open_log(log: SessionLog) -> tuple[bool, list[str]]:
    """Opens `log`: whether it can be used, and what to tell the user."""
    from app.storage.file_lock import LockTimeoutError
    from app.storage.session_log import LogFormatError

    try:
        repairs = log.open()
    except (LogFormatError, LockTimeoutError, OSError) as exc:
        return False, [f"Sessions will not be logged: {exc}"]
    return True, [repair.message() for repair in repairs]
