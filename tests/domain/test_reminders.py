"""The reminder schedule: days, wall-clock times, sleep, daylight saving, a new zone.

Fixed dates in pinned zones; nothing reads the clock. 23 November 2026 is a Monday.
"""

from __future__ import annotations

import itertools
import re
import time
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from app.domain.clock import local_zone
from app.domain.reminders import (
    ALL_DAYS,
    Due,
    Reminder,
    days_text,
    due_text,
    missed,
    next_due,
    parse_days,
    parse_time,
    snooze,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
MONDAY = date(2026, 11, 23)
MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def at(day: date, hour: int, minute: int = 0, zone: ZoneInfo = BERLIN, fold: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone, fold=fold)


def never(_day: date) -> bool:
    return False


def reminder(days: set[int], hour: int, minute: int = 0, routine: str | None = None) -> Reminder:
    return Reminder(frozenset(days), hour, minute, routine)


def test_the_fixed_days_are_what_the_tests_say() -> None:
    assert MONDAY.weekday() == MON
    # Europe's clocks change on 29 March and 25 October 2026, America's on 8 March
    # and 1 November: each a Sunday.
    for day in (date(2026, 3, 29), date(2026, 10, 25), date(2026, 3, 8), date(2026, 11, 1)):
        assert day.weekday() == SUN


# A reminder's values ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "hour", "minute", "routine", "message"),
    [
        (frozenset(), 7, 0, None, "at least one day"),
        (frozenset({7}), 7, 0, None, "0 (Monday) to 6 (Sunday)"),
        (frozenset({-1}), 7, 0, None, "0 (Monday) to 6 (Sunday)"),
        (frozenset({True}), 7, 0, None, "0 (Monday) to 6 (Sunday)"),
        (frozenset({0}), 24, 0, None, "the hour is 0 to 23"),
        (frozenset({0}), 7.0, 0, None, "the hour is 0 to 23"),
        (frozenset({0}), 7, 60, None, "the minute is 0 to 59"),
        (frozenset({0}), 7, -1, None, "the minute is 0 to 59"),
        (frozenset({0}), 7, 0, "", "not a routine id"),
        (frozenset({0}), 7, 0, "Not An Id", "not a routine id"),
        (frozenset({0}), 7, 0, "hips\nrm -rf", "not a routine id"),
        ({0}, 7, 0, None, "a frozenset"),
    ],
)
def test_a_reminder_out_of_range_is_refused_in_one_line(
    days: frozenset[int], hour: int, minute: int, routine: str | None, message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as caught:
        Reminder(days, hour, minute, routine)
    assert "\n" not in str(caught.value)


def test_a_reminder_at_the_edges_of_the_ranges() -> None:
    first = Reminder(frozenset({0}), 0, 0)
    last = Reminder(ALL_DAYS, 23, 59, "thoracic-spine-mini-routine")
    assert (first.time_text, last.time_text) == ("00:00", "23:59")
    assert first.routine_id is None


# Days and times as typed --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("mon,wed,fri", {MON, WED, FRI}),
        ("MON,Wednesday,fri", {MON, WED, FRI}),
        (" tue , THURSDAY ", {TUE, THU}),
        ("sunday", {SUN}),
        ("daily", set(range(7))),
        ("Weekdays", {MON, TUE, WED, THU, FRI}),
        ("weekends", {SAT, SUN}),
        ("weekends,wed", {WED, SAT, SUN}),
        ("mon,mon", {MON}),
    ],
)
def test_days_are_names_or_groups_in_any_case(text: str, days: set[int]) -> None:
    assert parse_days(text) == frozenset(days)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("xyz", '"xyz" is not a day'),
        ("mo", '"mo" is not a day'),
        ("mon,xyz", '"xyz" in "mon,xyz" is not a day'),
        ("mon,,fri", 'an empty name in "mon,,fri" is not a day'),
        ("", "an empty name is not a day"),
        ("mon;wed", '"mon;wed" is not a day'),
        ("1,2", '"1" in "1,2" is not a day'),
    ],
)
def test_a_day_that_is_not_one_is_refused_in_one_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="daily, weekdays or weekends") as caught:
        parse_days(text)
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("days", "text"),
    [
        ({MON, WED, FRI}, "Mon, Wed, Fri"),
        ({SUN}, "Sun"),
        (set(range(7)), "daily"),
        ({MON, TUE, WED, THU, FRI}, "weekdays"),
        ({SAT, SUN}, "weekends"),
        ({FRI, SAT, SUN}, "Fri, Sat, Sun"),
    ],
)
def test_days_read_as_a_person_says_them(days: set[int], text: str) -> None:
    assert days_text(frozenset(days)) == text


