"""Limber as an MPRIS media player on the session bus, so that media keys, a
headset's buttons, the desktop's media widget and lock screen, and a phone (KDE
Connect, GSConnect) start, pause and skip a routine.

The player takes a `MediaControls` (what the buttons do) and is told each
`MediaState` (what they show); it knows no PlayerController, so any face can
publish itself this way. `update` may be called from any thread: the state
crosses to the player's thread by a queued signal, and D-Bus calls are answered
on that thread too.

Typed values: PySide6 turns a Python int into a D-Bus int32 (int64 only past
int32's range), so the spec's int64s are properties typed "qlonglong", which Qt
marshals as such; an int64 inside Metadata cannot be made at all, and
mpris:length, which the spec makes optional, is left out rather than sent as the
int32 that strict clients refuse. An empty Python list is marshalled as "av":
the string lists are typed "QStringList", or built as an empty "as" argument.
Methods are Python methods named as on the bus: a Slot renamed with `name=`
crashed PySide6 6.11 when called over D-Bus.
"""

from __future__ import annotations

import os
from typing import Any, Protocol

from PySide6.QtCore import Property, QMetaType, QObject, Signal, Slot
from PySide6.QtDBus import (
    QDBusAbstractAdaptor,
    QDBusArgument,
    QDBusConnection,
    QDBusMessage,
    QDBusObjectPath,
)

from app import APP_ID
from app.application.session_bus import dbus_interface
from app.domain.clock import Clock
from app.domain.media import NOTHING, MediaState, Playback

BUS_NAME = "org.mpris.MediaPlayer2.limber"
OBJECT_PATH = "/org/mpris/MediaPlayer2"
ROOT_INTERFACE = "org.mpris.MediaPlayer2"
PLAYER_INTERFACE = "org.mpris.MediaPlayer2.Player"
PROPERTIES_INTERFACE = "org.freedesktop.DBus.Properties"
# A track id is an object path of the player's own: the steps are under the app id.
TRACKS = "/" + APP_ID.replace(".", "/")
MICROSECONDS = 1_000_000


class MediaControls(Protocol):
    """What a media player's buttons do to a routine."""

    def play_pause(self) -> None:
        """Start, pause or resume (Space); after the end, play it again."""

    def next(self) -> None:
        """On to the next step (a step that waits for the person is done)."""

    def previous(self) -> None:
        """Restart the step, or go to the one before."""

    def stop(self) -> None:
        """End the routine early."""

    def raise_window(self) -> None:
        """Bring the window to the front."""


