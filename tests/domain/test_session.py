"""Session records: what was done per side, stored form, local times."""

from __future__ import annotations

import math
import time
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.clock import FakeClock
from app.domain.plan import PlanSettings, build_plan
from app.domain.player import Player
from app.domain.routine import Exercise, Kind, Routine, Side, Sides
from app.domain.session import (
    MAX_ID_CHARS,
    MAX_NAME_CHARS,
    MAX_SECONDS,
    SIDES,
    WORK_KIND_NAMES,
    YEAR_RANGE,
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
        tighter={"0": "left", "2": "same"},
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
        # Values that cannot even be looked up in a set (unhashable) are refused too.
        {"status": []},
        {"status": {"completed": 1}},
        {"weak_side": ["left"]},
        {"work": [["Rotation", 0, ["left"], "reps", 5, 2, 1]]},
        {"work": [["Rotation", 0, "left", ["reps"], 5, 2, 1]]},
        {"work": [["Rotation", 0, "left", {}, 5, 2, 1]]},
        {"tighter": {"0": ["left"]}},
        {"tighter": {"0": None}},
        {"tighter": {"0": "Same"}},
        {"tags": ["t", ["u"]]},
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


def test_whole_numbers_and_text_of_a_subclass_read_as_the_plain_values() -> None:
    class Text(str):
        pass

    record = SessionRecord.from_dict(
        stored(
            active_seconds=42,
            routine=Text("R"),
            weak_side=Text("left"),
            status=Text("stopped"),
            work=[
                ["Rotation", 0, Text("left"), Text("reps"), 5, 2, 1],
                ["Rotation", 0, "right", Text("reps"), 3.0, 3.0, 0],
            ],
        )
    )
    assert type(record.active_seconds) is float and record.active_seconds == 42.0
    assert type(record.weak_side) is str and record.status is SessionStatus.STOPPED
    assert record.work == (
        WorkDone("Rotation", 0, "left", "reps", 5.0, 2.0, 1),
        WorkDone("Rotation", 0, "right", "reps", 3.0, 3.0, 0),
    )
    for work in record.work:
        assert type(work.planned) is float and type(work.side) is str and type(work.kind) is str


def test_the_work_kinds_are_the_plan_steps_that_are_work() -> None:
    from app.domain.plan import WORK_KINDS, StepKind

    assert {kind.value for kind in WORK_KINDS} == WORK_KIND_NAMES
    assert {kind.value for kind in StepKind} > WORK_KIND_NAMES


# Values at and past each limit, of each JSON type, and what a field expects.
EDGES: list[object] = [
    None,
    True,
    0,
    -1,
    99,
    100,
    2**32,
    10**100,
    -0.0,
    1.5,
    math.nan,
    math.inf,
    -math.inf,
    1e308,
    MAX_SECONDS,
    MAX_SECONDS + 1,
    "",
    "x" * (MAX_NAME_CHARS + 1),
    "left",
    "middle",
    "reps",
    "rest",
    "completed",
    "2026-01-01T10:00:00+00:00",
    "2026-01-01T10:00:00",
    "1999-12-31T23:00:00+00:00",
    [],
    ["left"],
    {},
    {"0": "left"},
]
JSON_VALUES = st.sampled_from(EDGES) | st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=8) | st.dictionaries(st.text(), children),
    max_leaves=10,
)


def as_logged() -> dict[str, object]:
    """A stored session as the log holds one: floats for amounts (the usual case)."""
    return stored(
        weak_side="left",
        tags=["hips"],
        tighter={"0": "right"},
        ended=None,
        active_seconds=61.5,
        work=[["Rotation", 0, "left", "reps", 5.0, 2.0, 1]],
    )


def places(row: dict[str, object]) -> list[tuple[object, ...]]:
    """Where a value can go in a stored session: each field, each work value, a new key."""
    work = [("work", 0, index) for index in range(7)]
    return [*((key,) for key in row), *work, ("work", 0), ("tighter", "0"), ("new",)]


def put(row: dict[str, object], place: tuple[object, ...], value: object) -> None:
    parent: Any = row
    for key in place[:-1]:
        parent = parent[key]
    parent[place[-1]] = value


def assert_sane_or_refused(row: dict[str, object]) -> None:
    """Reads `row`: either a SessionRowError, or a record within every limit, in
    plain types (so no check was skipped)."""
    try:
        record = SessionRecord.from_dict(row)
    except SessionRowError:
        return
    assert type(record.id) is str and 0 < len(record.id) <= MAX_ID_CHARS
    assert type(record.routine) is str and len(record.routine) <= MAX_NAME_CHARS
    moment = datetime.fromisoformat(record.started)
    assert moment.tzinfo is not None and YEAR_RANGE[0] <= moment.year <= YEAR_RANGE[1]
    for seconds in (record.active_seconds, record.paused_seconds):
        assert type(seconds) is float and math.isfinite(seconds) and 0 <= seconds <= MAX_SECONDS
    assert record.weak_side is None or (type(record.weak_side) is str and record.weak_side in SIDES)
    assert type(record.status) is SessionStatus
    assert all(type(tag) is str for tag in record.tags)
    for work in record.work:
        assert type(work) is WorkDone and type(work.exercise) is str
        assert len(work.exercise) <= MAX_NAME_CHARS
        assert type(work.kind) is str and work.kind in WORK_KIND_NAMES
        assert work.side is None or (type(work.side) is str and work.side in SIDES)
        assert type(work.exercise_index) is int and 0 <= work.exercise_index < 100
        assert type(work.cut_short) is int and work.cut_short >= 0
        for amount in (work.planned, work.done):
            assert type(amount) is float and math.isfinite(amount) and 0 <= amount <= MAX_SECONDS
    stored_again = record.to_dict()  # the amounts rounded as the log keeps them
    assert SessionRecord.from_dict(stored_again).to_dict() == stored_again


