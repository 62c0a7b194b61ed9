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

    from PySide6.QtCore import QObject
    from PySide6.QtDBus import QDBusConnection
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QWidget

    from app.application.history import OpenLog
    from app.application.player import PlayerController
    from app.audio.cue_player import CuePlayer
    from app.audio.phrase_cache import PhraseCache
    from app.audio.playsound_player import PlaysoundCuePlayer
    from app.domain.clock import Clock
    from app.domain.plan import PlanSettings
    from app.domain.routine import Routine
    from app.recorder import SessionRecorder
    from app.storage.routine_store import RoutineStore
    from app.storage.session_log import SessionLog
    from app.storage.settings import Settings
    from app.ui.main_window import MainWindow

# The sizes of the icon shipped as PNG (resources/icons/hicolor/NxN/apps/).
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
# Set by the benchmarks and tests: print "painted" (the window's first frame),
# "library" (the routines listed and painted) and "sessions" (the log read) as each
# happens, then quit.
QUIT_WHEN_SHOWN_ENV = "LIMBER_QUIT_WHEN_SHOWN"
# Settings are written this long after the last change (a volume drag is one write).
SAVE_SETTINGS_MS = 1000


def run_window(
    routine: Routine | None = None,
    plan_settings: PlanSettings | None = None,
    *,
    voice: bool = True,
    background: bool = False,
) -> int:
    """Builds every object once, opens the main window and runs the Qt event loop;
    returns the exit status, after shutting everything down.

    The window is shown first; the routine library is read once its first frame
    is painted, and the log (checked, then read) on its writer's thread after
    that, so the window waits for neither. With `routine`, the player opens with
    it loaded, ready to start. Without `voice`, cues are chimes only. In the
    `background`, the window is not shown (nor kept when closed): the tray icon,
    where the desktop has a tray, and the reminders stay until Quit.

    When a Limber is open on this data folder already, no window is made: it is
    handed the routine to play (or asked to come to the front), this one says so
    and returns 0 (1 when it could not be handed over).
    """
    # Until the first frame is painted, the garbage collector does not run: start-up
    # makes few cycles, and its 55 collections took 8 ms of the first frame's time.
    gc.disable()
    try:
        return _run_window(routine, plan_settings, voice=voice, background=background)
    finally:
        gc.enable()  # if the window was never shown


def _run_window(
    routine: Routine | None, plan_settings: PlanSettings | None, *, voice: bool, background: bool
) -> int:
    drop_feature_import_hook()
    handed = _hand_over(routine, plan_settings)
    if handed is not None:
        return handed
    from PySide6.QtWidgets import QApplication

    from app.storage.paths import data_dir
    from app.storage.settings import Settings

    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("Limber")
    app.setOrganizationName("Limber")
    app.setApplicationVersion(__version__)
    # The desktop matches the window to its launcher and icon by this name (on
    # Wayland, without it, the window is "python3" with a generic icon).
    app.setDesktopFileName(APP_ID)
    settings = Settings(data_dir())
    if settings.theme != "system":
        from app.ui.theme import apply_theme

        apply_theme(app, settings.theme)
    window, close_parts = build_window(settings, voice=voice)
    if background:
        # Hidden, the window closing is no longer the end: the tray's Quit is.
        app.setQuitOnLastWindowClosed(False)
        window.keep_running = True
    else:
        window.show()
    signalled = close_on_signals(window)
    ends: list[Callable[[], None]] = []  # what serve_media started

    def start_media() -> None:
        from app.application.session_bus import session_bus

        bus = session_bus()
        ends.append(serve_media(window, bus))
        ends.append(serve_reminders(window, bus, tray=background))

    # The routines first: they are what the window shows.
    read_data = _start_up(app, window, settings, routine, plan_settings)
    # The collector's first run, some 7 ms, waits for the routines to be painted.
    after_first_frame(window, read_data, gc.enable, start_media)
    try:
        status = app.exec()
        # Stopped by a signal: the shell's status for it (130 for Ctrl+C).
        return 128 + signalled[0] if signalled else status
    finally:
        # What this function made, it ends: a routine playing is logged as
        # stopped, the sounds stop, the log's writes finish, the settings are kept.
        for end in ends:
            end()
        close_parts()
        settings.save()


