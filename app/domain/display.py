"""What the player shows and prints, as text: shared by the window, the compact
window and the terminal player, and testable without Qt."""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.domain.plan import WORK_KINDS, Plan, PlanStep, StepKind
from app.domain.player import PauseReason, PlayerState, Snapshot
from app.domain.session import SessionRecord, WorkDone
from app.domain.text import clock_text, counted, whole_seconds


def countdown_text(seconds_left: float) -> str:
    """The big number: whole seconds left, rounded up; m:ss from a minute on."""
    whole = math.ceil(seconds_left - 1e-9)
    return str(whole) if whole < 60 else f"{whole // 60}:{whole % 60:02d}"


def exercise_name(step: PlanStep) -> str:
    """The exercise, with its progression where it has one."""
    return f"{step.exercise}: {step.progression}" if step.progression else step.exercise


def step_title(step: PlanStep) -> str:
    """The headline of a step."""
    if step.kind is StepKind.COUNTDOWN:
        return f"Get ready: {exercise_name(step)}"
    if step.kind is StepKind.REST:
        return "Rest"
    if step.kind is StepKind.SWITCH:
        return "Switch sides"
    return exercise_name(step)


def step_summary(step: PlanStep) -> str:
    """What a step asks for, in a few words."""
    side = f" {step.side.value}" if step.side else ""
    if step.kind is StepKind.REPS and step.reps is not None:
        if step.reps == 1 and step.side_reps and step.side_reps > 1:
            return f"rep {step.first_rep} of {step.side_reps}{side}"
        pace = ", at your pace" if step.waits else ""
        return f"{counted(step.reps, 'rep')}{side}{pace}"
    if step.kind is StepKind.HOLD:
        return f"hold {step.seconds:g} s{side}"
    if step.kind is StepKind.TIMED:
        return f"{step.seconds:g} s{side}"
    if step.kind is StepKind.SWITCH:
        return f"switch to the{side} side" if side else "switch sides"
    if step.kind is StepKind.REST:
        return f"rest {step.seconds:g} s"
    return f"{step.seconds:g} s"


# Each instruction line of a work step stays up this long before the next one.
INSTRUCTION_SECONDS = 6.0


