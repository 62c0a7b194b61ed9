"""Display texts: counts, times and summaries as a person reads them."""

from __future__ import annotations

from app.domain.session import WorkDone


def test_counts_read_as_english() -> None:
    from app.domain.text import counted

    assert [counted(n, "session") for n in (0, 1, 2)] == ["0 sessions", "1 session", "2 sessions"]


def test_times_round_to_the_nearest_second_a_half_always_up() -> None:
    from app.domain.text import clock_text, whole_seconds

    # round() would give 2:32 and 2:38: a half to the even neighbour.
    assert clock_text(152.5) == "2:33"
    assert clock_text(157.5) == "2:38"
    assert [whole_seconds(s) for s in (0.0, 0.49, 0.5, 1.5, 2.5, 59.5)] == [0, 0, 1, 2, 3, 60]
    assert clock_text(59.5) == "1:00" and clock_text(3599.4) == "59:59"


def test_a_summary_rounds_whole_seconds_as_the_clock_does_and_a_part_down() -> None:
    from app.domain.display import session_summary
    from tests.storage.log_helpers import record

    session = record().with_changes(
        active_seconds=152.5,
        work=(
            WorkDone("Hold", 0, "left", "hold", 37.5, 37.5),
            WorkDone("Hold", 0, "right", "hold", 37.5, 29.7),
            WorkDone("Rotation", 1, None, "reps", 10, 6),
        ),
    )
    assert session_summary(session) == [
        "2:33 in all, completed",  # round() would say 2:32
        "Hold: left 38 s, right 29 of 38 s",  # a part never reads as all of it
        "Rotation: 6 of 10 reps",
    ]


def test_one_rep_is_one_rep_wherever_reps_are_counted() -> None:
    from app.domain.display import plan_summary, session_summary, step_summary
    from app.domain.plan import StepKind, build_plan
    from app.domain.routine import Exercise, Kind, Routine
    from app.domain.routine_card import card_html
    from tests.storage.log_helpers import record

    single = Exercise("Big squat", Kind.REPS, reps=1, tempo=4)
    routine = Routine("one", "One", (single,))
    plan = build_plan(routine)
    (work,) = [s for s in plan.steps if s.kind is StepKind.REPS]
    assert step_summary(work) == "1 rep"
    assert plan_summary(plan)[0].each_set == "1 rep @ 4 s"
    assert "1 rep at 4 s a rep" in card_html(routine)
    session = record().with_changes(
        work=(
            WorkDone("Squat", 0, "left", "reps", 10, 1),
            WorkDone("Squat", 0, "right", "reps", 1, 1),
        )
    )
    assert session_summary(session)[1] == "Squat: left 1 of 10 reps, right 1 rep"