class MprisPlayer(QObject):
    """The MPRIS object: its two interfaces answer from the last state it was told.

    It may live on a thread of its own (with an event loop): `publish` and
    `close` are then called there, and the controls are pressed there. Either
    way the main thread must run Qt's event loop: QtDBus answers no call while
    it does not (app.application.terminal_remote runs the terminal's routine on
    a thread of its own for this reason).

    Args:
        controls: What the buttons do.
        clock: The clock the states' positions are read on; a playing step's
            position moves on with it between updates.
        state: What to show first.
        parent: The owning QObject.
    """

    def __init__(
        self,
        controls: MediaControls,
        clock: Clock,
        state: MediaState = NOTHING,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.controls = controls
        self._clock = clock
        self.state = state
        self._told_at = clock.now()
        self._connection: QDBusConnection | None = None
        self.bus_name = ""
        _RootAdaptor(self)
        _PlayerAdaptor(self)
        self._inbox = _Inbox(self)
        self._inbox.arrived.connect(self._apply)  # queued when pushed from another thread

    def publish(self, connection: QDBusConnection) -> bool:
        """Exports the player on `connection` under `BUS_NAME`, or, when another
        player has that name (a second Limber, on another data folder), under a
        name of its own as the spec allows; False when neither can be had."""
        if not connection.registerObject(
            OBJECT_PATH, self, QDBusConnection.RegisterOption.ExportAdaptors
        ):
            return False
        for name in (BUS_NAME, f"{BUS_NAME}.instance{os.getpid()}"):
            if connection.registerService(name):
                self._connection, self.bus_name = connection, name
                return True
        connection.unregisterObject(OBJECT_PATH)
        return False

    def close(self) -> None:
        """Leaves the bus: the name goes, and the desktop's widget with it."""
        if self._connection is None:
            return
        self._connection.unregisterService(self.bus_name)
        self._connection.unregisterObject(OBJECT_PATH)
        self._connection = None

    def update(self, state: MediaState) -> None:
        """Shows `state` from now on; callable from any thread."""
        self._inbox.arrived.emit(state)

    def position(self) -> float:
        """Seconds into the step now."""
        state = self.state
        if not state.advancing:
            return state.position
        position = state.position + self._clock.now() - self._told_at
        return position if state.length is None else min(position, state.length)

    def metadata(self) -> dict[str, Any]:
        """The track's Metadata map (empty while nothing is loaded)."""
        state = self.state
        if not state.loaded:
            return {}
        track = "end" if state.track is None else f"step/{state.track}"
        return {
            "mpris:trackid": QDBusObjectPath(f"{TRACKS}/{track}"),
            "xesam:title": state.title,
            "xesam:album": state.album,
            "xesam:artist": ["Limber"],
        }

    def play(self) -> None:
        """Starts or resumes; playing already, goes on playing."""
        if self.state.loaded and self.state.playback is not Playback.PLAYING:
            self.controls.play_pause()

    def pause(self) -> None:
        """Pauses; paused or stopped already, stays so."""
        if self.state.playback is Playback.PLAYING:
            self.controls.play_pause()

    def _apply(self, state: MediaState) -> None:
        old, self.state = self.state, state
        self._told_at = self._clock.now()
        changed: dict[str, Any] = {}
        if state.playback is not old.playback:
            changed["PlaybackStatus"] = state.playback.value
        if (state.loaded, state.track, state.title, state.album) != (
            old.loaded,
            old.track,
            old.title,
            old.album,
        ):
            changed["Metadata"] = self.metadata()
        if state.loaded != old.loaded:
            changed.update(CanPlay=state.loaded, CanPause=state.loaded)
        if state.under_way != old.under_way:
            changed.update(CanGoNext=state.under_way, CanGoPrevious=state.under_way)
        if changed and self._connection is not None:
            signal = QDBusMessage.createSignal(
                OBJECT_PATH, PROPERTIES_INTERFACE, "PropertiesChanged"
            )
            signal.setArguments([PLAYER_INTERFACE, changed, _no_strings()])
            self._connection.send(signal)


class _Inbox(QObject):
    """Where states arrive from any thread. Not the player itself: QtDBus watches
    an exported object's signals and warns of one emitted off its thread."""

    arrived = Signal(object)


def _no_strings() -> QDBusArgument:
    """An empty array of strings: an empty Python list would go as "av"."""
    empty = QDBusArgument()
    empty.beginArray(QMetaType(QMetaType.Type.QString))
    empty.endArray()
    return empty


@dbus_interface(ROOT_INTERFACE)
class _RootAdaptor(QDBusAbstractAdaptor):
    """org.mpris.MediaPlayer2: who the player is; it can raise its window."""

    def __init__(self, player: MprisPlayer) -> None:
        super().__init__(player)
        self._player = player

    @Slot()
    def Raise(self) -> None:  # noqa: N802 - the D-Bus method's name
        self._player.controls.raise_window()

    @Slot()
    def Quit(self) -> None:  # noqa: N802
        """Does nothing, as CanQuit says: Limber quits when the person quits it."""

    def _identity(self) -> str:
        return "Limber"

    def _desktop_entry(self) -> str:
        return APP_ID

    def _no(self) -> bool:
        return False

    def _yes(self) -> bool:
        return True

    def _none(self) -> list[str]:
        return []

    Identity = Property(str, _identity, constant=True)
    DesktopEntry = Property(str, _desktop_entry, constant=True)
    CanQuit = Property(bool, _no, constant=True)
    CanRaise = Property(bool, _yes, constant=True)
    HasTrackList = Property(bool, _no, constant=True)
    SupportedUriSchemes = Property("QStringList", _none, constant=True)  # type: ignore[arg-type]
    SupportedMimeTypes = Property("QStringList", _none, constant=True)  # type: ignore[arg-type]


@dbus_interface(PLAYER_INTERFACE)
class _PlayerAdaptor(QDBusAbstractAdaptor):
    """org.mpris.MediaPlayer2.Player: the routine's state and its controls.

    It cannot seek, and plays at one rate; Volume is the cue player's business,
    so it reads 1.0 and cannot be set.
    """

    def __init__(self, player: MprisPlayer) -> None:
        super().__init__(player)
        self._player = player

    @Slot()
    def PlayPause(self) -> None:  # noqa: N802 - the D-Bus method's name
        if self._player.state.loaded:
            self._player.controls.play_pause()

    @Slot()
    def Play(self) -> None:  # noqa: N802
        self._player.play()

    @Slot()
    def Pause(self) -> None:  # noqa: N802
        self._player.pause()

    @Slot()
    def Next(self) -> None:  # noqa: N802
        if self._player.state.under_way:
            self._player.controls.next()

    @Slot()
    def Previous(self) -> None:  # noqa: N802
        if self._player.state.under_way:
            self._player.controls.previous()

    @Slot()
    def Stop(self) -> None:  # noqa: N802
        if self._player.state.under_way:
            self._player.controls.stop()

    @Slot("qlonglong")
    def Seek(self, offset: int) -> None:  # noqa: N802
        """Does nothing: CanSeek is false."""

    @Slot(QDBusObjectPath, "qlonglong")
    def SetPosition(self, track: QDBusObjectPath, position: int) -> None:  # noqa: N802
        """Does nothing: CanSeek is false."""

    @Slot(str)
    def OpenUri(self, uri: str) -> None:  # noqa: N802
        """Does nothing: no URI scheme is supported."""

    def _status(self) -> str:
        return self._player.state.playback.value

    def _metadata(self) -> dict[str, Any]:
        return self._player.metadata()

    def _position(self) -> int:
        return round(self._player.position() * MICROSECONDS)

    def _one(self) -> float:
        return 1.0

    def _loaded(self) -> bool:
        return self._player.state.loaded

    def _under_way(self) -> bool:
        return self._player.state.under_way

    def _no(self) -> bool:
        return False

    def _yes(self) -> bool:
        return True

    PlaybackStatus = Property(str, _status)
    Metadata = Property("QVariantMap", _metadata)  # type: ignore[arg-type]
    Position = Property("qlonglong", _position)  # type: ignore[arg-type]
    Rate = Property(float, _one, constant=True)
    MinimumRate = Property(float, _one, constant=True)
    MaximumRate = Property(float, _one, constant=True)
    Volume = Property(float, _one, constant=True)
    CanPlay = Property(bool, _loaded)
    CanPause = Property(bool, _loaded)
    CanGoNext = Property(bool, _under_way)
    CanGoPrevious = Property(bool, _under_way)
    CanSeek = Property(bool, _no, constant=True)
    # The player can always be controlled; what it can do now, the other Can*s say.
    CanControl = Property(bool, _yes, constant=True)
