"""What any face of the player shows at a moment, as text: one model for the
window's player, the compact window and the terminal, so they cannot disagree."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from app.domain import display, text
from app.domain.plan import StepKind
from app.domain.player import PlayerState, Snapshot
from app.domain.routine import Side


@dataclass(frozen=True)
class Screen:
    """One moment of a routine, as every face shows it.

    Attributes:
        state: The player's state (READY before the start).
        title: The headline: the step's exercise, "Rest", "Switch sides"; at the
            end, how it ended.
        side: The side the step works, if any.
        big: The big number: what the person needs now. The rep in progress on
            paced reps; the reps to do at a step done at the person's own pace (no
            estimate counts down there); else the seconds left.
        big_counts: What `big` counts: "seconds", "rep", "reps" or "".
        caption: What `big` is, in words, to show under it ("of 5 reps",
            "seconds to hold").
        beat: How far the rep in progress is, in twelfths from 0 to 11/12, on
            paced reps (a face fills a ring or bar with it); None elsewhere.
        asks: What the step asks for, in a few words ("3 reps right, at your pace").
        reps: "Rep 2 of 5" while paced reps run.
        sets: "Set 1 of 2" when there is more than one.
        instruction: The cue line to read now.
        status: Paused, waiting or ready: what to press ("" while it runs).
        next: What comes after this step.
        progress: Share of the routine done, 0-1, in steps of 1/PROGRESS_STEPS;
            1 only once it is over. A step that waits for the person holds it
            where the step began.
        elapsed: "1:02 / 4:50".
        waiting: The step waits for the person to say it is done.
        done_at_own_pace: The step is one the person says is done, whether it
            waits now or is paused (a face keeps its Done button in place).
        loaded: Whether a routine is loaded.
    """

    state: PlayerState
    title: str
    side: Side | None
    big: str
    big_counts: str
    caption: str
    beat: float | None
    asks: str
    reps: str
    sets: str
    instruction: str
    status: str
    next: str
    progress: float
    elapsed: str
    waiting: bool
    loaded: bool = True
    done_at_own_pace: bool = False

    @property
    def over(self) -> bool:
        """Whether the run has ended (finished or stopped)."""
        return self.state in (PlayerState.FINISHED, PlayerState.STOPPED)

    @property
    def paused(self) -> bool:
        return self.state is PlayerState.PAUSED


# The progress bar moves in this many steps at most: a quarter of a percent, a few
# pixels of the widest bar; and at most once a second (see `bar_steps`).
PROGRESS_STEPS = 400
# How long after a change is due a face looks for it.
LOOK_AFTER = 0.002
# A rep's progress is shown in this many parts: a face redraws at most this often a rep.
BEATS = 12

CAPTIONS = {
    StepKind.COUNTDOWN: "seconds to get ready",
    StepKind.HOLD: "seconds to hold",
    StepKind.REST: "seconds of rest",
    StepKind.SWITCH: "seconds to switch",
}

NOTHING_LOADED = "Pick a routine in the Library and press Start"

EMPTY = Screen(
    state=PlayerState.READY,
    title=NOTHING_LOADED,
    side=None,
    big="",
    big_counts="",
    caption="",
    beat=None,
    asks="",
    reps="",
    sets="",
    instruction="",
    status="",
    next="",
    progress=0.0,
    elapsed="",
    waiting=False,
    loaded=False,
)


def screen_of(snapshot: Snapshot | None, *, go_key: str = "Space") -> Screen:
    """What to show for `snapshot` (None: no routine loaded).

    Args:
        snapshot: The player's snapshot.
        go_key: The key that starts and goes on, as the status line names it
            ("Space" in the window, "Enter" in the terminal).
    """
    if snapshot is None:
        return EMPTY
    step = snapshot.step
    elapsed = f"{text.clock_text(snapshot.elapsed)} / {text.clock_text(snapshot.total)}"
    status = display.status_line(snapshot, go_key)
    if snapshot.state in (PlayerState.FINISHED, PlayerState.STOPPED):
        return replace(
            EMPTY,
            loaded=True,
            state=snapshot.state,
            title=status,
            progress=1.0 if snapshot.state is PlayerState.FINISHED else snapshot.progress,
            elapsed=elapsed,
        )
    paced_by_person = step.waits and step.kind is StepKind.REPS
    beat = None
    reps_asked = snapshot.side_reps or step.reps or 0
    if paced_by_person:
        big, counts = str(reps_asked or ""), "reps"
        caption = f"{'rep' if reps_asked == 1 else 'reps'}, at your pace"
    elif step.kind is StepKind.REPS and snapshot.rep is not None and step.tempo:
        big, counts = str(snapshot.rep), "rep"
        caption = f"of {text.counted(snapshot.side_reps or snapshot.rep, 'rep')}"
        into_rep = snapshot.step_elapsed - (snapshot.rep - step.first_rep) * step.tempo
        beat = min(max(math.floor(into_rep / step.tempo * BEATS), 0), BEATS - 1) / BEATS
    else:
        big, counts = display.countdown_text(snapshot.seconds_left), "seconds"
        caption = CAPTIONS.get(step.kind, "seconds")
        if big == "1":
            caption = caption.replace("seconds", "second", 1)
    progress = snapshot.progress
    if step.waits and snapshot.total:
        # The estimate of a step done at one's own pace is no clock: the bar waits
        # at the step's start until the person says it is done.
        progress = (snapshot.elapsed - snapshot.step_elapsed) / snapshot.total
    return Screen(
        state=snapshot.state,
        title=display.step_title(step),
        side=step.side,
        big=big,
        big_counts=counts,
        caption=caption,
        beat=beat,
        asks=display.step_summary(step),
        reps=text.counted(reps_asked, "rep") if paced_by_person else display.rep_text(snapshot),
        sets=display.set_text(snapshot),
        # A rest's line "Rest" under the title "Rest" says nothing twice.
        instruction=_unless_title(display.instruction_text(snapshot), display.step_title(step)),
        status=status,
        next=display.next_text(snapshot),
        # In steps (see `bar_steps`): a face redraws its bar when one more is done.
        progress=min(_steps_done(progress, snapshot.total) / bar_steps(snapshot.total), 1.0),
        elapsed=elapsed,
        waiting=snapshot.waiting,
        done_at_own_pace=step.waits,
    )


def next_change(snapshot: Snapshot) -> float | None:
    """Seconds until what `screen_of(snapshot)` shows would next change while the
    player runs on, or None when only a control or a step's end changes it (a
    face need not look before then; the step's end is the driver's `next_due`).

    What moves on its own: the big number (a whole second, or the next rep), the
    beat (a twelfth of a rep), the elapsed time (its rounding to the second), the
    progress bar (a step of `PROGRESS_STEPS`), and the instruction lines taking turns.
    """
    if snapshot.state is not PlayerState.RUNNING:
        return None
    step = snapshot.step
    waits: list[float] = []
    if not step.waits:
        left = snapshot.seconds_left
        waits.append(left - (math.ceil(left - 1e-9) - 1))  # the countdown's next second
        if step.kind is StepKind.REPS and step.tempo:
            part = step.tempo / BEATS
            waits.append(part - snapshot.step_elapsed % part)  # the next twelfth of a rep
        if snapshot.total:
            steps = bar_steps(snapshot.total)
            done = snapshot.progress * steps
            waits.append(
                (_steps_done(snapshot.progress, snapshot.total) + 1 - done) / steps * snapshot.total
            )
    # A step at one's own pace stops its clock at its estimate: then nothing moves.
    if not step.waits or snapshot.step_elapsed < step.seconds:
        elapsed = snapshot.elapsed
        waits.append(math.floor(elapsed + 0.5) + 0.5 - elapsed)  # "1:02" rounds at .5
        if len(step.instructions) > 1:
            turn = display.INSTRUCTION_SECONDS
            waits.append(turn - snapshot.step_elapsed % turn)
    # Just past the moment, so that the change has come when the face looks.
    return min(waits) + LOOK_AFTER if waits else None


def bar_steps(total: float) -> int:
    """The steps of the progress bar of a routine of `total` seconds: PROGRESS_STEPS,
    but at most one a second. A step then ends on a whole second of the routine,
    when the countdown moves too (its steps start on whole seconds): one look at
    the screen a second, not two; the bar of a 34 s routine moves in 34 steps."""
    return max(1, min(PROGRESS_STEPS, math.floor(total)))


def _steps_done(progress: float, total: float) -> int:
    """The bar's steps done at `progress` (a step done but for a billionth, a
    floating-point error, counts as done)."""
    return math.floor(progress * bar_steps(total) + 1e-9)


def _unless_title(line: str, title: str) -> str:
    return "" if line.casefold() == title.casefold() else line


def terminal_line(screen: Screen, start: float) -> str:
    """The line `limber play --no-window` prints as a step begins."""
    side = screen.side.value.upper() if screen.side else ""
    asks = screen.asks
    if asks.lower().startswith(screen.title.lower()):  # "Rest 5 s", not "Rest: rest 5 s"
        what = asks[:1].upper() + asks[1:]
    else:
        what = f"{screen.title}: {asks}"
    sets = f", {screen.sets[:1].lower()}{screen.sets[1:]}" if screen.sets else ""
    return f"{text.clock_text(start):>6}  {side:<5}  {what}{sets}"
