"""The plan builder: exact timelines, the weak side, properties over any routine."""

from __future__ import annotations

import math
from collections import defaultdict
from importlib import resources

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import routine_format
from app.domain.plan import CueKind, Plan, PlanSettings, StepKind, build_plan
from app.domain.routine import Exercise, Kind, Routine, Side, Sides
from tests.strategies import routines


def builtin(routine_id: str) -> Routine:
    entry = resources.files("app.data.routines").joinpath(f"{routine_id}.json")
    return routine_format.loads(entry.read_bytes(), entry.name)


def work(plan: Plan) -> list[tuple[str | None, int | None, float]]:
    return [
        (s.side.value if s.side else None, s.reps, s.seconds)
        for s in plan.steps
        if s.kind in (StepKind.REPS, StepKind.HOLD, StepKind.TIMED)
    ]


def test_heel_sitting_with_a_weak_left_starts_right_and_gives_left_the_top_of_the_range() -> None:
    plan = build_plan(builtin("spinal-rotation-heel-sitting"), PlanSettings(weak_side=Side.LEFT))
    assert [s.kind for s in plan.steps] == [
        StepKind.COUNTDOWN,
        StepKind.REPS,
        StepKind.SWITCH,
        StepKind.REPS,
    ]
    assert work(plan) == [("right", 3, 12.0), ("left", 5, 20.0)]
    assert plan.total_seconds == 5 + 12 + 5 + 20


def test_heel_sitting_without_a_weak_side_does_the_low_end_on_both() -> None:
    assert work(build_plan(builtin("spinal-rotation-heel-sitting"))) == [
        ("left", 3, 12.0),
        ("right", 3, 12.0),
    ]


def test_twisters_are_two_sets_of_ten_per_side_with_rest_between() -> None:
    plan = build_plan(builtin("thoracic-spine-roller-twisters"), PlanSettings(weak_side=Side.RIGHT))
    kinds = [s.kind.value for s in plan.steps]
    assert kinds == ["countdown", "reps", "switch", "reps", "rest", "reps", "switch", "reps"]
    assert [(side, reps) for side, reps, _ in work(plan)] == [
        ("left", 10),
        ("right", 12),
        ("left", 10),
        ("right", 12),
    ]
    assert [s.set_number for s in plan.steps if s.kind is StepKind.REPS] == [1, 1, 2, 2]


def test_a_weak_side_hold_gets_the_configured_bonus() -> None:
    settings_ = PlanSettings(weak_side=Side.LEFT, weak_bonus_hold_percent=50)
    plan = build_plan(builtin("five-movements-healthy-back"), settings_)
    holds = [(s.side, s.seconds) for s in plan.steps if s.kind is StepKind.HOLD]
    assert holds == [(Side.RIGHT, 30.0), (Side.LEFT, 45.0)]


def test_five_movements_works_each_hip_in_turn_where_the_article_implies_sides() -> None:
    routine = builtin("five-movements-healthy-back")
    plan = build_plan(routine, PlanSettings(weak_side=Side.LEFT))
    sides: defaultdict[str, list[str]] = defaultdict(list)
    for step in plan.steps:
        if step.kind in (StepKind.REPS, StepKind.HOLD) and step.side:
            sides[step.exercise].append(step.side.value)
    # One leg in front and one behind, then swapped; the adductor rock, one leg out.
    assert sides["Seated hip external and internal rotation"] == ["right", "left"]
    assert sides["Quadruped hip rock"] == ["right", "left"]
    assert [s.kind for s in plan.steps[:4]] == [
        StepKind.COUNTDOWN,
        StepKind.REPS,
        StepKind.SWITCH,
        StepKind.REPS,
    ]
    assert "Kristal Hayek" in routine.source.author and "John Villaro" in routine.source.author


