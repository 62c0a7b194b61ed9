"""The main window: lays out the Library, Player and History views, the menus and
the status bar, and turns the person's actions into calls on the application's
objects (app/application). It holds no data of its own.

The History view, which loads numpy and pyqtgraph, is built the first time its
tab is opened. The Player view is built just after the first frame (or when
first needed, if sooner), and the compact window when first needed: their
modules and widgets (15 ms) stay out of the time to the first frame.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QTabWidget, QWidget

from app.application.library import RoutineLibrary
from app.ui.library.library_actions import LibraryActions
from app.ui.library.library_view import LibraryView
from app.ui.widgets.plain_text import PlainLabel, message_box

if TYPE_CHECKING:
    from PySide6.QtGui import QCloseEvent
    from PySide6.QtWidgets import QMessageBox

    from app.application.history import SessionHistory
    from app.application.player import PlayerController
    from app.application.undo import UndoHistory
    from app.audio.cue_player import AudioStatus
    from app.domain.plan import PlanSettings
    from app.domain.player import Player
    from app.domain.routine import Routine
    from app.domain.session import SessionRecord
    from app.domain.spoken import Phrase
    from app.storage.settings import Settings
    from app.ui.history.history_view import HistoryView
    from app.ui.player.compact_window import CompactWindow
    from app.ui.player.player_view import PlayerView
    from app.ui.preferences_dialog import PreferencesDialog

LIBRARY, PLAYER, HISTORY = range(3)
TAB_NAMES = ("&Library", "&Player", "&History")
# Height kept free for the title bar a window manager puts over the window.
FRAME_ALLOWANCE = 40


def engine_voices(choice: str) -> list[str]:
    """The ids of the voices of a speech engine (a setting's value), for Preferences."""
    from app.audio.speech import find_engine

    engine, _ = find_engine(choice)
    return [voice.id for voice in engine.voices()] if engine is not None else []


class MainWindow(QMainWindow):
    """Limber's window, over the application's models.

    Args:
        settings: The window's size, the volume and mute, the history's goal.
        routines: The routine library.
        sessions: The logged sessions.
        make_controller: Makes what plays the routine loaded, when first needed
            (after the first frame: see `controller`).
        undo: The one undo list (Edit > Undo).
    """

    def __init__(
        self,
        settings: Settings,
        routines: RoutineLibrary,
        sessions: SessionHistory,
        make_controller: Callable[[], PlayerController],
        undo: UndoHistory,
    ) -> None:
        super().__init__()
        # Owned by the window, and released with it on the GUI thread: first of its
        # children, so that the undo stack goes before the menu actions it updates.
        for part in (undo, sessions, routines):
            part.setParent(self)
        self.settings = settings
        self.routines = routines
        self.sessions = sessions
        self._make_controller = make_controller
        self._controller: PlayerController | None = None
        self.undo_history = undo
        self._closing = False
        self._ask_before_closing = True
        self.quit_question: QMessageBox | None = None
        self._history: HistoryView | None = None
        self._player_view: PlayerView | None = None
        self._compact: CompactWindow | None = None
        self._cue_volume = settings.volume  # the cue player's, made with it
        self.setWindowTitle("Limber")
        self.resize(1000, 700)
        self.library = LibraryView(routines, sessions)
        self.library_actions = LibraryActions(
            self,
            routines=routines,
            view=self.library,
            say=self.statusBar().showMessage,
            warn=self.show_notices,
            show_library=lambda: self.tabs.setCurrentIndex(LIBRARY),
        )
        self.tabs = QTabWidget()
        self.tabs.addTab(self.library, TAB_NAMES[LIBRARY])
        self.tabs.addTab(QWidget(), TAB_NAMES[PLAYER])
        # Left-aligned: naming Qt's alignment enums makes them all (see by_name.py),
        # and this shows only until the History tab is first opened.
        self.tabs.addTab(PlainLabel("Reading your sessions…"), TAB_NAMES[HISTORY])
        self.setCentralWidget(self.tabs)
        self._shortcuts: dict[QAction, list[str]] = {}
        self._build_actions()
        self.mute_action.setChecked(settings.muted)
        self._connect()
        self.preferences: PreferencesDialog | None = None
        self.keep_running = False  # closing hides the window (`limber --background`)
        self._speech: tuple[str, str, int, str] = (
            settings.speech_engine,
            settings.speech_voice,
            settings.speech_rate,
            settings.piper_model,
        )
        self._theme: str = settings.theme
        settings.on_change(self._follow_settings)
        if settings.geometry is not None:
            from PySide6.QtCore import QByteArray

            self.restoreGeometry(QByteArray(settings.geometry))
        self._fit_to_screen()
        self.statusBar().showMessage("Reading your routines…")
        # Shortcuts are set once the window is up: the first one set loads Qt's
        # enums (30 ms), which need not hold up the first sight of the window.
        QTimer.singleShot(0, self, self._set_shortcuts)

    def add_extras(self) -> None:
        """What the first frame does without, added once it is on the screen: the
        search field's clear button (loading its icon takes 12 ms), the Voice
        menu's phrases and the Player view, whose smallest size the window's takes
        on now rather than when a person first opens the tab."""
        self.library.search.setClearButtonEnabled(True)
        self.phrase_actions  # noqa: B018 - added now
        self.player_view  # noqa: B018 - built now

    # Building -----------------------------------------------------------------------

    def _fit_to_screen(self) -> None:
        """Keeps the window within the screen's free area, with room for the frame
        a window manager adds (a size saved on a larger screen, or at a smaller
        scale, would open cut off)."""
        available = self.screen().availableGeometry()
        width = min(self.width(), available.width())
        height = min(self.height(), available.height() - FRAME_ALLOWANCE)
        if (width, height) != (self.width(), self.height()):
            self.resize(width, height)
        if not available.contains(self.geometry()):
            self.move(
                max(available.left(), min(self.x(), available.right() - width)),
                max(available.top(), min(self.y(), available.bottom() - height)),
            )

    @property
    def controller(self) -> PlayerController:
        """What plays the routine loaded, made when first needed, after the first
        frame (by the media keys' service, the Player view or a routine loaded):
        its modules (the player, the log, the cue player) stay out of that frame."""
        if self._controller is None:
            controller = self._make_controller()
            controller.setParent(self)
            controller.silent_chimes = self.settings.silent_chimes
            controller.audio_status_changed.connect(self.show_audio_status)
            controller.finished.connect(self._finished)
            controller.loaded.connect(self.statusBar().showMessage)
            self._controller = controller
            self.show_audio_status(controller.audio_status)
        return self._controller

    @property
    def mid_routine(self) -> bool:
        """Whether a routine is under way (started, not ended)."""
        return self._controller is not None and self._controller.mid_routine

    def stop_routine(self) -> None:
        """Stops a routine under way; it is logged as stopped."""
        if self._controller is not None:
            self._controller.stop()

    @property
    def player_view(self) -> PlayerView:
        """The Player view, built when first needed."""
        if self._player_view is None:
            from app.ui.player.player_view import PlayerView

            view = PlayerView(self.controller)
            view.volume.setValue(self.settings.volume)
            view.mute_button.setChecked(self.settings.muted)
            view.show_muted(self.settings.muted)
            view.show_audio_status(self.controller.audio_status)
            view.compact_clicked.connect(self.toggle_compact)
            view.mute_toggled.connect(self._set_muted)
            view.volume_changed.connect(self._set_volume)
            view.summary.tighter_answered.connect(self.sessions.annotate)
            self.sessions.finished.connect(view.summary.show_record)
            self._player_view = view
            self._put_tab(PLAYER, view)
        return self._player_view

    @property
    def compact(self) -> CompactWindow:
        """The compact window, built when first needed."""
        if self._compact is None:
            from app.ui.player.compact_window import CompactWindow

            compact = CompactWindow(self.controller)
            # The compact window has focus while it is up: it needs the keys too.
            compact.addActions([*self.player_actions, self.compact_action])
            compact.closed.connect(self._compact_closed)
            self._compact = compact
        return self._compact

    @property
    def compact_shown(self) -> bool:
        """Whether the compact window is up (in place of this one)."""
        return self._compact is not None and self._compact.isVisible()

    def _put_tab(self, index: int, view: QWidget) -> None:
        """Puts `view` in the tab at `index`, in place of the placeholder there. The
        tab shown stays: the tab removed for a moment must not count as another
        one shown (the player's keys would be left on)."""
        current = self.tabs.currentIndex()
        placeholder = self.tabs.widget(index)
        self.tabs.blockSignals(True)
        self.tabs.removeTab(index)
        self.tabs.insertTab(index, view, TAB_NAMES[index])
        self.tabs.setCurrentIndex(current)
        self.tabs.blockSignals(False)
        if placeholder is not None:
            placeholder.deleteLater()

    @property
    def history(self) -> HistoryView:
        """The History view, built when first needed."""
        return self._build_history()

    def _build_history(self) -> HistoryView:
        """Puts the History view in its tab, the first time (numpy and pyqtgraph
        load here); returns it."""
        if self._history is None:
            from app.ui.history.history_view import HistoryView

            self._history = HistoryView(self.sessions, self.settings)
            self._put_tab(HISTORY, self._history)
        return self._history

    def _build_actions(self) -> None:
        menu = self.menuBar()
        file_menu = menu.addMenu("&File")
        self.import_action = self._action(
            file_menu, "&Import routines…", "Ctrl+O", self.library_actions._choose_imports
        )
        self.export_action = self._action(
            file_menu, "&Export routine…", "Ctrl+E", self.library_actions._choose_export
        )
        self.card_action = self._action(
            file_menu, "Export printable &card…", "Ctrl+P", self.library_actions._choose_card
        )
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", "Ctrl+Q", self.close)

        self._build_edit_menu(menu.addMenu("&Edit"))

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
        self.find_action = self._action(library_menu, "&Find", "Ctrl+F", self._find)
        self.new_action = self._action(
            library_menu, "&New routine", "Ctrl+N", self.library_actions.new_routine
        )
        self.edit_action = self._action(
            library_menu, "&Edit routine", "Ctrl+Shift+E", self.library_actions.edit_routine
        )
        self.duplicate_action = self._action(
            library_menu, "&Duplicate routine", "Ctrl+D", self.library_actions.duplicate_routine
        )
        self.library_actions.follow_selection(self.edit_action, self.duplicate_action)
        self.delete_action = self._action(
            library_menu, "De&lete routine", "Ctrl+Delete", self.library_actions.delete_routine
        )
        self.start_action = self._action(
            library_menu, "&Start routine", "Ctrl+Return", self._start_selected
        )

        player_menu = menu.addMenu("&Player")
        self.primary_action = self._action(
            player_menu, "Start / &Pause", "Space", self._to_player(lambda player: player.primary())
        )
        self.continue_action = self._action(
            player_menu,
            "&Done, go on",
            "Return",
            self._to_player(lambda player: player.continue_step()),
        )
        self._shortcuts[self.continue_action] = ["Return", "Enter"]
        self.back_action = self._action(
            player_menu, "&Back", "Left", self._to_player(lambda player: player.back())
        )
        self.skip_action = self._action(
            player_menu, "S&kip", "Right", self._to_player(lambda player: player.skip())
        )
        self.stop_action = self._action(player_menu, "S&top", "Esc", self.stop_routine)
        # A presentation clicker sends Page Down / Page Up for its arrows, and B or
        # "." for its blank-screen button; a keyboard's media keys reach the window
        # while it has focus (elsewhere, through MPRIS).
        self._shortcuts[self.primary_action] += ["B", ".", "Media Play", "Toggle Media Play/Pause"]
        self._shortcuts[self.back_action] += ["PgUp", "Media Previous"]
        self._shortcuts[self.stop_action] += ["Media Stop"]
        self.next_action = self._action(
            player_menu,
            "&Next (done, or skip)",
            "PgDown",
            self._to_player(lambda player: player.next_step()),
        )
        self._shortcuts[self.next_action] += ["Media Next"]
        player_menu.addSeparator()
        self.mute_action = self._action(player_menu, "&Mute", "M", self._toggle_mute)
        self.mute_action.setCheckable(True)
        self._build_voice_menu(player_menu.addMenu("&Voice"))
        self.player_actions = [
            self.primary_action,
            self.continue_action,
            self.back_action,
            self.skip_action,
            self.stop_action,
            self.next_action,
            self.mute_action,
            self.voice_action,
        ]

        help_menu = menu.addMenu("&Help")
        self._action(help_menu, "&Keyboard shortcuts", "F1", self._show_shortcuts)

    def _build_edit_menu(self, edit_menu: QMenu) -> None:
        """Undo and Redo (saying what they undo), and Preferences."""
        self.undo_action = self._action(edit_menu, "&Undo", "Ctrl+Z", self.undo)
        self.redo_action = self._action(edit_menu, "&Redo", "Ctrl+Shift+Z", self.redo)
        stack = self.undo_history.stack
        stack.canUndoChanged.connect(self.undo_action.setEnabled)
        stack.canRedoChanged.connect(self.redo_action.setEnabled)
        stack.undoTextChanged.connect(lambda text: self.undo_action.setText(_menu("Undo", text)))
        stack.redoTextChanged.connect(lambda text: self.redo_action.setText(_menu("Redo", text)))
        edit_menu.addSeparator()
        self.preferences_action = self._action(
            edit_menu, "&Preferences…", "Ctrl+,", self.show_preferences
        )
        self.undo_action.setEnabled(stack.canUndo())
        self.redo_action.setEnabled(stack.canRedo())

    def _build_voice_menu(self, menu: QMenu) -> None:
        """Speak cues on or off (V), and which phrases are said (see `phrase_actions`)."""
        self.voice_action = self._action(menu, "&Speak cues", "V", self._set_voice)
        self.voice_action.setCheckable(True)
        self.voice_action.setChecked(self.settings.voice)
        menu.addSeparator()
        self._voice_menu = menu
        self._phrase_actions: dict[Phrase, QAction] | None = None
        menu.aboutToShow.connect(lambda: self.phrase_actions)  # opened before they were added

    @property
    def phrase_actions(self) -> dict[Phrase, QAction]:
        """The Voice menu's phrases, each said or not: added when first needed, after
        the first frame (their names come with the spoken cues' module, and the plan's)."""
        if self._phrase_actions is None:
            from app.domain.spoken import PHRASE_LABELS

            settings = self.settings
            self._phrase_actions = {}
            for phrase, label in PHRASE_LABELS.items():
                action = self._voice_menu.addAction(label)
                action.setCheckable(True)
                action.setChecked(phrase in settings.phrases)
                action.setEnabled(settings.voice)
                action.toggled.connect(self._set_phrases)
                self._phrase_actions[phrase] = action
        return self._phrase_actions

    def show_preferences(self) -> None:
        """Opens Preferences (one at a time); its changes apply as they are made."""
        from app.ui.preferences_dialog import PreferencesDialog

        if self.preferences is None:
            self.preferences = PreferencesDialog(self.settings, engine_voices, self)
        self.preferences.fill()
        self.preferences.show()
        self.preferences.raise_()
        self.preferences.activateWindow()

    def _follow_settings(self) -> None:
        """Shows and applies settings changed elsewhere (Preferences)."""
        settings, view = self.settings, self._player_view
        if view is None:  # the cues follow; the view is built with the settings of then
            if settings.volume != self._cue_volume:
                self._set_volume(settings.volume)
            if self.mute_action.isChecked() != settings.muted:
                self._set_muted(settings.muted)
        else:
            if view.volume.value() != settings.volume:
                view.volume.setValue(settings.volume)  # and on to the cues, as a drag does
            if view.mute_button.isChecked() != settings.muted:
                view.mute_button.setChecked(settings.muted)
        if self.voice_action.isChecked() != settings.voice:
            self.voice_action.setChecked(settings.voice)
            for action in self.phrase_actions.values():
                action.setEnabled(settings.voice)
        for phrase, action in self.phrase_actions.items():
            if action.isChecked() != (phrase in settings.phrases):
                action.blockSignals(True)
                action.setChecked(phrase in settings.phrases)
                action.blockSignals(False)
        if self._controller is not None:  # else made with the settings of then
            self._controller.silent_chimes = settings.silent_chimes
        speech = (
            settings.speech_engine,
            settings.speech_voice,
            settings.speech_rate,
            settings.piper_model,
        )
        if speech != self._speech:
            self._speech = speech
            if self._controller is not None:
                self._controller.renew_speech()
        if settings.theme != self._theme:
            from PySide6.QtWidgets import QApplication

            from app.ui.theme import apply_theme

            self._theme = settings.theme
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, settings.theme)

    def _set_voice(self, on: bool) -> None:
        self.settings.voice = on
        for action in self.phrase_actions.values():
            action.setEnabled(on)
        problem = self.controller.audio_status.voice
        if on and not self.controller.cues.speaks:
            problem = "not in this window, opened with --no-voice; from the next start"
        said = "Cues spoken" if on else "Cues as chimes only"
        self.statusBar().showMessage(f"{said}: {problem}" if on and problem else said)

    def _set_phrases(self) -> None:
        self.settings.phrases = frozenset(
            phrase for phrase, action in self.phrase_actions.items() if action.isChecked()
        )

    def _action(
        self, menu: QWidget, text: str, shortcut: str, slot: Callable[..., object]
    ) -> QAction:
        action = QAction(text, self)
        self._shortcuts[action] = [shortcut]
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _to_player(self, call: Callable[[PlayerController], object]) -> Callable[[], object]:
        """A slot that calls the player, made when first used (see `controller`)."""
        return lambda: call(self.controller)

    def _set_shortcuts(self) -> None:
        from PySide6.QtGui import QKeySequence

        for action, keys in self._shortcuts.items():
            action.setShortcuts([QKeySequence(key) for key in keys])

    def _connect(self) -> None:
        self.tabs.currentChanged.connect(self._tab_changed)
        self._tab_changed(self.tabs.currentIndex())
        library = self.library
        library.files_dropped.connect(self.library_actions.import_files)
        library.new_requested.connect(self.library_actions.new_routine)
        library.edit_requested.connect(self.library_actions.edit_routine)
        library.duplicate_requested.connect(self.library_actions.duplicate_routine)
        library.delete_requested.connect(self.library_actions.delete_routine)
        library.start_requested.connect(self.start_routine)
        self.sessions.notice.connect(self.show_notices)
        self.undo_history.failed.connect(self.show_notices)
        self.undo_history.pushed.connect(self.statusBar().showMessage)
        self.routines.brought_back.connect(self.library.select)
        self.routines.changed.connect(self._routines_changed)
        self.routines.changed.connect(lambda: self.statusBar().showMessage(self.routines.status()))

    # The player ---------------------------------------------------------------------

    def _routines_changed(self) -> None:
        if self._controller is not None:  # else none is loaded
            self._controller.renew(
                self._routine_now, lambda chosen: self.settings.plan_settings(chosen.weak_side)
            )

    def _routine_now(self, routine_id: str) -> Routine | None:
        stored = self.routines.get(routine_id)
        return stored.routine if stored is not None else None

    def start_routine(self, routine: Routine, settings: PlanSettings) -> None:
        """Loads a routine into the player and starts it."""
        self.load_routine(routine, settings)
        self.controller.primary()

    def load_routine(self, routine: Routine, settings: PlanSettings) -> None:
        """Loads a routine into the player, ready to start, and shows the player."""
        self.controller.load_routine(routine, settings)
        self.player_view.summary.show_record(None)
        self.tabs.setCurrentIndex(PLAYER)

    def toggle_compact(self) -> None:
        """Swaps the main window for the small always-on-top one, and back."""
        if self.compact.isVisible():
            self.compact.hide()
            self._compact_closed()
            return
        self.compact.show()
        self.compact_action.setChecked(True)
        for action in self.player_actions:
            action.setEnabled(True)
        self.hide()

    def show_audio_status(self, status: AudioStatus) -> None:
        """Shows or clears the sound-unavailable notice; says once why cues are not
        spoken, where they would be."""
        if self._player_view is not None:
            self._player_view.show_audio_status(status)
        line = status.message if not status.available else ""
        if status.available and self.settings.voice:
            line = status.voice
        if line:
            self.statusBar().showMessage(line[:1].upper() + line[1:])

    def _compact_closed(self) -> None:
        if self._closing:
            return
        self.compact_action.setChecked(False)
        self.show()
        self._tab_changed(self.tabs.currentIndex())

    def _finished(self, player: Player) -> None:
        from app.domain.player import PlayerState

        done = player.state is PlayerState.FINISHED
        self.statusBar().showMessage("Routine done" if done else "Routine stopped")

    def _tab_changed(self, index: int) -> None:
        # Space, arrows, Esc and M belong to the player; elsewhere they type and move.
        active = index == PLAYER or self.compact_shown
        for action in self.player_actions:
            action.setEnabled(active)
        if index == PLAYER:
            self.player_view  # noqa: B018 - built when first opened
        elif index == HISTORY:
            self._build_history()
        elif index == LIBRARY:
            self.library.list.setFocus()  # Up, Down and Enter pick and start

    def _toggle_mute(self) -> None:
        self.player_view.mute_button.toggle()

    def _set_muted(self, muted: bool) -> None:
        if self._controller is not None:  # else its cue player is made muted or not
            self._controller.cues.set_muted(muted)
        self.settings.muted = muted
        self.mute_action.setChecked(muted)
        if self._player_view is not None:
            self._player_view.show_muted(muted)
        self.statusBar().showMessage("Cues muted" if muted else "Cues on")

    def _set_volume(self, volume: int) -> None:
        self._cue_volume = volume
        if self._controller is not None:  # else its cue player is made at this volume
            self._controller.cues.set_volume(volume)
        self.settings.volume = volume

    # The library --------------------------------------------------------------------

    def _find(self) -> None:
        from PySide6.QtCore import Qt

        self.tabs.setCurrentIndex(LIBRARY)
        self.library.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.library.search.selectAll()

    def _start_selected(self) -> None:
        routine = self.library.selected_routine()
        if routine is not None:
            self.start_routine(routine, self.library.plan_settings())

    # Sessions, undo, messages -------------------------------------------------------

    def delete_session(self, record: SessionRecord) -> None:
        """Deletes a session from the log; Ctrl+Z brings it back."""
        self.sessions.delete(record)

    def undo(self) -> None:
        """Takes back the newest change on the undo list."""
        text = self.undo_history.stack.undoText()
        if self.undo_history.undo():
            self.statusBar().showMessage(f"Undone: {text}.")

    def redo(self) -> None:
        """Makes the newest change taken back again."""
        text = self.undo_history.stack.redoText()
        if self.undo_history.redo():
            self.statusBar().showMessage(f"Redone: {text}.")

    def _show_shortcuts(self) -> None:
        from app.ui.shortcuts_dialog import ShortcutsDialog, shortcut_groups

        self.player_view  # noqa: B018 - its end screen's keys are listed too
        dialog = ShortcutsDialog(shortcut_groups(self), self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def show_notices(self, notices: list[str] | str) -> None:
        """Tells the user what happened (repairs, failures), without blocking."""
        messages = [notices] if isinstance(notices, str) else notices
        if not messages:
            return
        self.statusBar().showMessage(messages[-1])
        from PySide6.QtWidgets import QMessageBox

        box = message_box(QMessageBox.Icon.Warning, "Limber", "\n\n".join(messages), self)
        box.open()

    def quit_without_asking(self) -> None:
        """Closes the window at once, a routine under way or not (it ends as
        stopped): for Ctrl+C and SIGTERM, and the quit question's Stop and quit;
        in the background too."""
        self._ask_before_closing = False
        self.keep_running = False
        self.close()

    def quit_for_good(self) -> None:
        """Quits Limber, in the background too (the tray's Quit)."""
        self.keep_running = False
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if self.keep_running and not self.mid_routine:
            # In the background (`limber --background`): the window goes, Limber stays.
            self.settings.geometry = bytes(self.saveGeometry().data())
            self.hide()
            event.ignore()
            return
        if self._ask_before_closing and self.mid_routine:
            event.ignore()
            self._ask_to_quit()
            return
        # Closing mid-routine ends the session as stopped, so it is logged.
        self.stop_routine()
        self.settings.geometry = bytes(self.saveGeometry().data())
        self._closing = True  # the compact window closing too must not bring this back
        if self._compact is not None:
            self._compact.close()
        super().closeEvent(event)
        from PySide6.QtWidgets import QApplication

        if not QApplication.quitOnLastWindowClosed():  # in the background: quit now
            QApplication.quit()

    def _ask_to_quit(self) -> None:
        """Asks "Stop the routine and quit?" without blocking: Keep going is the
        default and Escape; Stop and quit closes the window."""
        if self.quit_question is not None:
            self.quit_question.raise_()
            self.quit_question.activateWindow()
            return
        from PySide6.QtWidgets import QMessageBox

        box = message_box(QMessageBox.Icon.Question, "Limber", "Stop the routine and quit?", self)
        stop = box.addButton("Stop and quit", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep going", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)

        def answered() -> None:
            self.quit_question = None
            box.deleteLater()
            if box.clickedButton() is stop:
                self.quit_without_asking()

        box.finished.connect(answered)
        self.quit_question = box
        box.open()


def _menu(verb: str, text: str) -> str:
    """ "&Undo delete of the routine “Hips”", or "&Undo" with nothing to undo."""
    return f"&{verb} {text}" if text else f"&{verb}"