def drop_feature_import_hook() -> None:
    """Imports PySide6 and puts back the `__import__` it replaces with one of its own.

    PySide6's hook serves `from __feature__ import snake_case`, which Limber does
    not use: after every import it reads the whole source of the module imported
    (into `linecache`) to see whether it names PySide6. Some 160 modules load
    after PySide6; reading their sources left the idle window 6.5 MB larger (94.6
    against 88.1 MB RSS, fresh data folder, Xvfb), scattered among what stays
    alive, where `give_back_free_memory` cannot return it. The hook it replaced
    (PySide6 keeps it as `__orig_import__`) stays. Left alone if PySide6 has
    changed how it does this.
    """
    import builtins

    import PySide6  # noqa: F401 - installs the hook

    hook = getattr(builtins, "__feature_import__", None)
    original = getattr(builtins, "__orig_import__", None)
    if hook is not None and original is not None and builtins.__import__ is hook:
        builtins.__import__ = original


def _hand_over(routine: Routine | None, plan_settings: PlanSettings | None) -> int | None:
    """Hands the routine (or a call to come to the front) to the Limber open on
    this data folder, says how it went and returns the exit status; None when no
    Limber is open there."""
    from app.application.single_instance import (
        HandoverResult,
        InstanceRequest,
        hand_over,
        instance_address,
    )

    if routine is None:
        request = InstanceRequest()
    elif plan_settings is None:
        request = InstanceRequest(routine.id)
    else:
        side = plan_settings.weak_side
        request = InstanceRequest(routine.id, side.value if side else "none")
    result = hand_over(request, instance_address())
    if result is HandoverResult.NO_ONE:
        return None
    if result is HandoverResult.DONE:
        done = (
            "brought its window to the front" if routine is None else f"handed it “{routine.name}”"
        )
        print(f"Limber is open already: {done}.", flush=True)
        return 0
    if result is HandoverResult.REFUSED and routine is not None:
        what = f"cannot find “{routine.name}” in its library"
    else:
        what = "did not answer"
    print(f"limber: the Limber already open {what}; close it and try again", file=sys.stderr)
    return 1


def serve_instance(window: MainWindow) -> None:
    """Listens for a second `limber` on this data folder, whose requests the
    window carries out (come to the front, play a routine)."""
    from app.application.single_instance import InstanceServer, instance_address
    from app.ui.instance_requests import InstanceRequests

    requests = InstanceRequests(window)
    server = InstanceServer(window.routines, instance_address(), window)
    server.raise_requested.connect(requests.bring_to_front)
    server.play_requested.connect(requests.play)
    server.listen()


def serve_media(window: MainWindow, bus: QDBusConnection | None) -> Callable[[], None]:
    """Media keys, a headset, the desktop's media widget or a phone control the
    player (MPRIS, on `bus`), and the screen stays on while a routine plays.
    Returns what ends both, releasing the screen, at exit."""
    from app.application.awake import StayAwake
    from app.application.media_session import MediaSession
    from app.application.mpris import MprisPlayer
    from app.ui.instance_requests import InstanceRequests

    controller = window.controller
    session = MediaSession(controller, InstanceRequests(window).bring_to_front, window)
    awake = StayAwake(bus, window)
    awake.unavailable.connect(window.statusBar().showMessage)
    session.playing_changed.connect(awake.follow)
    awake.follow(session.playing)
    mpris = MprisPlayer(session, controller.clock, session.state, window)
    if bus is not None and mpris.publish(bus):
        session.changed.connect(mpris.update)

    def end() -> None:
        mpris.close()
        awake.close()

    return end


def serve_reminders(
    window: MainWindow, bus: QDBusConnection | None, *, tray: bool
) -> Callable[[], None]:
    """The reminders, said as desktop notifications (on `bus`) when they fall,
    waking with the computer; with `tray`, Limber's tray icon where the desktop has
    a tray. Returns what ends them."""
    from PySide6.QtDBus import QDBusConnection
    from PySide6.QtWidgets import QSystemTrayIcon

    from app.application.notifications import Notifier
    from app.application.reminder_schedule import ReminderSchedule, WakeWatcher
    from app.ui.instance_requests import InstanceRequests
    from app.ui.reminder_notices import ReminderNotices
    from app.ui.tray import Tray

    sessions = window.sessions
    schedule = ReminderSchedule(window.settings, sessions.sessions, parent=window)
    sessions.reset.connect(lambda: schedule.set_sessions(sessions.sessions))
    sessions.put.connect(schedule.add_session)
    system = QDBusConnection.systemBus() if bus is not None else None
    WakeWatcher(system, schedule.woke, window)
    notifier = Notifier(bus, APP_ID, window) if bus is not None else None
    icon: Tray | None = None
    notices = ReminderNotices(window, schedule, notifier)
    if tray and QSystemTrayIcon.isSystemTrayAvailable():
        icon = Tray(
            app_icon(),
            notices,
            schedule,
            open_window=InstanceRequests(window).bring_to_front,
            quit_app=window.quit_for_good,
            parent=window,
        )
        notices.use_tray(icon)
        icon.show()

    def end() -> None:
        if notifier is not None:
            notifier.close()
        if icon is not None:
            icon.hide()

    return end


