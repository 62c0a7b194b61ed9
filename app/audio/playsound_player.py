"""Cues played through playsound3, timed by a thread of their own.

The GUI thread hands each cue over a little before it is due (`lead`); this
player's thread waits until the cue's moment less the measured start-up delay of
the sound process, then starts it. A busy GUI thread therefore never makes a cue
late, and starting a process (a fork of a large Qt process) never blocks it.
"""

from __future__ import annotations

import bisect
import contextlib
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.audio.cue_player import AudioStatus
from app.audio.sounds import SILENCE, sounds_at_volume
from app.domain.plan import CueKind

# How far ahead of a cue the controller hands it over: enough to cover a late
# GUI timer; the wait itself happens on this player's thread.
HANDOVER_SECONDS = 0.03
# Running sounds are checked this often for a failed player process.
REAP_SECONDS = 0.25
# Weight of the newest launch in the running estimate of the start-up delay.
LATENCY_WEIGHT = 0.2
NO_BACKEND = (
    "sound unavailable: no audio player found (install gstreamer1.0-plugins-base-apps,"
    " or alsa-utils and mpg123)"
)


@dataclass(frozen=True)
class Launch:
    """One cue sound started: when it was due and when its process had started."""

    kind: str
    due_at: float
    started_at: float
    launch_seconds: float


@dataclass(order=True)
class _Request:
    due_at: float
    kind: str = field(compare=False)
    generation: int = field(compare=False)


class PlaysoundCuePlayer:
    """Plays cue sounds through playsound3's backend on a thread of its own.

    Args:
        cache_dir: Where volume-scaled copies of the sounds are kept.
        volume: Percent, 1-100.
        muted: Start silenced.
        now: The monotonic clock the cues' due times are read against.
    """

    def __init__(
        self,
        cache_dir: Path,
        volume: int = 80,
        *,
        muted: bool = False,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        self._cache_dir = cache_dir
        self._volume = volume
        self._muted = muted
        self._now = now
        self._cond = threading.Condition()
        self._requests: list[_Request] = []
        self._generation = 0
        self._closed = False
        self._latency = 0.0
        self._status = AudioStatus(True, "starting sound")
        self._sounds: dict[str, Path] = {}
        self._backend: str | None = None
        self._playsound: Callable[..., Any] | None = None
        self._running: list[Any] = []
        self._launching = False  # a request taken off the queue whose process is starting
        self.launches: deque[Launch] = deque(maxlen=5000)
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="limber-cues", daemon=True)
        self._thread.start()

    @property
    def lead(self) -> float:
        return self._latency + HANDOVER_SECONDS

    @property
    def status(self) -> AudioStatus:
        return self._status

    @property
    def backend(self) -> str | None:
        """The playsound3 backend in use, once known."""
        return self._backend

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """Waits until the backend is set up (or found missing)."""
        return self._ready.wait(timeout)

    def play(self, kind: CueKind, due_at: float) -> None:
        with self._cond:
            if self._muted or self._closed:
                return
            bisect.insort(self._requests, _Request(due_at, kind.value, self._generation))
            self._cond.notify()

    def cancel(self) -> None:
        with self._cond:
            self._generation += 1
            self._requests.clear()
            self._cond.notify()

    def set_volume(self, volume: int) -> None:
        with self._cond:
            self._volume = max(1, min(100, volume))
            self._sounds = {}  # made again on the player's thread before the next cue
            self._cond.notify()

    def set_muted(self, muted: bool) -> None:
        with self._cond:
            self._muted = muted
            if muted:
                self._requests.clear()

    def drain(self, timeout: float) -> None:
        deadline = self._now() + timeout
        while self._now() < deadline:
            with self._cond:
                self._reap()
                if not self._requests and not self._launching and not self._running:
                    return
            time.sleep(0.02)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._requests.clear()
            self._cond.notify()
        self._thread.join(timeout=5)
        for sound in self._running:
            with contextlib.suppress(Exception):
                sound.stop()

    def _run(self) -> None:
        self._start_backend()
        self._ready.set()
        while True:
            with self._cond:
                request = self._next_request()
                if request is None:
                    return
            self._launch(request)

    def _next_request(self) -> _Request | None:
        """Waits (holding the condition) for the next request to come due; None on close."""
        while not self._closed:
            self._requests = [r for r in self._requests if r.generation == self._generation]
            self._reap()
            if not self._requests or self._playsound is None:
                self._cond.wait(REAP_SECONDS)
                continue
            wait = self._requests[0].due_at - self._latency - self._now()
            if wait <= 0:
                self._launching = True
                return self._requests.pop(0)
            self._cond.wait(min(wait, REAP_SECONDS))
        return None

    def _start_backend(self) -> None:
        """Imports playsound3 (it probes the system's players on import), picks a
        backend and plays a moment of silence to measure its start-up delay."""
        try:
            import playsound3
        except Exception as exc:
            self._status = AudioStatus(False, f"sound unavailable: {exc}")
            return
        available = list(getattr(playsound3, "AVAILABLE_BACKENDS", []))
        if not available:
            self._status = AudioStatus(False, NO_BACKEND)
            return
        # aplay reports a missing device in its exit status; gst-play-1.0 exits 0.
        self._backend = (
            "alsa" if sys.platform.startswith("linux") and "alsa" in available else available[0]
        )
        self._playsound = playsound3.playsound
        self._status = AudioStatus(True, f"sound through {self._backend}")
        try:
            self._sounds = sounds_at_volume(self._volume, self._cache_dir)
        except OSError as exc:
            self._status = AudioStatus(
                False, f"sound unavailable: cannot prepare the sounds ({exc.strerror})"
            )
            self._playsound = None
            return
        self._launch(_Request(self._now(), SILENCE, self._generation))

    def _launch(self, request: _Request) -> None:
        assert self._playsound is not None
        try:
            # A local reference: set_volume() may swap the sounds meanwhile.
            sounds = self._sounds
            if not sounds:
                sounds = self._sounds = sounds_at_volume(self._volume, self._cache_dir)
            before = self._now()
            sound = self._playsound(str(sounds[request.kind]), block=False, backend=self._backend)
            started = self._now()
        except Exception as exc:  # a cue that fails must never stop the routine
            self._status = AudioStatus(False, f"sound unavailable: {exc}")
            with self._cond:
                self._launching = False
            return
        launch = started - before
        self._latency = (
            launch
            if not self.launches
            else ((1 - LATENCY_WEIGHT) * self._latency + LATENCY_WEIGHT * launch)
        )
        self.launches.append(Launch(request.kind, request.due_at, started, launch))
        with self._cond:
            self._running.append(sound)
            self._launching = False

    def _reap(self) -> None:
        """Forgets finished sounds; a player process that failed means no device."""
        still: list[Any] = []
        for sound in self._running:
            code = sound.subprocess.poll()
            if code is None:
                still.append(sound)
            elif code != 0:
                self._status = AudioStatus(
                    False,
                    f"sound unavailable: {self._backend} could not play "
                    f"(exit status {code}); is a sound device connected?",
                )
            elif not self._status.available:
                self._status = AudioStatus(True, f"sound through {self._backend}")
        self._running = still