def test_every_set_of_days_reads_back_as_itself() -> None:
    for count in range(1, 8):
        for days in itertools.combinations(range(7), count):
            assert parse_days(days_text(frozenset(days))) == frozenset(days)


@pytest.mark.parametrize(
    ("text", "time_of_day"),
    [("07:30", (7, 30)), ("7:30", (7, 30)), ("00:00", (0, 0)), ("23:59", (23, 59))],
)
def test_a_time_is_hours_and_minutes_on_a_24_hour_clock(
    text: str, time_of_day: tuple[int, int]
) -> None:
    assert parse_time(text) == time_of_day


@pytest.mark.parametrize(
    "text", ["24:00", "12:60", "7", "07:3", "0730", "07:30pm", "7.30", "", "-1:00", "٠٧:٣٠"]
)
def test_a_time_that_is_not_one_is_refused_in_one_line(text: str) -> None:
    with pytest.raises(ValueError, match="is not a time: use HH:MM on a 24-hour clock") as caught:
        parse_time(text)
    assert "\n" not in str(caught.value)


# The next reminder --------------------------------------------------------------------


def test_the_next_reminder_is_the_first_strictly_after() -> None:
    reminders = [reminder({MON, WED, FRI}, 7, 30), reminder(set(range(7)), 18)]
    due = next_due(reminders, at(MONDAY, 6), warmed_up=never)
    assert due == Due(at(MONDAY, 7, 30), reminders[0], 0)
    # At the very minute it falls, it has fallen: the next one is due.
    due = next_due(reminders, at(MONDAY, 7, 30), warmed_up=never)
    assert due == Due(at(MONDAY, 18), reminders[1], 1)
    due = next_due(reminders, at(MONDAY, 18), warmed_up=never)
    assert due == Due(at(MONDAY + timedelta(days=1), 18), reminders[1], 1)
    assert due is not None and due.at.tzinfo is BERLIN


def test_two_reminders_at_once_are_one_the_first() -> None:
    reminders = [reminder({TUE}, 8, routine="hips"), reminder({MON, TUE}, 8)]
    due = next_due(reminders, at(MONDAY, 9), warmed_up=never)
    assert due is not None and due.index == 0 and due.at == at(MONDAY + timedelta(days=1), 8)


def test_a_weekly_reminder_comes_a_week_later_and_none_beyond_eight_days() -> None:
    weekly = [reminder({MON}, 7)]
    next_monday = MONDAY + timedelta(days=7)
    due = next_due(weekly, at(MONDAY, 8), warmed_up=never)
    assert due is not None and due.at == at(next_monday, 7)
    due = next_due(weekly, at(MONDAY, 8), warmed_up=lambda day: day == next_monday)
    assert due is None
    assert next_due([], at(MONDAY, 8), warmed_up=never) is None


def test_a_day_warmed_up_is_skipped() -> None:
    daily = [reminder(set(range(7)), 7), reminder(set(range(7)), 18)]
    asked: list[date] = []

    def warmed_up(day: date) -> bool:
        asked.append(day)
        return day == MONDAY

    due = next_due(daily, at(MONDAY, 6), warmed_up=warmed_up)
    assert due is not None and due.at == at(MONDAY + timedelta(days=1), 7)
    assert asked[0] == MONDAY


