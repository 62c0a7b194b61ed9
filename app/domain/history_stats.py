"""The numbers behind the history charts, from session records and a given day.

Days are the local calendar days the sessions were done on: a session's day is
the date of its start in the offset it was recorded with, so a session at 23:50
counts for that evening wherever the clocks have moved since. Weeks start on
Monday. Nothing here reads the clock: `today` is always passed in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from app.domain.session import SAME, SessionRecord, SessionStatus

# A session that was not completed still counts as a warm-up after this much work.
WARM_UP_SECONDS = 120.0
HEATMAP_WEEKS = 53


def session_day(session: SessionRecord) -> date:
    """The local calendar day a session was started on."""
    return session.started_at.date()


def counts_as_warm_up(session: SessionRecord) -> bool:
    """Completed, or stopped or interrupted after at least two minutes of work."""
    return session.status is SessionStatus.COMPLETED or (
        session.status is not SessionStatus.IN_PROGRESS
        and session.active_seconds >= WARM_UP_SECONDS
    )


def warm_up_days(sessions: Iterable[SessionRecord]) -> set[date]:
    """The days with a session that counts as a warm-up."""
    return {session_day(s) for s in sessions if counts_as_warm_up(s)}


def week_start(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Heatmap:
    """Minutes per day over the last year: `minutes[week][weekday]`, Monday first.

    `first_day` is the Monday of the first column; days after `today` are None.
    """

    first_day: date
    minutes: list[list[float | None]]


@dataclass(frozen=True)
class Streaks:
    """Days with a warm-up in the current run, and in the longest run ever."""

    current: int
    longest: int


def streaks_of_ordinals(warm: set[int], today: int, rest_days_per_week: int) -> Streaks:
    """Streaks over day ordinals (1 is a Monday): quick over years of days."""
    if not warm:
        return Streaks(0, 0)
    run = longest = missed = 0
    for ordinal in range(min(warm), today + 1):
        if (ordinal - 1) % 7 == 0:
            missed = 0
        if ordinal in warm:
            run += 1
        elif ordinal != today:
            missed += 1
            if missed > rest_days_per_week:
                longest = max(longest, run)
                run = 0
    return Streaks(run, max(longest, run))


def streaks_of_days(days: set[date], today: date, rest_days_per_week: int) -> Streaks:
    return streaks_of_ordinals(
        {day.toordinal() for day in days}, today.toordinal(), rest_days_per_week
    )


def filter_sessions(
    sessions: list[SessionRecord],
    *,
    routine_id: str | None = None,
    tag: str | None = None,
    first_day: date | None = None,
    last_day: date | None = None,
) -> list[SessionRecord]:
    """The sessions of one routine, with one tag, between two days (each optional)."""
    return [
        s
        for s in sessions
        if (routine_id is None or s.routine_id == routine_id)
        and (tag is None or tag in s.tags)
        and (first_day is None or session_day(s) >= first_day)
        and (last_day is None or session_day(s) <= last_day)
    ]


# The answered sessions of a routine the library's suggestion looks back on, and
# how many of them must have felt even (every answer "same") for it to suggest no
# weaker side: most of them, and never on one or two sessions alone.
RECENT_SESSIONS = 5
EVEN_SESSIONS = 3


@dataclass(frozen=True)
class SideSuggestion:
    """What a routine's last answers suggest: the side most often marked tighter, or
    (`side` None) no weaker side, as both sides felt the same in most of them.

    `marked` of the last `sessions` answered sessions say so.
    """

    side: str | None
    marked: int
    sessions: int

    def message(self, chosen: str | None) -> str:
        """The suggestion in words, for a routine now played with the weaker side
        `chosen`: "Suggested weaker side: left (felt tighter in 2 of your last 3
        sessions of this routine)", or "Both sides felt the same in 4 of your last 5
        sessions of this routine: try it without a weaker side"."""
        if self.sessions == 1:
            among = "your last session"
        elif self.marked == self.sessions:
            among = f"each of your last {self.sessions} sessions"
        else:
            among = f"{self.marked} of your last {self.sessions} sessions"
        if self.side is not None:
            return f"Suggested weaker side: {self.side} (felt tighter in {among} of this routine)"
        even = f"Both sides felt the same in {among} of this routine"
        return even if chosen is None else f"{even}: try it without a weaker side"


