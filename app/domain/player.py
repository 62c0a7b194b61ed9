"""The player engine: a pure state machine over a plan, on an injected clock.

Every boundary is computed from the plan and the clock: a step ends at its
start plus its planned seconds, and the next step starts exactly there, so
late ticks never add up to drift. Pausing shifts the current step's start by
the time spent paused. `tick()` returns the cues that came due as data and
plays nothing itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.domain.clock import Clock
from app.domain.plan import Cue, Plan, PlanStep, StepKind

# Monotonic and boot time drifting apart by more than this means the machine slept.
SUSPEND_SECONDS = 2.0
# A gap between ticks longer than this is a stall or a suspend the monotonic clock
# counted (Windows and macOS do): pause rather than race through the missed steps.
LONG_GAP_SECONDS = 10.0
# Within this much of a step's start, Back goes to the step before; later it restarts.
BACK_RESTARTS_AFTER = 2.0


class PlayerState(StrEnum):
    """Where the player is in its life."""

    READY = "ready"
    RUNNING = "running"
    PAUSED = "paused"
    FINISHED = "finished"
    STOPPED = "stopped"


class PauseReason(StrEnum):
    """Why the player is paused."""

    USER = "user"
    SUSPEND = "suspend"
    STALL = "stall"


class PlayerStateError(RuntimeError):
    """A transition that the current state does not allow."""


@dataclass(frozen=True)
class DueCue:
    """A cue that came due, and when it was due on the monotonic clock."""

    cue: Cue
    step_index: int
    due_at: float


@dataclass(frozen=True)
class StepOutcome:
    """How a step ended: run to its end (or continued by the user), or cut short.

    `seconds` is how long the step ran; for a paced reps step that gives the reps done.
    """

    step_index: int
    seconds: float
    completed: bool


@dataclass(frozen=True)
class Snapshot:
    """What the player shows at one moment."""

    state: PlayerState
    step_index: int
    step: PlanStep
    next_step: PlanStep | None
    seconds_left: float
    step_elapsed: float
    rep: int | None
    side_reps: int | None
    set_number: int
    sets: int
    progress: float
    elapsed: float
    total: float
    waiting: bool
    pause_reason: PauseReason | None


class Player:
    """Runs a plan against a clock.

    Args:
        plan: The timeline to run; it needs at least one step.
        clock: Where time comes from.
    """

    def __init__(self, plan: Plan, clock: Clock) -> None:
        if not plan.steps:
            raise ValueError("a plan with no steps cannot be played")
        self.plan = plan
        self._clock = clock
        self._offsets = plan.starts()
        self._state = PlayerState.READY
        self._index = 0
        self._step_start = 0.0  # monotonic time the current step (re)started
        self._paused_at = 0.0
        self._pause_reason: PauseReason | None = None
        # The next cue to hand out: it may run ahead of the current step by the
        # lead a sound backend needs, or behind it after a late tick.
        self._cue_step = 0
        self._cue_index = 0
        self._pending: list[DueCue] = []  # cues made due by the user, for the next tick
        # What was done: the last outcome of each step left (going back redoes one).
        self._outcomes: dict[int, StepOutcome] = {}
        self._started_at: float | None = None
        self._ended_at: float | None = None
        self._work_began = False
        self._paused_total = 0.0
        self._lost_total = 0.0  # stalls and suspends the monotonic clock counted
        self._last_now = clock.now()
        self._last_boot = clock.since_boot()

    @property
    def state(self) -> PlayerState:
        """The current state."""
        return self._state

    @property
    def step_index(self) -> int:
        """The index of the current step in the plan."""
        return self._index

    @property
    def work_began(self) -> bool:
        """Whether the run got past its opening get-ready countdown, to the first
        exercise or any step after it (and stays so after going back to it). A run
        stopped before that did no work: it is not logged."""
        return self._work_began

    @property
    def outcomes(self) -> dict[int, StepOutcome]:
        """Each step left so far, by index, and how it ended."""
        return dict(self._outcomes)

    def active_seconds(self) -> float:
        """Time spent running, not paused, since start (until the end, once ended)."""
        if self._started_at is None:
            return 0.0
        end = self._ended_at if self._ended_at is not None else self._clock.now()
        paused = self.paused_seconds()
        return max(0.0, end - self._started_at - paused - self._lost_total)

    def paused_seconds(self) -> float:
        """Time spent paused so far."""
        ongoing = 0.0
        if self._state is PlayerState.PAUSED:
            ongoing = self._clock.now() - self._paused_at
        return self._paused_total + ongoing

    def start(self) -> None:
        """Starts at the first step. Only from READY."""
        self._require(PlayerState.READY, action="start")
        self._started_at = self._clock.now()
        self._enter(0, self._started_at)
        self._state = PlayerState.RUNNING
        self._mark_seen()

    def pause(self) -> None:
        """Pauses the clock of the current step. Only while RUNNING.

        Cues handed out ahead (within a lead) but not yet due are taken back, to
        be handed out again after the pause.
        """
        self._require(PlayerState.RUNNING, action="pause")
        now = self._clock.now()
        step = self.plan.steps[self._index]
        elapsed = self._step_elapsed(now)
        ahead = self._cue_step > self._index or (
            self._cue_step == self._index
            and self._cue_index > 0
            and step.cues[self._cue_index - 1].at > elapsed
        )
        if ahead:
            self._cue_step = self._index
            self._cue_index = next(
                (i for i, c in enumerate(step.cues) if c.at > elapsed), len(step.cues)
            )
        self._pause_now(PauseReason.USER, now)

    def resume(self) -> None:
        """Goes on where the pause left off. Only while PAUSED."""
        self._require(PlayerState.PAUSED, action="resume")
        now = self._clock.now()
        self._step_start += now - self._paused_at
        self._paused_total += now - self._paused_at
        self._state = PlayerState.RUNNING
        self._pause_reason = None
        self._mark_seen()

    def toggle(self) -> None:
        """Start, pause or resume, whichever fits: the one key of a timer."""
        if self._state is PlayerState.READY:
            self.start()
        elif self._state is PlayerState.RUNNING:
            self.pause()
        else:
            self.resume()

    def skip(self) -> None:
        """Ends the current step now (a waiting step continues this way).

        Skipping the last step finishes the routine. While PAUSED the player stays
        paused, at the start of the next step.
        """
        self._require(PlayerState.RUNNING, PlayerState.PAUSED, action="skip")
        self._leave(completed=False)
        if self._index + 1 >= len(self.plan.steps):
            self._end(PlayerState.FINISHED)
            return
        self._jump(self._index + 1)

    def continue_step(self) -> None:
        """Marks a step that waits for the user as done; its closing cues come due.

        Raises:
            PlayerStateError: unless RUNNING on a step that waits.
        """
        self._require(PlayerState.RUNNING, action="continue")
        step = self.plan.steps[self._index]
        if not step.waits:
            raise PlayerStateError("cannot continue: this step is timed, not waiting")
        now = self._clock.now()
        # Whatever came due before, then this step's closing cues, due now.
        self._pending.extend(self._cues_due(now, lead=0.0))
        self._pending.extend(DueCue(cue, self._index, now) for cue in step.cues[self._cue_index :])
        self._leave(completed=True)
        if self._index + 1 >= len(self.plan.steps):
            self._end(PlayerState.FINISHED)
        else:
            self._enter(self._index + 1, now)
        self._mark_seen()

    def back(self) -> None:
        """Restarts the current step, or goes to the one before near its start."""
        self._require(PlayerState.RUNNING, PlayerState.PAUSED, action="go back")
        if self._step_elapsed(self._clock.now()) < BACK_RESTARTS_AFTER and self._index > 0:
            self._jump(self._index - 1)
        else:
            self._jump(self._index)

    def stop(self) -> None:
        """Ends the routine early. Only while RUNNING or PAUSED."""
        self._require(PlayerState.RUNNING, PlayerState.PAUSED, action="stop")
        self._leave(completed=False)
        self._end(PlayerState.STOPPED)

    def tick(self, lead: float = 0.0) -> list[DueCue]:
        """Advances to the clock's now and returns the cues that came due, in order.

        Args:
            lead: Also return cues due within this many seconds, so that a sound
                backend with a start-up delay can be started early by it. Steps
                still change at their exact boundaries.

        A suspend, or a gap longer than LONG_GAP_SECONDS, pauses the player at the
        step that was running and rewinds that step to its start, so nothing is
        raced through and nothing resumes mid-step as if no time had passed.
        """
        now, boot = self._clock.now(), self._clock.since_boot()
        slept = (boot - self._last_boot) - (now - self._last_now)
        gap = now - self._last_now
        self._last_now, self._last_boot = now, boot
        due, self._pending = self._pending, []
        if self._state is not PlayerState.RUNNING:
            return due
        if slept > SUSPEND_SECONDS or gap > LONG_GAP_SECONDS:
            reason = PauseReason.SUSPEND if slept > SUSPEND_SECONDS else PauseReason.STALL
            if reason is PauseReason.STALL:
                self._lost_total += gap
            self._enter(self._index, now)
            self._pause_now(reason, now)
            return due
        steps = self.plan.steps
        while not steps[self._index].waits:
            end = self._step_start + steps[self._index].seconds
            if now < end:
                break
            self._outcomes[self._index] = StepOutcome(
                self._index, steps[self._index].seconds, completed=True
            )
            if self._index + 1 >= len(steps):
                self._end(PlayerState.FINISHED, at=end)
                break
            # The next step starts where this one ended, not when we noticed.
            self._index, self._step_start = self._index + 1, end
            self._work_began = True
        return due + self._cues_due(now, lead)

    def next_due(self, lead: float = 0.0) -> float | None:
        """When to tick next (monotonic): the next cue less `lead`, or the step's end."""
        if self._state is not PlayerState.RUNNING:
            return None
        candidates: list[float] = []
        upcoming = self._next_cue_time()
        if upcoming is not None:
            candidates.append(upcoming - lead)
        step = self.plan.steps[self._index]
        if not step.waits:
            candidates.append(self._step_start + step.seconds)
        return min(candidates) if candidates else None

    def snapshot(self) -> Snapshot:
        """What to show now."""
        now = self._clock.now()
        step = self.plan.steps[self._index]
        if self._state is PlayerState.READY:
            elapsed = 0.0
        elif self._state is PlayerState.FINISHED:
            elapsed = step.seconds
        else:
            elapsed = min(self._step_elapsed(now), step.seconds)
        done = self._offsets[self._index] + elapsed
        total = self.plan.total_seconds
        following = (
            self.plan.steps[self._index + 1] if self._index + 1 < len(self.plan.steps) else None
        )
        return Snapshot(
            state=self._state,
            step_index=self._index,
            step=step,
            next_step=following,
            seconds_left=max(0.0, step.seconds - elapsed),
            step_elapsed=elapsed,
            rep=_current_rep(step, elapsed),
            side_reps=step.side_reps,
            set_number=step.set_number,
            sets=step.sets,
            progress=1.0
            if self._state is PlayerState.FINISHED
            else (done / total if total else 0.0),
            elapsed=done,
            total=total,
            waiting=step.waits and self._state is PlayerState.RUNNING,
            pause_reason=self._pause_reason,
        )

    def _require(self, *states: PlayerState, action: str) -> None:
        if self._state not in states:
            raise PlayerStateError(f"cannot {action} while {self._state.value}")

    def _enter(self, index: int, start: float) -> None:
        """Makes `index` the current step, started at `start`, with all its cues ahead."""
        if index > 0 or self.plan.steps[index].kind is not StepKind.COUNTDOWN:
            self._work_began = True
        self._index = index
        self._step_start = start
        self._cue_step, self._cue_index = index, 0

    def _start_of(self, index: int) -> float | None:
        """When step `index` starts (or started), counted from the current step;
        None beyond a step that waits for the user, whose end nobody knows."""
        steps = self.plan.steps
        if index <= self._index:
            return self._step_start - sum(s.seconds for s in steps[index : self._index])
        between = steps[self._index : index]
        if any(s.waits for s in between):
            return None
        return self._step_start + sum(s.seconds for s in between)

    def _cues_due(self, now: float, lead: float) -> list[DueCue]:
        """Hands out the cues due by `now + lead`, moving the cue cursor on.

        The closing cues of a step that waits (set done, routine done) are not
        due until the user continues.
        """
        due: list[DueCue] = []
        horizon = now + lead
        steps = self.plan.steps
        while self._cue_step < len(steps):
            step = steps[self._cue_step]
            start = self._start_of(self._cue_step)
            if start is None:
                return due
            while self._cue_index < len(step.cues):
                cue = step.cues[self._cue_index]
                if (step.waits and cue.at >= step.seconds) or start + cue.at > horizon:
                    return due
                due.append(DueCue(cue, self._cue_step, start + cue.at))
                self._cue_index += 1
            if step.waits:
                return due
            self._cue_step, self._cue_index = self._cue_step + 1, 0
        return due

    def _next_cue_time(self) -> float | None:
        """When the cue at the cursor is due, if that is known."""
        steps = self.plan.steps
        step_index, cue_index = self._cue_step, self._cue_index
        while step_index < len(steps):
            step = steps[step_index]
            start = self._start_of(step_index)
            if start is None:
                return None
            if cue_index < len(step.cues):
                cue = step.cues[cue_index]
                if step.waits and cue.at >= step.seconds:
                    return None
                return start + cue.at
            if step.waits:
                return None
            step_index, cue_index = step_index + 1, 0
        return None

    def _jump(self, index: int) -> None:
        now = self._clock.now()
        self._enter(index, now)
        self._mark_seen()
        if self._state is PlayerState.PAUSED:
            self._paused_at = now

    def _leave(self, *, completed: bool) -> None:
        """Notes how the current step ends, when it is left by the user."""
        elapsed = min(self._step_elapsed(self._clock.now()), self.plan.steps[self._index].seconds)
        if completed or elapsed > 0:
            self._outcomes[self._index] = StepOutcome(self._index, elapsed, completed)

    def _end(self, state: PlayerState, at: float | None = None) -> None:
        now = self._clock.now()
        if self._state is PlayerState.PAUSED:
            self._paused_total += now - self._paused_at
        self._ended_at = at if at is not None else now
        self._state = state

    def _pause_now(self, reason: PauseReason, now: float) -> None:
        self._paused_at = now
        self._pause_reason = reason
        self._state = PlayerState.PAUSED

    def _step_elapsed(self, now: float) -> float:
        reference = self._paused_at if self._state is PlayerState.PAUSED else now
        return max(0.0, reference - self._step_start)

    def _mark_seen(self) -> None:
        self._last_now, self._last_boot = self._clock.now(), self._clock.since_boot()


def _current_rep(step: PlanStep, elapsed: float) -> int | None:
    """The rep in progress (1-based on this side), for a reps step."""
    if step.kind is not StepKind.REPS or step.reps is None:
        return None
    if step.tempo is None or step.waits:
        return step.first_rep
    within = min(int(elapsed // step.tempo), step.reps - 1)
    return step.first_rep + within
