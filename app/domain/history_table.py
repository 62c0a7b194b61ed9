"""Chart numbers over years of sessions, fast enough to redraw on every filter change.

The same numbers as `history_stats.overview` (a test holds them equal), computed
on columns of per-session facts with numpy instead of a Python loop per session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from app.domain.history_stats import (
    HEATMAP_WEEKS,
    Heatmap,
    Overview,
    SessionFacts,
    Streaks,
    week_start,
)

Cell = TypeVar("Cell", bound=np.generic)
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class FactsTable:
    """Session facts as columns: day and week (ordinals), warm-up, minutes, gap (nan
    for none)."""

    day: Ints
    week: Ints
    warm: Flags
    minutes: Floats
    gap: Floats

    @classmethod
    def of(cls, facts: list[SessionFacts]) -> FactsTable:
        """The columns of `facts`, in their order."""
        return cls(
            day=np.fromiter((f.day.toordinal() for f in facts), np.int64, len(facts)),
            week=np.fromiter((f.week.toordinal() for f in facts), np.int64, len(facts)),
            warm=np.fromiter((f.warm_up for f in facts), np.bool_, len(facts)),
            minutes=np.fromiter((f.minutes for f in facts), np.float64, len(facts)),
            gap=np.fromiter((np.nan if f.gap is None else f.gap for f in facts), np.float64,
                            len(facts)))

    def with_row(self, index: int, facts: SessionFacts) -> FactsTable:
        """This table with row `index` replaced by `facts`; `index` == its length adds
        a row at the end. One session changes without a pass over all of them."""
        row = FactsTable.of([facts])

        def splice(mine: npt.NDArray[Cell], new: npt.NDArray[Cell]) -> npt.NDArray[Cell]:
            return np.concatenate((mine[:index], new, mine[index + 1:]))

        return FactsTable(splice(self.day, row.day), splice(self.week, row.week),
                          splice(self.warm, row.warm), splice(self.minutes, row.minutes),
                          splice(self.gap, row.gap))

    def without_row(self, index: int) -> FactsTable:
        """This table without row `index`."""
        return FactsTable(np.delete(self.day, index), np.delete(self.week, index),
                          np.delete(self.warm, index), np.delete(self.minutes, index),
                          np.delete(self.gap, index))

    def between(self, first: date, last: date) -> Flags:
        """Which sessions fall on a day from `first` to `last`."""
        return (self.day >= first.toordinal()) & (self.day <= last.toordinal())


def overview(table: FactsTable, chosen: Flags, today: date, weeks: int,
             rest_days_per_week: int = 0) -> Overview:
    """Every chart's numbers for the sessions `chosen` (a mask over the table)."""
    this_week = week_start(today).toordinal()
    week = table.week[chosen]
    minutes = table.minutes[chosen]
    warm = table.warm[chosen]
    back = (this_week - week) // 7  # 0 for this week, 1 for the one before...
    recent = (back >= 0) & (back < weeks)
    counts = np.bincount(back[recent & warm], minlength=weeks)[::-1]
    week_minutes = np.bincount(back[recent], weights=minutes[recent], minlength=weeks)[::-1]
    starts = [date.fromordinal(this_week - 7 * n) for n in range(weeks - 1, -1, -1)]
    first = this_week - 7 * (HEATMAP_WEEKS - 1)
    offset = table.day[chosen] - first
    in_grid = (offset >= 0) & (offset < 7 * HEATMAP_WEEKS)
    per_day = np.bincount(offset[in_grid], weights=minutes[in_grid],
                          minlength=7 * HEATMAP_WEEKS)
    last_cell = today.toordinal() - first
    grid: list[list[float | None]] = [
        [None if 7 * w + d > last_cell else round(float(per_day[7 * w + d]), 2)
         for d in range(7)] for w in range(HEATMAP_WEEKS)]
    gaps = table.gap[chosen]
    has_gap = ~np.isnan(gaps)
    gap_weeks, index = np.unique(week[has_gap], return_inverse=True)
    sums = np.bincount(index, weights=gaps[has_gap], minlength=len(gap_weeks))
    numbers = np.bincount(index, minlength=len(gap_weeks))
    return Overview(
        per_week=[(s, int(c)) for s, c in zip(starts, counts, strict=True)],
        minutes=[(s, round(float(m), 2)) for s, m in zip(starts, week_minutes, strict=True)],
        heat=Heatmap(date.fromordinal(first), grid),
        streaks=streaks(table.day[chosen][warm], today.toordinal(), rest_days_per_week),
        gap=[(date.fromordinal(int(w)), round(float(s) / int(n), 2))
             for w, s, n in zip(gap_weeks, sums, numbers, strict=True)])


def streaks(days: Ints, today: int, rest_days_per_week: int) -> Streaks:
    """`history_stats.streaks_of_ordinals` over an array of day ordinals (repeats
    allowed), without a Python step per day: a test holds the two equal.

    A day without a warm-up (today aside) breaks the run once it is one more than
    `rest_days_per_week` in its calendar week; the runs are the warm-up days
    between breaks.
    """
    days = days[days <= today]
    if not len(days):
        return Streaks(0, 0)
    first = int(days.min())
    warm = np.zeros(today - first + 1, dtype=bool)
    warm[days - first] = True
    missed = ~warm
    missed[-1] = False  # today is not over
    span = np.arange(first, today + 1)
    week = (span - 1) // 7  # ordinal 1 is a Monday
    week_first = np.searchsorted(week, week, side="left")
    missed_so_far = np.cumsum(missed)
    before_week = np.where(week_first > 0, missed_so_far[week_first - 1], 0)
    breaks = missed & (missed_so_far - before_week > rest_days_per_week)
    runs = np.bincount(np.cumsum(breaks)[warm], minlength=int(breaks.sum()) + 1)
    return Streaks(int(runs[-1]), int(runs.max()))
