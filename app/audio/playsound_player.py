"""Cues played through playsound3, timed by a thread of their own.

The GUI thread hands each cue over a little before it is due (`lead`); this
player's thread waits until the cue's moment less the measured start-up delay of
the sound process, then starts it. A busy GUI thread therefore never makes a cue
late, and starting a process never blocks it (through ALSA, by vfork: see
app/audio/quick_alsa.py).

The cue thread wakes only for a cue handed over or cancelled, for the moment a
cue is due, and, while sounds play, every REAP_SECONDS to see whether one failed;
with nothing queued and nothing playing it sleeps until `play`, `cancel` or
`close`. A new volume's sounds are made on a short-lived thread, which stands
aside while a cue starts, and swapped in when ready, so no cue waits for them.
"""

from __future__ import annotations

import bisect
import contextlib
import sys
import threading
import time
import types
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.audio.cue_player import AudioStatus
from app.audio.sounds import SILENCE, sounds_at_volume
from app.domain.plan import Cue, CueKind
from app.domain.spoken import TICKS, choose

if TYPE_CHECKING:
    # Made by the `speech` given, on the cue thread: the speech engines' modules
    # (subprocess among them, 9 ms) load there, after the window's first frame.
    from app.audio.phrase_cache import PhraseCache

# How far ahead of a cue the controller hands it over: enough to cover a late
# GUI timer; the wait itself happens on this player's thread.
HANDOVER_SECONDS = 0.03
# While sounds play, they are checked this often for a failed player process.
REAP_SECONDS = 0.25
# A new volume's sounds are not made while a cue is this close to its start: making
# them takes the GIL a moment at a time, and on a busy machine a moment stretches.
QUIET_SECONDS = 0.05
# While a cue is handed over and not yet started (the last ~40 ms before it),
# Python's switch interval is this short, so that the cue thread gets the GIL
# back from a GUI thread busy painting within half a millisecond rather than the
# default 5 ms. tests/bench/spoken_cues.py --steps 150 (one core kept busy): onset
# p99 9.1 -> 6.1 ms for phrases, 6.2 -> 5.7 ms for chimes; max 10.0 -> 6.4 ms.
CUE_SWITCH_INTERVAL = 0.0005
PYTHON_SWITCH_INTERVAL = sys.getswitchinterval()
# Weight of the newest launch in the running estimate of the start-up delay.
LATENCY_WEIGHT = 0.2
NO_BACKEND = (
    "sound unavailable: no audio player found (install gstreamer1.0-plugins-base-apps,"
    " or alsa-utils and mpg123)"
)


@dataclass(frozen=True)
class Launch:
    """One cue sound started: when it was due, when its process had started, how
    loud, and for words said instead of a chime, the words and how long they last."""

    kind: str
    due_at: float
    started_at: float
    launch_seconds: float
    volume: int
    words: str = ""
    seconds: float = 0.0


@dataclass(order=True)
class _Request:
    due_at: float
    kind: str = field(compare=False)
    generation: int = field(compare=False)
    cue: Cue | None = field(compare=False, default=None)


@dataclass(frozen=True)
class _Sounds:
    """The sound files of every cue at one volume; swapped whole, never changed."""

    volume: int
    paths: dict[str, Path]


