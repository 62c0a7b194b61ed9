"""The plan builder: a routine and settings become the exact timeline the player runs.

Pure functions on immutable values. Every duration is exact seconds; the player
adds them up from its clock, so nothing here knows about time passing.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum

from app.domain.routine import Exercise, Kind, Progression, Routine, Side, Sides

# A step that waits for the user has no duration of its own; totals count it at this.
ESTIMATED_SECONDS_PER_REP = 3.0
# The last seconds of a hold, timed movement, rest or switch are counted down aloud.
FINAL_COUNT = 3
# A step's first cue waits this long when the step before may end on the set-done
# chime (about 0.45 s), so that the two sounds never play over each other.
AFTER_CHIME = 0.5


class StepKind(StrEnum):
    """What a step of the plan is."""

    COUNTDOWN = "countdown"
    REPS = "reps"
    HOLD = "hold"
    TIMED = "timed"
    REST = "rest"
    SWITCH = "switch"


# The steps in which the work is done (app.domain.session spells them out as text,
# to read sessions without loading the plan model; a test holds the two equal).
WORK_KINDS = (StepKind.REPS, StepKind.HOLD, StepKind.TIMED)


class CueKind(StrEnum):
    """The sounds (and spoken words) a step carries."""

    ANNOUNCE = "announce"  # the exercise name and side, spoken
    COUNT = "count"  # a get-ready or final 3-2-1 tick; `text` holds the number
    GO = "go"
    REP = "rep"  # a soft tick at the start of each paced rep after the first
    SWITCH = "switch"
    REST = "rest"
    SET_DONE = "set_done"
    ROUTINE_DONE = "routine_done"
    SPEECH = "speech"  # words only, with no chime of their own (`Cue.words`)


# The cue kinds that have a sound of their own (resources/sounds/KIND.wav).
CHIMES = tuple(kind for kind in CueKind if kind is not CueKind.SPEECH)


@dataclass(frozen=True)
class Cue:
    """A cue due `at` seconds after its step starts (`at` may equal the step's length).

    A spoken cue (see `app.domain.spoken`) carries `words`: what to say, longest
    first, each a shorter way of saying it. The longest that was rendered and lasts
    at most `room` seconds is said instead of the chime of `kind`; when none is,
    the chime sounds (nothing, for SPEECH).
    """

    at: float
    kind: CueKind
    text: str = ""
    words: tuple[str, ...] = ()
    room: float = 0.0


@dataclass(frozen=True)
class PlanStep:
    """One step of the timeline.

    `seconds` is the step's length; for a step that `waits` for the user it is
    an estimate used for totals only. For reps, the step covers reps
    `first_rep` .. `first_rep + reps - 1` of `side_reps` on this side.
    `instruction` is the line to show first; a work step also carries all of the
    exercise's `instructions`, which the player shows in turn.
    """

    exercise: str
    exercise_index: int
    kind: StepKind
    seconds: float
    side: Side | None = None
    reps: int | None = None
    first_rep: int = 1
    side_reps: int | None = None
    tempo: float | None = None
    waits: bool = False
    set_number: int = 1
    sets: int = 1
    progression: str = ""
    instruction: str = ""
    instructions: tuple[str, ...] = ()
    cues: tuple[Cue, ...] = ()


@dataclass(frozen=True)
class Plan:
    """The whole timeline of one routine under one set of settings."""

    routine_id: str
    routine_name: str
    steps: tuple[PlanStep, ...]

    @property
    def total_seconds(self) -> float:
        """The length of the routine, counting waiting steps at their estimate."""
        return sum(step.seconds for step in self.steps)

    def cues(self) -> list[Cue]:
        """Every cue of the plan, in order (their words are rendered ahead)."""
        return [cue for step in self.steps for cue in step.cues]

    def starts(self) -> list[float]:
        """Each step's start, in seconds from the start of the routine."""
        result: list[float] = []
        elapsed = 0.0
        for step in self.steps:
            result.append(elapsed)
            elapsed += step.seconds
        return result


@dataclass(frozen=True)
class PlanSettings:
    """How to turn a routine into a plan.

    Attributes:
        weak_side: The weaker side for the whole routine, or None.
        exercise_weak_sides: Per exercise index, a weak side that overrides
            `weak_side` for that exercise (None there means no weak side).
        weak_bonus_reps: Extra reps for the weak side where no range is given.
        weak_bonus_hold_percent: Extra hold or timed seconds for the weak side.
        get_ready_seconds: The countdown before each exercise and progression.
        default_tempo: Seconds per rep for reps without a tempo; None leaves
            them waiting for the user.
    """

    weak_side: Side | None = None
    exercise_weak_sides: Mapping[int, Side | None] = field(default_factory=dict)
    weak_bonus_reps: int = 2
    weak_bonus_hold_percent: float = 25.0
    get_ready_seconds: float = 5.0
    default_tempo: float | None = None

    def __post_init__(self) -> None:
        if self.get_ready_seconds < 1:
            raise ValueError("the get-ready countdown must be at least 1 second")
        if self.default_tempo is not None and self.default_tempo <= 0:
            raise ValueError("the default tempo must be a positive number of seconds")

    def weak_side_for(self, exercise_index: int) -> Side | None:
        """The weak side in force for one exercise."""
        if exercise_index in self.exercise_weak_sides:
            return self.exercise_weak_sides[exercise_index]
        return self.weak_side


@dataclass(frozen=True)
class _Dose:
    """An exercise's numbers, with a progression's overrides applied."""

    name: str
    instructions: tuple[str, ...]
    reps: int | None
    reps_max: int | None
    tempo: float | None
    seconds: float | None


def build_plan(routine: Routine, settings: PlanSettings | None = None) -> Plan:
    """Builds the timeline the player runs for `routine` under `settings`."""
    settings = settings or PlanSettings()
    steps: list[PlanStep] = []
    for index, exercise in enumerate(routine.exercises):
        steps.extend(_exercise_steps(index, exercise, settings))
    if steps:
        # The routine's end is one cue, not "set done" and "routine done" at once.
        last = steps[-1]
        closing = tuple(c for c in last.cues if c.kind is not CueKind.SET_DONE)
        steps[-1] = replace(last, cues=(*closing, Cue(last.seconds, CueKind.ROUTINE_DONE)))
    return Plan(routine.id, routine.name, tuple(steps))


def side_order(weak_side: Side | None) -> tuple[Side, Side]:
    """The good side first; left first when neither side is weaker."""
    if weak_side is None:
        return (Side.LEFT, Side.RIGHT)
    return (weak_side.other, weak_side)


def _doses(exercise: Exercise) -> list[_Dose]:
    base = _Dose(
        exercise.name,
        exercise.instructions,
        exercise.reps,
        exercise.reps_max,
        exercise.tempo,
        exercise.seconds,
    )
    if not exercise.progressions:
        return [base]
    return [_progression_dose(base, p) for p in exercise.progressions]


def _progression_dose(base: _Dose, progression: Progression) -> _Dose:
    reps: int | None = base.reps
    reps_max: int | None = progression.reps_max or base.reps_max
    if progression.reps is not None:
        # A progression's own count starts a range of its own.
        reps, reps_max = progression.reps, progression.reps_max
    return _Dose(
        name=progression.name,
        instructions=progression.instructions or base.instructions,
        reps=reps,
        reps_max=reps_max,
        tempo=progression.tempo if progression.tempo is not None else base.tempo,
        seconds=progression.seconds if progression.seconds is not None else base.seconds,
    )


def _exercise_steps(index: int, exercise: Exercise, settings: PlanSettings) -> Iterator[PlanStep]:
    weak = settings.weak_side_for(index) if exercise.per_side else None
    sides: tuple[Side | None, ...] = side_order(weak) if exercise.per_side else (None,)
    for dose in _doses(exercise):
        progression = dose.name if exercise.progressions else ""
        context = _StepContext(index, exercise, dose, progression)
        yield context.countdown(settings.get_ready_seconds, sides[0])
        for set_number in range(1, exercise.sets + 1):
            work = list(context.set_steps(set_number, sides, weak, settings))
            work[-1] = _with_cue(work[-1], Cue(work[-1].seconds, CueKind.SET_DONE))
            yield from work
            if set_number < exercise.sets and exercise.rest_seconds > 0:
                yield context.rest(set_number)


@dataclass(frozen=True)
class _StepContext:
    """Builds the steps of one exercise (or one of its progressions)."""

    index: int
    exercise: Exercise
    dose: _Dose
    progression: str

    def step(self, kind: StepKind, seconds: float, **fields: object) -> PlanStep:
        return PlanStep(
            exercise=self.exercise.name,
            exercise_index=self.index,
            kind=kind,
            seconds=seconds,
            sets=self.exercise.sets,
            progression=self.progression,
            **fields,  # type: ignore[arg-type]
        )

    def instruction(self) -> str:
        return self.dose.instructions[0] if self.dose.instructions else ""

    def countdown(self, seconds: float, first_side: Side | None) -> PlanStep:
        title = self.progression or self.exercise.name
        spoken = f"{title}, {first_side.value} side" if first_side else title
        cues = (
            Cue(min(AFTER_CHIME, seconds / 2), CueKind.ANNOUNCE, spoken),
            *_final_count(seconds),
        )
        return self.step(
            StepKind.COUNTDOWN, seconds, side=first_side, instruction=self.instruction(), cues=cues
        )

    def rest(self, set_number: int) -> PlanStep:
        seconds = self.exercise.rest_seconds
        cues = (Cue(min(AFTER_CHIME, seconds / 2), CueKind.REST), *_final_count(seconds))
        return self.step(
            StepKind.REST,
            seconds,
            set_number=set_number,
            instruction=self.exercise.rest_instruction or "Rest",
            cues=cues,
        )

    def set_steps(
        self,
        set_number: int,
        sides: tuple[Side | None, ...],
        weak: Side | None,
        settings: PlanSettings,
    ) -> Iterator[PlanStep]:
        if self.exercise.kind is Kind.REPS:
            counts = {side: self.reps_for(side, weak, settings) for side in sides}
            if self.exercise.sides is Sides.ALTERNATING:
                yield from self.alternating(set_number, sides, counts, settings)
                return
            for position, side in enumerate(sides):
                if position > 0:
                    yield from self.switch(side, set_number)
                start = CueKind.SWITCH if position > 0 and not self.switch_pause() else CueKind.GO
                yield self.reps_step(
                    side,
                    set_number,
                    first_rep=1,
                    reps=counts[side],
                    side_reps=counts[side],
                    settings=settings,
                    start=start,
                )
            return
        for position, side in enumerate(sides):
            if position > 0:
                yield from self.switch(side, set_number)
            seconds = self.seconds_for(side, weak, settings)
            kind = StepKind.HOLD if self.exercise.kind is Kind.HOLD else StepKind.TIMED
            start = CueKind.SWITCH if position > 0 and not self.switch_pause() else CueKind.GO
            yield self.step(
                kind,
                seconds,
                side=side,
                set_number=set_number,
                instruction=self.instruction(),
                instructions=self.dose.instructions,
                cues=(Cue(0.0, start), *_final_count(seconds)),
            )

    def switch_pause(self) -> bool:
        return self.exercise.switch_seconds > 0

    def switch(self, side: Side | None, set_number: int) -> Iterator[PlanStep]:
        if not self.switch_pause():
            return
        seconds = self.exercise.switch_seconds
        label = f"Switch to the {side.value} side" if side else "Switch sides"
        yield self.step(
            StepKind.SWITCH,
            seconds,
            side=side,
            set_number=set_number,
            instruction=label,
            cues=(Cue(0.0, CueKind.SWITCH, label), *_final_count(seconds)),
        )

    def alternating(
        self,
        set_number: int,
        sides: tuple[Side | None, ...],
        counts: dict[Side | None, int],
        settings: PlanSettings,
    ) -> Iterator[PlanStep]:
        """One step per rep, sides taking turns; the weak side's extra reps come last."""
        rounds = max(counts.values())
        first = True
        for rep in range(1, rounds + 1):
            for side in sides:
                if rep <= counts[side]:
                    yield self.reps_step(
                        side,
                        set_number,
                        first_rep=rep,
                        reps=1,
                        side_reps=counts[side],
                        settings=settings,
                        start=CueKind.GO if first else CueKind.REP,
                    )
                    first = False

    def reps_step(
        self,
        side: Side | None,
        set_number: int,
        *,
        first_rep: int,
        reps: int,
        side_reps: int,
        settings: PlanSettings,
        start: CueKind,
    ) -> PlanStep:
        tempo = self.dose.tempo if self.dose.tempo is not None else settings.default_tempo
        waits = tempo is None
        seconds = reps * (tempo if tempo is not None else ESTIMATED_SECONDS_PER_REP)
        cues = [Cue(0.0, start)]
        if tempo is not None:
            cues.extend(Cue(rep * tempo, CueKind.REP) for rep in range(1, reps))
        return self.step(
            StepKind.REPS,
            seconds,
            side=side,
            reps=reps,
            first_rep=first_rep,
            side_reps=side_reps,
            tempo=tempo,
            waits=waits,
            set_number=set_number,
            instruction=self.instruction(),
            instructions=self.dose.instructions,
            cues=tuple(cues),
        )

    def reps_for(self, side: Side | None, weak: Side | None, settings: PlanSettings) -> int:
        low = self.dose.reps or 1
        if weak is None or side is not weak:
            return low
        if self.dose.reps_max is not None and self.dose.reps_max > low:
            return self.dose.reps_max
        return low + max(0, settings.weak_bonus_reps)

    def seconds_for(self, side: Side | None, weak: Side | None, settings: PlanSettings) -> float:
        seconds = self.dose.seconds or 1.0
        if weak is None or side is not weak:
            return seconds
        return seconds * (1 + max(0.0, settings.weak_bonus_hold_percent) / 100)


def audible(cue: Cue, silent: frozenset[CueKind]) -> bool:
    """Whether a cue is played: not a chime the person left out (unless it carries
    words, which are said instead of it)."""
    return bool(cue.words) or cue.kind not in silent


def _final_count(seconds: float) -> tuple[Cue, ...]:
    """3-2-1 ticks over the last seconds of a step long enough to count down."""
    if seconds < FINAL_COUNT + 1:
        return ()
    return tuple(Cue(seconds - n, CueKind.COUNT, str(n)) for n in range(FINAL_COUNT, 0, -1))


def _with_cue(step: PlanStep, cue: Cue) -> PlanStep:
    return replace(step, cues=(*step.cues, cue))
