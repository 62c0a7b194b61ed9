"""`limber reminders list | add | remove` as a user types them."""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from app.domain.reminders import Reminder, due_text
from app.storage.settings import FILE_NAME, Settings
from tests.test_cli import run

Capture = pytest.CaptureFixture[str]


@pytest.fixture
def zone(monkeypatch: pytest.MonkeyPatch) -> ZoneInfo:
    """A zone where it is now between 02:00 and 21:00, set as the machine's (TZ), so
    that a reminder at 23:00 is still to come today whenever the test runs."""
    for name in ("Europe/Berlin", "America/New_York"):  # six hours apart
        if time(2) <= datetime.now(ZoneInfo(name)).time() <= time(21):
            monkeypatch.setenv("TZ", name)
            return ZoneInfo(name)
    raise AssertionError("it is night in Berlin and in New York at once")


def stored(data_dir: Path) -> list[object]:
    document = json.loads((data_dir / FILE_NAME).read_text())
    reminders: list[object] = document["reminders"]
    return reminders


def next_line(at: datetime, now: datetime) -> str:
    """The start of the "Next:" line for a reminder at `at`, without how long until."""
    return "Next: " + due_text(at, now).split(" (")[0] + " (in "


def test_add_list_and_remove(capsys: Capture, data_dir: Path, zone: ZoneInfo) -> None:
    status, out, err = run(capsys, "reminders", "list")
    assert (status, out, err) == (
        0,
        "No reminders. Add one with: limber reminders add DAYS HH:MM [ROUTINE]\n",
        "",
    )
    status, out, err = run(
        capsys, "reminders", "add", "Mon,Wed,Fri", "7:30", "thoracic spine mini-routine"
    )
    assert status == 0 and err == ""
    added, due = out.splitlines()
    assert added == "Added reminder 1: Mon, Wed, Fri at 07:30, Thoracic Spine Mini-Routine"
    assert due.startswith("Next: ") and " 07:30 (in " in due
    status, out, _ = run(capsys, "reminders", "add", "daily", "23:00")
    assert status == 0
    assert out.splitlines()[0] == "Added reminder 2: daily at 23:00, suggested routine"
    now = datetime.now(zone)
    assert out.splitlines()[1].startswith(next_line(now.replace(hour=23, minute=0), now))
    assert stored(data_dir) == [
        {"days": ["mon", "wed", "fri"], "time": "07:30", "routine": "thoracic-spine-mini-routine"},
        {
            "days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
            "time": "23:00",
            "routine": None,
        },
    ]

    status, out, err = run(capsys, "reminders", "list")
    assert status == 0 and err == ""
    assert out.splitlines()[:2] == [
        " 1  Mon, Wed, Fri  07:30  Thoracic Spine Mini-Routine",
        " 2  daily          23:00  suggested routine",
    ]
    assert out.splitlines()[-1].startswith("Next: ")

    status, out, err = run(capsys, "reminders", "remove", "1")
    assert (status, err) == (0, "")
    assert out == "Removed reminder 1: Mon, Wed, Fri at 07:30, Thoracic Spine Mini-Routine\n"
    _, out, _ = run(capsys, "reminders", "list")
    assert out.splitlines()[0] == " 1  daily  23:00  suggested routine"
    assert len(stored(data_dir)) == 1


def test_next_is_today_unless_warmed_up_or_paused(
    capsys: Capture, data_dir: Path, zone: ZoneInfo
) -> None:
    from app.storage.session_log import SessionLog
    from tests.storage.log_helpers import record

    assert run(capsys, "reminders", "add", "daily", "23:00")[0] == 0
    now = datetime.now(zone)
    tonight = now.replace(hour=23, minute=0, second=0, microsecond=0)
    tomorrow = datetime.combine(now.date() + timedelta(days=1), time(23), tzinfo=zone)
    _, out, _ = run(capsys, "reminders", "list")
    assert out.splitlines()[-1].startswith(next_line(tonight, now))

    # A warm-up logged this morning: tonight's reminder is skipped.
    log = SessionLog(data_dir / "log")
    log.open()
    morning = now.replace(hour=1, minute=0, second=0, microsecond=0)
    log.finish(record(morning.isoformat()))
    status, out, _ = run(capsys, "reminders", "list")
    assert status == 0
    assert out.splitlines()[-2] == "Today is warmed up: no more reminders today."
    assert out.splitlines()[-1].startswith(next_line(tomorrow, now))

    # A warm-up stopped after a minute does not count; paused for today does.
    log.delete(log.sessions()[0])
    log.finish(record(morning.isoformat(), status="stopped"))
    _, out, _ = run(capsys, "reminders", "list")
    assert out.splitlines()[-1].startswith(next_line(tonight, now))
    settings = Settings(data_dir)
    settings.reminders_paused_on = now.date()
    settings.save()
    _, out, _ = run(capsys, "reminders", "list")
    assert out.splitlines()[-2] == "Paused for today."
    assert out.splitlines()[-1].startswith(next_line(tomorrow, now))


