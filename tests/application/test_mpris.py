"""Limber as an MPRIS media player, driven over a private session bus with
dbus-send, as a desktop's media keys, widget or phone would drive it."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import replace

import pytest
from PySide6.QtCore import SLOT, QObject, QThread, QTimer, Slot
from PySide6.QtDBus import QDBusMessage
from pytestqt.qtbot import QtBot

from app.application.media_session import MediaSession
from app.application.mpris import BUS_NAME, OBJECT_PATH, PLAYER_INTERFACE, MprisPlayer
from app.application.player import PlayerController
from app.audio.cue_player import AudioStatus, NullCuePlayer
from app.domain.clock import FakeClock
from app.domain.media import NOTHING, Playback
from app.domain.plan import PlanSettings
from app.domain.player import PlayerState
from app.domain.routine import Exercise, Kind, Routine, Sides
from tests.private_bus import PrivateBus

HIPS = Routine(
    "hips",
    "Hips",
    (
        Exercise("Spinal rotation in heel sitting", Kind.HOLD, seconds=30, sides=Sides.EACH),
        Exercise("Squat", Kind.REPS, reps=5),  # no tempo: it waits for the person
    ),
)
ROOT = "org.mpris.MediaPlayer2"


class Published:
    """A controller with HIPS loaded, published on the private bus."""

    def __init__(self, qtbot: QtBot, bus: PrivateBus) -> None:
        self.qtbot = qtbot
        self.bus = bus
        self.clock = FakeClock()
        self.controller = PlayerController(self.clock, NullCuePlayer(AudioStatus(True, "")))
        self.controller.load_routine(HIPS, PlanSettings())
        self.raised: list[int] = []
        self.session = MediaSession(self.controller, lambda: self.raised.append(1))
        self.mpris = MprisPlayer(self.session, self.clock, self.session.state)
        assert self.mpris.publish(bus.connect())
        self.session.changed.connect(self.mpris.update)

    def call(self, method: str, interface: str = PLAYER_INTERFACE) -> str:
        return self.bus.send(self.qtbot, BUS_NAME, OBJECT_PATH, f"{interface}.{method}")

    def get_all(self, interface: str = PLAYER_INTERFACE) -> str:
        return self.bus.send(
            self.qtbot,
            BUS_NAME,
            OBJECT_PATH,
            "org.freedesktop.DBus.Properties.GetAll",
            f"string:{interface}",
        )

    def prop(self, name: str) -> str:
        """A property's value as dbus-send prints it ("string \"Playing\"")."""
        found = re.search(rf'string "{name}"\s+variant\s+(.+)', self.get_all())
        assert found, name
        return found.group(1).strip()

    def run(self, seconds: float) -> None:
        for _ in range(round(seconds / 0.1)):
            self.clock.advance(0.1)
            self.controller.poll()


@pytest.fixture
def published(qtbot: QtBot, private_bus: PrivateBus) -> Iterator[Published]:
    player = Published(qtbot, private_bus)
    yield player
    player.mpris.close()


def test_get_all_says_what_plays_in_the_spec_s_types(published: Published) -> None:
    everything = published.get_all()
    assert re.search(r'"PlaybackStatus"\s+variant\s+string "Stopped"', everything)
    for can in ("CanPlay", "CanPause", "CanGoNext", "CanGoPrevious", "CanControl"):
        assert re.search(rf'"{can}"\s+variant\s+boolean true', everything), can
    assert re.search(r'"CanSeek"\s+variant\s+boolean false', everything)
    for rate in ("Rate", "MinimumRate", "MaximumRate", "Volume"):
        assert re.search(rf'"{rate}"\s+variant\s+double 1', everything), rate
    assert re.search(r'"Position"\s+variant\s+int64 0', everything)
    assert 'object path "/io/github/limber_timer/Limber/step/0"' in everything
    assert 'string "Get ready: Spinal rotation in heel sitting — left side"' in everything
    assert re.search(r'"xesam:album"\s+variant\s+string "Hips"', everything)
    assert re.search(r'"xesam:artist"\s+variant\s+array \[\s+string "Limber"\s+\]', everything)
    root = published.get_all(ROOT)
    assert re.search(r'"Identity"\s+variant\s+string "Limber"', root)
    assert re.search(r'"DesktopEntry"\s+variant\s+string "io.github.limber_timer.Limber"', root)
    assert re.search(r'"CanQuit"\s+variant\s+boolean false', root)
    assert re.search(r'"CanRaise"\s+variant\s+boolean true', root)
    assert re.search(r'"HasTrackList"\s+variant\s+boolean false', root)
    introspection = published.call("Introspect", "org.freedesktop.DBus.Introspectable")
    for name, kind in (("Position", "x"), ("Metadata", "a{sv}"), ("SupportedUriSchemes", "as")):
        assert f'name="{name}" type="{kind}"' in introspection


