"""`limber screenshot`: renders a view offscreen to a PNG, the same widgets as on screen."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.domain.session import SessionRecord

VIEWS = ("library", "player", "history")
# The routine and moment the screenshots show: a per-side step of a seed routine.
SHOWN_ROUTINE = "spinal-rotation-heel-sitting"
PLAYER_SECONDS = 27.5  # into the left side's reps, weaker side left
# The history charts load pyqtgraph first: a second or so on a slow machine.
CHARTS_WAIT_MS = 20_000


def render_view(view: str, path: Path, size: tuple[int, int]) -> None:
    """Draws `view` of a freshly built main window at `size` and saves it as PNG.

    Raises:
        OSError: the PNG cannot be written.
    """
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtCore import QEventLoop, QTimer, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from app.audio.cue_player import AudioStatus, NullCuePlayer
    from app.domain.clock import FakeClock
    from app.domain.plan import PlanSettings, build_plan
    from app.domain.routine import Side
    from app.main import open_library
    from app.ui.app_settings import AppSettings
    from app.ui.main_window import HISTORY, LIBRARY, MainWindow
    from app.ui.player.controller import PlayerController

    qInstallMessageHandler(_quiet_offscreen)
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as scratch:
        # A clock the picture can be taken at; settings of its own, so none are changed.
        clock = FakeClock()
        controller = PlayerController(clock, NullCuePlayer(AudioStatus(True, "")))
        window = MainWindow(AppSettings(Path(scratch) / "settings.ini"))
        store = open_library()
        window.attach(controller, store)
        window.library.select(SHOWN_ROUTINE)
        window.library.set_weak_side(Side.LEFT)
        if view == "player":
            routine = store.find(SHOWN_ROUTINE).routine
            controller.load(build_plan(routine, PlanSettings(weak_side=Side.LEFT)))
            controller.primary()
            while clock.now() - 1000.0 < PLAYER_SECONDS:
                clock.advance(0.5)
                controller.poll()
            window.tabs.setCurrentIndex(1)
        else:
            window.show_sessions(_logged_sessions())
            window.tabs.setCurrentIndex(LIBRARY if view == "library" else HISTORY)
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
        controller.player = None
    if not image.save(str(path), "PNG"):
        raise OSError(f"cannot write {path}")


def _logged_sessions() -> list[SessionRecord]:
    """The user's logged sessions, read without opening (and so changing) the log."""
    from app.storage.paths import data_dir
    from app.storage.session_log import SessionLog

    folder = data_dir() / "log"
    return SessionLog(folder).sessions() if folder.is_dir() else []


def _quiet_offscreen(mode: object, context: object, message: str) -> None:
    """Passes Qt's messages on to stderr, but for the offscreen platform's remark
    that it cannot resize windows to their hints, which says nothing to a user."""
    if "propagateSizeHints" not in message:
        print(message, file=sys.stderr)
