"""The routine model: what a routine file describes, as immutable values."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Kind(StrEnum):
    """How an exercise is measured."""

    REPS = "reps"
    HOLD = "hold"
    TIMED = "timed"


class Sides(StrEnum):
    """Whether an exercise is done per side, and how the sides follow each other."""

    NONE = "none"
    EACH = "each"  # all reps of one side, a switch pause, then the other side
    ALTERNATING = "alternating"  # left, right, left, right... one rep at a time


class Side(StrEnum):
    """A body side."""

    LEFT = "left"
    RIGHT = "right"

    @property
    def other(self) -> Side:
        """The opposite side."""
        return Side.RIGHT if self is Side.LEFT else Side.LEFT


@dataclass(frozen=True)
class Source:
    """Where a routine comes from."""

    title: str = ""
    author: str = ""
    url: str = ""
    note: str = ""


@dataclass(frozen=True)
class Progression:
    """One stage of an exercise done in order; unset numbers come from the exercise."""

    name: str
    instructions: tuple[str, ...] = ()
    reps: int | None = None
    reps_max: int | None = None
    tempo: float | None = None
    seconds: float | None = None


@dataclass(frozen=True)
class Exercise:
    """One exercise of a routine.

    For `Kind.REPS`, `reps` is the count and `reps_max` the top of an optional
    range (3-5 is reps=3, reps_max=5); `tempo` is seconds per rep, and without
    it the step waits for the user. For `Kind.HOLD` and `Kind.TIMED`, `seconds`
    is the duration.
    """

    name: str
    kind: Kind
    instructions: tuple[str, ...] = ()
    reps: int | None = None
    reps_max: int | None = None
    tempo: float | None = None
    seconds: float | None = None
    sides: Sides = Sides.NONE
    sets: int = 1
    rest_seconds: float = 0.0
    rest_instruction: str = ""
    switch_seconds: float = 5.0
    progressions: tuple[Progression, ...] = ()
    notes: str = ""

    @property
    def per_side(self) -> bool:
        """True when the exercise is done on the left and the right."""
        return self.sides is not Sides.NONE


@dataclass(frozen=True)
class Routine:
    """An ordered list of exercises with what describes it."""

    id: str
    name: str
    exercises: tuple[Exercise, ...]
    description: str = ""
    tags: tuple[str, ...] = ()
    source: Source = field(default_factory=Source)
    notes: str = ""
