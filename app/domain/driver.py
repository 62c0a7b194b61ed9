"""One run of a routine, as data: the controls a person has, and what each moment
brings (cues due, the run started, moved on or ended).

Every face (the window, the compact window, `limber play --no-window`) drives a
routine through a `SessionDriver`: the window on Qt timers, the terminal in a
sleeping loop. What they do with an update (play the cues, log the session,
show the screen) is theirs; when the run started, moved on or ended is decided
here, once.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from app.domain.clock import Clock
from app.domain.plan import Cue, CueKind, Plan
from app.domain.player import DueCue, Player, PlayerState, Snapshot
from app.domain.spoken import lead_in


class Control(enum.Enum):
    """What a person can ask of a run."""

    PRIMARY = "primary"  # Space: start, pause, go on (a step that waits pauses too)
    DONE = "done"  # Enter or the Done button: a step that waits for the person is done
    BACK = "back"
    SKIP = "skip"
    NEXT = "next"  # a clicker's or media key's Next: DONE at a step that waits, else SKIP
    STOP = "stop"


class RunEvent(enum.Enum):
    """What happened to the run since the last update."""

    STARTED = "started"
    PROGRESSED = "progressed"  # a step ended, or the player moved to another step
    ENDED = "ended"  # FINISHED or STOPPED


@dataclass(frozen=True)
class Update:
    """What an update found.

    Attributes:
        cues: Cues to hand to the cue player now, in order.
        events: What happened to the run, in order.
        snapshot: What the player is at.
        next_due: When to update next (monotonic seconds), or None when only a
            control moves the run on (ready, paused, waiting, ended).
    """

    cues: tuple[DueCue, ...]
    events: tuple[RunEvent, ...]
    snapshot: Snapshot
    next_due: float | None


class SessionDriver:
    """Drives a `Player` through one run of `plan` on `clock`.

    Args:
        plan: What to play; it needs at least one step.
        clock: Where time comes from.
    """

    def __init__(self, plan: Plan, clock: Clock) -> None:
        self.player = Player(plan, clock)
        self._clock = clock
        self._seen: tuple[PlayerState, int, int] | None = None
        self._pausing = False  # the last control paused the run
        self._cut: Cue | None = None  # words that pause cut (see `words_cut_by`)
        self._again: list[DueCue] = []  # those words, said again on going on

    @property
    def plan(self) -> Plan:
        return self.player.plan

    @property
    def ended(self) -> bool:
        """Whether the run is over (finished or stopped)."""
        return self.player.state in (PlayerState.FINISHED, PlayerState.STOPPED)

    def control(self, control: Control) -> bool:
        """Applies a person's control, where it applies (else nothing happens).

        Returns whether cues already handed to the cue player must be dropped
        (the run paused, skipped, went back or stopped); the face then tells
        `words_cut_by` what dropping them cut.
        """
        player = self.player
        if self.ended:
            return False
        if control is Control.NEXT:
            control = Control.DONE if player.snapshot().waiting else Control.SKIP
        if control is Control.DONE:
            if player.snapshot().waiting:
                player.continue_step()
            return False
        if control is Control.PRIMARY:
            before, cut = player.snapshot(), self._cut
            self._pausing = before.state is PlayerState.RUNNING
            self._cut, self._again = None, []
            player.toggle()
            if before.state is PlayerState.PAUSED and cut is not None:
                again = say_again(cut, before)
                if again is not None:
                    self._again.append(DueCue(again, before.step_index, self._clock.now()))
            return before.state is PlayerState.RUNNING
        if player.state not in (PlayerState.RUNNING, PlayerState.PAUSED):
            return False
        {Control.BACK: player.back, Control.SKIP: player.skip, Control.STOP: player.stop}[control]()
        self._pausing, self._cut, self._again = False, None, []
        return True

    def words_cut_by(self, cue: Cue | None) -> None:
        """Hears which words dropping the cues cut short (what the cue player's
        `cancel` returned): cut by a person's pause, they are said again as the
        run goes on (see `say_again`)."""
        self._cut = cue if self._pausing else None
        self._pausing = False

    def update(self, lead: float = 0.0) -> Update:
        """Advances to the clock's now: the cues due within `lead`, and what happened."""
        player = self.player
        again, self._again = self._again, []
        cues = (*again, *player.tick(lead=lead))
        return Update(cues, self._events(), player.snapshot(), player.next_due(lead=lead))

    def _events(self) -> tuple[RunEvent, ...]:
        player = self.player
        seen = (player.state, player.step_index, len(player.outcomes))
        before, self._seen = self._seen, seen
        if before == seen or player.state is PlayerState.READY:
            return ()
        events: list[RunEvent] = []
        if before is None or before[0] is PlayerState.READY:
            events.append(RunEvent.STARTED)
        if self.ended:
            events.append(RunEvent.ENDED)
        elif before is not None and before[1:] != seen[1:]:
            events.append(RunEvent.PROGRESSED)
        return tuple(events)


def say_again(cut: Cue, paused: Snapshot) -> Cue | None:
    """The words a pause at `paused` cut short, to say again as the run goes on,
    when they told what comes next (getting ready, switching sides, resting) in
    the step paused: as words only, in what is left of their room (the cue
    player says the longest version that still fits, or nothing, and leaves out
    the step's ticks that fall inside them). None for any other words (counts,
    halfway): those are not said twice.
    """
    if not lead_in(cut) or cut not in paused.step.cues:
        return None
    room = cut.at + cut.room - paused.step_elapsed
    return replace(cut, kind=CueKind.SPEECH, room=room) if room > 0 else None