def test_the_day_paused_is_skipped_and_only_that_day() -> None:
    daily = [reminder(set(range(7)), 18)]
    due = next_due(daily, at(MONDAY, 6), warmed_up=never, paused_on=MONDAY)
    assert due is not None and due.at == at(MONDAY + timedelta(days=1), 18)
    due = next_due(daily, at(MONDAY, 6), warmed_up=never, paused_on=MONDAY - timedelta(days=1))
    assert due is not None and due.at == at(MONDAY, 18)


def test_a_moment_without_a_zone_is_refused() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_due([reminder({MON}, 7)], datetime(2026, 11, 23, 6), warmed_up=never)
    with pytest.raises(ValueError, match="aware"):
        missed([reminder({MON}, 7)], datetime(2026, 11, 23, 6), at(MONDAY, 8), warmed_up=never)


# Daylight saving ----------------------------------------------------------------------

SPRING_BERLIN = date(2026, 3, 29)  # 02:00 CET becomes 03:00 CEST
AUTUMN_BERLIN = date(2026, 10, 25)  # 03:00 CEST becomes 02:00 CET
SPRING_NEW_YORK = date(2026, 3, 8)  # 02:00 EST becomes 03:00 EDT
AUTUMN_NEW_YORK = date(2026, 11, 1)  # 02:00 EDT becomes 01:00 EST


def test_a_time_the_clocks_skip_comes_when_the_gap_ends() -> None:
    skipped = [reminder({SUN}, 2, 30)]
    due = next_due(skipped, at(SPRING_BERLIN, 0), warmed_up=never)
    assert due is not None
    assert due.at.astimezone(UTC) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert (due.at.hour, due.at.minute, due.at.utcoffset()) == (3, 0, timedelta(hours=2))
    # Once it has come, the next is a week later at 02:30, which exists then.
    due = next_due(skipped, due.at, warmed_up=never)
    assert due is not None and due.at == at(SPRING_BERLIN + timedelta(days=7), 2, 30)


def test_a_time_the_clocks_skip_in_new_york_too() -> None:
    due = next_due([reminder({SUN}, 2, 15)], at(SPRING_NEW_YORK, 0, zone=NEW_YORK), warmed_up=never)
    assert due is not None
    assert due.at.astimezone(UTC) == datetime(2026, 3, 8, 7, 0, tzinfo=UTC)  # 03:00 EDT
    assert (due.at.hour, due.at.minute) == (3, 0)


def test_wall_clock_times_keep_their_hour_across_a_change() -> None:
    daily = [reminder(set(range(7)), 7, 30)]
    saturday = SPRING_BERLIN - timedelta(days=1)
    due = next_due(daily, at(saturday, 8), warmed_up=never)
    assert due is not None and (due.at.hour, due.at.minute) == (7, 30)
    # 23 hours later in real time: the night was an hour short.
    assert due.at.astimezone(UTC) - at(saturday, 7, 30).astimezone(UTC) == timedelta(hours=23)


def test_a_time_the_clocks_repeat_comes_once_the_first_time() -> None:
    daily = [reminder(set(range(7)), 2, 30)]
    due = next_due(daily, at(AUTUMN_BERLIN, 0), warmed_up=never)
    assert due is not None
    assert due.at.astimezone(UTC) == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # 02:30 CEST
    monday = AUTUMN_BERLIN + timedelta(days=1)
    # Once it came, the second 02:30 (01:30 UTC) is not another: tomorrow's is next.
    after = next_due(daily, due.at, warmed_up=never)
    assert after is not None and after.at == at(monday, 2, 30)
    # Counting from 02:10 the second time round (01:10 UTC), too.
    second_pass = at(AUTUMN_BERLIN, 2, 10, fold=1)
    assert second_pass.astimezone(UTC) == datetime(2026, 10, 25, 1, 10, tzinfo=UTC)
    after = next_due(daily, second_pass, warmed_up=never)
    assert after is not None and after.at == at(monday, 2, 30)


