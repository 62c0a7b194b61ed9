"""The player engine on a fake clock: transitions, cues, pauses, stalls and suspends."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.clock import FakeClock
from app.domain.plan import CueKind, Plan, PlanSettings, StepKind, build_plan
from app.domain.player import (
    LONG_GAP_SECONDS,
    PauseReason,
    Player,
    PlayerState,
    PlayerStateError,
)
from app.domain.routine import Exercise, Kind, Routine, Side, Sides

# countdown 5 s | right 3 reps x 4 s = 12 s | switch 5 s | left 5 reps = 20 s  -> 42 s
HEEL_SITTING = Routine(
    "heel",
    "Heel sitting",
    (
        Exercise(
            "Rotation", Kind.REPS, reps=3, reps_max=5, tempo=4, sides=Sides.EACH, switch_seconds=5
        ),
    ),
)


def make(
    routine: Routine = HEEL_SITTING, weak: Side | None = Side.LEFT
) -> tuple[Player, FakeClock]:
    clock = FakeClock()
    return Player(build_plan(routine, PlanSettings(weak_side=weak)), clock), clock


def kinds(due: list) -> list[str]:  # type: ignore[type-arg]
    return [d.cue.kind.value for d in due]


def test_a_whole_routine_runs_on_its_own_with_every_cue_on_its_boundary() -> None:
    player, clock = make()
    player.start()
    heard: list[tuple[float, str]] = []
    for _ in range(4300):
        heard += [(round(d.due_at - 1000.0, 6), d.cue.kind.value) for d in player.tick()]
        clock.advance(0.01)
    assert player.state is PlayerState.FINISHED
    assert heard == [
        (0.5, "announce"),
        (2.0, "count"),
        (3.0, "count"),
        (4.0, "count"),
        (5.0, "go"),
        (9.0, "rep"),
        (13.0, "rep"),
        (17.0, "switch"),
        (19.0, "count"),
        (20.0, "count"),
        (21.0, "count"),
        (22.0, "go"),
        (26.0, "rep"),
        (30.0, "rep"),
        (34.0, "rep"),
        (38.0, "rep"),
        (42.0, "routine_done"),
    ]


def test_the_snapshot_shows_step_rep_side_and_progress() -> None:
    player, clock = make()
    assert player.snapshot().state is PlayerState.READY
    player.start()
    clock.advance(5 + 4.5)  # into the second rep on the right
    player.tick()
    shot = player.snapshot()
    assert shot.step.kind is StepKind.REPS and shot.step.side is Side.RIGHT
    assert (shot.rep, shot.side_reps, shot.set_number, shot.sets) == (2, 3, 1, 1)
    assert shot.seconds_left == pytest.approx(7.5)
    assert shot.progress == pytest.approx(9.5 / 42)
    assert shot.next_step is not None and shot.next_step.kind is StepKind.SWITCH


def test_late_ticks_never_drift_the_boundaries() -> None:
    player, clock = make()
    player.start()
    clock.advance(5.9)  # a tick 0.9 s late, past the countdown's end
    due = player.tick()
    assert kinds(due) == ["announce", "count", "count", "count", "go"]
    assert due[-1].due_at == 1005.0
    clock.advance(9)
    assert kinds(player.tick()) == ["rep", "rep"]
    clock.advance(17 - 5.9 - 9 + 0.001)
    assert player.snapshot().step.kind is StepKind.REPS
    player.tick()
    assert player.snapshot().step.kind is StepKind.SWITCH
    assert player.snapshot().step_elapsed == pytest.approx(0.001)


def test_a_stall_of_a_few_seconds_reports_every_cue_that_came_due_in_order() -> None:
    player, clock = make()
    player.start()
    player.tick()
    clock.advance(LONG_GAP_SECONDS - 0.5)  # busy machine: 9.5 s without a tick
    due = player.tick()
    assert kinds(due) == ["announce", "count", "count", "count", "go", "rep"]
    assert player.state is PlayerState.RUNNING
    assert [d.due_at for d in due] == sorted(d.due_at for d in due)


def test_a_long_stall_pauses_at_the_step_where_it_happened() -> None:
    player, clock = make()
    player.start()
    clock.advance(6)
    player.tick()
    clock.advance(LONG_GAP_SECONDS + 30)  # the whole rest of the routine, missed
    assert player.tick() == []
    shot = player.snapshot()
    assert shot.state is PlayerState.PAUSED and shot.pause_reason is PauseReason.STALL
    assert shot.step_index == 1 and shot.step_elapsed == 0.0  # rewound, not raced
    clock.advance(1)
    player.resume()
    assert kinds(player.tick()) == ["go"]


def test_a_suspend_pauses_even_though_the_monotonic_clock_stood_still() -> None:
    player, clock = make()
    player.start()
    clock.advance(8)
    player.tick()
    clock.suspend(3600)  # Linux: CLOCK_MONOTONIC stops, CLOCK_BOOTTIME goes on
    clock.advance(0.05)
    assert player.tick() == []
    shot = player.snapshot()
    assert shot.state is PlayerState.PAUSED and shot.pause_reason is PauseReason.SUSPEND
    assert shot.step_index == 1 and shot.step_elapsed == 0.0
    player.resume()
    assert kinds(player.tick()) == ["go"]  # the step starts over


def test_a_suspend_while_paused_changes_nothing() -> None:
    player, clock = make()
    player.start()
    clock.advance(6)
    player.tick()
    player.pause()
    clock.suspend(600)
    player.tick()
    assert player.snapshot().pause_reason is PauseReason.USER
    assert player.snapshot().step_elapsed == pytest.approx(1.0)


def test_pausing_shifts_the_boundaries_by_the_time_paused() -> None:
    player, clock = make()
    player.start()
    clock.advance(3)
    player.tick()
    player.pause()
    clock.advance(100)
    assert player.tick() == []
    assert player.snapshot().seconds_left == pytest.approx(2)
    player.resume()
    clock.advance(2)
    assert kinds(player.tick()) == ["count", "go"]
    assert player.snapshot().step_index == 1


def test_toggle_starts_pauses_and_resumes() -> None:
    player, _clock = make()
    player.toggle()
    assert player.state is PlayerState.RUNNING
    player.toggle()
    assert player.state is PlayerState.PAUSED
    player.toggle()
    assert player.state is PlayerState.RUNNING


def test_skip_moves_on_and_skipping_the_last_step_finishes() -> None:
    player, clock = make()
    player.start()
    player.tick()
    clock.advance(1)
    player.skip()
    assert player.step_index == 1 and kinds(player.tick()) == ["go"]
    player.skip()
    player.skip()
    assert player.step_index == 3
    player.skip()
    assert player.state is PlayerState.FINISHED
    assert player.snapshot().progress == 1.0


def test_skip_while_paused_stays_paused_at_the_next_step() -> None:
    player, clock = make()
    player.start()
    player.pause()
    player.skip()
    clock.advance(30)
    assert player.state is PlayerState.PAUSED
    assert player.snapshot().step_index == 1 and player.snapshot().step_elapsed == 0.0


def test_back_restarts_a_step_then_goes_to_the_one_before() -> None:
    player, clock = make()
    player.start()
    clock.advance(8)
    player.tick()
    assert player.step_index == 1
    player.back()  # 3 s into the step: start it over
    assert player.step_index == 1 and player.snapshot().step_elapsed == 0.0
    clock.advance(0.5)
    player.back()  # near its start: the step before
    assert player.step_index == 0
    player.back()  # the first step: start it over
    assert player.step_index == 0
    clock.advance(0.5)
    assert kinds(player.tick()) == ["announce"]


def test_a_step_that_waits_holds_until_the_user_continues() -> None:
    routine = Routine(
        "r", "R", (Exercise("Squat", Kind.REPS, reps=4), Exercise("Hold", Kind.HOLD, seconds=10))
    )
    player, clock = make(routine, weak=None)
    player.start()
    clock.advance(5)
    assert kinds(player.tick()) == ["announce", "count", "count", "count", "go"]
    for _ in range(300):
        clock.advance(1)
        assert player.tick() == []
    assert player.step_index == 1
    assert player.snapshot().waiting
    player.continue_step()
    assert kinds(player.tick()) == ["set_done"]
    clock.advance(0.5)
    assert kinds(player.tick()) == ["announce"]
    assert player.step_index == 2
    with pytest.raises(PlayerStateError, match="timed, not waiting"):
        player.continue_step()


def test_stop_ends_the_routine() -> None:
    player, _clock = make()
    player.start()
    player.stop()
    assert player.state is PlayerState.STOPPED and player.tick() == []


@pytest.mark.parametrize(
    ("setup", "action", "message"),
    [
        ([], "pause", "cannot pause while ready"),
        ([], "resume", "cannot resume while ready"),
        ([], "skip", "cannot skip while ready"),
        ([], "back", "cannot go back while ready"),
        ([], "stop", "cannot stop while ready"),
        ([], "continue_step", "cannot continue while ready"),
        (["start"], "start", "cannot start while running"),
        (["start"], "resume", "cannot resume while running"),
        (["start", "pause"], "pause", "cannot pause while paused"),
        (["start", "pause"], "continue_step", "cannot continue while paused"),
        (["start", "stop"], "resume", "cannot resume while stopped"),
        (["start", "stop"], "skip", "cannot skip while stopped"),
        (["start", "stop"], "stop", "cannot stop while stopped"),
        (["start", "skip", "skip", "skip", "skip"], "back", "cannot go back while finished"),
        (["start", "skip", "skip", "skip", "skip"], "pause", "cannot pause while finished"),
        (["start", "skip", "skip", "skip", "skip"], "toggle", "cannot resume while finished"),
    ],
)
def test_illegal_transitions_raise(setup: list[str], action: str, message: str) -> None:
    player, _clock = make()
    for name in setup:
        getattr(player, name)()
    state = player.state
    with pytest.raises(PlayerStateError, match=message):
        getattr(player, action)()
    assert player.state is state


def test_next_due_names_the_next_cue_or_boundary() -> None:
    player, clock = make()
    assert player.next_due() is None
    player.start()
    assert player.next_due() == 1000.5  # the announcement
    clock.advance(0.5)
    player.tick()
    assert player.next_due() == 1002.0
    clock.advance(4.0)
    player.tick()
    assert player.next_due() == 1005.0


def test_a_lead_hands_out_cues_early_but_changes_steps_on_time() -> None:
    player, clock = make()
    player.start()
    assert player.tick(lead=0.05) == []
    assert player.next_due(lead=0.05) == pytest.approx(1000.45)
    clock.advance(4.96)  # 40 ms before the countdown ends
    due = player.tick(lead=0.05)
    assert kinds(due) == ["announce", "count", "count", "count", "go"]
    assert due[-1].due_at == 1005.0 and due[-1].step_index == 1
    assert player.step_index == 0  # the step itself has not changed yet
    clock.advance(0.04)
    assert player.tick(lead=0.05) == [] and player.step_index == 1


def test_pausing_takes_back_cues_handed_out_ahead() -> None:
    player, clock = make()
    player.start()
    player.tick()
    clock.advance(4.97)
    assert kinds(player.tick(lead=0.05)) == ["announce", "count", "count", "count", "go"]
    player.pause()  # 30 ms before "go" was due
    clock.advance(60)
    player.resume()
    assert player.tick() == []
    clock.advance(0.03)
    assert kinds(player.tick()) == ["go"]  # handed out again, on time


def test_a_long_wait_on_a_waiting_step_is_no_stall() -> None:
    routine = Routine(
        "r", "R", (Exercise("Squat", Kind.REPS, reps=4), Exercise("Hold", Kind.HOLD, seconds=10))
    )
    player, clock = make(routine, weak=None)
    player.start()
    clock.advance(5)
    player.tick()
    clock.advance(120)  # the user takes their time; nothing ticks meanwhile
    player.continue_step()
    clock.advance(0.5)
    assert kinds(player.tick()) == ["set_done", "announce"]
    assert player.state is PlayerState.RUNNING


def test_a_plan_without_steps_is_refused() -> None:
    from app.domain.plan import Plan

    with pytest.raises(ValueError, match="no steps"):
        Player(Plan("x", "X", ()), FakeClock())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.floats(min_value=0.001, max_value=LONG_GAP_SECONDS - 0.01), min_size=1, max_size=400
    ),
    st.sampled_from([0.0, 0.005, 0.02, 0.3]),
)
def test_any_tick_pattern_hears_every_cue_once_at_its_exact_time(
    gaps: list[float], lead: float
) -> None:
    player, clock = make()
    reference, _ = make()
    plan = player.plan
    expected = [
        (start + cue.at, cue.kind)
        for start, step in zip(plan.starts(), plan.steps, strict=True)
        for cue in step.cues
    ]
    player.start()
    heard = []
    for gap in gaps:
        for cue in player.tick(lead):
            assert cue.due_at <= clock.now() + lead + 1e-9  # never earlier than the lead
            heard.append((cue.due_at - 1000.0, cue.cue.kind))
        clock.advance(gap)
    heard += [(d.due_at - 1000.0, d.cue.kind) for d in player.tick(lead)]
    assert [k for _, k in heard] == [k for _, k in expected[: len(heard)]]
    assert all(abs(a - b) < 1e-6 for (a, _), (b, _) in zip(heard, expected, strict=False))
    assert reference.state is PlayerState.READY
    if player.state is PlayerState.FINISHED:
        assert heard[-1][1] is CueKind.ROUTINE_DONE


def test_work_begins_when_the_first_get_ready_countdown_gives_way() -> None:
    player, clock = make()
    assert not player.work_began
    player.start()
    clock.advance(4.9)
    player.tick()
    assert player.step_index == 0 and not player.work_began  # still getting ready
    clock.advance(0.2)
    player.tick()
    assert player.step_index == 1 and player.work_began
    player.back()  # back to the countdown: the session has begun all the same
    assert player.step_index == 0 and player.work_began


def test_skipping_the_countdown_begins_the_work_and_stopping_in_it_does_not() -> None:
    player, clock = make()
    player.start()
    clock.advance(1)
    player.skip()
    assert player.work_began
    stopped, clock = make()
    stopped.start()
    clock.advance(2)
    stopped.stop()
    assert stopped.state is PlayerState.STOPPED and not stopped.work_began


def test_a_plan_without_a_countdown_begins_its_work_at_the_start() -> None:
    plan = build_plan(HEEL_SITTING)
    clock = FakeClock()
    player = Player(Plan(plan.routine_id, plan.routine_name, plan.steps[1:]), clock)
    assert player.plan.steps[0].kind is StepKind.REPS
    player.start()
    assert player.work_began
