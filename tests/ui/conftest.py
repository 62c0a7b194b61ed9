"""Real widgets on a fake clock, with a cue player that records what it is handed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.audio.cue_player import AudioStatus
from app.domain.clock import FakeClock
from app.domain.plan import Cue, CueKind
from app.main import assemble_window, open_library
from app.recorder import SessionRecorder
from app.storage.settings import Settings
from app.ui.main_window import MainWindow


class RecordingCuePlayer:
    """Keeps the cues it is handed, so a test can check what would have sounded."""

    def __init__(self, status: AudioStatus | None = None) -> None:
        self.played: list[tuple[CueKind, float]] = []
        self.cues: list[Cue] = []  # as handed over, words and all
        self.prepared: list[Cue] = []
        self.speaks = False
        self.status = status or AudioStatus(True, "recording")
        self.lead = 0.0
        self.volume = 80
        self.muted = False
        self.cancels = 0
        self.saying: Cue | None = None  # words a test has "being said" at a cancel
        self.quieted = 0
        self.renewed = 0
        self.listeners: list[Callable[[AudioStatus], None]] = []

    def on_status(self, listener: Callable[[AudioStatus], None]) -> None:
        self.listeners.append(listener)

    def set_status(self, status: AudioStatus) -> None:
        """Sound fails or comes back, as the cue player's thread would say."""
        self.status = status
        for listener in self.listeners:
            listener(status)

    def play(self, cue: Cue, due_at: float) -> None:
        if not self.muted:
            self.played.append((cue.kind, due_at))
            self.cues.append(cue)

    def prepare(self, cues: Iterable[Cue]) -> None:
        self.prepared.extend(cues)

    def cancel(self) -> Cue | None:
        """Drops nothing; returns the words `saying` names as cut short."""
        self.cancels += 1
        cut, self.saying = self.saying, None
        return cut

    def quiet_words(self) -> None:
        self.quieted += 1

    def renew_speech(self) -> None:
        self.renewed += 1

    def set_volume(self, volume: int) -> None:
        self.volume = volume

    def set_muted(self, muted: bool) -> None:
        self.muted = muted

    def drain(self, timeout: float) -> None:
        """Nothing to wait for."""

    def close(self) -> None:
        """Nothing to release."""


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def cues() -> RecordingCuePlayer:
    return RecordingCuePlayer()


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return Settings(data_dir)


WindowFactory = Callable[[SessionRecorder | None], MainWindow]


@pytest.fixture
def make_window(
    qtbot: QtBot, clock: FakeClock, cues: RecordingCuePlayer, settings: Settings
) -> Iterator[WindowFactory]:
    """Builds shown main windows on the fake clock; closes their log writers after.

    A routine a test leaves under way is stopped when the window is closed after
    the test, as quitting on a signal does: not asked about.
    """
    recorders: list[SessionRecorder] = []

    def build(recorder: SessionRecorder | None = None) -> MainWindow:
        main = assemble_window(settings, clock, cues, open_library(), recorder)
        qtbot.addWidget(main, before_close_func=lambda w: w.quit_without_asking())
        main.show()
        qtbot.addWidget(main.compact)
        qtbot.waitExposed(main)
        main.routines.load()
        main.sessions.load()
        if recorder is not None:
            recorders.append(recorder)
            recorder.writer.start()
            qtbot.waitUntil(lambda: main.sessions.loaded, timeout=10_000)
        return main

    yield build
    for recorder in recorders:
        recorder.writer.close()


@pytest.fixture
def window(make_window: WindowFactory) -> MainWindow:
    return make_window(None)


def run_for(window: MainWindow, clock: FakeClock, seconds: float, step: float = 0.1) -> None:
    """Lets `seconds` pass on the fake clock, polling as the timers would."""
    for _ in range(round(seconds / step)):
        clock.advance(step)
        window.controller.poll()
