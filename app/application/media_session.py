"""The window's player as media controls see it: its buttons (`MediaControls`)
and what it plays (`MediaState`), for MPRIS and for keeping the screen awake."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.application.player import PlayerController
from app.domain.media import MediaState, Playback, media_state
from app.domain.screen import Screen


class MediaSession(QObject):
    """Media controls over a `PlayerController`.

    Next says a step that waits for the person is done, as Enter does, and skips
    any other. The session follows the controller's screen, so it never polls.

    Args:
        controller: The window's player.
        raise_window: Brings the window to the front.
        parent: The owning QObject.

    Signals:
        changed(MediaState): what the media controls show changed (or moved on).
        playing_changed(bool): a routine began or stopped playing (paused, ended).
    """

    changed = Signal(object)
    playing_changed = Signal(bool)

    def __init__(
        self,
        controller: PlayerController,
        raise_window: Callable[[], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._controller = controller
        self._raise_window = raise_window
        self.state = self._read()
        controller.screen_changed.connect(self._follow)

    @property
    def playing(self) -> bool:
        """Whether a routine plays now (a step waiting for the person too)."""
        return self.state.playback is Playback.PLAYING

    def play_pause(self) -> None:
        self._controller.primary()

    def next(self) -> None:
        self._controller.next_step()

    def previous(self) -> None:
        self._controller.back()

    def stop(self) -> None:
        self._controller.stop()

    def raise_window(self) -> None:
        self._raise_window()

    def _read(self) -> MediaState:
        player = self._controller.player
        name = player.plan.routine_name if player is not None else ""
        return media_state(self._controller.snapshot(), name)

    def _follow(self, _screen: Screen) -> None:
        was_playing = self.playing
        self.state = self._read()
        self.changed.emit(self.state)
        if self.playing != was_playing:
            self.playing_changed.emit(self.playing)
