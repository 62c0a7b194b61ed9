"""When to remind the person to warm up: reminders on chosen days at a wall-clock time.

Pure: nothing here reads the clock, the log or the settings. The caller passes
the moment to count from as an aware datetime in the local zone (a changed time
zone is a new `after` in the new zone), and says which days are warmed up.

A reminder is wall-clock time: 07:30 is 07:30 whether the clocks went forward
or back last night. A time the clocks skip (02:30 when they spring forward from
02:00 to 03:00) comes at the first real instant after the gap (03:00); a time
they repeat (02:30 when they fall back) comes once, the first time.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from app.domain.routine_format import ID_PATTERN
from app.domain.text import counted

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FULL_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ALL_DAYS = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
WEEKENDS = frozenset((5, 6))
_GROUPS = {"daily": ALL_DAYS, "weekdays": WEEKDAYS, "weekends": WEEKENDS}
_DAY_NUMBERS = {name: n for names in (DAY_NAMES, _FULL_NAMES) for n, name in enumerate(names)}
_TIME = re.compile(r"(\d{1,2}):(\d{2})", re.ASCII)
# A week and a day: a reminder's own day next week, with today's time gone by.
LOOKAHEAD_DAYS = 8
SNOOZE_MINUTES = 10


@dataclass(frozen=True)
class Reminder:
    """A reminder to warm up on some days of the week at a wall-clock time.

    Attributes:
        days: The weekdays it falls on, 0 for Monday to 6 for Sunday; at least one.
        hour: 0-23.
        minute: 0-59.
        routine_id: The routine to offer, or None for the suggested routine.

    Raises:
        ValueError: a value out of range (the message is one line).
    """

    days: frozenset[int]
    hour: int
    minute: int
    routine_id: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.days, frozenset):
            raise ValueError(f"days are a frozenset of weekdays, not {self.days!r}")
        if not self.days:
            raise ValueError("a reminder needs at least one day")
        if not all(_whole(day, 0, 6) for day in self.days):
            raise ValueError(f"days are 0 (Monday) to 6 (Sunday), not {sorted(self.days)!r}")
        if not _whole(self.hour, 0, 23):
            raise ValueError(f"the hour is 0 to 23, not {self.hour!r}")
        if not _whole(self.minute, 0, 59):
            raise ValueError(f"the minute is 0 to 59, not {self.minute!r}")
        if self.routine_id is not None and not (
            isinstance(self.routine_id, str) and ID_PATTERN.fullmatch(self.routine_id)
        ):
            raise ValueError(f"not a routine id: {self.routine_id!r}")

    @property
    def time_text(self) -> str:
        """The time as HH:MM, e.g. "07:30"."""
        return f"{self.hour:02d}:{self.minute:02d}"


@dataclass(frozen=True)
class Due:
    """A moment a reminder falls.

    Attributes:
        at: The moment, aware, in the zone it was computed in.
        reminder: The reminder that falls.
        index: Its position in the sequence it was found in.
    """

    at: datetime
    reminder: Reminder
    index: int


def _whole(value: object, low: int, high: int) -> bool:
    return type(value) is int and low <= value <= high


def parse_days(text: str) -> frozenset[int]:
    """The days of "mon,wed,fri", "Monday,Friday", "daily", "weekdays" or "weekends".

    Names are three letters or whole, in any case, separated by commas; groups
    and days can be mixed ("weekends,wed").

    Raises:
        ValueError: a name that is not a day (the message is one line).
    """
    days: set[int] = set()
    for part in text.split(","):
        name = part.strip().lower()
        if name in _GROUPS:
            days |= _GROUPS[name]
        elif name in _DAY_NUMBERS:
            days.add(_DAY_NUMBERS[name])
        else:
            what = f'"{part.strip()}"' if name else "an empty name"
            where = f' in "{text}"' if "," in text else ""
            raise ValueError(
                f"{what}{where} is not a day: use names like mon,wed,fri, "
                "or daily, weekdays or weekends"
            )
    return frozenset(days)


def days_text(days: frozenset[int]) -> str:
    """The days as a person reads them: "daily", "weekdays", "weekends" or "Mon, Wed, Fri"."""
    for name, group in _GROUPS.items():
        if days == group:
            return name
    return ", ".join(DAY_NAMES[day].capitalize() for day in sorted(days))


def parse_time(text: str) -> tuple[int, int]:
    """The hour and minute of "07:30" (HH:MM on a 24-hour clock; "7:30" too).

    Raises:
        ValueError: not such a time (the message is one line).
    """
    match = _TIME.fullmatch(text.strip())
    if match is None or int(match.group(1)) > 23 or int(match.group(2)) > 59:
        raise ValueError(f'"{text}" is not a time: use HH:MM on a 24-hour clock, like 07:30')
    return int(match.group(1)), int(match.group(2))


def next_due(
    reminders: Sequence[Reminder],
    after: datetime,
    *,
    warmed_up: Callable[[date], bool],
    paused_on: date | None = None,
) -> Due | None:
    """The first moment strictly after `after` at which a reminder falls.

    Days with a warm-up logged and the day reminders are paused are skipped.
    When two reminders fall at once, the first of them is due.

    Args:
        reminders: The reminders.
        after: An aware moment in the local zone; its zone's rules place the times.
        warmed_up: Whether a day (a local date) already has a warm-up.
        paused_on: The day reminders are paused for, if any.

    Returns:
        The reminder due next, or None when none falls in the next eight days.
    """
    zone = _zone(after)
    start = after.date()
    best: tuple[datetime, int] | None = None
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = start + timedelta(days=offset)
        if day == paused_on or not _falls_on_any(reminders, day) or warmed_up(day):
            continue
        for index, reminder in enumerate(reminders):
            if day.weekday() in reminder.days:
                moment = _instant(day, reminder, zone)
                if moment > after and (best is None or moment < best[0]):
                    best = (moment, index)
    if best is None:
        return None
    return Due(best[0].astimezone(zone), reminders[best[1]], best[1])


def missed(
    reminders: Sequence[Reminder],
    since: datetime,
    now: datetime,
    *,
    warmed_up: Callable[[date], bool],
    paused_on: date | None = None,
) -> Due | None:
    """The reminder that fell while the machine slept from `since` to `now`, once.

    Only today's count (today in `now`'s zone): the last of them, so that waking
    brings one reminder, never a burst, and none left over from an earlier day.

    Returns:
        The last reminder that fell in (since, now] today, or None (also when
        today is warmed up or paused).
    """
    _zone(since)  # aware, like `now`: they are compared as instants
    zone = _zone(now)
    today = now.date()
    if today == paused_on or not _falls_on_any(reminders, today) or warmed_up(today):
        return None
    best: tuple[datetime, int] | None = None
    for index, reminder in enumerate(reminders):
        if today.weekday() in reminder.days:
            moment = _instant(today, reminder, zone)
            if since < moment <= now and (best is None or moment > best[0]):
                best = (moment, index)
    if best is None:
        return None
    return Due(best[0].astimezone(zone), reminders[best[1]], best[1])


def snooze(now: datetime, minutes: int = SNOOZE_MINUTES) -> datetime:
    """The moment a reminder snoozed at `now` comes again: `minutes` of real time
    later (counted in UTC, so a change of the clocks neither adds nor takes away).

    Raises:
        ValueError: `minutes` is not a positive whole number.
    """
    if not _whole(minutes, 1, 24 * 60):
        raise ValueError(f"snooze for 1 to 1440 minutes, not {minutes!r}")
    return (now.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(_zone(now))


def due_text(at: datetime, now: datetime) -> str:
    """When a reminder falls, for a person: "Mon 24 Nov 07:30 (in 9 h)".

    English names whatever the locale, like the rest of Limber's text.
    """
    local = at.astimezone(_zone(now))
    when = (
        f"{DAY_NAMES[local.weekday()].capitalize()} {local.day} "
        f"{_MONTHS[local.month - 1]} {local:%H:%M}"
    )
    return f"{when} ({_in_text(at.astimezone(UTC) - now.astimezone(UTC))})"


def _in_text(left: timedelta) -> str:
    """ "in 25 min", "in 9 h", "in 9 h 5 min", "in 2 days 3 h"."""
    minutes = max(0, -(-int(left.total_seconds()) // 60))  # a part of a minute is a minute
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        parts = [counted(days, "day")]
        if hours:
            parts.append(f"{hours} h")
    elif hours:
        parts = [f"{hours} h"] + ([f"{minutes} min"] if minutes else [])
    else:
        parts = [f"{minutes} min"]
    return "in " + " ".join(parts)


def _zone(moment: datetime) -> tzinfo:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"an aware moment is needed (with its time zone), not {moment}")
    return moment.tzinfo


def _falls_on_any(reminders: Sequence[Reminder], day: date) -> bool:
    return any(day.weekday() in reminder.days for reminder in reminders)


def _instant(day: date, reminder: Reminder, zone: tzinfo) -> datetime:
    """The instant, in UTC, at which `reminder` falls on `day` in `zone`.

    An aware datetime with fold 0 is the first of a repeated wall time, which is
    the one we want. A skipped wall time does not survive a trip through UTC;
    it then comes at the transition: the first instant whose offset is the new one.
    """
    wall = datetime.combine(day, time(reminder.hour, reminder.minute), tzinfo=zone)
    moment = wall.astimezone(UTC)
    if moment.astimezone(zone).replace(tzinfo=None) == wall.replace(tzinfo=None):
        return moment
    # In the gap: read with the offset after it (fold 1), the wall time is an instant
    # before the transition; with the offset before it (fold 0), one after. The
    # transition is found between them to the second (offsets are whole seconds).
    ends = (int(wall.replace(fold=1).timestamp()), int(moment.timestamp()))
    early, late = min(ends), max(ends)
    late_offset = _offset(late, zone)
    while late - early > 1:
        middle = (early + late) // 2
        if _offset(middle, zone) == late_offset:
            late = middle
        else:
            early = middle
    return datetime.fromtimestamp(late, UTC)


def _offset(timestamp: int, zone: tzinfo) -> timedelta | None:
    return datetime.fromtimestamp(timestamp, zone).utcoffset()