def test_a_time_the_clocks_repeat_in_new_york_is_the_first() -> None:
    due = next_due([reminder({SUN}, 1, 30)], at(AUTUMN_NEW_YORK, 0, zone=NEW_YORK), warmed_up=never)
    assert due is not None
    assert due.at.astimezone(UTC) == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)  # 01:30 EDT
    after = next_due([reminder({SUN}, 1, 30)], due.at, warmed_up=never)
    assert after is not None and after.at.date() == AUTUMN_NEW_YORK + timedelta(days=7)


# A new time zone ----------------------------------------------------------------------


def test_after_a_flight_a_reminder_follows_the_new_zones_clock() -> None:
    daily = [reminder(set(range(7)), 8)]
    wednesday = MONDAY + timedelta(days=2)
    in_berlin = at(wednesday, 7)
    due = next_due(daily, in_berlin, warmed_up=never)
    assert due is not None and due.at.astimezone(UTC) == datetime(2026, 11, 25, 7, tzinfo=UTC)
    # The same instant, the laptop now set to New York: it is 01:00 there.
    landed = in_berlin.astimezone(NEW_YORK)
    due = next_due(daily, landed, warmed_up=never)
    assert due is not None and due.at.tzinfo is NEW_YORK
    assert (due.at.date(), due.at.hour) == (wednesday, 8)
    assert due.at.astimezone(UTC) == datetime(2026, 11, 25, 13, tzinfo=UTC)


def test_a_zone_change_counts_its_days_in_the_new_zone() -> None:
    # 23:30 Monday in Berlin is 17:30 Monday in New York: Monday's 18:00 is still to come.
    mondays = [reminder({MON}, 18)]
    late_in_berlin = at(MONDAY, 23, 30)
    due = next_due(mondays, late_in_berlin, warmed_up=never)
    assert due is not None and due.at.date() == MONDAY + timedelta(days=7)
    due = next_due(mondays, late_in_berlin.astimezone(NEW_YORK), warmed_up=never)
    assert due is not None and due.at == at(MONDAY, 18, zone=NEW_YORK)


# After the laptop slept --------------------------------------------------------------


def test_a_reminder_missed_asleep_comes_once_the_last_of_them() -> None:
    reminders = [reminder(set(range(7)), 7), reminder(set(range(7)), 12), reminder({MON}, 9)]
    due = missed(reminders, at(MONDAY, 6), at(MONDAY, 13), warmed_up=never)
    assert due == Due(at(MONDAY, 12), reminders[1], 1)
    # Shown on waking at 13:00: later checks from then on find nothing more.
    assert missed(reminders, at(MONDAY, 13), at(MONDAY, 13, 5), warmed_up=never) is None


def test_the_edges_of_the_sleep_count_once() -> None:
    daily = [reminder(set(range(7)), 7)]
    assert missed(daily, at(MONDAY, 6), at(MONDAY, 7), warmed_up=never) is not None
    assert missed(daily, at(MONDAY, 7), at(MONDAY, 8), warmed_up=never) is None


def test_none_is_missed_from_an_earlier_day() -> None:
    reminders = [reminder({SUN}, 22), reminder(set(range(7)), 7)]
    sunday_evening = at(MONDAY - timedelta(days=1), 20)
    assert missed(reminders, sunday_evening, at(MONDAY, 6, 30), warmed_up=never) is None
    # Asleep for days: only this morning's comes.
    due = missed(reminders, at(MONDAY - timedelta(days=5), 20), at(MONDAY, 8), warmed_up=never)
    assert due is not None and due.at == at(MONDAY, 7)


