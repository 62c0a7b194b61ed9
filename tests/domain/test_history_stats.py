"""Chart numbers on fixed dates: weeks, heat map, streaks, minutes, which side felt
tighter, filters.

Times carry the offsets of Europe/Berlin, the zone these tests are pinned to:
sessions near midnight and on both sides of the DST changes of 2026 (29 March,
25 October) land on the local day they were done.
"""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest

from app.domain.history_stats import (
    SideSuggestion,
    TighterWeek,
    counts_as_warm_up,
    facts,
    filter_sessions,
    overview,
    session_day,
    streaks_of_ordinals,
    suggest_weak_side,
    warm_up_days,
)
from app.domain.session import SessionRecord, SessionStatus, WorkDone
from tests.domain.reference_stats import (
    heatmap,
    minutes_per_week,
    sessions_per_week,
    streaks,
    tighter_by_week,
)

ids = count()


def session(
    started: str,
    *,
    minutes: float = 5,
    status: str = "completed",
    routine: str = "heel",
    tags: tuple[str, ...] = ("warm-up",),
    weak: str | None = None,
    work: tuple[WorkDone, ...] = (),
    tighter: dict[str, str] | None = None,
) -> SessionRecord:
    return SessionRecord(
        id=str(next(ids)),
        routine_id=routine,
        routine=routine,
        plan_id="p",
        started=started,
        status=SessionStatus(status),
        active_seconds=minutes * 60,
        weak_side=weak,
        tags=tags,
        work=work,
        tighter=tighter or {},
    )


def test_a_session_counts_on_the_local_day_it_was_done() -> None:
    assert session_day(session("2026-03-28T23:50:00+01:00")) == date(2026, 3, 28)
    assert session_day(session("2026-03-29T00:10:00+01:00")) == date(2026, 3, 29)
    assert session_day(session("2026-03-29T03:05:00+02:00")) == date(2026, 3, 29)
    # The hour that happens twice on 25 October: both are that Sunday.
    assert session_day(session("2026-10-25T02:30:00+02:00")) == date(2026, 10, 25)
    assert session_day(session("2026-10-25T02:30:00+01:00")) == date(2026, 10, 25)


def test_what_counts_as_a_warm_up() -> None:
    assert counts_as_warm_up(session("2026-01-05T08:00:00+01:00", minutes=1))
    assert not counts_as_warm_up(session("2026-01-05T08:00:00+01:00", minutes=1, status="stopped"))
    assert counts_as_warm_up(session("2026-01-05T08:00:00+01:00", minutes=3, status="stopped"))
    assert not counts_as_warm_up(
        session("2026-01-05T08:00:00+01:00", minutes=30, status="in_progress")
    )


def test_the_days_warmed_up_are_those_of_a_session_that_counts() -> None:
    sessions = [
        session("2026-11-23T07:30:00+01:00", minutes=1, status="stopped"),
        session("2026-11-23T23:50:00+01:00", minutes=3, status="stopped"),
        session("2026-11-24T08:00:00+01:00", status="in_progress"),
        session("2026-11-25T00:10:00+01:00"),
        session("2026-11-26T08:00:00+01:00", minutes=1, status="interrupted"),
    ]
    assert warm_up_days(sessions) == {date(2026, 11, 23), date(2026, 11, 25)}


def test_sessions_per_week_split_at_sunday_midnight() -> None:
    sessions = [
        session("2026-03-22T23:59:00+01:00"),  # Sunday: week of 16 March
        session("2026-03-23T00:01:00+01:00"),  # Monday: week of 23 March
        session("2026-03-29T23:30:00+02:00"),  # Sunday after the DST change
        session("2026-03-30T06:00:00+02:00"),
        session("2026-03-30T18:00:00+02:00"),
        session("2026-03-31T07:00:00+02:00", minutes=1, status="stopped"),  # too short
    ]
    assert sessions_per_week(sessions, date(2026, 4, 1), weeks=4) == [
        (date(2026, 3, 9), 0),
        (date(2026, 3, 16), 1),
        (date(2026, 3, 23), 2),
        (date(2026, 3, 30), 2),
    ]


