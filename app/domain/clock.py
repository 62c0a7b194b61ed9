"""Clocks the player reads. Tests inject `FakeClock`; nothing here sleeps."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """Two readings of elapsed time, in seconds.

    `now()` is monotonic and drives every boundary. `since_boot()` also counts
    time the machine spent suspended; where `now()` stops during a suspend (Linux),
    the two drift apart by the length of the suspend, which is how the player
    notices one.
    """

    def now(self) -> float:
        """Monotonic seconds."""
        ...

    def since_boot(self) -> float:
        """Seconds that keep counting while the machine sleeps."""
        ...


class SystemClock:
    """The machine's clocks: CLOCK_MONOTONIC, and CLOCK_BOOTTIME where there is one.

    Where CLOCK_BOOTTIME is missing the wall clock stands in for it: it too goes on
    while the machine sleeps (a wall clock step looks like a suspend and pauses,
    which is the safe side to err on).
    """

    def now(self) -> float:
        return time.monotonic()

    def since_boot(self) -> float:
        boottime = getattr(time, "CLOCK_BOOTTIME", None)
        if boottime is not None:
            return time.clock_gettime(boottime)
        return time.time()


class FakeClock:
    """A clock that moves only when told to.

    Args:
        start: The first reading of both clocks.
    """

    def __init__(self, start: float = 1000.0) -> None:
        self._now = start
        self._boot = start

    def now(self) -> float:
        return self._now

    def since_boot(self) -> float:
        return self._boot

    def advance(self, seconds: float) -> None:
        """Time passes with the machine awake."""
        self._now += seconds
        self._boot += seconds

    def suspend(self, seconds: float) -> None:
        """The machine sleeps: the monotonic clock stands still, boot time goes on."""
        self._boot += seconds