class PlaysoundCuePlayer:
    """Plays cue sounds through playsound3's backend on a thread of its own.

    Args:
        cache_dir: Where volume-scaled copies of the sounds are kept.
        volume: Percent, 1-100.
        muted: Start silenced.
        now: The monotonic clock the cues' due times are read against.
        start: Whether to start the cue thread now (it imports playsound3, which
            probes the system's players); otherwise `start()` does. Cues handed
            over before then wait for it.
        speech: Makes the spoken cues' phrases as `speech(stand_aside, report)`,
            given the wait that keeps its work away from a cue about to start and
            where to report why words cannot be said (no engine, or a failing
            one); it returns None when there is no engine. Called on the cue
            thread as it starts (finding an engine takes a while, and start-up
            is kept for the window's first frame). None means chimes only.

    While words are being said, the ticks due meanwhile are dropped (see
    `app.domain.spoken`); words still playing when cues are cancelled (pause,
    skip, back, stop) are stopped, so that two phrases never talk over each other.
    """

    def __init__(
        self,
        cache_dir: Path,
        volume: int = 80,
        *,
        muted: bool = False,
        now: Callable[[], float] = time.monotonic,
        start: bool = True,
        speech: Callable[[Callable[[], None], Callable[[str], None]], PhraseCache | None]
        | None = None,
    ) -> None:
        self._cache_dir = cache_dir
        self._muted = muted
        self._now = now
        # One lock guards what follows; the cue thread waits on `_cond`, the sound
        # maker on `_cue_started`.
        lock = threading.RLock()
        self._cond = threading.Condition(lock)
        self._cue_started = threading.Condition(lock)
        self._requests: list[_Request] = []
        self._generation = 0
        self._closed = False
        self._latency = 0.0
        self._status = AudioStatus(True, "starting sound")
        self._voice_problem = ""
        self._speech = speech
        self.phrases: PhraseCache | None = None  # once the cue thread made them
        self._unprepared: list[str] = []  # the words asked for before then
        self._speech_looked = False  # whether the cue thread has made them (or found none)
        self._volume = max(1, min(100, volume))  # the one last asked for
        self._sounds: _Sounds | None = None  # the ones cues play, maybe at an older volume
        self._sound_maker: threading.Thread | None = None  # makes those at `_volume`
        self._backend: str | None = None  # its name
        self._player: object = None  # what playsound3 is handed: the name, or QuickAlsa
        self._playsound: Callable[..., Any] | None = None
        self._running: list[Any] = []
        self._speaking: list[Any] = []  # the running sounds that are words
        self._speaking_until = float("-inf")  # set on the cue thread, reset by cancel
        self._saying: Cue | None = None  # the cue whose words end then
        self._launching = False  # a request taken off the queue whose process is starting
        # Held while listeners are called, so that the last status they hear is the
        # current one; reentrant, so that a listener may register another.
        self._telling = threading.RLock()
        self._listeners: list[Callable[[AudioStatus], None]] = []
        self._told = self.status
        self.launches: deque[Launch] = deque(maxlen=5000)
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="limber-cues", daemon=True)
        if start:
            self.start()

    def start(self) -> None:
        """Starts the cue thread (once)."""
        if self._thread.ident is None:
            self._thread.start()

    @property
    def lead(self) -> float:
        return self._latency + HANDOVER_SECONDS

    @property
    def status(self) -> AudioStatus:
        return replace(self._status, voice=self._voice_problem)

    @property
    def speaks(self) -> bool:
        """Whether it has a speech engine; until the cue thread has looked, whether
        it will look for one."""
        with self._cond:
            return self.phrases is not None or (
                self._speech is not None and not self._speech_looked
            )

    @property
    def backend(self) -> str | None:
        """The playsound3 backend in use, once known."""
        return self._backend

    def wait_ready(self, timeout: float = 10.0) -> bool:
        """Waits until the backend is set up (or found missing)."""
        return self._ready.wait(timeout)

    def on_status(self, listener: Callable[[AudioStatus], None]) -> None:
        with self._telling:
            self._listeners.append(listener)

    def play(self, cue: Cue, due_at: float) -> None:
        with self._cond:
            if self._muted or self._closed:
                return
            request = _Request(due_at, cue.kind.value, self._generation, cue)
            bisect.insort(self._requests, request)
            self._cond.notify()

    def prepare(self, cues: Iterable[Cue]) -> None:
        texts = [words for cue in cues for words in cue.words]
        with self._cond:
            phrases = self.phrases
            if phrases is None and self._speech is not None and not self._speech_looked:
                self._unprepared.extend(texts)
        if phrases is not None:
            phrases.prepare(texts)

    def cancel(self) -> Cue | None:
        with self._cond:
            self._generation += 1
            self._requests.clear()
            self._cond.notify()
            self._cue_started.notify_all()
            cut = self._saying if self._speaking_until > self._now() else None
        self.quiet_words()
        return cut

    def renew_speech(self) -> None:
        if self._speech is None:
            return
        with self._cond:
            if not self._speech_looked:
                return  # the cue thread has yet to look: it will, with the new settings
            old, self.phrases = self.phrases, None
            if old is not None:
                self._unprepared = old.known()
            self._speech_looked = False
            self._voice_problem = ""
        self.quiet_words()
        if old is not None:
            old.close()  # after the phrase being rendered, a moment
        threading.Thread(target=self._start_speech, name="limber-speech-start", daemon=True).start()

    def quiet_words(self) -> None:
        with self._cond:
            speaking, self._speaking = self._speaking, []
            # Stopped on purpose: their exit status says nothing about the device.
            self._running = [sound for sound in self._running if sound not in speaking]
            self._speaking_until = float("-inf")  # the ticks after them are heard
            self._saying = None
        for sound in speaking:
            with contextlib.suppress(Exception):
                sound.stop()

    def set_volume(self, volume: int) -> None:
        with self._cond:
            phrases = self.phrases
        if phrases is not None:
            phrases.set_volume(volume)
        with self._cond:
            self._volume = max(1, min(100, volume))
            # A maker already at work makes the latest volume when it is done, so a
            # slider dragged through many volumes makes two sets, not one each.
            if self._closed or self._sound_maker is not None:
                return
            if self._ready.is_set() and self._playsound is None:
                return  # no backend: the sounds would never play
            if self._sounds is not None and self._sounds.volume == self._volume:
                return
            self._sound_maker = threading.Thread(
                target=self._make_sounds, name="limber-cue-volume", daemon=True
            )
            self._sound_maker.start()

    def set_muted(self, muted: bool) -> None:
        with self._cond:
            self._muted = muted
            if muted:
                self._requests.clear()
                self._cue_started.notify_all()
        if muted:  # words last seconds, where a chime is gone at once
            self.quiet_words()

    def drain(self, timeout: float) -> None:
        """Waits (up to `timeout` seconds) for handed-over cues to finish playing, and
        for the sounds of a new volume to be made."""
        deadline = self._now() + timeout
        while self._now() < deadline:
            with self._cond:
                self._reap()
                idle = not (self._requests or self._launching or self._running or self._sound_maker)
            self._tell()
            if idle:
                return
            time.sleep(0.02)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._requests.clear()
            maker = self._sound_maker
            self._cond.notify()
            self._cue_started.notify_all()
        if self._thread.ident is not None:
            self._thread.join(timeout=5)
        sys.setswitchinterval(PYTHON_SWITCH_INTERVAL)
        if self.phrases is not None:
            self.phrases.close()
        if maker is not None:
            maker.join(timeout=5)  # it stops after the set it is making
        for sound in self._running:
            with contextlib.suppress(Exception):
                sound.stop()

    def _run(self) -> None:
        self._start_speech()
        self._start_backend()
        self._ready.set()
        while True:
            self._tell()
            with self._cond:
                if self._closed:
                    return
                due = self._take_due()
            if due is not None:
                self._launch(*due)

    def _take_due(self) -> tuple[_Request, _Sounds] | None:
        """Holding the condition: the request due now with the sounds to play it, or
        None after one wait (for a request, the next one's moment, or the next look
        at the sounds playing; with none of these, until notified) or a new status."""
        self._requests = [r for r in self._requests if r.generation == self._generation]
        status = self._status
        self._reap()
        if self._status != status:
            return None  # the listeners hear of it before the thread waits again
        sounds = self._sounds if self._playsound is not None else None
        if sounds is None and self._requests:
            self._requests.clear()  # no backend: nothing would ever play them
            self._cue_started.notify_all()
        timeout = REAP_SECONDS if self._running else None
        # A process-wide setting, kept to the moments a cue is close (see
        # CUE_SWITCH_INTERVAL); outside them Python's own interval is back.
        sys.setswitchinterval(CUE_SWITCH_INTERVAL if self._requests else PYTHON_SWITCH_INTERVAL)
        if sounds is not None and self._requests:
            wait = self._requests[0].due_at - self._latency - self._now()
            if wait <= 0:
                self._launching = True
                return self._requests.pop(0), sounds
            timeout = wait if timeout is None else min(wait, timeout)
        self._cond.wait(timeout)
        return None

    def _start_speech(self) -> None:
        """Makes the phrase cache, and hands it the words asked for until now."""
        if self._speech is None:
            return
        try:
            phrases = self._speech(self._stand_aside_for_cues, self._voice_failed)
        except Exception as exc:  # words are extra: the chimes must still play
            self._voice_failed(f"spoken cues unavailable: {exc}; chimes play instead")
            phrases = None
        with self._cond:
            self.phrases = phrases
            self._speech_looked = True
            texts, self._unprepared = self._unprepared, []
        if phrases is not None:
            phrases.prepare(texts)
            with self._cond:  # a volume set meanwhile is the one to keep
                volume = self._volume
            phrases.set_volume(volume)

    def _start_backend(self) -> None:
        """Imports playsound3 (it probes the system's players on import), picks a
        backend and plays a moment of silence to measure its start-up delay."""
        try:
            import_when_used("urllib.request")
            import playsound3
        except Exception as exc:
            self._set_status(AudioStatus(False, f"sound unavailable: {exc}"))
            return
        available = list(getattr(playsound3, "AVAILABLE_BACKENDS", []))
        if not available:
            self._set_status(AudioStatus(False, NO_BACKEND))
            return
        # aplay reports a missing device in its exit status; gst-play-1.0 exits 0.
        self._backend = (
            "alsa" if sys.platform.startswith("linux") and "alsa" in available else available[0]
        )
        if self._backend == "alsa":
            from app.audio.quick_alsa import QuickAlsa  # (see there: 0.4 ms a start, not 8)

            self._player = QuickAlsa()
        else:
            self._player = self._backend
        with self._cond:
            volume = self._volume
        try:
            paths = sounds_at_volume(volume, self._cache_dir)
        except OSError as exc:
            self._set_status(
                AudioStatus(False, f"sound unavailable: cannot prepare the sounds ({exc.strerror})")
            )
            return
        with self._cond:
            if self._sounds is None:  # else a volume change made newer ones meanwhile
                self._sounds = _Sounds(volume, paths)
            sounds = self._sounds
            self._playsound = playsound3.playsound
            self._status = AudioStatus(True, f"sound through {self._backend}")
        self._launch(_Request(self._now(), SILENCE, self._generation), sounds)

    def _make_sounds(self) -> None:
        """On a thread of its own: makes the sounds at the volume last asked for and
        swaps them in, again while the volume asked for changes meanwhile."""
        while True:
            with self._cond:
                volume = self._volume
                if self._closed or (self._sounds is not None and self._sounds.volume == volume):
                    self._sound_maker = None
                    return
            try:
                paths = sounds_at_volume(volume, self._cache_dir, self._stand_aside_for_cues)
            except OSError as exc:
                # Cues go on at the volume they had; a later change tries again.
                with self._cond:
                    if self._volume != volume:
                        continue
                    self._sound_maker = None
                    if self._playsound is not None and self._status.available:
                        self._status = AudioStatus(
                            True,
                            f"sound through {self._backend}, but not at {volume}%:"
                            f" cannot prepare the sounds ({exc.strerror})",
                        )
                self._tell()
                return
            with self._cond:
                self._sounds = _Sounds(volume, paths)
                if self._playsound is not None and self._status.available:
                    self._status = AudioStatus(True, f"sound through {self._backend}")
            self._tell()

    def _stand_aside_for_cues(self) -> None:
        """On the sound maker's thread, before each file: waits while a cue is about
        to start or starting."""
        with self._cond:
            while not self._closed:
                if self._launching:
                    timeout = None
                elif self._requests:
                    wait = self._requests[0].due_at - self._latency - self._now()
                    if wait > QUIET_SECONDS:
                        return
                    # Notified once it has started; the timeout is only a fallback.
                    timeout = max(wait, 0) + QUIET_SECONDS
                else:
                    return
                self._cue_started.wait(timeout)

    def _sound_of(self, request: _Request, sounds: _Sounds) -> tuple[Path, str, float] | None:
        """On the cue thread: what a request plays (the file, the words said, their
        length), or None when it gives way (a tick while words are being said, or
        words that could not be said and replace no chime)."""
        cue = request.cue
        if cue is None:
            return sounds.paths[request.kind], "", 0.0
        tick = cue.kind in TICKS or cue.kind is CueKind.SPEECH
        if tick and request.due_at < self._speaking_until:
            return None
        phrases = self.phrases
        if cue.words and phrases is not None:

            def length(text: str) -> float | None:
                rendered = phrases.lookup(text)
                return rendered.seconds if rendered is not None else None

            # Handed over late (after a stall), a phrase has that much less room.
            late = max(0.0, self._now() + self._latency - request.due_at)
            words = choose(replace(cue, room=cue.room - late), length)
            rendered = phrases.lookup(words) if words is not None else None
            if words is not None and rendered is not None:
                return rendered.path, words, rendered.seconds
        if cue.kind is CueKind.SPEECH:
            return None
        return sounds.paths[request.kind], "", 0.0

    def _launch(self, request: _Request, sounds: _Sounds) -> None:
        assert self._playsound is not None
        chosen = self._sound_of(request, sounds)
        if chosen is None:
            with self._cond:
                self._launching = False
                self._cue_started.notify_all()
            return
        path, words, seconds = chosen
        try:
            before = self._now()
            sound = self._playsound(str(path), block=False, backend=self._player)
            started = self._now()
        except Exception as exc:  # a cue that fails must never stop the routine
            with self._cond:
                self._status = AudioStatus(False, f"sound unavailable: {exc}")
                self._launching = False
                self._cue_started.notify_all()
            return
        launch = started - before
        self._latency = (
            launch
            if not self.launches
            else ((1 - LATENCY_WEIGHT) * self._latency + LATENCY_WEIGHT * launch)
        )
        self.launches.append(
            Launch(request.kind, request.due_at, started, launch, sounds.volume, words, seconds)
        )
        with self._cond:
            self._launching = False
            self._cue_started.notify_all()
            stale = bool(words) and request.generation != self._generation
            if not stale:
                self._running.append(sound)
                if words:
                    self._speaking.append(sound)
                    # From when it really starts: a phrase handed over late ends late.
                    self._speaking_until = max(request.due_at, started + self._latency) + seconds
                    self._saying = request.cue
        if stale:  # cancelled while its process started: words must not run on
            with contextlib.suppress(Exception):
                sound.stop()

    def _reap(self) -> None:
        """Holding the condition: forgets finished sounds; a player process that
        failed means no device, one that succeeded after a failure that it is back."""
        still: list[Any] = []
        for sound in self._running:
            code = sound.subprocess.poll()
            if code is None:
                still.append(sound)
                continue
            if sound in self._speaking:
                self._speaking.remove(sound)
            if code != 0:
                self._status = AudioStatus(
                    False,
                    f"sound unavailable: {self._backend} could not play "
                    f"(exit status {code}); is a sound device connected?",
                )
            elif not self._status.available:
                self._status = AudioStatus(True, f"sound through {self._backend}")
        self._running = still

    def _voice_failed(self, problem: str) -> None:
        """On the cue or speech thread: words cannot be said (no engine, or one that
        fails); the listeners hear of it."""
        self._voice_problem = problem
        self._tell()

    def _set_status(self, status: AudioStatus) -> None:
        with self._cond:
            self._status = status

    def _tell(self) -> None:
        """Calls the listeners if the status changed since they were last called.

        Never called holding the condition: a listener may call back into the player.
        """
        with self._telling:
            status = self.status
            if status == self._told:
                return
            self._told = status
            for listener in list(self._listeners):
                try:
                    listener(status)
                except Exception as exc:
                    # A broken listener must not stop the cue thread; report it as
                    # an uncaught error would be.
                    sys.excepthook(type(exc), exc, exc.__traceback__)


def import_when_used(name: str) -> None:
    """Puts off importing the module `name` (not imported yet) until one of its names
    is first read: whoever imports it meanwhile gets a stand-in, which the real
    module replaces on that first read.

    playsound3 imports urllib.request for sounds given as URLs, which Limber never
    plays: with what it imports (http.client, email, ssl) it held 3.1 MiB of the
    idle window's memory. (importlib's LazyLoader cannot do this on Python 3.11:
    an `import` statement reads the module's `__spec__`, which loads it.)
    """
    if name not in sys.modules:
        _set_module(name, _StandIn(name))


class _StandIn(types.ModuleType):
    """A module not imported yet (see `import_when_used`)."""

    def __getattr__(self, attribute: str) -> Any:
        import importlib

        name = self.__name__
        if sys.modules.get(name) is self:
            del sys.modules[name]
        module = importlib.import_module(name)
        _set_module(name, module)
        return getattr(module, attribute)


def _set_module(name: str, module: types.ModuleType) -> None:
    """`module` as `name` in sys.modules and in its package, as an import sets it
    (`urllib.request` is read from `urllib`)."""
    import importlib

    sys.modules[name] = module
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(importlib.import_module(parent), child, module)
