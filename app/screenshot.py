"""`limber screenshot`: renders a view offscreen to a PNG, the same widgets as on screen."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtGui import QPixmap

    from app.domain.clock import FakeClock
    from app.domain.session import SessionRecord
    from app.storage.routine_store import RoutineStore
    from app.ui.main_window import MainWindow

VIEWS = ("library", "player", "waiting", "paused", "done", "history")
PLAYER_STATES = ("player", "waiting", "paused", "done")
THEMES = ("light", "dark")
# The routine and moment the screenshots show: a per-side step of a seed routine.
SHOWN_ROUTINE = "spinal-rotation-heel-sitting"
PLAYER_SECONDS = 27.5  # into the left side's reps, weaker side left
# The "at your pace" picture: a seed routine whose first exercise is done at one's
# own pace (no seed routine has such a step as it ships).
WAITING_ROUTINE = "five-movements-healthy-back"
# The history charts load pyqtgraph first: a second or so on a slow machine.
CHARTS_WAIT_MS = 20_000


class LogUnreadableError(Exception):
    """The history cannot be drawn: the log cannot be read. The text is one line."""


def render_view(view: str, path: Path, size: tuple[int, int], theme: str = "light") -> None:
    """Draws `view` of a freshly built main window at `size` in the light or dark
    `theme` and saves it as PNG. The player's views: "player" (a per-side step),
    "waiting" (a step done at one's own pace), "paused" and "done".

    Raises:
        LogUnreadableError: for the history, the log cannot be read.
        OSError: the PNG cannot be written; nothing is left at `path` then.
    """
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QEventLoop, QTimer, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from app.audio.cue_player import AudioStatus, NullCuePlayer
    from app.domain.clock import FakeClock
    from app.domain.routine import Side
    from app.main import assemble_window, open_library
    from app.storage.settings import Settings
    from app.ui.main_window import HISTORY, LIBRARY
    from app.ui.theme import apply_theme

    qInstallMessageHandler(_quiet_offscreen)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app, theme, fusion=True)
    with tempfile.TemporaryDirectory() as scratch:
        # Read first: a log that cannot be read ends the command before any drawing.
        sessions = _logged_sessions(Path(scratch) / "log") if view == "history" else []
        # A clock the picture can be taken at; settings of its own, so none are changed.
        clock = FakeClock()
        store = open_library()
        cues = NullCuePlayer(AudioStatus(True, ""))
        window = assemble_window(Settings(Path(scratch)), clock, cues, store, None)
        controller = window.controller
        window.routines.load()
        window.library.select(SHOWN_ROUTINE)
        window.library.set_weak_side(Side.LEFT)
        if view in PLAYER_STATES:
            _play_to(view, window, clock, store)
            window.tabs.setCurrentIndex(1)
        else:
            window.sessions.arrived(sessions)
            window.tabs.setCurrentIndex(LIBRARY if view == "library" else HISTORY)
            # The charts over their longest span: a year shows how often one warms
            # up and the weaker side catching up, where the first 12 weeks may not.
            window.history.weeks.setCurrentIndex(window.history.weeks.count() - 1)
        window.resize(*size)
        window.show()
        app.processEvents()
        if view == "history" and window.history.charts is None:
            # The charts are drawn just after the table shows: the picture waits.
            drawn = QEventLoop()
            window.history.charts_drawn.connect(drawn.quit)
            QTimer.singleShot(CHARTS_WAIT_MS, drawn.quit)  # never hang the command
            drawn.exec()
            app.processEvents()
        image = window.grab()
        window.close()
        controller.stop()
    _save_png(image, path)


def _play_to(view: str, window: MainWindow, clock: FakeClock, store: RoutineStore) -> None:
    """Plays a seed routine on `clock` to the moment `view` shows."""
    from dataclasses import replace

    from app.domain.plan import PlanSettings, build_plan
    from app.domain.routine import Side
    from app.domain.session import SessionRecord, SessionStatus, local_iso, work_done

    controller = window.controller
    settings = PlanSettings(weak_side=Side.LEFT)
    if view == "waiting":
        routine = store.find(WAITING_ROUTINE).routine
        first = replace(routine.exercises[0], tempo=None)
        routine = replace(routine, exercises=(first, *routine.exercises[1:]))
        seconds = 7.0
    else:
        routine = store.find(SHOWN_ROUTINE).routine
        seconds = 1000.0 if view == "done" else PLAYER_SECONDS
    plan = build_plan(routine, settings)
    controller.load_routine(routine, settings)
    controller.primary()
    start = clock.now()
    while clock.now() - start < seconds and not controller.screen.over:
        clock.advance(0.5)
        controller.poll()
    if view == "paused":
        controller.primary()
    if view == "done" and controller.player is not None:
        player = controller.player
        record = SessionRecord(
            id="screenshot",
            routine_id=routine.id,
            routine=routine.name,
            plan_id="",
            started=local_iso(),
            status=SessionStatus.COMPLETED,
            active_seconds=player.active_seconds(),
            weak_side=Side.LEFT.value,
            work=work_done(plan, player.outcomes),
        )
        window.player_view.summary.show_record(record)


def _save_png(image: QPixmap, path: Path) -> None:
    """Writes `image` as a PNG through a temp file renamed over `path`, so that a
    full disk leaves the old file or none, never an empty or cut one."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    from app.storage.atomic import write_atomically

    png = QByteArray()
    buffer = QBuffer(png)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError(f"cannot make the PNG for {path}")
    write_atomically(path, bytes(png.data()))


def _logged_sessions(scratch: Path) -> list[SessionRecord]:
    """The user's logged sessions, read as `limber history` reads them, from a copy.

    Opening the log repairs, migrates and recovers, and so writes: it is done on a
    copy of the log's regular files in `scratch`, which the user's log never sees.

    Raises:
        LogUnreadableError: the log was written by a newer Limber, or cannot be read.
    """
    from app.storage.file_lock import LockTimeoutError
    from app.storage.paths import log_dir
    from app.storage.session_log import LogFormatError, SessionLog

    folder = log_dir()
    if not folder.is_dir():
        return []
    try:
        for source, target in ((folder, scratch), (folder / "backups", scratch / "backups")):
            target.mkdir(parents=True, exist_ok=True)
            if not source.is_dir():
                continue
            for entry in source.iterdir():
                if entry.is_file() and not entry.is_symlink() and entry.name != ".lock":
                    shutil.copyfile(entry, target / entry.name)
        log = SessionLog(scratch)
        log.open()
        return log.sessions()
    except (LogFormatError, LockTimeoutError) as exc:
        raise LogUnreadableError(str(exc)) from None
    except OSError as exc:
        raise LogUnreadableError(
            f"cannot read the log: {exc.filename or folder}: {exc.strerror or exc}"
        ) from None


def _quiet_offscreen(mode: object, context: object, message: str) -> None:
    """Passes Qt's messages on to stderr, but for the offscreen platform's remark
    that it cannot resize windows to their hints, which says nothing to a user."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)
