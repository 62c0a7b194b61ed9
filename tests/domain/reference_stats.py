"""The charts' numbers spelled out one session at a time: the reference that the
app's one-pass implementation (history_stats.overview, and history_table's arrays)
is tested against. Only the tests use it."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from app.domain.history_stats import (
    HEATMAP_WEEKS,
    Heatmap,
    Streaks,
    TighterWeek,
    counts_as_warm_up,
    session_day,
    streaks_of_days,
    week_start,
)
from app.domain.session import SessionRecord


def sessions_per_week(
    sessions: list[SessionRecord], today: date, weeks: int
) -> list[tuple[date, int]]:
    """Warm-ups in each of the last `weeks` weeks (oldest first), this week last."""
    counts = Counter(week_start(session_day(s)) for s in sessions if counts_as_warm_up(s))
    this_week = week_start(today)
    return [
        (start, counts.get(start, 0))
        for start in (this_week - timedelta(weeks=n) for n in range(weeks - 1, -1, -1))
    ]


def minutes_per_week(
    sessions: list[SessionRecord], today: date, weeks: int
) -> list[tuple[date, float]]:
    """Active minutes in each of the last `weeks` weeks (oldest first)."""
    minutes: dict[date, float] = {}
    for session in sessions:
        start = week_start(session_day(session))
        minutes[start] = minutes.get(start, 0.0) + session.active_seconds / 60
    this_week = week_start(today)
    return [
        (start, round(minutes.get(start, 0.0), 2))
        for start in (this_week - timedelta(weeks=n) for n in range(weeks - 1, -1, -1))
    ]


def heatmap(sessions: list[SessionRecord], today: date, weeks: int = HEATMAP_WEEKS) -> Heatmap:
    """A calendar heat map of active minutes, one cell a day, ending with this week."""
    per_day: dict[date, float] = {}
    for session in sessions:
        day = session_day(session)
        per_day[day] = per_day.get(day, 0.0) + session.active_seconds / 60
    first = week_start(today) - timedelta(weeks=weeks - 1)
    grid: list[list[float | None]] = []
    for week in range(weeks):
        column: list[float | None] = []
        for weekday in range(7):
            cell = first + timedelta(weeks=week, days=weekday)
            column.append(None if cell > today else round(per_day.get(cell, 0.0), 2))
        grid.append(column)
    return Heatmap(first, grid)


def streaks(sessions: list[SessionRecord], today: date, rest_days_per_week: int = 0) -> Streaks:
    """Current and longest streak of warm-up days.

    A run goes on through days without a warm-up as long as no calendar week has
    more than `rest_days_per_week` of them; today does not break it before it is
    over. The count is of days with a warm-up.
    """
    return streaks_of_days(
        {session_day(s) for s in sessions if counts_as_warm_up(s)}, today, rest_days_per_week
    )


def tighter_by_week(sessions: list[SessionRecord], today: date, weeks: int) -> list[TighterWeek]:
    """The answers to "which side felt tighter?" in each of the last `weeks` weeks
    (oldest first): how many said left, right, and the same."""
    answers: dict[date, Counter[str]] = {}
    for session in sessions:
        start = week_start(session_day(session))
        answers.setdefault(start, Counter()).update(session.tighter.values())
    this_week = week_start(today)
    shown = []
    for n in range(weeks - 1, -1, -1):
        start = this_week - timedelta(weeks=n)
        counted = answers.get(start, Counter())
        shown.append(TighterWeek(start, counted["left"], counted["right"], counted["same"]))
    return shown