def test_minutes_per_week_add_up_active_time() -> None:
    sessions = [
        session("2026-10-24T22:00:00+02:00", minutes=4.5),
        session("2026-10-25T09:00:00+01:00", minutes=10),
        session("2026-10-26T07:00:00+01:00", minutes=6),
    ]
    assert minutes_per_week(sessions, date(2026, 10, 28), weeks=2) == [
        (date(2026, 10, 19), 14.5),
        (date(2026, 10, 26), 6.0),
    ]


def test_the_heat_map_has_a_cell_a_day_and_nothing_after_today() -> None:
    sessions = [
        session("2026-11-16T07:00:00+01:00", minutes=3),
        session("2026-11-16T19:00:00+01:00", minutes=4),
        session("2025-11-24T07:00:00+01:00", minutes=9),
    ]
    grid = heatmap(sessions, date(2026, 11, 18))
    assert len(grid.minutes) == 53 and all(len(week) == 7 for week in grid.minutes)
    assert grid.first_day == date(2025, 11, 17)  # 52 weeks before this Monday
    assert grid.minutes[1][0] == 9
    assert grid.minutes[-1][0] == 7  # Monday of this week: both sessions
    assert grid.minutes[-1][2] == 0  # Wednesday, today, nothing yet
    assert grid.minutes[-1][3:] == [None, None, None, None]


def test_streaks_daily_and_with_rest_days() -> None:
    days = [
        "2026-06-01",
        "2026-06-02",
        "2026-06-03",  # Mon-Wed
        "2026-06-05",
        "2026-06-06",
        "2026-06-07",  # Fri-Sun (Thu off)
        "2026-06-08",
        "2026-06-09",
    ]  # Mon, Tue
    sessions = [session(f"{d}T07:30:00+02:00") for d in days]
    today = date(2026, 6, 10)  # Wednesday, not yet done: does not break the run
    assert streaks(sessions, today) == streaks(sessions, today, rest_days_per_week=0)
    assert streaks(sessions, today, 0).current == 5
    assert streaks(sessions, today, 0).longest == 5
    assert streaks(sessions, today, 1).current == 8  # one rest day a week is allowed
    # Two days off in one week break even a one-rest-day streak.
    assert streaks(sessions, date(2026, 6, 12), 1).current == 0
    assert streaks([], today) == streaks([], today, 2)
    assert streaks([], today).longest == 0


def test_a_streak_runs_across_midnight_and_dst() -> None:
    sessions = [
        session("2026-03-27T23:55:00+01:00"),
        session("2026-03-28T23:59:00+01:00"),
        session("2026-03-29T00:05:00+01:00"),
        session("2026-03-30T03:30:00+02:00"),
    ]
    assert streaks(sessions, date(2026, 3, 30)).current == 4


def test_the_tighter_answers_are_counted_per_week_as_felt() -> None:
    sessions = [
        # Sunday night before the DST change: the week of 23 March.
        session("2026-03-29T23:30:00+02:00", tighter={"0": "left", "3": "left"}),
        # The week of 30 March, Monday just after midnight: a weak side marked
        # (what Limber prescribed) does not count, only what was felt.
        session("2026-03-30T00:10:00+02:00", weak="left", tighter={"0": "same", "3": "right"}),
        session("2026-04-02T08:00:00+02:00", status="stopped", minutes=1, tighter={"0": "same"}),
        session("2026-04-03T08:00:00+02:00", weak="left"),  # not answered
        session("2026-03-10T08:00:00+01:00", tighter={"0": "left"}),  # before the weeks shown
    ]
    expected = [
        TighterWeek(date(2026, 3, 16), 0, 0, 0),
        TighterWeek(date(2026, 3, 23), 2, 0, 0),
        TighterWeek(date(2026, 3, 30), 0, 1, 2),
    ]
    today = date(2026, 4, 4)
    assert tighter_by_week(sessions, today, weeks=3) == expected
    ordered = sorted(sessions, key=lambda s: s.started_at)
    assert overview([facts(s) for s in ordered], today, 3).tighter == expected