def build_window(
    settings: Settings,
    clock: Clock | None = None,
    cues: CuePlayer | None = None,
    *,
    voice: bool = True,
) -> tuple[MainWindow, Callable[[], None]]:
    """Every object of the window, each made once and handed to what uses it: the
    user's library and log, the system clock and the playsound3 cue player,
    speaking unless not `voice` (tests give a clock and a cue player of their own).

    What plays and logs routines (the player, its cue player, the log) is made
    when first used, which is after the window's first frame; and the first
    frame's own modules import the core's types where they are used. Together
    that was a third of the instructions Limber added to a bare window's first
    frame (callgrind: 1076M -> 922M, the bare window 612M).

    A data folder that is a file does not stop the window: it opens with what can
    be used (the built-in routines, no log) and `open_data` says what is wrong.
    Returns the window and what ends the parts made, once the window is gone: a
    routine playing is logged as stopped, the sounds stop, the log's writes finish.
    """
    from app.domain.clock import SystemClock

    made: list[CuePlayer] = []

    def open_cues() -> CuePlayer:
        made.append(cues or open_cue_player(settings, voice=voice))
        return made[-1]

    window = _assemble(settings, clock or SystemClock(), open_cues, open_library(), open_log)

    def close() -> None:
        window.stop_routine()
        for player in made:
            player.close()
        window.sessions.close()

    return window, close


def assemble_window(
    settings: Settings,
    clock: Clock,
    cues: CuePlayer,
    store: RoutineStore,
    recorder: SessionRecorder | None,
    *,
    unavailable: str = "",
) -> MainWindow:
    """The application's objects over these parts, and the window over them.

    Args:
        settings: The user's settings.
        clock: Where the player's time comes from.
        cues: Plays the cues.
        store: The routine library's files.
        recorder: Logs sessions; None when the log cannot be used.
        unavailable: Why sessions will not be logged, when `recorder` is None.
    """
    return _assemble(settings, clock, lambda: cues, store, lambda _report: (recorder, unavailable))


def _assemble(
    settings: Settings,
    clock: Clock,
    open_cues: Callable[[], CuePlayer],
    store: RoutineStore,
    open_log: OpenLog,
) -> MainWindow:
    from app.application.history import SessionHistory
    from app.application.library import RoutineLibrary
    from app.application.to_main import ToMain
    from app.application.undo import UndoHistory
    from app.ui.main_window import MainWindow

    to_main = ToMain()
    undo = UndoHistory()
    sessions = SessionHistory(open_log, undo, to_main)
    routines = RoutineLibrary(store, settings, undo)

    def make_controller() -> PlayerController:
        from app.application.player import PlayerController

        controller = PlayerController(clock, open_cues(), sessions.recorder)

        def follow_voice() -> None:
            controller.set_phrases(settings.phrases if settings.voice else frozenset())

        follow_voice()
        settings.on_change(follow_voice)
        return controller

    window = MainWindow(settings, routines, sessions, make_controller, undo)
    to_main.setParent(window)
    return window