def test_nothing_is_missed_on_a_day_warmed_up_or_paused() -> None:
    daily = [reminder(set(range(7)), 7)]
    sleep = (at(MONDAY, 6), at(MONDAY, 9))
    assert missed(daily, *sleep, warmed_up=lambda day: day == MONDAY) is None
    assert missed(daily, *sleep, warmed_up=never, paused_on=MONDAY) is None
    assert missed(daily, *sleep, warmed_up=lambda day: day != MONDAY) is not None


def test_a_missed_reminder_in_a_spring_gap_is_the_first_instant_after_it() -> None:
    skipped = [reminder({SUN}, 2, 30)]
    due = missed(skipped, at(SPRING_BERLIN, 1), at(SPRING_BERLIN, 9), warmed_up=never)
    assert due is not None and due.at.astimezone(UTC) == datetime(2026, 3, 29, 1, tzinfo=UTC)


# Snooze and the text of a moment ------------------------------------------------------


def test_snooze_is_ten_minutes_of_real_time() -> None:
    assert snooze(at(MONDAY, 7, 30)) == at(MONDAY, 7, 40)
    assert snooze(at(MONDAY, 7, 30), minutes=25) == at(MONDAY, 7, 55)
    # 01:55 CET plus ten minutes is 03:05 CEST; 02:55 CEST the first time, 02:05 CET.
    assert snooze(at(SPRING_BERLIN, 1, 55)) == at(SPRING_BERLIN, 3, 5)
    later = snooze(at(AUTUMN_BERLIN, 2, 55))
    assert later.astimezone(UTC) == datetime(2026, 10, 25, 1, 5, tzinfo=UTC)
    assert (later.hour, later.minute, later.fold) == (2, 5, 1)
    with pytest.raises(ValueError, match="1 to 1440 minutes"):
        snooze(at(MONDAY, 7), minutes=0)


@pytest.mark.parametrize(
    ("now", "text"),
    [
        (at(MONDAY - timedelta(days=1), 22, 30), "Mon 23 Nov 07:30 (in 9 h)"),
        (at(MONDAY, 7, 5), "Mon 23 Nov 07:30 (in 25 min)"),
        (at(MONDAY, 7, 29) + timedelta(seconds=1), "Mon 23 Nov 07:30 (in 1 min)"),
        (at(MONDAY, 5, 25), "Mon 23 Nov 07:30 (in 2 h 5 min)"),
        (at(MONDAY - timedelta(days=2), 5, 30), "Mon 23 Nov 07:30 (in 2 days 2 h)"),
        (at(MONDAY - timedelta(days=1), 7, 30), "Mon 23 Nov 07:30 (in 1 day)"),
    ],
)
def test_a_moment_reads_as_a_day_a_time_and_how_long_until(now: datetime, text: str) -> None:
    assert due_text(at(MONDAY, 7, 30), now) == text


def test_how_long_until_counts_real_time_across_a_change_of_the_clocks() -> None:
    saturday_noon = at(SPRING_BERLIN - timedelta(days=1), 12)
    assert due_text(at(SPRING_BERLIN, 12), saturday_noon) == "Sun 29 Mar 12:00 (in 23 h)"
    # Shown in the zone of `now`, whatever the zone of the moment.
    assert due_text(at(MONDAY, 8, zone=NEW_YORK), at(MONDAY, 7)).startswith("Mon 23 Nov 14:00")


# The machine's zone -------------------------------------------------------------------


def test_the_local_zone_is_the_named_zone_of_tz(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "America/New_York")
    assert local_zone() == NEW_YORK
    monkeypatch.setenv("TZ", ":Europe/Berlin")
    assert local_zone() == BERLIN


def test_a_tz_that_names_no_zone_is_the_offset_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "EST+5")  # a POSIX rule, not a zone name
    time.tzset()
    try:
        assert local_zone() == timezone(timedelta(hours=-5), "EST")
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_without_tz_the_local_zone_is_the_machines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TZ", raising=False)
    zone = local_zone()
    now = datetime.now(zone)
    assert now.utcoffset() == datetime.now().astimezone().utcoffset()