def test_filters_by_routine_tag_and_days() -> None:
    sessions = [
        session("2026-02-01T08:00:00+01:00", routine="heel", tags=("thoracic",)),
        session("2026-02-02T08:00:00+01:00", routine="hips", tags=("hips",)),
        session("2026-02-03T08:00:00+01:00", routine="heel", tags=("thoracic",)),
    ]
    assert [s.routine_id for s in filter_sessions(sessions, routine_id="hips")] == ["hips"]
    assert len(filter_sessions(sessions, tag="thoracic")) == 2
    assert (
        len(filter_sessions(sessions, first_day=date(2026, 2, 2), last_day=date(2026, 2, 2))) == 1
    )


def test_the_weak_side_suggestion_is_the_side_marked_tighter_most_often() -> None:
    sessions = [
        session(f"2026-07-0{d}T08:00:00+02:00", tighter=t)
        for d, t in (
            (1, {"0": "right"}),
            (2, {"0": "left"}),
            (3, {"0": "left"}),
            (4, {}),
            (5, {"0": "left", "2": "right"}),
        )
    ]
    suggestion = suggest_weak_side(sessions, "heel")
    assert suggestion is not None and (suggestion.side, suggestion.marked, suggestion.sessions) == (
        "left",
        3,
        4,
    )
    assert suggest_weak_side(sessions, "heel", last=1) is None  # a tie: left and right
    assert suggest_weak_side(sessions, "other") is None
    # "Same" is an answer but votes for no side: the session counts, the side does not.
    evened = [*sessions, session("2026-07-06T08:00:00+02:00", tighter={"0": "same"})]
    suggestion = suggest_weak_side(evened, "heel")
    assert suggestion is not None and (suggestion.side, suggestion.marked, suggestion.sessions) == (
        "left",
        3,
        5,
    )


@pytest.mark.parametrize(
    ("suggestion", "chosen", "message"),
    [
        (
            SideSuggestion("left", 1, 1),
            None,
            "Suggested weaker side: left (felt tighter in your last session of this routine)",
        ),
        (
            SideSuggestion("right", 2, 3),
            "left",
            "Suggested weaker side: right"
            " (felt tighter in 2 of your last 3 sessions of this routine)",
        ),
        (
            SideSuggestion("left", 3, 3),
            "left",
            "Suggested weaker side: left"
            " (felt tighter in each of your last 3 sessions of this routine)",
        ),
        (
            SideSuggestion(None, 4, 5),
            "left",
            "Both sides felt the same in 4 of your last 5 sessions of this routine:"
            " try it without a weaker side",
        ),
        # Played without a weaker side already: nothing to try, only the news.
        (
            SideSuggestion(None, 3, 3),
            None,
            "Both sides felt the same in each of your last 3 sessions of this routine",
        ),
    ],
)
def test_the_suggestion_says_why_in_words_that_read_right(
    suggestion: SideSuggestion, chosen: str | None, message: str
) -> None:
    assert suggestion.message(chosen) == message


def answered(*answers: dict[str, str]) -> list[SessionRecord]:
    """Sessions of one routine on 1, 2, 3... July, with these answers."""
    return [
        session(f"2026-07-{day:02d}T08:00:00+02:00", tighter=tighter)
        for day, tighter in enumerate(answers, start=1)
    ]


SAME = {"0": "same", "2": "same"}


def test_no_weaker_side_is_suggested_when_most_recent_sessions_felt_even() -> None:
    left = {"0": "left", "2": "same"}
    # Of the last 5 answered sessions (unanswered ones do not count), 4 felt even.
    sessions = answered(left, left, left, SAME, {}, SAME, left, {}, SAME, SAME)
    assert suggest_weak_side(sessions, "heel") == SideSuggestion(None, 4, 5)
    # 3 of the last 5 are enough; one answer for a side makes a session uneven.
    sessions = answered(left, left, SAME, SAME, left, SAME)
    assert suggest_weak_side(sessions, "heel") == SideSuggestion(None, 3, 5)
    # 3 of 3: every session so far felt even.
    assert suggest_weak_side(answered(SAME, SAME, SAME), "heel") == SideSuggestion(None, 3, 3)