def test_a_per_exercise_weak_side_overrides_the_routine_one() -> None:
    routine = builtin("five-movements-healthy-back")
    settings_ = PlanSettings(weak_side=Side.LEFT, exercise_weak_sides={3: Side.RIGHT, 1: None})
    plan = build_plan(routine, settings_)
    first_side = {s.exercise_index: s.side for s in reversed(plan.steps) if s.side}
    assert first_side[1] is Side.LEFT  # no weak side: left first
    assert first_side[3] is Side.LEFT  # weak right: good left first
    assert {
        s.reps
        for s in plan.steps
        if s.exercise_index == 3 and s.side is Side.RIGHT and s.kind is StepKind.REPS
    } == {10}


def test_alternating_reps_take_turns_and_the_weak_side_finishes() -> None:
    plan = build_plan(
        builtin("scorpion-stretch-progressions"),
        PlanSettings(weak_side=Side.RIGHT, weak_bonus_reps=1),
    )
    first = [
        s for s in plan.steps if s.progression == "Hip off the floor" and s.kind is StepKind.REPS
    ]
    assert [(s.side.value, s.first_rep) for s in first if s.side] == [
        ("left", 1),
        ("right", 1),
        ("left", 2),
        ("right", 2),
        ("left", 3),
        ("right", 3),
        ("left", 4),
        ("right", 4),
        ("left", 5),
        ("right", 5),
        ("right", 6),
    ]
    order = [s.progression for s in plan.steps if s.kind is StepKind.COUNTDOWN]
    assert order == [
        "Hip off the floor",
        "Hips at 90",
        "Foot to the floor",
        "Foot reach",
        "Foot to hand",
    ]


def test_the_thoracic_mini_routine_follows_the_article() -> None:
    plan = build_plan(builtin("thoracic-spine-mini-routine"))
    presses = [
        s
        for s in plan.steps
        if s.exercise == "Foam roller PA mobilisation" and s.kind is StepKind.REPS
    ]
    assert [s.reps for s in presses] == [5, 5, 5, 5]
    rests = [s for s in plan.steps if s.kind is StepKind.REST]
    assert rests[0].instruction == "Move the roller to the next vertebra"
    assert [s.seconds for s in plan.steps if s.kind is StepKind.HOLD] == [30.0, 30.0]
    rotations = [
        (s.progression, s.side.value, s.reps)
        for s in plan.steps
        if s.exercise == "Seated rotation with bar" and s.kind is StepKind.REPS and s.side
    ]
    assert rotations == [
        ("Seated rotation", "left", 10),
        ("Seated rotation", "right", 10),
        ("Rotation with lateral bend", "left", 10),
        ("Rotation with lateral bend", "right", 10),
    ]


def test_cues_cover_get_ready_go_reps_switch_set_and_routine_done() -> None:
    plan = build_plan(builtin("spinal-rotation-heel-sitting"), PlanSettings(weak_side=Side.LEFT))
    countdown, right, switch, left = plan.steps
    assert [(c.at, c.kind, c.text) for c in countdown.cues] == [
        (0.5, CueKind.ANNOUNCE, "Spinal rotation in heel sitting, right side"),
        (2.0, CueKind.COUNT, "3"),
        (3.0, CueKind.COUNT, "2"),
        (4.0, CueKind.COUNT, "1"),
    ]
    assert [(c.at, c.kind) for c in right.cues] == [
        (0.0, CueKind.GO),
        (4.0, CueKind.REP),
        (8.0, CueKind.REP),
    ]
    assert switch.cues[0].kind is CueKind.SWITCH and switch.side is Side.LEFT
    # The routine's end is one chime, not set done and routine done over each other.
    assert [c.kind for c in left.cues][-2:] == [CueKind.REP, CueKind.ROUTINE_DONE]
    assert left.cues[-1].at == left.seconds


def test_reps_without_a_tempo_wait_for_the_user_unless_a_default_tempo_is_set() -> None:
    routine = Routine("r", "R", (Exercise("Squat", Kind.REPS, reps=4),))
    waiting = build_plan(routine).steps[1]
    assert waiting.waits and waiting.tempo is None and waiting.seconds == 12.0
    assert [c.kind for c in waiting.cues] == [CueKind.GO, CueKind.ROUTINE_DONE]
    paced = build_plan(routine, PlanSettings(default_tempo=2.0)).steps[1]
    assert not paced.waits and paced.seconds == 8.0


