"""The `CuePlayer` protocol the player controller plays cues through, and a silent one."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Protocol

from app.domain.plan import Cue


@dataclass(frozen=True)
class AudioStatus:
    """Whether cues can be heard, and if not, why (shown to the user); `voice` says
    why cues are not spoken, where they would be ("" when they are, or are off)."""

    available: bool
    message: str = ""
    voice: str = ""


class CuePlayer(Protocol):
    """Plays cue sounds without ever blocking the caller."""

    @property
    def lead(self) -> float:
        """Seconds before a cue is due that it should be handed to `play`."""
        ...

    @property
    def status(self) -> AudioStatus:
        """Whether sound works; safe to read from any thread."""
        ...

    @property
    def speaks(self) -> bool:
        """Whether it can say a cue's words (it has a speech engine)."""
        ...

    def on_status(self, listener: Callable[[AudioStatus], None]) -> None:
        """Calls `listener` with the new status each time `status` changes.

        It may be called on any thread, the player's own included, but never while
        the player holds the lock `play` takes, so it may call back into the player.
        It must return quickly (hand the status to its own thread) and is not called
        at once: read `status` after registering to miss no change.
        """
        ...

    def play(self, cue: Cue, due_at: float) -> None:
        """Plays `cue` so that it starts at `due_at` (monotonic seconds): its words
        where they are rendered and fit its room, else its chime."""
        ...

    def prepare(self, cues: Iterable[Cue]) -> None:
        """Renders, in the background, the words of `cues` (a routine just loaded)."""
        ...

    def cancel(self) -> Cue | None:
        """Drops the cues handed over but not yet started (pause, skip, stop), and
        stops words being said; returns the cue whose words it cut short, if any."""
        ...

    def quiet_words(self) -> None:
        """Stops words being said now (speech turned off, muted)."""
        ...

    def renew_speech(self) -> None:
        """Finds the speech engine again (its settings changed); the words asked
        for so far are rendered with it, in the background."""
        ...

    def set_volume(self, volume: int) -> None:
        """Volume in percent, 1-100."""
        ...

    def set_muted(self, muted: bool) -> None:
        """Silences (or unsilences) every cue."""
        ...

    def drain(self, timeout: float) -> None:
        """Waits (up to `timeout` seconds) for handed-over cues to finish playing."""
        ...

    def close(self) -> None:
        """Stops sounds and releases the backend."""
        ...


class NullCuePlayer:
    """A cue player that plays nothing: where sound is off, and while the real one starts.

    Args:
        status: What to report; by default, that sound is off.
    """

    def __init__(self, status: AudioStatus | None = None) -> None:
        self._status = status or AudioStatus(False, "sound is off")

    @property
    def lead(self) -> float:
        return 0.0

    @property
    def status(self) -> AudioStatus:
        return self._status

    @property
    def speaks(self) -> bool:
        return False

    def on_status(self, listener: Callable[[AudioStatus], None]) -> None:
        """The status never changes, so `listener` is never called."""

    def play(self, cue: Cue, due_at: float) -> None:
        """Plays nothing."""

    def prepare(self, cues: Iterable[Cue]) -> None:
        """Nothing to say."""

    def cancel(self) -> Cue | None:
        """Nothing is pending, nothing said."""
        return None

    def quiet_words(self) -> None:
        """Nothing is said."""

    def renew_speech(self) -> None:
        """No engine to find."""

    def set_volume(self, volume: int) -> None:
        """No volume to set."""

    def set_muted(self, muted: bool) -> None:
        """Already silent."""

    def drain(self, timeout: float) -> None:
        """Nothing plays."""

    def close(self) -> None:
        """Nothing to release."""