def test_add_says_when_that_reminder_next_falls(capsys: Capture, zone: ZoneInfo) -> None:
    now = datetime.now(zone)
    tomorrow = now.date() + timedelta(days=1)
    day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[tomorrow.weekday()]
    status, out, _ = run(capsys, "reminders", "add", day, "06:15", "Scorpion Stretch Progressions")
    assert status == 0
    at = datetime.combine(tomorrow, time(6, 15), tzinfo=zone)
    assert out.splitlines()[1].startswith(next_line(at, now))


def test_a_routine_no_longer_in_the_library_is_said(capsys: Capture, data_dir: Path) -> None:
    settings = Settings(data_dir)
    settings.reminders = [Reminder(frozenset({5, 6}), 9, 0, "gone-routine")]
    settings.save()
    status, out, _ = run(capsys, "reminders", "list")
    assert status == 0
    assert out.splitlines()[0] == " 1  weekends  09:00  gone-routine (not in your library)"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["add", "mon,xyz", "07:30"],
            'limber reminders add: argument DAYS: "xyz" in "mon,xyz" is not a day: '
            "use names like mon,wed,fri, or daily, weekdays or weekends",
        ),
        (["add", "", "07:30"], "argument DAYS: an empty name is not a day"),
        (
            ["add", "daily", "25:00"],
            'limber reminders add: argument HH:MM: "25:00" is not a time: '
            "use HH:MM on a 24-hour clock, like 07:30",
        ),
        (["add", "daily", "7.30pm"], 'argument HH:MM: "7.30pm" is not a time'),
        (["add", "daily"], "the following arguments are required: HH:MM"),
        (
            ["add", "daily", "07:30", "spinal rotation"],
            'limber: no routine with the id or name "spinal rotation"; '
            'did you mean "Spinal Rotation in Heel Sitting"?',
        ),
        (
            ["add", "daily", "07:00", "hips"],
            'limber: no routine with the id or name "hips"',
        ),
        (
            ["add", "weekends", "08:00"],
            "limber: reminder 2 is the same already (see 'limber reminders list')",
        ),
        (
            ["remove", "3"],
            "limber: no reminder 3: they are numbered 1 to 2 (see 'limber reminders list')",
        ),
        (["remove", "0"], "argument N: expected a reminder's number from 1"),
        (["remove", "-1"], "argument N: expected a reminder's number from 1"),
        (["remove", "two"], "argument N: expected a reminder's number from 1, as 'limber"),
        (["remove", "²"], "argument N: expected a reminder's number from 1"),
        (["remove"], "the following arguments are required: N"),
        ([], "limber reminders: the following arguments are required: ACTION"),
        (["snooze"], "argument ACTION: invalid choice: 'snooze'"),
    ],
)
def test_bad_input_is_one_line_exit_two_and_nothing_written(
    capsys: Capture, data_dir: Path, argv: list[str], message: str
) -> None:
    settings = Settings(data_dir)
    settings.reminders = [Reminder(frozenset({0}), 7, 0), Reminder(frozenset({5, 6}), 8, 0)]
    settings.save()
    before = (data_dir / FILE_NAME).read_bytes()
    status, out, err = run(capsys, "reminders", *argv)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err
    assert (data_dir / FILE_NAME).read_bytes() == before


def test_nothing_to_remove_is_said(capsys: Capture, data_dir: Path) -> None:
    status, out, err = run(capsys, "reminders", "remove", "1")
    assert (status, out) == (2, "")
    assert err == "limber: no reminder 1: there are none (see 'limber reminders list')\n"
    assert not (data_dir / FILE_NAME).exists()


def test_the_fifty_first_reminder_is_refused(capsys: Capture, data_dir: Path) -> None:
    settings = Settings(data_dir)
    settings.reminders = [Reminder(frozenset({0}), n // 60, n % 60) for n in range(50)]
    settings.save()
    before = (data_dir / FILE_NAME).read_bytes()
    status, out, err = run(capsys, "reminders", "add", "daily", "23:00")
    assert (status, out) == (2, "")
    assert err == (
        "limber: there are 50 reminders already, the most Limber keeps: remove one first\n"
    )
    assert (data_dir / FILE_NAME).read_bytes() == before


def test_settings_of_a_newer_limber_are_not_written(capsys: Capture, data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    path = data_dir / FILE_NAME
    path.write_text(json.dumps({"format": "limber-settings", "version": 9}))
    before = path.read_bytes()
    status, out, err = run(capsys, "reminders", "add", "daily", "07:00")
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and "written by a newer Limber" in err
    assert path.read_bytes() == before


def test_bad_entries_in_the_file_are_skipped_by_list(capsys: Capture, data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    entries = [{"days": ["noday"], "time": "07:00"}, {"days": ["sun"], "time": "10:00"}, 7]
    document = {"format": "limber-settings", "version": 1, "reminders": entries}
    (data_dir / FILE_NAME).write_text(json.dumps(document))
    status, out, err = run(capsys, "reminders", "list")
    assert status == 0 and err == ""
    assert out.splitlines()[0] == " 1  Sun  10:00  suggested routine"