def _start_up(
    app: QApplication,
    window: MainWindow,
    settings: Settings,
    routine: Routine | None,
    plan_settings: PlanSettings | None,
) -> Callable[[], None]:
    """Readies what follows the first sight of the window; returns what reads the
    routines then (and, a turn later, the log)."""
    from PySide6.QtCore import QEvent, QTimer

    report = bool(os.environ.get(QUIT_WHEN_SHOWN_ENV))
    saver = QTimer(window)
    saver.setSingleShot(True)
    saver.setInterval(SAVE_SETTINGS_MS)
    settings.on_change(saver.start)

    def save_settings() -> None:
        settings.save()
        if settings.unsaved and settings.notice:  # a full disk: tried again next change
            window.statusBar().showMessage(settings.notice)

    saver.timeout.connect(save_settings)

    def settle() -> None:
        # Start-up is over: what exists now (modules, the window, the sessions read)
        # lives as long as the app. Collected once, then frozen, the garbage
        # collector need not walk it again: with ten years of sessions a full
        # collection took 50 ms, all threads stopped, long enough to make a cue late.
        window.sessions.reset.disconnect(settle)
        gc.collect()
        gc.freeze()
        give_back_free_memory()
        if report:
            print("sessions", flush=True)
            app.quit()

    def read_data() -> None:
        if report:
            print("painted", flush=True)
        window.sessions.reset.connect(settle)
        open_data(window, routine, plan_settings)
        # The routines on the screen now: Qt paints what changed on a request of
        # low priority, which waited behind the cue thread's start and the bus's
        # services (the filled list reached the screen 48 ms after it was filled).
        app.sendPostedEvents(window, QEvent.Type.UpdateRequest)
        if report:
            print("library", flush=True)
        QTimer.singleShot(0, window, window.add_extras)
        # After the log's reading is under way: QtNetwork takes 14 ms to load.
        QTimer.singleShot(0, window, lambda: serve_instance(window))
        app.setWindowIcon(app_icon())  # 6 ms

    return read_data


def give_back_free_memory() -> None:
    """Hands the memory that start-up used and freed back to the system.

    Start-up's passing objects (the log's JSON, any sources `linecache` holds)
    leave pages free in the C heap that the process keeps: 1-2 MB of an idle
    window's 88 MB. glibc's malloc_trim returns them; where there is none (macOS,
    Windows, musl), nothing is done.
    """
    import linecache

    linecache.clearcache()  # read again if a traceback ever needs them
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)


