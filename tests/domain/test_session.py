"""Session records: what was done per side, stored form, local times."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from app.domain.clock import FakeClock
from app.domain.plan import PlanSettings, build_plan
from app.domain.player import Player
from app.domain.routine import Exercise, Kind, Routine, Side, Sides
from app.domain.session import (
    SessionRecord,
    SessionStatus,
    WorkDone,
    local_iso,
    plan_id,
    work_done,
)

ROUTINE = Routine("r", "R", (
    Exercise("Rotation", Kind.REPS, reps=3, reps_max=5, tempo=2, sides=Sides.EACH,
             switch_seconds=2),
    Exercise("Hold", Kind.HOLD, seconds=20),
))


def run(player: Player, clock: FakeClock, seconds: float) -> None:
    for _ in range(round(seconds / 0.5)):
        clock.advance(0.5)
        player.tick()


def test_a_completed_run_did_everything_planned() -> None:
    clock = FakeClock()
    plan = build_plan(ROUTINE, PlanSettings(weak_side=Side.LEFT))
    player = Player(plan, clock)
    player.start()
    run(player, clock, plan.total_seconds + 1)
    assert work_done(plan, player.outcomes) == (
        WorkDone("Rotation", 0, "right", "reps", 3, 3, 0),
        WorkDone("Rotation", 0, "left", "reps", 5, 5, 0),
        WorkDone("Hold", 1, None, "hold", 20, 20, 0),
    )
    assert player.active_seconds() == pytest.approx(plan.total_seconds)


def test_skips_pauses_and_a_stop_are_accounted_for() -> None:
    clock = FakeClock()
    plan = build_plan(ROUTINE, PlanSettings(weak_side=Side.LEFT))
    player = Player(plan, clock)
    player.start()
    run(player, clock, 5 + 6 + 2 + 4.5)  # two reps and a bit into the left side
    player.skip()  # cut the left side short
    player.pause()
    clock.advance(30)
    player.resume()
    run(player, clock, 5 + 7)  # 7 s into the 20 s hold
    player.stop()
    assert work_done(plan, player.outcomes) == (
        WorkDone("Rotation", 0, "right", "reps", 3, 3, 0),
        WorkDone("Rotation", 0, "left", "reps", 5, 2, 1),
        WorkDone("Hold", 1, None, "hold", 20, 7, 1),
    )
    assert player.paused_seconds() == pytest.approx(30)
    assert player.active_seconds() == pytest.approx(5 + 6 + 2 + 4.5 + 5 + 7)


def test_a_record_round_trips_through_its_stored_form() -> None:
    record = SessionRecord(
        id="abc", routine_id="r", routine="R", plan_id="p1",
        started="2026-03-29T00:10:00+02:00", ended="2026-03-29T00:20:00+02:00",
        status=SessionStatus.STOPPED, active_seconds=61.5, paused_seconds=3,
        weak_side="left", tags=("hips",), work=(WorkDone("Rotation", 0, "left", "reps", 5, 2, 1),),
        tighter={"0": "left"}, notes="felt stiff")
    assert SessionRecord.from_dict(record.to_dict()) == record


def test_a_stored_time_without_an_offset_is_refused() -> None:
    data = SessionRecord(id="a", routine_id="r", routine="R", plan_id="p",
                         started="2026-01-01T10:00:00+00:00",
                         status=SessionStatus.COMPLETED).to_dict()
    data["started"] = "2026-01-01T10:00:00"
    with pytest.raises(ValueError, match="without an offset"):
        SessionRecord.from_dict(data)


def test_the_same_plan_gets_the_same_id() -> None:
    left = build_plan(ROUTINE, PlanSettings(weak_side=Side.LEFT))
    assert plan_id(left) == plan_id(build_plan(ROUTINE, PlanSettings(weak_side=Side.LEFT)))
    assert plan_id(left) != plan_id(build_plan(ROUTINE))


def test_local_times_carry_the_offset_in_force_then(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        # 30 minutes either side of the spring DST change (01:00 UTC, 29 March 2026)
        before = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
        after = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
        assert local_iso(before) == "2026-03-29T01:30:00+01:00"
        assert local_iso(after) == "2026-03-29T03:30:00+02:00"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