def test_a_weaker_side_is_still_suggested_while_few_sessions_felt_even() -> None:
    left = {"0": "left"}
    # 2 even sessions of the last 5: left felt tighter in the other 3.
    sessions = answered(SAME, SAME, SAME, left, SAME, left, SAME, left)
    assert suggest_weak_side(sessions, "heel") == SideSuggestion("left", 3, 5)
    # Two sessions, both even: too few to say; nor does "same" vote for a side.
    assert suggest_weak_side(answered(SAME, SAME), "heel") is None
    assert suggest_weak_side(answered(SAME, SAME, SAME), "other routine") is None


def test_the_one_pass_overview_matches_each_chart_function() -> None:
    import numpy as np
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from app.domain.history_table import FactsTable
    from app.domain.history_table import overview as table_overview

    moments = st.builds(
        lambda day, minute, offset: (
            f"2026-{1 + day // 28:02d}-{1 + day % 28:02d}T"
            f"{minute // 60:02d}:{minute % 60:02d}:00{offset}"
        ),
        st.integers(0, 12 * 28 - 1),
        st.integers(0, 24 * 60 - 1),
        st.sampled_from(["+01:00", "+02:00"]),
    )
    one = st.builds(
        lambda started, minutes, status, weak, done, tighter: session(
            started,
            minutes=minutes,
            status=status,
            weak=weak,
            work=(
                WorkDone("R", 0, "right", "reps", 3, 3),
                WorkDone("R", 0, "left", "reps", 5, done),
            ),
            tighter=tighter,
        ),
        moments,
        st.floats(0, 30),
        st.sampled_from(["completed", "stopped", "interrupted"]),
        st.sampled_from([None, "left", "right"]),
        st.integers(0, 6),
        st.dictionaries(st.sampled_from("0123"), st.sampled_from(["left", "right", "same"])),
    )

    @settings(max_examples=60, deadline=None)
    @given(st.lists(one, max_size=40), st.sampled_from([0, 1, 2]), st.sampled_from([12, 52]))
    def check(sessions: list[SessionRecord], rest: int, weeks: int) -> None:
        ordered = sorted(sessions, key=lambda s: s.started_at)
        today = date(2026, 12, 31)
        result = overview([facts(s) for s in ordered], today, weeks, rest)
        assert result.per_week == sessions_per_week(ordered, today, weeks)
        assert result.minutes == minutes_per_week(ordered, today, weeks)
        assert result.heat == heatmap(ordered, today)
        assert result.streaks == streaks(ordered, today, rest)
        assert result.tighter == tighter_by_week(ordered, today, weeks)
        # The numpy version over a table of facts gives the very same numbers.
        all_facts = [facts(s) for s in ordered]
        table = FactsTable.of(all_facts)
        chosen = np.ones(len(all_facts), dtype=bool)
        assert table_overview(table, chosen, today, weeks, rest) == result
        if ordered:  # and for a part of them
            chosen[::2] = False
            part = [f for f, keep in zip(all_facts, chosen, strict=True) if keep]
            assert table_overview(table, chosen, today, weeks, rest) == overview(
                part, today, weeks, rest
            )

    check()


def test_the_numpy_streaks_match_the_day_by_day_count() -> None:
    import numpy as np
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from app.domain import history_table

    today = date(2026, 11, 21).toordinal()

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.integers(today - 120, today + 3), max_size=100), st.integers(0, 6))
    def check(days: list[int], rest: int) -> None:
        expected = streaks_of_ordinals(set(days), today, rest)
        assert history_table.streaks(np.array(days, dtype=np.int64), today, rest) == expected

    check()