def after_first_frame(window: QWidget, *jobs: Callable[[], None], at_latest_ms: int = 1000) -> None:
    """Calls the `jobs`, in order and each on a turn of the event loop of its own,
    once the window's first frame is on the screen (its first Expose, in which Qt
    paints and flushes it, is over), or after `at_latest_ms` if the window is not
    exposed by then (minimised, on another workspace)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    done: list[bool] = []

    def go() -> None:
        if not done:
            done.append(True)
            for job in jobs:  # after the Expose that paints
                QTimer.singleShot(0, window, job)

    class FirstFrame(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
            if event.type() == QEvent.Type.Expose:
                watched.removeEventFilter(self)
                go()
            return False

    handle = window.windowHandle()
    if handle is not None:
        handle.installEventFilter(FirstFrame(window))
    QTimer.singleShot(at_latest_ms, window, go)


def open_data(
    window: MainWindow,
    routine: Routine | None = None,
    plan_settings: PlanSettings | None = None,
) -> None:
    """Lists the routines; then, on the next turn of the event loop, has the log
    read (opened, if the player has not yet) by its writer, which checks it and
    reads it (the window's sessions are reset when it is read), and says what is
    wrong with the data folder.

    With `routine`, the player has it loaded, ready to start.
    """
    from PySide6.QtCore import QTimer

    window.routines.load()
    notices = [window.settings.notice] if window.settings.notice else []
    problem = _routines_folder_problem()
    if problem:
        notices.append(problem)
    if routine is not None:
        window.library.select(routine.id)
        saved = window.settings
        side = plan_settings.weak_side if plan_settings else saved.weak_side(routine.id)
        chosen = saved.plan_settings(side)
        window.load_routine(routine, chosen)

    def read_log() -> None:
        # The log is checked and read once the library is up: the two at once,
        # each holding Python's lock in turn, took half as long again.
        window.sessions.load()
        if window.sessions.unavailable:
            notices.append(window.sessions.unavailable)
        window.show_notices(notices)
        if window.sessions.recorder is not None:
            window.sessions.recorder.writer.start()

    QTimer.singleShot(0, window, read_log)


def _routines_folder_problem() -> str:
    from app.storage.paths import DataFolderError, check_folder, user_routines_dir

    try:
        check_folder(user_routines_dir(), "the routines folder")
    except DataFolderError as exc:
        return f"Your own routines cannot be read or saved: {exc}"
    return ""


def open_log(report: Callable[[str, str], None]) -> tuple[SessionRecorder | None, str]:
    """A recorder whose log is opened on its writer's thread, which is not started
    yet (see `start_recorder`); or None and why sessions will not be logged."""
    from app.storage.paths import DataFolderError, check_folder, log_dir

    try:
        check_folder(log_dir(), "the log folder")
        return start_recorder(report, start=False), ""
    except DataFolderError as exc:
        return None, f"Sessions will not be logged: {exc}"
    except OSError as exc:  # the log's folder cannot be made
        return None, f"Sessions will not be logged: cannot make {exc.filename}: {exc.strerror}"


def close_on_signals(window: MainWindow) -> list[int]:
    """Ctrl+C in the terminal (SIGINT) or SIGTERM closes `window` as File > Quit
    does, but without asking first: a routine playing ends as stopped and is
    logged. Returns the list the signals received are put in."""
    return on_signals(window, window.quit_without_asking)


def on_signals(parent: QObject, then: Callable[[], None]) -> list[int]:
    """Calls `then` on Qt's event loop when Ctrl+C (SIGINT) or SIGTERM arrives.

    Python runs a signal's handler only between its own bytecodes, so without this
    Ctrl+C raised KeyboardInterrupt in whichever slot ran next (a traceback, and
    the window stayed). The signal's number is written to a pipe that Qt's event
    loop watches, which wakes it even when no Python code runs. Returns the list
    the signals received are put in.
    """
    import signal

    from PySide6.QtCore import QSocketNotifier

    received: list[int] = []
    reading, writing, read = _wakeup_ends()
    signal.set_wakeup_fd(writing, warn_on_full_buffer=False)
    notifier = QSocketNotifier(reading, QSocketNotifier.Type.Read, parent)

    def woken() -> None:
        with contextlib.suppress(OSError):
            received.extend(read())
        if received:
            then()

    notifier.activated.connect(woken)
    for number in (signal.SIGINT, signal.SIGTERM):
        # Python's own handler would raise; the pipe has the signal already.
        signal.signal(number, lambda *_: None)
    return received


def _wakeup_ends() -> tuple[int, int, Callable[[], bytes]]:
    """The ends of a non-blocking pipe (to read, to write signals to) and what reads
    what was written: a pipe, as the socket module takes 3.5 ms to import before
    the first frame, but on Windows, where that end must be a socket, a socket
    pair, which stay open as long as the reader does."""
    if os.name == "nt":
        import socket

        ends = socket.socketpair()  # kept open by the reader, which holds them
        for end in ends:
            end.setblocking(False)
        return ends[0].fileno(), ends[1].fileno(), lambda: ends[0].recv(16)
    reading, writing = os.pipe()
    for fd in (reading, writing):
        os.set_blocking(fd, False)
    return reading, writing, lambda: os.read(reading, 16)


def app_icon() -> QIcon:
    """Limber's icon, from the sizes shipped in the package (each read when first drawn)."""
    from importlib.resources import files

    from PySide6.QtGui import QIcon

    icon = QIcon()
    hicolor = files("app.resources") / "icons" / "hicolor"  # installed: a real folder
    for size in ICON_SIZES:
        icon.addFile(str(hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png"))
    return icon


def open_library() -> RoutineStore:
    """The routine library in the user's data dir."""
    from app.storage.paths import user_routines_dir
    from app.storage.routine_store import RoutineStore

    return RoutineStore(user_routines_dir())


def open_cue_player(settings: Settings, *, voice: bool = True) -> PlaysoundCuePlayer:
    """The playsound3 cue player at the saved volume, speaking (unless not `voice`)
    with the engine the settings name where one is found; its thread finds the
    sound backend and the speech engine in the background."""
    from app.audio.playsound_player import PlaysoundCuePlayer
    from app.storage.paths import cache_dir

    cache = cache_dir()

    def speech(
        stand_aside: Callable[[], None], report: Callable[[str], None]
    ) -> PhraseCache | None:
        from app.audio.phrase_cache import PhraseCache
        from app.audio.speech import find_engine

        engine, problem = find_engine(
            settings.speech_engine,
            settings.speech_voice,
            settings.speech_rate,
            settings.piper_model,
        )
        if problem:  # no engine, or not the voice chosen
            report(problem)
        if engine is None:
            return None
        folder = cache / "speech" / engine.name
        return PhraseCache(engine, folder, stand_aside=stand_aside, report=report)

    return PlaysoundCuePlayer(
        cache,
        settings.volume,
        muted=settings.muted,
        speech=speech if voice else None,
    )


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
