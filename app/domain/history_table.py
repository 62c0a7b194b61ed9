"""Chart numbers over years of sessions, fast enough to redraw on every filter change.

The same numbers as `history_stats.overview` (a test holds them equal), computed
on columns of per-session facts with numpy instead of a Python loop per session.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
    TighterWeek,
    facts,
    week_start,
)
from app.domain.session import SessionRecord

Cell = TypeVar("Cell", bound=np.generic)
Ints = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class FactsTable:
    """Session facts as columns: day and week (ordinals), warm-up, minutes, and the
    "which side felt tighter?" answers (a row of left, right and same counts)."""

    day: Ints
    week: Ints
    warm: Flags
    minutes: Floats
    tighter: Ints

    @classmethod
    def of(cls, rows: list[SessionFacts]) -> FactsTable:
        """The columns of `rows`, in their order."""
        return cls(
            day=np.fromiter((f.day.toordinal() for f in rows), np.int64, len(rows)),
            week=np.fromiter((f.week.toordinal() for f in rows), np.int64, len(rows)),
            warm=np.fromiter((f.warm_up for f in rows), np.bool_, len(rows)),
            minutes=np.fromiter((f.minutes for f in rows), np.float64, len(rows)),
            tighter=np.array([f.tighter for f in rows], dtype=np.int64).reshape(len(rows), 3),
        )

    def with_row(self, index: int, row_facts: SessionFacts) -> FactsTable:
        """This table with row `index` replaced by `row_facts`; `index` == its length
        adds a row at the end. One session changes without a pass over all of them."""
        row = FactsTable.of([row_facts])

        def splice(mine: npt.NDArray[Cell], new: npt.NDArray[Cell]) -> npt.NDArray[Cell]:
            return np.concatenate((mine[:index], new, mine[index + 1 :]))

        return FactsTable(
            splice(self.day, row.day),
            splice(self.week, row.week),
            splice(self.warm, row.warm),
            splice(self.minutes, row.minutes),
            splice(self.tighter, row.tighter),
        )

    def without_row(self, index: int) -> FactsTable:
        """This table without row `index`."""
        return FactsTable(
            np.delete(self.day, index),
            np.delete(self.week, index),
            np.delete(self.warm, index),
            np.delete(self.minutes, index),
            np.delete(self.tighter, index, axis=0),
        )

    def between(self, first: date, last: date) -> Flags:
        """Which sessions fall on a day from `first` to `last`."""
        return (self.day >= first.toordinal()) & (self.day <= last.toordinal())


def overview(
    table: FactsTable, chosen: Flags, today: date, weeks: int, rest_days_per_week: int = 0
) -> Overview:
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
    per_day = np.bincount(offset[in_grid], weights=minutes[in_grid], minlength=7 * HEATMAP_WEEKS)
    last_cell = today.toordinal() - first
    grid: list[list[float | None]] = [
        [None if 7 * w + d > last_cell else round(float(per_day[7 * w + d]), 2) for d in range(7)]
        for w in range(HEATMAP_WEEKS)
    ]
    answers = np.zeros((weeks, 3), dtype=np.int64)
    np.add.at(answers, back[recent], table.tighter[chosen][recent])
    return Overview(
        per_week=[(s, int(c)) for s, c in zip(starts, counts, strict=True)],
        minutes=[(s, round(float(m), 2)) for s, m in zip(starts, week_minutes, strict=True)],
        heat=Heatmap(date.fromordinal(first), grid),
        streaks=streaks(table.day[chosen][warm], today.toordinal(), rest_days_per_week),
        tighter=[
            TighterWeek(s, int(left), int(right), int(same))
            for s, (left, right, same) in zip(starts, answers[::-1], strict=True)
        ],
    )


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


class SessionColumns:
    """The sessions the history shows, oldest first, with the columns it filters and
    charts on. Built in one pass (for years of sessions, off the GUI thread); then
    one session at a time is added, changed or removed in place.

    Args:
        sessions: The sessions, in any order.
        known: Chart facts worked out already, by session id.
    """

    def __init__(
        self, sessions: Iterable[SessionRecord], known: Mapping[str, SessionFacts] | None = None
    ) -> None:
        self._build(sessions, known or {})

    def _build(self, sessions: Iterable[SessionRecord], known: Mapping[str, SessionFacts]) -> None:
        self.sessions = sorted(sessions, key=lambda s: s.started_at)
        self.facts = {s.id: known.get(s.id) or facts(s) for s in self.sessions}
        self.table = FactsTable.of([self.facts[s.id] for s in self.sessions])
        self._codes: dict[str, int] = {}
        self._routine_codes = np.fromiter(
            (self._code(s.routine_id) for s in self.sessions), np.int64, len(self.sessions)
        )
        self._tag_masks: dict[str, Flags] = {}
        self.routines = {(s.routine, s.routine_id) for s in self.sessions}
        self.tags = {tag for s in self.sessions for tag in s.tags}

    def routine_mask(self, routine_id: str) -> Flags:
        """Which sessions are of that routine."""
        mask: Flags = self._routine_codes == self._codes.get(routine_id, -1)
        return mask

    def tag_mask(self, tag: str) -> Flags:
        """Which sessions have that tag (worked out once per tag)."""
        if tag not in self._tag_masks:
            self._tag_masks[tag] = np.fromiter(
                (tag in s.tags for s in self.sessions), np.bool_, len(self.sessions)
            )
        return self._tag_masks[tag]

    def put(self, record: SessionRecord) -> None:
        """Adds a session or replaces the one with its id. A session just ended, or
        one with new notes, takes no pass over the others."""
        index = self.index_of(record)
        if index is not None and self.sessions[index].started == record.started:
            self.sessions[index] = record
            self.facts[record.id] = facts(record)
            self.table = self.table.with_row(index, self.facts[record.id])
        elif index is None and (
            not self.sessions or record.started_at >= self.sessions[-1].started_at
        ):
            self.sessions.append(record)
            self.facts[record.id] = facts(record)
            self.table = self.table.with_row(len(self.sessions) - 1, self.facts[record.id])
            self._routine_codes = np.append(self._routine_codes, self._code(record.routine_id))
            self._tag_masks = {
                tag: np.append(mask, tag in record.tags) for tag, mask in self._tag_masks.items()
            }
            self.routines.add((record.routine, record.routine_id))
            self.tags.update(record.tags)
        else:  # out of order, or moved in time: all over again
            self.facts.pop(record.id, None)
            self._build([s for s in self.sessions if s.id != record.id] + [record], self.facts)

    def remove(self, record: SessionRecord) -> None:
        """Takes out the session with `record`'s id, if it is there."""
        index = self.index_of(record)
        if index is None:
            return
        del self.sessions[index]
        del self.facts[record.id]
        self.table = self.table.without_row(index)
        self._routine_codes = np.delete(self._routine_codes, index)
        self._tag_masks = {tag: np.delete(mask, index) for tag, mask in self._tag_masks.items()}
        self.routines = {(s.routine, s.routine_id) for s in self.sessions}
        self.tags = {tag for s in self.sessions for tag in s.tags}

    def index_of(self, record: SessionRecord) -> int | None:
        """Where the session with `record`'s id is, if it is there."""
        if record.id not in self.facts:
            return None
        for index in range(len(self.sessions) - 1, -1, -1):  # mostly one of the newest
            if self.sessions[index].id == record.id:
                return index
        return None

    def _code(self, routine_id: str) -> int:
        return self._codes.setdefault(routine_id, len(self._codes))
