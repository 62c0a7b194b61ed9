"""Spoken phrases rendered ahead of time: WAV files in the cache, and their lengths.

When a routine is loaded, its phrases are handed to `prepare`; a thread of this
cache's own renders those not in the cache yet, in the order they will be said,
and measures each. The cue thread asks `lookup` for a phrase when it falls due:
a phrase not ready then gives way to its chime, so none is ever late.

A file is keyed by the engine (its program, voice or voice model, rate) and the
text, and holds the speech with its leading and trailing silence cut, so that
its length is the time the words take and its sound starts with the first word.
At a volume other than 100 a scaled copy is kept beside it. Every file is
written through a temp file and renamed, so a kill leaves none half-written.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import threading
import time
import wave
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from app.audio.sounds import read_samples, wav_bytes
from app.audio.speech import SpeechEngine, SpeechError
from app.storage.atomic import write_atomically

# A sample quieter than this (of 32767) is silence, at either end of a phrase.
SILENCE_LEVEL = 300
# Kept of the silence after the last word, so that it does not end in a click.
TAIL_SECONDS = 0.03
# How long `close` waits for the phrase being rendered.
RENDER_JOIN_SECONDS = 5.0


@dataclass(frozen=True)
class Rendered:
    """A phrase ready to play: its file at the current volume and its length."""

    path: Path
    seconds: float


class PhraseCache:
    """Renders phrases with `engine` into `folder`, on a thread of its own.

    Args:
        engine: The speech engine.
        folder: The cache folder for this engine's files.
        volume: Percent, 1-100.
        stand_aside: Called before each render or write; the cue player waits in
            it while a cue is about to start, so that no cue waits for this work.
        report: Called once, on this cache's thread, with the first failure (a
            line for the person); phrases then give way to their chimes.
    """

    def __init__(
        self,
        engine: SpeechEngine,
        folder: Path,
        volume: int = 100,
        *,
        stand_aside: Callable[[], None] | None = None,
        report: Callable[[str], None] | None = None,
    ) -> None:
        self.engine = engine
        self._folder = folder
        self._stand_aside = stand_aside or (lambda: None)
        self._report = report
        self._cond = threading.Condition()
        self._volume = max(1, min(100, volume))
        self._queue: list[str] = []
        self._known: dict[str, None] = {}  # every phrase asked for, in order
        self._ready: dict[tuple[str, int], Rendered] = {}
        self._busy = False
        self._closed = False
        self.problem = ""
        # Seconds each phrase took to render, or to find in the cache (benchmarks).
        self.render_seconds: dict[str, float] = {}
        self._thread: threading.Thread | None = None

    def prepare(self, texts: Iterable[str]) -> None:
        """Renders (in the background, in this order) the phrases not rendered yet."""
        with self._cond:
            if self._closed:
                return
            for text in texts:
                self._known.setdefault(text, None)
                if (text, self._volume) not in self._ready and text not in self._queue:
                    self._queue.append(text)
            if self._queue and self._thread is None:
                self._thread = threading.Thread(target=self._run, name="limber-speech", daemon=True)
                self._thread.start()
            self._cond.notify()

    def known(self) -> list[str]:
        """Every phrase asked for so far, in order."""
        with self._cond:
            return list(self._known)

    def lookup(self, text: str) -> Rendered | None:
        """The phrase at the current volume, if it is ready; safe from any thread."""
        with self._cond:
            return self._ready.get((text, self._volume))

    def set_volume(self, volume: int) -> None:
        """Makes the phrases asked for so far at `volume` (1-100), in the background."""
        with self._cond:
            self._volume = max(1, min(100, volume))
            known = list(self._known)
        self.prepare(known)

    def wait_idle(self, timeout: float) -> bool:
        """Waits until nothing is left to render; whether that happened in time."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._queue or self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
            return True

    def close(self) -> None:
        """Stops after the phrase being rendered."""
        with self._cond:
            self._closed = True
            self._queue.clear()
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout=RENDER_JOIN_SECONDS)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._closed:
                    self._busy = False
                    self._cond.notify_all()
                    self._cond.wait()
                if self._closed:
                    self._busy = False
                    self._cond.notify_all()
                    return
                text = self._queue.pop(0)
                volume = self._volume
                self._busy = True
            began = time.perf_counter()
            try:
                rendered = self._render(text, volume)
            except (SpeechError, OSError, ValueError) as exc:
                self._failed(text, exc)
                continue
            with self._cond:
                self._ready[(text, volume)] = rendered
                self.render_seconds.setdefault(text, time.perf_counter() - began)

    def _render(self, text: str, volume: int) -> Rendered:
        # The engine's every setting (its program, voice or model, rate) and the text.
        key = hashlib.sha256(json.dumps([repr(self.engine), text]).encode()).hexdigest()[:32]
        whole = self._folder / f"{key}.wav"
        if not whole.is_file():
            self._folder.mkdir(parents=True, exist_ok=True)
            self._stand_aside()
            with tempfile.TemporaryDirectory(dir=self._folder) as scratch:
                raw = Path(scratch) / "speech.wav"
                self.engine.render(text, raw)
                params, samples = read_samples(raw)
            first, last = _voiced(samples, params.nchannels)
            tail = round(TAIL_SECONDS * params.framerate) * params.nchannels
            self._stand_aside()
            write_atomically(whole, wav_bytes(params, samples[first : last + tail]))
        path = whole
        if volume != 100:
            path = self._folder / f"{key}-{volume}.wav"
            if not path.is_file():
                self._stand_aside()
                params, samples = read_samples(whole)
                factor = volume / 100
                scaled = array("h", [int(sample * factor) for sample in samples])
                write_atomically(path, wav_bytes(params, scaled))
        return Rendered(path, _seconds(path))

    def _failed(self, text: str, exc: Exception) -> None:
        with self._cond:
            first = not self.problem
            if first:
                self.problem = f"spoken cues unavailable: {exc}; chimes play instead"
            self.render_seconds.setdefault(text, float("nan"))
        if first and self._report is not None:
            self._report(self.problem)


def _voiced(samples: array[int], channels: int) -> tuple[int, int]:
    """The first and last sample louder than SILENCE_LEVEL, widened to whole frames."""
    first = next((i for i, v in enumerate(samples) if abs(v) > SILENCE_LEVEL), 0)
    last = next(
        (i for i in range(len(samples) - 1, -1, -1) if abs(samples[i]) > SILENCE_LEVEL),
        len(samples) - 1,
    )
    return first - first % channels, last - last % channels + channels - 1


def _seconds(path: Path) -> float:
    """The length of a WAV file, from its header."""
    try:
        with wave.open(str(path), "rb") as sound:
            return sound.getnframes() / sound.getframerate()
    except (wave.Error, EOFError) as exc:
        raise ValueError(f"not a WAV file: {exc}") from None