def suggest_weak_side(
    sessions: list[SessionRecord], routine_id: str, last: int = RECENT_SESSIONS
) -> SideSuggestion | None:
    """What the last `last` sessions of a routine that have an answer suggest.

    No weaker side when at least EVEN_SESSIONS of them felt even (each of their
    answers "same"); else the side marked tighter most often, a "same" voting for
    no side; None without a side marked, or on a tie.
    """
    answered = sorted(
        (s for s in sessions if s.routine_id == routine_id and s.tighter),
        key=lambda s: s.started_at,
        reverse=True,
    )[:last]
    even = sum(1 for s in answered if all(side == SAME for side in s.tighter.values()))
    if even >= EVEN_SESSIONS:
        return SideSuggestion(None, even, len(answered))
    votes = Counter(side for s in answered for side in s.tighter.values() if side != SAME)
    if not votes:
        return None
    (side, count), *rest = votes.most_common()
    if rest and rest[0][1] == count:
        return None
    return SideSuggestion(
        side, sum(1 for s in answered if side in s.tighter.values()), len(answered)
    )


class TighterAnswers(NamedTuple):
    """How many answers to "which side felt tighter?" said left, right, or the same."""

    left: int = 0
    right: int = 0
    same: int = 0


NO_ANSWERS = TighterAnswers()


def tighter_answers(session: SessionRecord) -> TighterAnswers:
    """The answers a session was given, one per exercise done on both sides."""
    if not session.tighter:  # most sessions: the history reads years of them
        return NO_ANSWERS
    answers = Counter(session.tighter.values())
    return TighterAnswers(answers["left"], answers["right"], answers[SAME])


@dataclass(frozen=True)
class TighterWeek:
    """The answers to "which side felt tighter?" given in one week: the weaker side
    catching up shows as fewer answers for it and more "same"."""

    week: date  # its Monday
    left: int
    right: int
    same: int


@dataclass(frozen=True)
class SessionFacts:
    """What the charts need of one session, worked out once."""

    day: date
    week: date  # its Monday
    warm_up: bool
    minutes: float
    tighter: TighterAnswers


def facts(session: SessionRecord) -> SessionFacts:
    """The chart facts of a session."""
    day = session_day(session)
    return SessionFacts(
        day,
        week_start(day),
        counts_as_warm_up(session),
        session.active_seconds / 60,
        tighter_answers(session),
    )


@dataclass(frozen=True)
class Overview:
    """Every chart's numbers for one set of sessions."""

    per_week: list[tuple[date, int]]
    minutes: list[tuple[date, float]]
    heat: Heatmap
    streaks: Streaks
    tighter: list[TighterWeek]


def overview(
    session_facts: list[SessionFacts], today: date, weeks: int, rest_days_per_week: int = 0
) -> Overview:
    """All the charts at once, in one pass over the facts: the same numbers as
    tests/domain/reference_stats.py spells out one session at a time."""
    counts: Counter[date] = Counter()
    week_minutes: dict[date, float] = {}
    day_minutes: dict[date, float] = {}
    warm_days: set[date] = set()
    answers: dict[date, TighterAnswers] = {}
    for fact in session_facts:
        start = fact.week
        week_minutes[start] = week_minutes.get(start, 0.0) + fact.minutes
        day_minutes[fact.day] = day_minutes.get(fact.day, 0.0) + fact.minutes
        if fact.warm_up:
            counts[start] += 1
            warm_days.add(fact.day)
        if any(fact.tighter):
            so_far = answers.get(start, NO_ANSWERS)
            answers[start] = TighterAnswers(*map(sum, zip(so_far, fact.tighter, strict=True)))
    this_week = week_start(today)
    starts = [this_week - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    first = this_week - timedelta(weeks=HEATMAP_WEEKS - 1)
    grid: list[list[float | None]] = [
        [
            None
            if (cell := first + timedelta(weeks=w, days=d)) > today
            else round(day_minutes.get(cell, 0.0), 2)
            for d in range(7)
        ]
        for w in range(HEATMAP_WEEKS)
    ]
    return Overview(
        per_week=[(s, counts.get(s, 0)) for s in starts],
        minutes=[(s, round(week_minutes.get(s, 0.0), 2)) for s in starts],
        heat=Heatmap(first, grid),
        streaks=streaks_of_days(warm_days, today, rest_days_per_week),
        tighter=[TighterWeek(s, *answers.get(s, NO_ANSWERS)) for s in starts],
    )
