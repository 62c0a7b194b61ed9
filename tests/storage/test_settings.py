"""settings.json: read by the window and the CLI, checked where it enters, written
crash-safely, carried over from an older Limber's settings.ini, never lost."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.domain.reminders import DAY_NAMES, Reminder
from app.domain.routine import Side
from app.storage.settings import FILE_NAME, MAX_REMINDERS, Settings


def test_defaults_then_a_round_trip(tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    assert (settings.volume, settings.muted, settings.weekly_goal, settings.rest_days) == (
        80,
        False,
        4,
        0,
    )
    assert settings.weak_side("hips") is None and settings.geometry is None
    assert not (tmp_path / FILE_NAME).exists()  # nothing written before a change
    changes: list[int] = []
    settings.on_change(lambda: changes.append(1))
    settings.volume = 35
    settings.muted = True
    settings.weekly_goal = 6
    settings.rest_days = 2
    settings.set_weak_side("hips", Side.LEFT)
    settings.geometry = bytes(range(256))
    settings.volume = 35  # no change: no listener call
    assert len(changes) == 6 and settings.unsaved
    settings.save()
    assert not settings.unsaved
    again = Settings(tmp_path)
    assert (again.volume, again.muted, again.weekly_goal, again.rest_days) == (35, True, 6, 2)
    assert again.weak_side("hips") is Side.LEFT and again.geometry == bytes(range(256))
    document = json.loads((tmp_path / FILE_NAME).read_text())
    assert document["format"] == "limber-settings" and document["version"] == 1
    again.set_weak_side("hips", None)
    again.save()
    assert Settings(tmp_path).weak_side("hips") is None


@pytest.mark.parametrize(
    "values",
    [
        {"volume": 1e309, "weekly_goal": -3, "rest_days": 7, "muted": "yes"},
        {"volume": True, "weekly_goal": "5", "rest_days": None, "muted": 1},
        {"volume": 101, "weekly_goal": 22, "rest_days": 2.5, "weak_sides": {"hips": "up"}},
        {"weak_sides": ["hips"], "window_geometry": "not base64!"},
        {"window_geometry": "QUJD" * 5000},
    ],
)
def test_values_out_of_range_or_of_the_wrong_kind_are_the_defaults(
    tmp_path: Path, values: dict[str, object]
) -> None:
    document = {"format": "limber-settings", "version": 1, **values}
    (tmp_path / FILE_NAME).write_text(json.dumps(document))
    settings = Settings(tmp_path)
    assert (settings.volume, settings.muted, settings.weekly_goal, settings.rest_days) == (
        80,
        False,
        4,
        0,
    )
    assert settings.weak_side("hips") is None and settings.geometry is None
    assert settings.notice == ""


def test_a_file_of_a_newer_limber_is_read_and_never_written(tmp_path: Path) -> None:
    path = tmp_path / FILE_NAME
    document = {"format": "limber-settings", "version": 7, "volume": 20, "new_thing": [1]}
    path.write_text(json.dumps(document))
    before = path.read_bytes()
    settings = Settings(tmp_path)
    assert settings.volume == 20
    assert "newer Limber" in settings.notice and str(path) in settings.notice
    settings.volume = 90
    settings.save()
    assert path.read_bytes() == before and settings.volume == 90


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b'{"format": "limber-settings", "version": 1, "volume": ', "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (b'["a list"]', "not a Limber settings file"),
        (b'{"format": "limber-settings", "version": "one"}', "version"),
    ],
)
def test_a_damaged_file_is_kept_aside_and_said(tmp_path: Path, content: bytes, why: str) -> None:
    (tmp_path / FILE_NAME).write_bytes(content)
    settings = Settings(tmp_path)
    assert settings.volume == 80
    assert why in settings.notice and "kept as settings.json.damaged-" in settings.notice
    [kept] = tmp_path.glob(f"{FILE_NAME}.damaged-*")
    assert kept.read_bytes() == content
    settings.volume = 50
    settings.save()
    assert Settings(tmp_path).volume == 50 and kept.read_bytes() == content


def test_a_save_to_a_full_disk_keeps_the_old_file_and_tries_again(tmp_path: Path) -> None:
    from tests.full_disk import fill, free, full_folder

    with full_folder(tmp_path / "data") as folder:
        free(folder)
        settings = Settings(folder)
        settings.volume = 30
        settings.save()
        before = (folder / FILE_NAME).read_bytes()
        fill(folder)
        for number in range(300):  # a file bigger than what is left
            settings.set_weak_side(f"routine-{number}", Side.LEFT)
        settings.save()
        assert "could not be saved" in settings.notice and settings.unsaved
        assert (folder / FILE_NAME).read_bytes() == before
        assert [p.name for p in folder.iterdir() if p.name.endswith(".tmp")] == []
        free(folder)
        settings.save()  # room again: the next save goes through
        assert not settings.unsaved
        assert Settings(folder).weak_side("routine-299") is Side.LEFT


def test_an_older_limbers_settings_ini_is_carried_over_and_left_as_it_was(
    tmp_path: Path,
) -> None:
    from PySide6.QtCore import QByteArray, QSettings

    old = tmp_path / "settings.ini"
    qt = QSettings(str(old), QSettings.Format.IniFormat)
    geometry = bytes(range(256)) + b'\\"0x1,;=[]%\n'
    qt.setValue("audio/volume", 42)
    qt.setValue("audio/muted", True)
    qt.setValue("history/weekly_goal", 5)
    qt.setValue("history/rest_days", 1)
    qt.setValue("weak_side/spinal-rotation-heel-sitting", "left")
    qt.setValue("weak_side/hips", "")
    qt.setValue("window/geometry", QByteArray(geometry))
    qt.sync()
    del qt
    before = old.read_bytes()
    settings = Settings(tmp_path)
    assert (settings.volume, settings.muted, settings.weekly_goal, settings.rest_days) == (
        42,
        True,
        5,
        1,
    )
    assert settings.weak_side("spinal-rotation-heel-sitting") is Side.LEFT
    assert settings.weak_side("hips") is None
    assert settings.geometry == geometry
    assert settings.unsaved  # written with the first save
    settings.save()
    assert old.read_bytes() == before
    assert Settings(tmp_path).volume == 42


def test_a_damaged_settings_ini_gives_the_defaults(tmp_path: Path) -> None:
    (tmp_path / "settings.ini").write_bytes(b"[audio\nvolume=\xff\x00999\n[window]\ngeometry=@Byte")
    settings = Settings(tmp_path)
    assert settings.volume == 80 and settings.geometry is None and settings.notice == ""


@pytest.mark.parametrize(
    ("key", "value", "attribute", "default"),
    [
        ("get_ready_seconds", 0, "get_ready_seconds", 5),
        ("get_ready_seconds", "10", "get_ready_seconds", 5),
        ("default_tempo", float("nan"), "default_tempo", None),
        ("default_tempo", 1e308, "default_tempo", None),
        ("default_tempo", True, "default_tempo", None),
        ("weak_bonus_reps", -1, "weak_bonus_reps", 2),
        ("weak_bonus_hold_percent", 10_000, "weak_bonus_hold_percent", 25),
        ("theme", "neon", "theme", "system"),
        ("speech_rate", 5, "speech_rate", 175),
        ("speech_engine", "/bin/sh", "speech_engine", "auto"),
        ("speech_voice", "en\nrm -rf", "speech_voice", ""),
        ("phrases", "exercise", "phrases", None),
        ("silent_chimes", ["count", "go", 3], "silent_chimes", None),
    ],
)
def test_preferences_out_of_range_or_of_the_wrong_kind_are_the_defaults(
    tmp_path: Path, key: str, value: object, attribute: str, default: object
) -> None:
    from app.domain.plan import CueKind
    from app.domain.spoken import DEFAULT_PHRASES

    document = {"format": "limber-settings", "version": 1, key: value}
    (tmp_path / FILE_NAME).write_text(json.dumps(document, allow_nan=True))
    read = getattr(Settings(tmp_path), attribute)
    if key == "phrases":
        assert read == DEFAULT_PHRASES
    elif key == "silent_chimes":
        assert read == {CueKind.COUNT}  # "go" always sounds; 3 is no chime
    else:
        assert read == default


def test_the_plan_settings_carry_the_preferences(tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    settings.get_ready_seconds = 8
    settings.default_tempo = 2.0
    settings.weak_bonus_reps = 3
    settings.weak_bonus_hold_percent = 40
    chosen = settings.plan_settings(Side.RIGHT)
    assert (chosen.weak_side, chosen.get_ready_seconds, chosen.default_tempo) == (
        Side.RIGHT,
        8.0,
        2.0,
    )
    assert (chosen.weak_bonus_reps, chosen.weak_bonus_hold_percent) == (3, 40.0)


def test_reminders_and_the_day_paused_round_trip(tmp_path: Path) -> None:
    settings = Settings(tmp_path)
    assert settings.reminders == [] and settings.reminders_paused_on is None
    changes: list[int] = []
    settings.on_change(lambda: changes.append(1))
    reminders = [
        Reminder(frozenset({4, 0, 2}), 7, 30, "thoracic-spine-mini-routine"),
        Reminder(frozenset(range(7)), 18, 5),
    ]
    settings.reminders = reminders
    settings.reminders_paused_on = date(2026, 11, 23)
    settings.reminders = list(reminders)  # no change: no listener call
    assert len(changes) == 2
    settings.save()
    document = json.loads((tmp_path / FILE_NAME).read_text())
    assert document["reminders"] == [
        {"days": ["mon", "wed", "fri"], "time": "07:30", "routine": "thoracic-spine-mini-routine"},
        {"days": [*DAY_NAMES], "time": "18:05", "routine": None},
    ]
    assert document["reminders_paused_on"] == "2026-11-23"
    again = Settings(tmp_path)
    assert again.reminders == reminders
    assert again.reminders_paused_on == date(2026, 11, 23)
    again.reminders_paused_on = None
    again.reminders = reminders[1:]
    again.save()
    assert Settings(tmp_path).reminders == reminders[1:]
    assert Settings(tmp_path).reminders_paused_on is None


def test_a_reminder_that_does_not_check_out_is_skipped(tmp_path: Path) -> None:
    good = {"days": ["tue"], "time": "06:45", "routine": None}
    entries: list[object] = [
        "mon 07:30",
        None,
        {"days": ["mon"], "time": "07:30"},  # no routine: the suggested one
        {"days": "daily", "time": "07:30", "routine": None},
        {"days": [], "time": "07:30", "routine": None},
        {"days": ["mon", "xyz"], "time": "07:30", "routine": None},
        {"days": [0], "time": "07:30", "routine": None},
        {"days": ["Mon"], "time": "07:30", "routine": None},
        {"days": ["mon"], "time": "24:00", "routine": None},
        {"days": ["mon"], "time": 730, "routine": None},
        {"days": ["mon"], "time": "07:30:00", "routine": None},
        {"days": ["mon"], "routine": None},
        {"days": ["mon"], "time": "07:30", "routine": 5},
        {"days": ["mon"], "time": "07:30", "routine": ""},
        {"days": ["mon"], "time": "07:30", "routine": "Not An Id\n"},
        {"days": ["sat", "sat"], "time": "7:05", "routine": "hips", "sound": "bell"},
        good,
    ]
    document = {"format": "limber-settings", "version": 1, "reminders": entries}
    (tmp_path / FILE_NAME).write_text(json.dumps(document))
    settings = Settings(tmp_path)
    assert settings.reminders == [
        Reminder(frozenset({0}), 7, 30),
        Reminder(frozenset({5}), 7, 5, "hips"),
        Reminder(frozenset({1}), 6, 45),
    ]
    assert settings.notice == ""


@pytest.mark.parametrize(
    "values",
    [
        {"reminders": {"days": ["mon"], "time": "07:30"}, "reminders_paused_on": "2026-13-01"},
        {"reminders": "daily 07:30", "reminders_paused_on": 20261123},
        {"reminders": None, "reminders_paused_on": "tomorrow"},
        {"reminders_paused_on": "2026-11-23T00:00"},
        {"reminders_paused_on": ["2026-11-23"]},
    ],
)
def test_reminder_values_of_the_wrong_kind_are_the_defaults(
    tmp_path: Path, values: dict[str, object]
) -> None:
    document = {"format": "limber-settings", "version": 1, **values}
    (tmp_path / FILE_NAME).write_text(json.dumps(document))
    settings = Settings(tmp_path)
    assert settings.reminders == [] and settings.reminders_paused_on is None
    assert settings.notice == ""


def test_at_most_fifty_reminders_are_kept(tmp_path: Path) -> None:
    entries = [{"days": ["mon"], "time": f"{n // 60:02d}:{n % 60:02d}"} for n in range(60)]
    document = {"format": "limber-settings", "version": 1, "reminders": entries}
    (tmp_path / FILE_NAME).write_text(json.dumps(document))
    settings = Settings(tmp_path)
    assert len(settings.reminders) == MAX_REMINDERS == 50
    assert settings.reminders[-1] == Reminder(frozenset({0}), 0, 49)
    with pytest.raises(ValueError, match="at most 50 reminders"):
        settings.reminders = [Reminder(frozenset({0}), 7, n) for n in range(51)]
    assert len(settings.reminders) == 50 and not settings.unsaved
