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
        "2:33 of movement, completed",  # round() would say 2:32
        "Hold: left 38 s, right 29 of 38 s",  # a part never reads as all of it
        "Rotation: 6 of 10 reps",
    ]