def test_play_pause_play_and_pause_start_and_pause_the_routine(published: Published) -> None:
    controller = published.controller
    published.call("PlayPause")
    assert controller.screen.state is PlayerState.RUNNING
    assert published.prop("PlaybackStatus") == 'string "Playing"'
    published.run(2.5)
    assert published.prop("Position") == "int64 2500000"
    published.call("PlayPause")
    assert controller.screen.state is PlayerState.PAUSED
    assert published.prop("PlaybackStatus") == 'string "Paused"'
    published.call("Pause")  # paused already: stays so
    assert controller.screen.state is PlayerState.PAUSED
    published.call("Play")
    assert controller.screen.state is PlayerState.RUNNING
    published.call("Play")  # playing already: goes on playing
    assert controller.screen.state is PlayerState.RUNNING
    published.call("Pause")
    assert controller.screen.state is PlayerState.PAUSED


def test_next_skips_previous_goes_back_and_stop_ends(published: Published) -> None:
    controller = published.controller
    published.call("Play")
    published.call("Next")
    snapshot = controller.snapshot()
    assert snapshot is not None and snapshot.step_index == 1
    assert 'string "Spinal rotation in heel sitting — left side"' in published.get_all()
    published.call("Next")
    published.call("Next")
    snapshot = controller.snapshot()
    assert snapshot is not None and snapshot.step_index == 3
    published.call("Previous")  # at the step's start: the one before
    snapshot = controller.snapshot()
    assert snapshot is not None and snapshot.step_index == 2
    assert "Switch to the right side" in published.get_all()
    published.call("Stop")
    assert controller.screen.state is PlayerState.STOPPED
    everything = published.get_all()
    assert re.search(r'"PlaybackStatus"\s+variant\s+string "Stopped"', everything)
    assert re.search(r'"CanGoNext"\s+variant\s+boolean false', everything)
    assert 'object path "/io/github/limber_timer/Limber/end"' in everything


def test_next_at_a_step_that_waits_says_it_is_done(published: Published) -> None:
    controller = published.controller
    published.call("Play")
    for _ in range(5):  # on to the squats, which wait for the person
        published.call("Next")
    assert controller.screen.waiting
    assert published.prop("PlaybackStatus") == 'string "Playing"'  # waiting plays on
    published.call("Next")
    player = controller.player
    assert player is not None and player.state is PlayerState.FINISHED
    assert player.outcomes[5].completed  # done, not skipped
    assert published.prop("PlaybackStatus") == 'string "Stopped"'
    published.call("PlayPause")  # after the end: again, from the start
    assert controller.screen.state is PlayerState.RUNNING


def test_raise_brings_the_window_up(published: Published) -> None:
    published.call("Raise", ROOT)
    published.call("Quit", ROOT)  # CanQuit is false: nothing happens
    assert published.raised == [1]


class ChangeListener(QObject):
    """Hears PropertiesChanged: its signature, and the properties as a map."""

    def __init__(self) -> None:
        super().__init__()
        self.signatures: list[str] = []
        self.changes: list[dict[str, object]] = []

    @Slot(QDBusMessage)
    def message(self, message: QDBusMessage) -> None:
        self.signatures.append(message.signature())

    @Slot(str, "QVariantMap", "QStringList")
    def changed(self, interface: str, changed: dict[str, object], _gone: list[str]) -> None:
        assert interface == PLAYER_INTERFACE
        self.changes.append(changed)