def test_each_edge_value_in_each_field_gives_a_sane_record_or_a_row_error() -> None:
    for place in places(as_logged()):
        for value in EDGES:
            row = as_logged()
            put(row, place, value)
            assert_sane_or_refused(row)


@given(data=st.data())
@settings(max_examples=300, deadline=None)
def test_any_value_anywhere_gives_a_sane_record_or_a_row_error(data: st.DataObject) -> None:
    row = as_logged()
    put(row, data.draw(st.sampled_from(places(row))), data.draw(JSON_VALUES))
    assert_sane_or_refused(row)


def test_sessions_read_share_the_words_every_session_repeats() -> None:
    """Ten years of a log hold one copy of a routine's name and of "left" or "reps",
    not one per row (a log read from JSON has a copy in every row)."""
    import json

    rows = [
        json.loads(
            json.dumps(
                stored(
                    routine="Spinal rotation",
                    routine_id="spinal-rotation",
                    work=[["Seated hip rotation", 0, "left", "reps", 10.0, 10.0, 0]],
                )
            )
        )
        for _ in range(2)
    ]
    first, second = (SessionRecord.from_dict(row) for row in rows)
    assert rows[0]["routine"] is not rows[1]["routine"]  # the JSON's copies
    assert first.routine is second.routine and first.routine_id is second.routine_id
    assert first.work[0].exercise is second.work[0].exercise
    assert first.work[0].side is second.work[0].side
    assert first.work[0].kind is second.work[0].kind


def test_records_read_share_their_offsets_and_numbers() -> None:
    # Ten years of rows repeat a few offsets and counts: one object each, 2 MB less.
    def stored(started: str, planned: float) -> dict[str, Any]:
        row = SessionRecord(
            id=f"id{started}",
            routine_id="r",
            routine="R",
            plan_id="p1",
            started=started,
            status=SessionStatus.COMPLETED,
            work=(WorkDone("Rotation", 0, "left", "reps", planned, planned, 0),),
        ).to_dict()
        # As JSON gives them: a new float object per row.
        row["work"][0][4] = float(str(planned))
        row["work"][0][5] = float(str(planned))
        return row

    first = SessionRecord.from_dict(stored("2026-03-01T08:00:00+01:00", 25.0))
    second = SessionRecord.from_dict(stored("2026-03-02T08:00:00+01:00", 25.0))
    summer = SessionRecord.from_dict(stored("2026-07-02T08:00:00+02:00", 25.0))
    assert first.work[0].planned is second.work[0].planned is second.work[0].done
    assert first.started_at.tzinfo is second.started_at.tzinfo
    assert summer.started_at.tzinfo is not first.started_at.tzinfo
    assert summer.started_at == datetime(2026, 7, 2, 6, tzinfo=UTC)


def test_records_read_share_their_work_tags_and_answers_read_only() -> None:
    """Sessions of a routine done as planned repeat their rows of work, tags and
    answers: one object each (ten years held 9.9 MB, 3.9 MB shared), and the shared
    answers cannot be changed through one session."""
    import json

    def read(tighter: dict[str, str], done: float) -> SessionRecord:
        row = stored(
            tags=["hips", "warm-up"],
            work=[
                ["Seated hip rotation", 0, "left", "reps", 10.0, done, 0],
                ["Seated hip rotation", 0, "right", "reps", 10.0, 10.0, 0],
            ],
            tighter=tighter,
        )
        return SessionRecord.from_dict(json.loads(json.dumps(row)))

    first, second = read({"0": "left"}, 10.0), read({"0": "left"}, 10.0)
    assert first.work is second.work and first.tags is second.tags
    assert first.tighter is second.tighter and first.tighter == {"0": "left"}
    with pytest.raises(TypeError):
        first.tighter["0"] = "right"  # type: ignore[index]
    # A row that differs is its own; the rows it shares still are one object.
    partial = read({"0": "same"}, 4.0)
    assert partial.work is not first.work and partial.work[0].done == 4.0
    assert partial.work[1] is first.work[1]
    assert partial.tighter == {"0": "same"} and partial.tighter is not first.tighter
    # Slotted: no dict per record; the start parsed once, and not copied by a change.
    assert not hasattr(first, "__dict__")
    assert first.started_at is first.started_at
    moved = first.with_changes(started="2025-06-01T07:00:00+02:00")
    assert moved.started_at == datetime(2025, 6, 1, 5, tzinfo=UTC)
    assert SessionRecord.from_dict(first.to_dict()) == first
    # Copied, pickled and turned into plain data as any record is.
    import copy
    import dataclasses
    import pickle

    assert pickle.loads(pickle.dumps(first)) == first == copy.deepcopy(first)
    assert dataclasses.asdict(first)["tighter"] == {"0": "left"}
    assert json.loads(json.dumps(dict(first.tighter))) == {"0": "left"}