def test_no_switch_pause_puts_the_switch_cue_on_the_second_side() -> None:
    routine = Routine(
        "r", "R", (Exercise("Hold", Kind.HOLD, seconds=10, sides=Sides.EACH, switch_seconds=0),)
    )
    steps = build_plan(routine).steps
    assert [s.kind for s in steps] == [StepKind.COUNTDOWN, StepKind.HOLD, StepKind.HOLD]
    assert steps[2].cues[0].kind is CueKind.SWITCH


def test_settings_refuse_a_countdown_shorter_than_a_second() -> None:
    with pytest.raises(ValueError, match="at least 1 second"):
        PlanSettings(get_ready_seconds=0)


weak_settings = st.builds(
    PlanSettings,
    weak_side=st.sampled_from([None, Side.LEFT, Side.RIGHT]),
    weak_bonus_reps=st.integers(min_value=0, max_value=5),
    weak_bonus_hold_percent=st.sampled_from([0.0, 10.0, 25.0, 100.0]),
    get_ready_seconds=st.sampled_from([1.0, 3.0, 5.0, 10.0]),
    default_tempo=st.sampled_from([None, 2.0]),
)


@settings(max_examples=300, deadline=None)
@given(routines(), weak_settings)
def test_plan_properties_hold_for_any_routine(
    routine: Routine, plan_settings: PlanSettings
) -> None:
    plan = build_plan(routine, plan_settings)

    # The total is the sum of the steps, and every step lasts.
    assert math.isclose(plan.total_seconds, sum(s.seconds for s in plan.steps))
    assert all(s.seconds > 0 for s in plan.steps)

    # Every exercise appears, in order, and within it every set in order.
    indices = [s.exercise_index for s in plan.steps]
    assert indices == sorted(indices)
    assert set(indices) == set(range(len(routine.exercises)))
    for index, exercise in enumerate(routine.exercises):
        steps = [s for s in plan.steps if s.exercise_index == index]
        countdowns = [s.progression for s in steps if s.kind is StepKind.COUNTDOWN]
        assert countdowns == ([p.name for p in exercise.progressions] or [""])
        stages: list[list[int]] = []  # set numbers of each stage, split at its countdown
        for step in steps:
            if step.kind is StepKind.COUNTDOWN:
                stages.append([])
            else:
                stages[-1].append(step.set_number)
        for sets_seen in stages:
            assert sets_seen == sorted(sets_seen)
            assert set(sets_seen) == set(range(1, exercise.sets + 1))

    # Per side: the good side first in every set, and never more than the weak side.
    for index, exercise in enumerate(routine.exercises):
        if not exercise.per_side:
            continue
        weak = plan_settings.weak_side_for(index)
        good = weak.other if weak else Side.LEFT
        work_steps = [
            s
            for s in plan.steps
            if s.exercise_index == index
            and s.kind in (StepKind.REPS, StepKind.HOLD, StepKind.TIMED)
        ]
        by_round: dict[tuple[str, int], list[Side]] = defaultdict(list)
        amount: dict[tuple[str, int, Side], float] = defaultdict(float)
        for step in work_steps:
            assert step.side is not None
            by_round[(step.progression, step.set_number)].append(step.side)
            amount[(step.progression, step.set_number, step.side)] += (
                step.reps if step.kind is StepKind.REPS else step.seconds
            )  # type: ignore[operator]
        for key, sides in by_round.items():
            assert sides[0] is good
            if weak is not None:
                assert amount[(*key, weak)] >= amount[(*key, good)]
            else:
                assert amount[(*key, Side.LEFT)] == amount[(*key, Side.RIGHT)]

    # Exactly one routine-done cue, at the very end.
    done = [
        (i, c) for i, s in enumerate(plan.steps) for c in s.cues if c.kind is CueKind.ROUTINE_DONE
    ]
    assert done == [(len(plan.steps) - 1, plan.steps[-1].cues[-1])]
    # Cues lie within their step, in order.
    for step in plan.steps:
        offsets = [c.at for c in step.cues]
        assert offsets == sorted(offsets) and all(0 <= at <= step.seconds for at in offsets)