def instruction_text(snapshot: Snapshot) -> str:
    """The cue line to show now: a work step's lines take turns."""
    lines = snapshot.step.instructions
    if not lines:
        return snapshot.step.instruction
    return lines[int(snapshot.step_elapsed // INSTRUCTION_SECONDS) % len(lines)]


def rep_text(snapshot: Snapshot) -> str:
    """Rep n of m on this side, for a reps step."""
    if snapshot.rep is None or snapshot.side_reps is None:
        return ""
    if snapshot.waiting:
        return counted(snapshot.side_reps, "rep")
    return f"Rep {snapshot.rep} of {snapshot.side_reps}"


def set_text(snapshot: Snapshot) -> str:
    """Set n of m, when there is more than one set."""
    if snapshot.sets <= 1 or snapshot.step.kind is StepKind.COUNTDOWN:
        return ""
    return f"Set {snapshot.set_number} of {snapshot.sets}"


def next_text(snapshot: Snapshot) -> str:
    """What comes after this step."""
    following = snapshot.next_step
    if following is None:
        return "Last step"
    if following.kind is StepKind.COUNTDOWN:
        return f"Next: {exercise_name(following)}"
    if following.kind in (StepKind.REST, StepKind.SWITCH):
        return f"Next: {step_summary(following)}"
    return f"Next: {step_title(following)}, {step_summary(following)}"


def status_line(snapshot: Snapshot, go_key: str = "Space") -> str:
    """A line for the state the player is in, or nothing while it runs.

    Args:
        snapshot: What the player is at.
        go_key: The key that starts, pauses and goes on: "Space" in the window,
            "Enter" in the terminal. Enter says a step that waits is done in both.
    """
    if snapshot.state is PlayerState.READY:
        return f"Press {go_key} to start"
    if snapshot.state is PlayerState.PAUSED:
        if snapshot.pause_reason is PauseReason.SUSPEND:
            return f"Paused: the computer slept. Press {go_key} to go on from this step"
        if snapshot.pause_reason is PauseReason.STALL:
            return f"Paused: the computer stalled. Press {go_key} to go on from this step"
        return f"Paused. Press {go_key} to go on"
    if snapshot.state is PlayerState.FINISHED:
        return "Done! Well moved."
    if snapshot.state is PlayerState.STOPPED:
        return "Stopped"
    if snapshot.waiting:
        return "At your pace: press Enter when done"
    return ""


@dataclass(frozen=True)
class ExerciseSummary:
    """One exercise (or progression) of a plan, as the library lists it."""

    name: str
    sets: int
    each_set: str
    seconds: float


def plan_summary(plan: Plan) -> list[ExerciseSummary]:
    """The plan per exercise and progression: sets, what each set asks per side, time."""
    groups: dict[tuple[int, str], list[PlanStep]] = {}
    for step in plan.steps:
        groups.setdefault((step.exercise_index, step.progression), []).append(step)
    summaries = []
    for steps in groups.values():
        first = steps[0]
        work = [s for s in steps if s.set_number == 1 and s.kind in WORK_KINDS]
        summaries.append(
            ExerciseSummary(
                name=exercise_name(first),
                sets=first.sets,
                each_set=_dose_text(work),
                seconds=sum(s.seconds for s in steps),
            )
        )
    return summaries


def _dose_text(work: list[PlanStep]) -> str:
    """ "10 reps @ 3 s", or per side in the order done: "right 3 reps, left 5 reps"."""
    if not work:
        return ""
    amounts: dict[str, float] = {}
    for step in work:
        key = step.side.value if step.side else ""
        amount = (step.reps or 0) if step.kind is StepKind.REPS else step.seconds
        amounts[key] = amounts.get(key, 0) + amount
    first = work[0]
    if first.kind is StepKind.REPS:
        pace = " at your pace" if first.waits else f" @ {first.tempo:g} s"
        parts = [
            f"{side} {counted(int(amount), 'rep')}".strip() for side, amount in amounts.items()
        ]
        return ", ".join(parts) + pace
    verb = "hold " if first.kind is StepKind.HOLD else ""
    return ", ".join(f"{side} {verb}{amount:g} s".strip() for side, amount in amounts.items())


def session_summary(record: SessionRecord) -> list[str]:
    """A few lines on an ended session: time, and what each side did, leaving out
    what was never reached."""
    status = {
        "completed": "completed",
        "stopped": "stopped early",
        "interrupted": "interrupted",
    }.get(record.status.value, record.status.value)
    # The time of the whole routine, its get-ready and switching pauses too.
    lines = [f"{clock_text(record.active_seconds)} in all, {status}"]
    by_exercise: dict[int, list[WorkDone]] = {}
    for work in record.work:
        if _did_some(work):
            by_exercise.setdefault(work.exercise_index, []).append(work)
    for works in by_exercise.values():
        parts = [f"{w.side + ' ' if w.side else ''}{_amount(w)}" for w in works]
        lines.append(f"{works[0].exercise}: {', '.join(parts)}")
    return lines


def per_side_exercises(record: SessionRecord) -> list[tuple[int, str]]:
    """The exercises of a session done on both sides: which side felt tighter can
    only be asked of those."""
    names: dict[int, str] = {}
    sides: dict[int, set[str]] = {}
    for work in record.work:
        if work.side is not None and _did_some(work):
            names.setdefault(work.exercise_index, work.exercise)
            sides.setdefault(work.exercise_index, set()).add(work.side)
    return [(index, name) for index, name in names.items() if len(sides[index]) > 1]


def _did_some(work: WorkDone) -> bool:
    """Whether a whole rep or second of it was done (a step skipped at once was not)."""
    return work.done >= 1


def _amount(work: WorkDone) -> str:
    """ "10 reps", "30 s", or "8 of 30 s" for a part done: whole units, what was done
    rounded down, so a part never reads as all of it; whole seconds otherwise
    rounded as `clock_text` rounds them (a half up)."""
    if work.kind == "reps":  # whole numbers
        if work.done >= work.planned:
            return counted(round(work.done), "rep")
        return f"{math.floor(work.done)} of {counted(round(work.planned), 'rep')}"
    if work.done >= work.planned:
        return f"{whole_seconds(work.done)} s"
    return f"{math.floor(work.done)} of {whole_seconds(work.planned)} s"