def test_properties_changed_says_when_the_state_and_the_track_change(
    qtbot: QtBot, published: Published
) -> None:
    listener = ChangeListener()
    client = published.bus.connect()
    args = (BUS_NAME, OBJECT_PATH, "org.freedesktop.DBus.Properties", "PropertiesChanged")
    assert client.connect(*args, listener, SLOT("message(QDBusMessage)"))
    assert client.connect(*args, listener, SLOT("changed(QString,QVariantMap,QStringList)"))
    published.controller.primary()
    qtbot.waitUntil(lambda: len(listener.changes) == 1)
    assert listener.changes[0] == {"PlaybackStatus": "Playing"}
    published.run(1.0)  # the same step, a second on: nothing a widget shows
    published.controller.skip()
    qtbot.waitUntil(lambda: len(listener.changes) == 2)
    assert set(listener.changes[1]) == {"Metadata"}
    published.controller.stop()
    qtbot.waitUntil(lambda: len(listener.changes) == 3)
    assert set(listener.changes[2]) == {"PlaybackStatus", "Metadata", "CanGoNext", "CanGoPrevious"}
    # GLib's clients (GNOME Shell, playerctl) drop the signal unless it is exactly this.
    assert set(listener.signatures) == {"sa{sv}as"}


def test_a_second_limber_takes_a_name_of_its_own(qtbot: QtBot, published: Published) -> None:
    other = Published(qtbot, published.bus)
    assert other.mpris.bus_name.startswith(f"{BUS_NAME}.instance")
    out = published.bus.send(
        qtbot, other.mpris.bus_name, OBJECT_PATH, "org.freedesktop.DBus.Properties.Get",
        f"string:{ROOT}", "string:Identity",
    )  # fmt: skip
    assert 'string "Limber"' in out
    other.mpris.close()
    names = published.bus.send(
        qtbot, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.ListNames"
    )
    assert f'"{BUS_NAME}"' in names and other.mpris.bus_name not in names


class ThreadControls:
    """Controls that note the thread each button reaches them on."""

    def __init__(self) -> None:
        self.pressed: list[tuple[str, bool]] = []

    def play_pause(self) -> None:
        self.pressed.append(("play_pause", threading.current_thread() is threading.main_thread()))

    def next(self) -> None:
        """Not pressed here."""

    def previous(self) -> None:
        """Not pressed here."""

    def stop(self) -> None:
        """Not pressed here."""

    def raise_window(self) -> None:
        """Not pressed here."""


def test_the_player_can_live_on_a_thread_of_its_own(qtbot: QtBot, private_bus: PrivateBus) -> None:
    """As a face whose main thread waits (the terminal's) would have it: buttons
    reach the controls on the player's thread, and states are told from another."""
    thread = QThread()
    thread.start()
    controls = ThreadControls()
    player = MprisPlayer(controls, FakeClock())
    player.moveToThread(thread)
    bus = private_bus.connect()
    published: list[bool] = []
    try:
        QTimer.singleShot(0, player, lambda: published.append(player.publish(bus)))
        qtbot.waitUntil(lambda: published == [True])
        player.update(replace(NOTHING, loaded=True, under_way=True, playback=Playback.PAUSED))
        status = private_bus.send(
            qtbot, BUS_NAME, OBJECT_PATH, "org.freedesktop.DBus.Properties.Get",
            f"string:{PLAYER_INTERFACE}", "string:PlaybackStatus",
        )  # fmt: skip
        assert 'string "Paused"' in status
        private_bus.send(qtbot, BUS_NAME, OBJECT_PATH, f"{PLAYER_INTERFACE}.PlayPause")
        assert controls.pressed == [("play_pause", False)]  # not on the main thread
    finally:
        QTimer.singleShot(0, player, player.close)
        player.deleteLater()  # on its thread, as the thread ends
        thread.quit()
        thread.wait()
