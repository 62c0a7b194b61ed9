"""The main window: Library, Player and History views, menus, shortcuts, status bar.

The window is built in two steps so that it appears at once: `MainWindow()` is
the frame with its menus and empty pages, shown first; `attach()` then builds the
views, which load the routine model, the plan builder and the player engine.
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from app.ui.widgets.plain_text import fixed_label, message_box

if TYPE_CHECKING:
    from app.audio.cue_player import AudioStatus
    from app.domain.history_table import SessionColumns
    from app.domain.plan import PlanSettings
    from app.domain.player import Player, Snapshot
    from app.domain.routine import Routine
    from app.domain.session import SessionRecord
    from app.recorder import SessionRecorder
    from app.storage.routine_store import OnClash, RoutineStore, StoredRoutine
    from app.ui.app_settings import AppSettings
    from app.ui.history.chart_preload import ChartPreloader
    from app.ui.history.history_view import HistoryView
    from app.ui.library.library_view import LibraryView
    from app.ui.library.routine_editor import RoutineEditor
    from app.ui.player.compact_window import CompactWindow
    from app.ui.player.controller import PlayerController
    from app.ui.player.player_view import PlayerView

LIBRARY, PLAYER, HISTORY = range(3)
TAB_NAMES = ("&Library", "&Player", "&History")


class MainWindow(QMainWindow):
    """Limber's window.

    Args:
        settings: Where the window's size, the volume and weak sides are kept.

    Signals:
        sessions_shown(): the logged sessions read at start-up are shown.
    """

    sessions_shown = Signal()

    # How often the inbox from the log's writer thread is looked at.
    INBOX_MS = 100

    controller: PlayerController
    library: LibraryView
    player_view: PlayerView
    history: HistoryView
    compact: CompactWindow

    def __init__(self, settings: AppSettings) -> None:
        super().__init__()
        self.settings = settings
        self.attached = False
        self._closing = False
        self.setWindowTitle("Limber")
        self.resize(1000, 700)
        self.tabs = QTabWidget()
        for name in TAB_NAMES:
            waiting = fixed_label("Reading your routines…")
            # Left-aligned: Qt's alignment enums take 17 ms to load, and this
            # page shows for a tenth of a second while the views are built.
            self.tabs.addTab(waiting, name)
        self.setCentralWidget(self.tabs)
        self._shortcuts: dict[QAction, list[str]] = {}
        self._build_actions()
        self.recorder: SessionRecorder | None = None
        self._chart_preloader: ChartPreloader | None = None
        # The log's writer thread reports here with plain data, never touching a
        # Qt object: a Qt object released on another thread can crash the app.
        self.inbox: queue.SimpleQueue[tuple[str, Any]] = queue.SimpleQueue()
        self._inbox_timer = QTimer(self)
        self._inbox_timer.setInterval(self.INBOX_MS)
        self._inbox_timer.timeout.connect(self.drain_inbox)
        self._inbox_timer.start()
        if settings.geometry is not None:
            self.restoreGeometry(settings.geometry)
        self.statusBar().showMessage("Reading your routines…")

    def attach(
        self,
        controller: PlayerController,
        store: RoutineStore,
        recorder: SessionRecorder | None = None,
    ) -> None:
        """Builds the views around `controller` and lists the routines of `store`.

        With `recorder`, every session played is logged and the history shows them.
        """
        from app.ui.history.history_view import HistoryView
        from app.ui.library.library_view import LibraryView
        from app.ui.player.compact_window import CompactWindow
        from app.ui.player.player_view import PlayerView

        self.controller = controller
        self.recorder = recorder
        self.store = store
        for action, keys in self._shortcuts.items():
            action.setShortcuts([QKeySequence(key) for key in keys])
        self.library = LibraryView()
        self.player_view = PlayerView()
        self.history = HistoryView(self.settings.weekly_goal, self.settings.rest_days)
        # What Ctrl+Z undoes, newest last: a description and how to undo it.
        self._undo: list[tuple[str, Callable[[], None]]] = []
        current = self.tabs.currentIndex()
        for index, view in enumerate((self.library, self.player_view, self.history)):
            placeholder = self.tabs.widget(index)
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, view, TAB_NAMES[index])
            placeholder.deleteLater()
        self.tabs.setCurrentIndex(current)
        self.compact = CompactWindow()
        # The compact window has focus while it is up: it needs the keys too.
        self.compact.addActions([*self.player_actions, self.compact_action])
        self._connect()
        self.player_view.volume.setValue(self.settings.volume)
        self.player_view.mute_button.setChecked(self.settings.muted)
        self.show_audio_status(controller.audio_status)
        self.attached = True
        self._tab_changed(self.tabs.currentIndex())
        self.set_library(store)
        if self.recorder is not None:
            self.load_sessions()
        else:
            self.show_sessions([])  # nothing is logged: nothing to read
        self.undo_action.setEnabled(False)

    def _build_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.import_action = self._action(
            file_menu, "&Import routines…", "Ctrl+O", self._choose_imports
        )
        self.export_action = self._action(
            file_menu, "&Export routine…", "Ctrl+E", self._choose_export
        )
        self.card_action = self._action(
            file_menu, "Export printable &card…", "Ctrl+P", self._choose_card
        )
        for action in (self.import_action, self.export_action, self.card_action):
            action.setEnabled(False)  # until attach() has the library
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", "Ctrl+Q", self.close)

        view_menu = menu.addMenu("&View")
        for index, name in ((LIBRARY, "&Library"), (PLAYER, "&Player"), (HISTORY, "&History")):
            self._action(
                view_menu,
                name,
                f"Ctrl+{index + 1}",
                lambda _checked=False, i=index: self.tabs.setCurrentIndex(i),
            )
        view_menu.addSeparator()
        self.compact_action = self._action(
            view_menu, "&Compact window", "Ctrl+K", self.toggle_compact
        )
        self.compact_action.setCheckable(True)

        library_menu = menu.addMenu("Li&brary")
        edit_menu = menu.addMenu("&Edit")
        self.undo_action = self._action(edit_menu, "&Undo delete", "Ctrl+Z", self.undo)
        self.undo_action.setEnabled(False)
        self.find_action = self._action(library_menu, "&Find", "Ctrl+F", self._find)
        self.new_action = self._action(library_menu, "&New routine", "Ctrl+N", self.new_routine)
        self.edit_action = self._action(
            library_menu, "&Edit routine", "Ctrl+Shift+E", self.edit_routine
        )
        self.duplicate_action = self._action(
            library_menu, "&Duplicate routine", "Ctrl+D", self.duplicate_routine
        )
        self.delete_action = self._action(
            library_menu, "De&lete routine", "Ctrl+Delete", self.delete_routine
        )
        for action in (
            self.new_action,
            self.edit_action,
            self.duplicate_action,
            self.delete_action,
        ):
            action.setEnabled(False)
        self.start_action = self._action(
            library_menu, "&Start routine", "Ctrl+Return", self._start_selected
        )
        self.find_action.setEnabled(False)
        self.start_action.setEnabled(False)

        player_menu = menu.addMenu("&Player")
        # Connected to the controller in attach().
        self.primary_action = self._action(player_menu, "Start / &Pause", "Space")
        self.continue_action = self._action(player_menu, "&Done, go on", "Return")
        self._shortcuts[self.continue_action] = ["Return", "Enter"]
        self.back_action = self._action(player_menu, "&Back", "Left")
        self.skip_action = self._action(player_menu, "S&kip", "Right")
        self.stop_action = self._action(player_menu, "S&top", "Esc")
        player_menu.addSeparator()
        self.mute_action = self._action(player_menu, "&Mute", "M", self._toggle_mute)
        self.mute_action.setCheckable(True)
        self.player_actions = [
            self.primary_action,
            self.continue_action,
            self.back_action,
            self.skip_action,
            self.stop_action,
            self.mute_action,
        ]
        for action in (*self.player_actions, self.compact_action):
            action.setEnabled(False)  # until attach() has built the player

        help_menu = menu.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", "F1", self._show_shortcuts)

    def _action(
        self, menu: QWidget, text: str, shortcut: str, slot: object | None = None
    ) -> QAction:
        action = QAction(text, self)
        # Set in attach(): the first shortcut set loads Qt's enums (30 ms), which
        # need not hold up the first sight of the window.
        self._shortcuts[action] = [shortcut]
        if slot is not None:
            action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _connect(self) -> None:
        self.tabs.currentChanged.connect(self._tab_changed)
        for action in (
            self.find_action,
            self.start_action,
            self.compact_action,
            self.import_action,
            self.export_action,
            self.card_action,
            self.new_action,
            self.edit_action,
            self.duplicate_action,
            self.delete_action,
        ):
            action.setEnabled(True)
        self.library.files_dropped.connect(self.import_files)
        self.library.new_requested.connect(self.new_routine)
        self.library.edit_requested.connect(self.edit_routine)
        self.library.duplicate_requested.connect(self.duplicate_routine)
        self.library.delete_requested.connect(self.delete_routine)
        controller = self.controller
        for action, slot in (
            (self.primary_action, controller.primary),
            (self.continue_action, controller.continue_step),
            (self.back_action, controller.back),
            (self.skip_action, controller.skip),
            (self.stop_action, controller.stop),
        ):
            action.triggered.connect(slot)
        self.library.start_requested.connect(self.start_routine)
        self.library.weak_side_changed.connect(self.settings.set_weak_side)
        view = self.player_view
        view.primary_clicked.connect(self.controller.primary)
        view.back_clicked.connect(self.controller.back)
        view.skip_clicked.connect(self.controller.skip)
        view.stop_clicked.connect(self.controller.stop)
        view.compact_clicked.connect(self.toggle_compact)
        view.mute_toggled.connect(self._set_muted)
        view.volume_changed.connect(self._set_volume)
        self.controller.snapshot_changed.connect(self._show_snapshot)
        self.controller.audio_status_changed.connect(self.show_audio_status)
        self.controller.finished.connect(self._finished)
        self.player_view.summary.tighter_answered.connect(self._tighter_answered)
        self.history.goal_changed.connect(lambda goal: setattr(self.settings, "weekly_goal", goal))
        self.history.rest_days_changed.connect(
            lambda days: setattr(self.settings, "rest_days", days)
        )
        self.history.note_edited.connect(self._annotate)
        self.history.delete_requested.connect(self.delete_session)
        if self.recorder is not None:
            self.controller.started.connect(self.recorder.started)
            self.controller.progressed.connect(self.recorder.progressed)
            self.controller.finished.connect(self.recorder.ended)
            self.recorder.on_finished(self._session_logged)
        self.compact.closed.connect(self._compact_closed)

    def set_library(self, store: RoutineStore) -> None:
        """Lists the routines of `store`; broken user files are named in the status bar."""
        routines = store.all()
        weak_sides = {s.routine.id: self.settings.weak_side(s.routine.id) for s in routines}
        self.library.set_routines(routines, weak_sides)
        message = f"{len(routines)} routines"
        if store.broken:
            names = ", ".join(b.path.name for b in store.broken)
            message += f"; skipped broken routine files: {names}"
        self.statusBar().showMessage(message)

    def import_files(self, paths: list[Path]) -> list[str]:
        """Imports routine files, each on its own; a taken id asks what to do.

        Returns the problems, one line per file refused (also shown to the user).
        """
        from app.domain import display
        from app.domain.routine_format import RoutineFormatError
        from app.storage.routine_store import OnClash, RoutineExistsError

        imported: list[str] = []
        problems: list[str] = []
        for path in paths:
            try:
                routine = self.store.read_file(path)
                existing = self.store.clash(routine)
                choice = OnClash.REFUSE if existing is None else self.ask_clash(routine, existing)
                if choice is None:
                    problems.append(f"{path.name}: not imported (cancelled)")
                    continue
                imported.append(self.store.add(routine, choice, source_name=path.name).routine.id)
            except (RoutineFormatError, RoutineExistsError) as exc:
                problems.append(str(exc))
            except OSError as exc:
                failed = "" if exc.filename in (None, str(path)) else f" {exc.filename}"
                problems.append(
                    f"{path.name}: not imported: cannot use{failed} ({exc.strerror or exc})"
                )
        self.set_library(self.store)
        if imported:
            self.library.select(imported[-1])
            self.tabs.setCurrentIndex(LIBRARY)
        if problems:
            self.show_notices(problems)
        else:
            self.statusBar().showMessage(f"Imported {display.counted(len(imported), 'routine')}")
        return problems

    def ask_clash(self, routine: Routine, existing: StoredRoutine) -> OnClash | None:
        """Asks what to do with an imported routine whose id is taken: None cancels."""
        owner = "the built-in routine" if existing.builtin else "your routine"
        box = message_box(
            QMessageBox.Icon.Question,
            "A routine with this id is there",
            f"“{routine.name}” has the id {routine.id}, like {owner} “{existing.routine.name}”.",
            self,
        )
        replace = box.addButton("Replace", QMessageBox.ButtonRole.DestructiveRole)
        replace.setEnabled(not existing.builtin)
        both = box.addButton("Keep both", QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(both)
        box.exec()
        clicked = box.clickedButton()
        from app.storage.routine_store import OnClash

        return (
            OnClash.REPLACE
            if clicked is replace
            else OnClash.KEEP_BOTH
            if clicked is both
            else None
        )

    def export_selected(self, path: Path) -> None:
        """Writes the selected routine to a routine file."""
        from app.storage.routine_store import export_routine

        routine = self.library.selected_routine()
        if routine is None:
            return
        try:
            export_routine(routine, path)
        except OSError as exc:
            self.show_notices(f"Cannot write {path}: {exc.strerror}")
            return
        self.statusBar().showMessage(f"Exported “{routine.name}” to {path}")

    def export_card(self, path: Path) -> None:
        """Writes the selected routine's printable card (.html or .pdf)."""
        from app.domain.routine_card import card_html
        from app.storage.atomic import write_atomically
        from app.ui.card_pdf import write_card_pdf

        routine = self.library.selected_routine()
        if routine is None:
            return
        html = card_html(routine)
        try:
            if path.suffix.lower() == ".pdf":
                write_card_pdf(html, path)
            else:
                write_atomically(path, html.encode("utf-8"))
        except OSError as exc:
            self.show_notices(f"Cannot write {path}: {exc.strerror or exc}")
            return
        self.statusBar().showMessage(f"Wrote the card of “{routine.name}” to {path}")

    def _choose_imports(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Import routines", str(Path.home()), "Routine files (*.json);;All files (*)"
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
        routine = self.library.selected_routine()
        if routine is None:
            return
        name, _ = QFileDialog.getSaveFileName(
            self, title, str(Path.home() / f"{routine.id}{suffix}"), kinds
        )
        if name:
            write(Path(name))

    def start_routine(self, routine: Routine, settings: PlanSettings) -> None:
        """Loads a routine into the player and starts it."""
        self.load_routine(routine, settings)
        self.controller.primary()

    def load_routine(self, routine: Routine, settings: PlanSettings) -> None:
        """Loads a routine into the player, ready to start, and shows the player."""
        from app.domain.plan import build_plan
        from app.domain.player import PlayerState

        player = self.controller.player
        if player is not None and player.state in (PlayerState.RUNNING, PlayerState.PAUSED):
            self.controller.stop()
        plan = build_plan(routine, settings)
        if self.recorder is not None:
            self.recorder.prepare(routine, plan, settings.weak_side)
        self.controller.load(plan)
        self.player_view.summary.show_record(None)
        self.tabs.setCurrentIndex(PLAYER)
        weak = f", weaker side {settings.weak_side.value}" if settings.weak_side else ""
        self.statusBar().showMessage(f"{routine.name}{weak}")

    def toggle_compact(self) -> None:
        """Swaps the main window for the small always-on-top one, and back."""
        if self.compact.isVisible():
            self.compact.hide()
            self._compact_closed()
            return
        self.compact.show_snapshot(self.controller.snapshot())
        self.compact.show()
        self.compact_action.setChecked(True)
        for action in self.player_actions:
            action.setEnabled(True)
        self.hide()

    def show_audio_status(self, status: AudioStatus) -> None:
        """Shows or clears the sound-unavailable notice."""
        self.player_view.show_audio_status(status)
        if not status.available:
            self.statusBar().showMessage(status.message[:1].upper() + status.message[1:])

    def _compact_closed(self) -> None:
        if self._closing:
            return
        self.compact_action.setChecked(False)
        self.show()
        self._tab_changed(self.tabs.currentIndex())

    def _show_snapshot(self, snapshot: Snapshot) -> None:
        self.player_view.show_snapshot(snapshot)
        if self.compact.isVisible():
            self.compact.show_snapshot(snapshot)

    def _finished(self, player: Player) -> None:
        from app.domain.player import PlayerState

        state = player.state
        self.statusBar().showMessage(
            "Routine done" if state is PlayerState.FINISHED else "Routine stopped"
        )

    def _tab_changed(self, index: int) -> None:
        # Space, arrows, Esc and M belong to the player; elsewhere they type and move.
        if not self.attached:
            return
        active = index == PLAYER or self.compact.isVisible()
        for action in self.player_actions:
            action.setEnabled(active)

    def _find(self) -> None:
        self.tabs.setCurrentIndex(LIBRARY)
        from PySide6.QtCore import Qt

        self.library.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.library.search.selectAll()

    def _start_selected(self) -> None:
        routine = self.library.selected_routine()
        if routine is not None:
            self.start_routine(routine, self.library.plan_settings())

    def _toggle_mute(self) -> None:
        self.player_view.mute_button.toggle()

    def _set_muted(self, muted: bool) -> None:
        self.controller.cues.set_muted(muted)
        self.settings.muted = muted
        self.mute_action.setChecked(muted)
        self.player_view.mute_button.setText("Unmute" if muted else "Mute")
        self.statusBar().showMessage("Cues muted" if muted else "Cues on")

    def _set_volume(self, volume: int) -> None:
        self.controller.cues.set_volume(volume)
        self.settings.volume = volume

    def _show_shortcuts(self) -> None:
        message_box(
            QMessageBox.Icon.Information,
            "Keyboard shortcuts",
            (
                "Player: Space start / pause / go on · Enter done, go on · Left back · "
                "Right skip · Esc stop · M mute\n"
                "Ctrl+K compact window · Ctrl+1/2/3 Library, Player, History\n"
                "Library: Ctrl+F find · Ctrl+Enter start · Ctrl+N new · Ctrl+Shift+E edit · "
                "Ctrl+D duplicate · Ctrl+Delete delete\n"
                "Ctrl+O import · Ctrl+E export · Ctrl+P printable card · Ctrl+Z undo a delete · "
                "Ctrl+Q quit"
            ),
            self,
        ).exec()

    def show_notices(self, notices: list[str] | str) -> None:
        """Tells the user what happened to the log (repairs, failures), without blocking."""
        messages = [notices] if isinstance(notices, str) else notices
        if not messages:
            return
        self.statusBar().showMessage(messages[-1])
        box = message_box(QMessageBox.Icon.Warning, "Limber", "\n\n".join(messages), self)
        box.open()

    def load_sessions(self) -> None:
        """Reads the log on the writer's thread (years of sessions take a moment);
        the inbox brings them to the history and the library."""
        if self.recorder is None:
            return
        from app.domain.history_table import SessionColumns

        log, inbox = self.recorder.log, self.inbox

        def read() -> None:
            # The history's columns are made here too: a tenth of a second for ten
            # years of sessions that the GUI thread need not spend.
            inbox.put(("sessions", SessionColumns(log.sessions())))

        self.recorder.writer.submit(read)

    def drain_inbox(self) -> None:
        """Shows what the writer's thread has sent: sessions read, repairs, failures."""
        while True:
            try:
                kind, payload = self.inbox.get_nowait()
            except queue.Empty:
                return
            if kind == "sessions":
                self.show_sessions(payload.sessions, payload)
                self.sessions_shown.emit()
            elif kind == "restore failed":  # a session's undo: the session is not lost
                record, reason = payload
                self.history.remove_session(record)
                self.library.set_sessions(self.history.sessions)
                what = _session_name(record)
                self._push_undo(what, lambda r=record: self._restore_session(r))
                self.show_notices(f"Could not restore {what}: {reason}. Ctrl+Z tries again.")
            elif kind == "refused":  # the log cannot be used: nothing will come
                self.history.set_unavailable(str(payload))
                self.show_notices(str(payload))
            else:
                self.show_notices(str(payload))

    def preload_charts(self) -> None:
        """Gets pyqtgraph's import (a quarter of a second) ready bit by bit between
        events, so that the History tab opens without waiting long for it."""
        from app.ui.history.chart_preload import ChartPreloader

        if self._chart_preloader is None:
            self._chart_preloader = ChartPreloader(self)
            self._chart_preloader.start()

    def show_sessions(
        self, sessions: list[SessionRecord], columns: SessionColumns | None = None
    ) -> None:
        """Gives the history view and the library's weak-side hint the logged sessions
        (with the history's columns of them, when made already)."""
        self.history.set_sessions(sessions, columns=columns)
        self.library.set_sessions(sessions)

    def delete_session(self, record: SessionRecord) -> None:
        """Deletes a session from the log; Ctrl+Z brings it back."""
        if self.recorder is None:
            return
        log, writer = self.recorder.log, self.recorder.writer
        writer.submit(lambda: log.delete(record))
        self.history.remove_session(record)
        self.library.set_sessions(self.history.sessions)
        self._push_undo(_session_name(record), lambda: self._restore_session(record))

    def _restore_session(self, record: SessionRecord) -> None:
        """Puts a deleted session back in the log and the views. If the log cannot
        be written, the writer's thread says so and the undo is offered again."""
        from app.storage.session_log import LogFormatError

        assert self.recorder is not None
        log, inbox = self.recorder.log, self.inbox

        def write_back() -> None:  # on the writer's thread: plain data only
            try:
                log.restore(record)
            except (OSError, LogFormatError) as exc:
                inbox.put(("restore failed", (record, str(exc))))

        self.recorder.writer.submit(write_back)
        self.history.add_session(record)
        self.library.set_sessions(self.history.sessions)

    def delete_routine(self) -> None:
        """Deletes the selected routine of the user's; Ctrl+Z brings it back."""
        routine = self.library.selected_routine()
        if routine is None:
            return
        try:
            stored = self.store.delete(routine.id)
        except LookupError:
            self.show_notices(f"“{routine.name}” is a built-in routine and cannot be deleted.")
            return
        except OSError as exc:
            self.show_notices(f"Cannot delete “{routine.name}”: {exc.strerror}")
            return
        self.set_library(self.store)

        def restore() -> None:
            self.store.save(stored.routine)
            self.set_library(self.store)
            self.library.select(stored.routine.id)

        self._push_undo(f"the routine “{routine.name}”", restore)

    def _push_undo(self, what: str, undo: Callable[[], None]) -> None:
        self._undo.append((what, undo))
        self.undo_action.setEnabled(True)
        self.undo_action.setText(f"&Undo delete of {what}")
        self.statusBar().showMessage(f"Deleted {what}. Ctrl+Z brings it back.")

    def undo(self) -> None:
        """Undoes the last delete (of a session or a routine)."""
        if not self._undo:
            return
        what, undo = self._undo[-1]
        try:
            undo()
        except OSError as exc:  # kept: Ctrl+Z tries again once the cause is fixed
            where = f" {exc.filename}" if exc.filename else ""
            self.show_notices(
                f"Could not restore {what}: cannot write{where} "
                f"({exc.strerror or exc}). Ctrl+Z tries again."
            )
            return
        self._undo.pop()
        self.undo_action.setEnabled(bool(self._undo))
        self.undo_action.setText(
            f"&Undo delete of {self._undo[-1][0]}" if self._undo else "&Undo delete"
        )
        self.statusBar().showMessage(f"Restored {what}.")

    def new_routine(self) -> RoutineEditor:
        """Opens the editor on a new routine."""
        from app.ui.library.routine_editor import blank_routine

        taken = {s.routine.id for s in self.store.all()}
        number, routine_id = 1, "my-routine"
        while routine_id in taken:
            number += 1
            routine_id = f"my-routine-{number}"
        return self._open_editor(blank_routine(routine_id), taken, "New routine", None)

    def edit_routine(self) -> RoutineEditor | None:
        """Opens the editor on the selected routine; a built-in one is duplicated first."""
        from app.ui.library.routine_editor import document_of

        routine = self.library.selected_routine()
        if routine is None:
            return None
        stored = self.store.clash(routine)
        if stored is not None and stored.builtin:
            self.statusBar().showMessage("Built-in routines are read-only: editing a copy.")
            return self.duplicate_routine()
        taken = {s.routine.id for s in self.store.all()} - {routine.id}
        return self._open_editor(document_of(routine), taken, f"Edit “{routine.name}”", routine.id)

    def duplicate_routine(self) -> RoutineEditor | None:
        """Opens the editor on a copy of the selected routine (saved only with Save)."""
        from app.ui.library.routine_editor import document_of

        routine = self.library.selected_routine()
        if routine is None:
            return None
        copy = self.store.as_copy(routine)
        taken = {s.routine.id for s in self.store.all()}
        return self._open_editor(document_of(copy), taken, f"Copy of “{routine.name}”", None)

    def _open_editor(
        self, document: dict[str, Any], taken: set[str], title: str, replaces: str | None
    ) -> RoutineEditor:
        from app.ui.library.routine_editor import RoutineEditor

        def write(routine: Routine) -> None:
            self.store.save(routine, replaces=replaces)

        editor = RoutineEditor(document, taken, title, self, write=write)

        def saved(routine: Routine) -> None:
            self.set_library(self.store)
            self.library.select(routine.id)
            self.statusBar().showMessage(f"Saved “{routine.name}”")

        editor.saved.connect(saved)
        editor.open()
        return editor

    def _session_logged(self, record: SessionRecord) -> None:
        self.player_view.summary.show_record(record)
        self.history.add_session(record)
        self.library.set_sessions(self.history.sessions)

    def _tighter_answered(self, record: SessionRecord) -> None:
        self._annotate(record)

    def _annotate(self, record: SessionRecord) -> None:
        if self.recorder is not None:
            self.recorder.annotate(record)
        self.history.add_session(record)
        self.library.set_sessions(self.history.sessions)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.attached:
            # Closing mid-routine ends the session as stopped, so it is logged.
            self.controller.stop()
        self.settings.geometry = self.saveGeometry()
        self.settings.sync()
        self._closing = True  # the compact window closing too must not bring this back
        if self.attached:
            self.compact.close()
        super().closeEvent(event)


def _session_name(record: SessionRecord) -> str:
    """A session as the undo menu and messages name it."""
    return f"the session of {record.started[:16]} ({record.routine})"
