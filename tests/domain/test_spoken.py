"""What Limber says and when: the rules of `app.domain.spoken` on the shipped routines."""

from __future__ import annotations

import pytest

from app.domain.plan import Cue, CueKind, Plan, PlanSettings, StepKind, build_plan
from app.domain.routine import Side
from app.domain.spoken import (
    DEFAULT_PHRASES,
    GAP,
    LEAD_GAP,
    Phrase,
    choose,
    lead_in,
    script,
    short_name,
    texts,
)
from tests.domain.test_plan import builtin

SEEDS = (
    "spinal-rotation-heel-sitting",
    "thoracic-spine-mini-routine",
    "thoracic-spine-roller-twisters",
    "five-movements-healthy-back",
    "scorpion-stretch-progressions",
)


def shipped_plans(phrases: frozenset[Phrase] = frozenset(Phrase)) -> list[Plan]:
    return [plan_of(routine_id, phrases) for routine_id in SEEDS]


def plan_of(routine_id: str, phrases: frozenset[Phrase] = DEFAULT_PHRASES) -> Plan:
    return script(build_plan(builtin(routine_id), PlanSettings(weak_side=Side.LEFT)), phrases)


def test_getting_ready_names_the_side_the_exercise_and_the_dose_then_shorter() -> None:
    countdown = plan_of("spinal-rotation-heel-sitting").steps[0]
    announce = next(c for c in countdown.cues if c.kind is CueKind.ANNOUNCE)
    assert announce.words == (
        "Right side. Spinal rotation in heel sitting. 3 reps.",
        "Right side. Spinal rotation in heel sitting.",
        "Right side. Spinal rotation.",
        "Right side.",
    )
    assert lead_in(announce)
    assert announce.room == pytest.approx(countdown.seconds - LEAD_GAP - announce.at)


def test_switching_and_resting_are_said_with_what_comes_next() -> None:
    plan = plan_of("thoracic-spine-roller-twisters")
    switch = next(s for s in plan.steps if s.kind is StepKind.SWITCH)
    assert switch.cues[0].words == ("Switch to the left side.", "Left side.")
    rest = next(s for s in plan.steps if s.kind is StepKind.REST)
    assert rest.cues[0].words[0] == (
        "Rest 30 seconds. Next, Thoracic spine roller twister, set 2 of 2."
    )
    assert rest.cues[0].words[-1] == "Rest."


def test_every_phrase_ends_before_the_cue_it_must_not_overlap() -> None:
    for plan in shipped_plans():
        for step in plan.steps:
            for position, cue in enumerate(step.cues):
                if not cue.words:
                    continue
                end = cue.at + cue.room
                if lead_in(cue):
                    assert end == pytest.approx(step.seconds - LEAD_GAP), (plan.routine_id, cue)
                    continue
                later = [c.at for c in step.cues[position + 1 :] if c.at > cue.at]
                if later:
                    assert end <= later[0] - GAP + 1e-9, (plan.routine_id, cue)
                elif cue.kind is not CueKind.ROUTINE_DONE:
                    assert end <= step.seconds - GAP + 1e-9


def test_a_step_keeps_its_cues_in_time_order() -> None:
    for plan in shipped_plans():
        for step in plan.steps:
            times = [cue.at for cue in step.cues]
            assert times == sorted(times)


def test_the_chatty_phrases_are_off_by_default() -> None:
    spoken = {
        words
        for step in plan_of("thoracic-spine-roller-twisters").steps
        for cue in step.cues
        for words in cue.words
    }
    assert "Halfway." not in spoken and "Five." not in spoken and "2." not in spoken


def test_rep_counts_follow_the_tempo_and_alternating_reps_name_their_side() -> None:
    plan = plan_of("thoracic-spine-roller-twisters", frozenset({Phrase.REP_COUNT}))
    reps = next(s for s in plan.steps if s.kind is StepKind.REPS)
    assert [(c.at, c.words) for c in reps.cues if c.kind is CueKind.REP][:2] == [
        (3.0, ("2.",)),
        (6.0, ("3.",)),
    ]
    scorpion = plan_of("scorpion-stretch-progressions", frozenset({Phrase.REP_COUNT}))
    turns = [s for s in scorpion.steps if s.kind is StepKind.REPS][:3]
    assert [s.cues[0].words[0] if s.cues[0].words else "" for s in turns] == [
        "",  # the first rep starts on "go"
        "Left, 1.",
        "Right, 2.",
    ]


def test_the_last_five_seconds_are_counted_in_words_over_the_ticks() -> None:
    plan = plan_of("five-movements-healthy-back", frozenset({Phrase.LAST_SECONDS}))
    hold = next(s for s in plan.steps if s.kind is StepKind.HOLD)
    last = [(hold.seconds - c.at, c.kind, c.words) for c in hold.cues if c.words]
    assert last == [
        (5.0, CueKind.SPEECH, ("Five.",)),
        (4.0, CueKind.SPEECH, ("Four.",)),
        (3.0, CueKind.COUNT, ("Three.",)),
        (2.0, CueKind.COUNT, ("Two.",)),
        (1.0, CueKind.COUNT, ("One.",)),
    ]


def test_halfway_through_a_long_hold_and_the_end_of_the_routine() -> None:
    plan = plan_of("five-movements-healthy-back", frozenset({Phrase.HALFWAY, Phrase.END}))
    hold = next(s for s in plan.steps if s.kind is StepKind.HOLD)
    assert [c.at for c in hold.cues if c.words == ("Halfway.",)] == [hold.seconds / 2]
    end = plan.steps[-1].cues[-1]
    assert end.kind is CueKind.ROUTINE_DONE
    assert end.words[-1] == "Routine done."


def test_no_phrases_leave_the_plan_as_it_was() -> None:
    plan = build_plan(builtin("spinal-rotation-heel-sitting"))
    assert script(plan, ()) == plan
    assert texts(plan) == []


def test_the_longest_version_that_fits_its_room_is_chosen() -> None:
    cue = Cue(0.5, CueKind.ANNOUNCE, words=("long one", "short", "s"), room=2.0)
    lengths = {"long one": 2.5, "short": 1.5, "s": 0.4}
    assert choose(cue, lengths.get) == "short"
    assert choose(cue, {"long one": 1.9}.get) == "long one"
    assert choose(cue, {}.get) is None  # nothing rendered yet: the chime
    assert choose(cue, {"long one": 3.0, "short": 2.1, "s": 2.2}.get) is None


@pytest.mark.parametrize(
    ("name", "core"),
    [
        ("Spinal rotation in heel sitting", "Spinal rotation"),
        ("Seated hip external and internal rotation", "Seated hip rotation"),
        ("Rear-foot-elevated half-kneeling hip extension", "Hip extension"),
        ("Child's pose on the roller", "Child's pose"),
        ("Quadruped hip rock", "Quadruped hip rock"),
        ("Stretch", "Stretch"),
    ],
)
def test_a_long_name_shortens_to_its_core(name: str, core: str) -> None:
    assert short_name(name) == core


def test_every_version_is_listed_once_for_rendering_in_order_of_use() -> None:
    plan = plan_of("spinal-rotation-heel-sitting")
    listed = texts(plan)
    assert listed[0] == "Right side. Spinal rotation in heel sitting. 3 reps."
    assert len(listed) == len(set(listed))
    assert "Routine done." in listed
