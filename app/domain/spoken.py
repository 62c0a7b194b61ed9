"""What Limber says aloud, and when: a plan's cues given words.

`script(plan, phrases)` returns the plan with spoken cues: each carries its words
(longest first, each a shorter way to say it) and its room, the seconds it may
last. The cue player says the longest version that was rendered and fits its room,
or else plays the cue's chime; so a phrase is never late (it starts at its cue's
moment like a chime) and never cut off (it ends within its room).

The rules when two cues would meet:

- A phrase that leads into a step (the exercise and side while getting ready,
  switching sides, resting) starts with its step and must end LEAD_GAP seconds
  before the step's end, the next "go". A name too long for that shortens:
  "Right side. Spinal rotation in heel sitting. 3 reps." becomes "Right side.
  Spinal rotation in heel sitting.", then "Right side. Spinal rotation.", then
  "Right side.".
- While a phrase is being said, the ticks that fall inside it (the 3-2-1 count,
  a rep's tick, a spoken count or rep number) are dropped: the words carry the
  step, and a tick over them would garble both. Every other chime (go, switch,
  set done, routine done) falls after the phrase by the rule above.
- Any other phrase (halfway, a counted second, a rep number, the end) lasts at
  most until the next cue of its step, less GAP; a phrase that does not fit gives
  way to its chime (or to nothing, for words that replace no chime).

Pure functions on plan values, like the plan builder.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import replace
from enum import StrEnum

from app.domain.plan import Cue, CueKind, Plan, PlanStep, StepKind
from app.domain.routine import Side
from app.domain.text import counted, whole_seconds


class Phrase(StrEnum):
    """The kinds of thing Limber can say; which ones it says is a setting."""

    EXERCISE = "exercise"  # the exercise, side and what to do, while getting ready
    SWITCH = "switch"  # "Switch to the left side"
    REST = "rest"  # rest, with what comes next ("set 2 of 3")
    HALFWAY = "halfway"  # halfway through a hold or timed work of HALFWAY_SECONDS or more
    LAST_SECONDS = "last_seconds"  # the last five seconds of a hold, timed work or rest
    REP_COUNT = "rep_count"  # the rep numbers, paced by the tempo
    END = "end"  # the routine is done


# Said unless the person chooses otherwise: what a person on the floor needs,
# and nothing that talks over every second.
DEFAULT_PHRASES = frozenset({Phrase.EXERCISE, Phrase.SWITCH, Phrase.REST, Phrase.END})
# What each phrase is called in the menus and `limber voices`.
PHRASE_LABELS = {
    Phrase.EXERCISE: "The exercise and side, while getting ready",
    Phrase.SWITCH: "Switching sides",
    Phrase.REST: "Rest, and what comes next",
    Phrase.HALFWAY: "Halfway through a long hold",
    Phrase.LAST_SECONDS: "The last five seconds",
    Phrase.REP_COUNT: "Rep counts",
    Phrase.END: "The end of the routine",
}
# A lead-in phrase ends this long before the step's end (the next "go").
LEAD_GAP = 0.3
# Any other phrase ends this long before the next cue of its step.
GAP = 0.1
# Holds and timed work this long or longer get "Halfway".
HALFWAY_SECONDS = 20.0
# Holds, timed work and rests this long or longer get their last seconds counted.
COUNTED_SECONDS = 5
LAST_SECONDS_FROM = 10.0
# The room of the routine's last phrase: nothing comes after it.
END_ROOM = 10.0
# Ticks a phrase being said drops (see the module's rules).
TICKS = frozenset({CueKind.COUNT, CueKind.REP})
NUMBER_WORDS = ("zero", "one", "two", "three", "four", "five")
# The words of a name that start what follows its core ("rotation in heel sitting").
_LINKS = frozenset({"in", "on", "with", "to", "at", "from", "of", "for", "into", "onto", "off"})


def script(plan: Plan, phrases: Iterable[Phrase]) -> Plan:
    """`plan` with the `phrases` chosen given words and rooms (see the module's rules)."""
    chosen = frozenset(phrases)
    if not chosen:
        return plan
    steps = plan.steps
    return replace(
        plan,
        steps=tuple(
            _spoken_step(steps, index, chosen, last=index == len(steps) - 1)
            for index in range(len(steps))
        ),
    )


def texts(plan: Plan) -> list[str]:
    """Every version of every phrase of a scripted plan, once each, in order of use."""
    seen: dict[str, None] = {}
    for step in plan.steps:
        for cue in step.cues:
            for words in cue.words:
                seen.setdefault(words, None)
    return list(seen)


def choose(cue: Cue, length: Callable[[str], float | None]) -> str | None:
    """The version of a spoken cue to say: the longest whose `length` (seconds, None
    while not rendered) fits its room; None when none does."""
    for words in cue.words:
        seconds = length(words)
        if seconds is not None and seconds <= cue.room:
            return words
    return None


def lead_in(cue: Cue) -> bool:
    """Whether a cue leads into the step after it (its room runs to that step's go)."""
    return bool(cue.words) and cue.kind in (CueKind.ANNOUNCE, CueKind.SWITCH, CueKind.REST)


def short_name(name: str) -> str:
    """The core of an exercise's name, to say when the whole name does not fit.

    The words before the first link word ("Spinal rotation in heel sitting" is
    "Spinal rotation"), without the choices joined by "and" or "or" ("Seated hip
    external and internal rotation" is "Seated hip rotation"), and of a name still
    longer than three words the last two, which in English name the movement
    ("Rear-foot-elevated half-kneeling hip extension" is "Hip extension").
    """
    words = re.split(r"\s+", re.split(r"[(:,;–—]", name, maxsplit=1)[0].strip())
    for position, word in enumerate(words):
        if position > 0 and word.lower() in _LINKS:
            words = words[:position]
            break
    while (
        joined := next(
            (
                i
                for i, w in enumerate(words)
                if 0 < i < len(words) - 2 and w.lower() in ("and", "or")
            ),
            None,
        )
    ) is not None:
        del words[joined - 1 : joined + 2]
    core = " ".join(words[-2:] if len(words) > 3 else words)
    return core[:1].upper() + core[1:]


def _spoken_step(
    steps: tuple[PlanStep, ...], index: int, phrases: frozenset[Phrase], *, last: bool
) -> PlanStep:
    step = steps[index]
    cues = list(step.cues)
    extra: list[Cue] = []
    for position, cue in enumerate(cues):
        words = _words_for(steps, index, cue, phrases, last=last)
        if words:
            cues[position] = replace(cue, words=words)
    long_work = step.kind in (StepKind.HOLD, StepKind.TIMED) and step.seconds >= HALFWAY_SECONDS
    if Phrase.HALFWAY in phrases and long_work:
        extra.append(Cue(step.seconds / 2, CueKind.SPEECH, words=("Halfway.",)))
    if Phrase.LAST_SECONDS in phrases and _counts_down(step):
        cues = [
            replace(c, words=(f"{NUMBER_WORDS[int(c.text)].capitalize()}.",))
            if c.kind is CueKind.COUNT and c.text.isdigit() and int(c.text) <= COUNTED_SECONDS
            else c
            for c in cues
        ]
        counted_ = {int(c.text) for c in cues if c.kind is CueKind.COUNT and c.text.isdigit()}
        extra.extend(
            Cue(step.seconds - n, CueKind.SPEECH, str(n), (f"{NUMBER_WORDS[n].capitalize()}.",))
            for n in range(COUNTED_SECONDS, 0, -1)
            if n not in counted_
        )
    ordered = sorted([*cues, *extra], key=lambda c: c.at)  # stable: ties keep their order
    return replace(step, cues=tuple(_with_room(step, ordered, last=last)))


def _counts_down(step: PlanStep) -> bool:
    return (
        step.kind in (StepKind.HOLD, StepKind.TIMED, StepKind.REST)
        and step.seconds >= LAST_SECONDS_FROM
    )


def _with_room(step: PlanStep, cues: list[Cue], *, last: bool) -> Iterable[Cue]:
    for position, cue in enumerate(cues):
        if not cue.words:
            yield cue
            continue
        if lead_in(cue):
            room = step.seconds - LEAD_GAP - cue.at
        elif cue.kind is CueKind.ROUTINE_DONE and last:
            room = END_ROOM
        else:
            later = [c.at for c in cues[position + 1 :] if c.at > cue.at]
            room = (later[0] if later else step.seconds) - GAP - cue.at
        yield replace(cue, room=max(0.0, room))


def _words_for(
    steps: tuple[PlanStep, ...], index: int, cue: Cue, phrases: frozenset[Phrase], *, last: bool
) -> tuple[str, ...]:
    step = steps[index]
    if cue.kind is CueKind.ANNOUNCE and Phrase.EXERCISE in phrases:
        return _exercise_words(steps, index)
    if cue.kind is CueKind.SWITCH and Phrase.SWITCH in phrases:
        if step.kind is StepKind.SWITCH and step.side is not None:
            return (f"Switch to the {step.side.value} side.", f"{_side(step.side)} side.")
        if step.side is not None:  # no pause to switch: the work starts on the other side
            return (f"{_side(step.side)} side.",)
        return ("Switch sides.",)
    if cue.kind is CueKind.REST and Phrase.REST in phrases:
        return _rest_words(steps, index)
    if cue.kind is CueKind.REP and Phrase.REP_COUNT in phrases and step.kind is StepKind.REPS:
        rep = step.first_rep + round(cue.at / step.tempo) if step.tempo else step.first_rep
        if step.reps == 1 and step.side is not None:  # sides take turns, a rep each
            return (f"{_side(step.side)}, {rep}.", f"{rep}.")
        return (f"{rep}.",)
    if cue.kind is CueKind.ROUTINE_DONE and last and Phrase.END in phrases:
        return ("That's the routine done. Well done.", "Routine done.")
    return ()


def _exercise_words(steps: tuple[PlanStep, ...], index: int) -> tuple[str, ...]:
    """While getting ready: the side, the exercise, then what to do; shorter and
    shorter (see the module's rules)."""
    step = steps[index]
    work = next(
        (s for s in steps[index + 1 :] if s.kind not in (StepKind.COUNTDOWN, StepKind.SWITCH)),
        None,
    )
    name = step.exercise
    title = (
        f"{name}, {step.progression[:1].lower()}{step.progression[1:]}"
        if step.progression
        else name
    )
    core = step.progression or short_name(name)
    side = f"{_side(step.side)} side. " if step.side is not None else ""
    versions = [f"{side}{title}."]
    dose = _dose(work) if work is not None and work.exercise_index == step.exercise_index else ""
    if dose:
        versions.insert(0, f"{side}{title}. {dose}.")
    versions.append(f"{side}{core}.")
    if side:
        versions.append(side.strip())
    return tuple(dict.fromkeys(versions))


def _dose(work: PlanStep) -> str:
    if work.kind is StepKind.REPS:
        reps = counted(work.side_reps or work.reps or 1, "rep")
        if work.reps == 1 and work.side is not None and (work.side_reps or 1) > 1:
            reps += " each side, in turn"
        dose = f"{reps}, at your pace" if work.waits else reps
    elif work.kind is StepKind.HOLD:
        dose = f"Hold {counted(whole_seconds(work.seconds), 'second')}"
    else:
        dose = counted(whole_seconds(work.seconds), "second")
    if work.sets > 1:
        dose += f", {work.sets} sets"
    return dose[:1].upper() + dose[1:]


def _rest_words(steps: tuple[PlanStep, ...], index: int) -> tuple[str, ...]:
    step = steps[index]
    rest = f"Rest {counted(whole_seconds(step.seconds), 'second')}."
    if step.set_number < step.sets:
        following = f"set {step.set_number + 1} of {step.sets}"
        return (
            f"{rest} Next, {step.exercise}, {following}.",
            f"{rest} Next, {following}.",
            "Rest.",
        )
    return (rest, "Rest.")


def _side(side: Side) -> str:
    return side.value.capitalize()
