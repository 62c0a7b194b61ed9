"""Session records: what was done per side, stored form, local times."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime

import pytest

from app.domain.clock import FakeClock
from app.domain.plan import PlanSettings, build_plan
from app.domain.player import Player
from app.domain.routine import Exercise, Kind, Routine, Side, Sides
from app.domain.session import (
    MAX_SECONDS,
    SessionRecord,
    SessionRowError,
    SessionStatus,
    WorkDone,
    local_iso,
    plan_id,
    work_done,
)

ROUTINE = Routine(
    "r",
    "R",
    (
        Exercise(
            "Rotation", Kind.REPS, reps=3, reps_max=5, tempo=2, sides=Sides.EACH, switch_seconds=2
        ),
        Exercise("Hold", Kind.HOLD, seconds=20),
    ),
)


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
        id="abc",
        routine_id="r",
        routine="R",
        plan_id="p1",
        started="2026-03-29T00:10:00+02:00",
        ended="2026-03-29T00:20:00+02:00",
        status=SessionStatus.STOPPED,
        active_seconds=61.5,
        paused_seconds=3,
        weak_side="left",
        tags=("hips",),
        work=(WorkDone("Rotation", 0, "left", "reps", 5, 2, 1),),
        tighter={"0": "left"},
        notes="felt stiff",
    )
    assert SessionRecord.from_dict(record.to_dict()) == record


def test_a_stored_time_without_an_offset_is_refused() -> None:
    data = SessionRecord(
        id="a",
        routine_id="r",
        routine="R",
        plan_id="p",
        started="2026-01-01T10:00:00+00:00",
        status=SessionStatus.COMPLETED,
    ).to_dict()
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


def stored(**changes: object) -> dict[str, object]:
    data = SessionRecord(
        id="a",
        routine_id="r",
        routine="R",
        plan_id="p",
        started="2026-01-01T10:00:00+00:00",
        status=SessionStatus.COMPLETED,
        work=(WorkDone("Rotation", 0, "left", "reps", 5, 2, 1),),
    ).to_dict()
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "changes",
    [
        {"active_seconds": math.nan},
        {"active_seconds": math.inf},
        {"paused_seconds": -math.inf},
        {"active_seconds": 1e308},
        {"active_seconds": -1},
        {"active_seconds": True},
        {"active_seconds": "42"},
        {"started": "0001-01-01T00:00:00-05:00"},
        {"started": "9999-12-31T23:00:00+01:00"},
        {"started": "1999-12-31T23:59:59+00:00"},
        {"ended": "2101-01-01T00:00:00+00:00"},
        {"started": 20260101},
        {"started": "yesterday"},
        {"id": ""},
        {"id": 5},
        {"id": "x" * 65},
        {"routine": "R" * 121},
        {"notes": "n" * 10_001},
        {"notes": None},
        {"status": "finished"},
        {"status": 1},
        {"weak_side": "middle"},
        {"tags": "hips"},
        {"tags": ["t"] * 21},
        {"tags": ["x" * 41]},
        {"tags": [1]},
        {"work": [["Rotation", 0, "left", "reps", math.nan, 2, 1]]},
        {"work": [["Rotation", -1, "left", "reps", 5, 2, 1]]},
        {"work": [["Rotation", 0, "left", "reps", 5, 1e308, 1]]},
        {"work": [["Rotation", 0, "left", "juggling", 5, 2, 1]]},
        {"work": [["Rotation", 0, "left", "reps", 5, 2]]},
        {"work": None},
        {"tighter": {"0": "up"}},
        {"tighter": {"first": "left"}},
        {"tighter": []},
        {"pid": "me"},
        {"pid": 2**40},
        {"pid": 1.5},
    ],
    ids=lambda changes: repr(changes)[:40],
)
def test_a_stored_session_out_of_range_or_of_the_wrong_type_is_refused(
    changes: dict[str, object],
) -> None:
    with pytest.raises(SessionRowError):
        SessionRecord.from_dict(stored(**changes))


@pytest.mark.parametrize("value", [None, 5, "row", [1, 2]])
def test_a_stored_session_that_is_no_object_is_refused(value: object) -> None:
    with pytest.raises(SessionRowError, match="is an object"):
        SessionRecord.from_dict(value)


def test_the_limits_let_real_sessions_through() -> None:
    edge = stored(
        started="2000-01-01T00:00:00+14:00",
        ended="2100-12-31T23:59:59-12:00",
        active_seconds=MAX_SECONDS,
        paused_seconds=0,
        notes="n" * 10_000,
        tags=["x" * 40] * 20,
        pid=-1,
        tighter={"0": "left"},
    )
    record = SessionRecord.from_dict(edge)
    assert record.active_seconds == MAX_SECONDS and record.pid == -1
    assert record.work == (WorkDone("Rotation", 0, "left", "reps", 5, 2, 1),)
