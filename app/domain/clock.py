"""Clocks the player reads, and the machine's time zone. Tests inject `FakeClock`;
nothing here sleeps."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Protocol

LOCALTIME = Path("/etc/localtime")


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


def local_zone() -> tzinfo:
    """The machine's time zone, with its rules for changing the clocks where found.

    A zone name in TZ (Europe/Berlin) first, else /etc/localtime (Linux, macOS),
    read afresh on each call so that a running process follows a change of zone.
    Elsewhere (Windows without the tzdata package, a TZ rule string) it is the
    current UTC offset, right until the clocks next change.
    """
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError  # 3 ms, not before the first frame

    name = os.environ.get("TZ", "").removeprefix(":")
    try:
        if name:
            return ZoneInfo(name)
        with LOCALTIME.open("rb") as file:
            return ZoneInfo.from_file(file, key="localtime")
    except (OSError, ValueError, ZoneInfoNotFoundError):
        # ValueError: a name that is a path or a rule; a file that is not TZif.
        return datetime.now().astimezone().tzinfo or UTC
