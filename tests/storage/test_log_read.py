"""`SessionLog.read()`, what `limber history` reads the log with: `open()` then
`sessions()`, each file read once, and nothing written (nor the lock taken) when
`open()` would find nothing to do."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from app.domain.plan import Plan, build_plan
from app.domain.session import SessionRecord, SessionStatus
from app.storage.routine_store import RoutineStore
from app.storage.session_log import LogFormatError, Notice, Postponed, Repair, SessionLog
from tests.storage.log_helpers import dead_pid, record, remount, set_checkpoint_fields, tmpfs
from tests.storage.test_log_corruption import CASES, DAMAGE, TARGETS, expected, make_log, truncated
from tests.storage.test_session_log import HOLD_LOCK


def logged(folder: Path) -> SessionLog:
    """A log of three sessions over two months, a plan and a live checkpoint."""
    log = SessionLog(folder)
    for session in (
        record("2026-10-01T08:00:00+02:00"),
        record("2026-10-02T08:00:00+02:00"),
        record(),
    ):
        log.finish(session)
    log.save_plan(plan())
    log.checkpoint(record(status="in_progress"))  # this process's: not cut off
    return log


def plan() -> Plan:
    routine = RoutineStore(Path("/nonexistent")).find("spinal-rotation-heel-sitting").routine
    return build_plan(routine)


def state(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file under `folder` (links as such) with its modification time and bytes."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        data = b"" if path.is_dir() or path.is_symlink() else path.read_bytes()
        found[str(path.relative_to(folder))] = (info.st_mtime_ns, data)
    return found


def test_a_sound_log_is_read_without_a_write(tmp_path: Path) -> None:
    log = logged(tmp_path / "log")
    before = state(log.folder)
    reader = SessionLog(log.folder)
    notices, sessions = reader.read()
    assert notices == [] and state(log.folder) == before
    assert sessions == SessionLog(log.folder).sessions() and len(sessions) == 3
    assert reader.unreadable_records == 0


def test_a_sound_log_is_read_while_another_process_holds_the_lock(tmp_path: Path) -> None:
    folder = logged(tmp_path / "log").folder
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(folder)], stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        notices, sessions = SessionLog(folder, lock_timeout=10).read()
        assert time.monotonic() - started < 2  # the holder keeps it for 3 s
        holder.wait(timeout=10)
    assert notices == [] and len(sessions) == 3


def test_bad_rows_are_skipped_counted_and_left_as_they_are(tmp_path: Path) -> None:
    log = logged(tmp_path / "log")
    month = log.folder / "sessions-2026-10.json"
    document = json.loads(month.read_text())
    first, second = document["sessions"].values()
    first["active_seconds"] = 1e308
    second["work"][0][3] = ["reps"]  # unhashable: no set can even be asked about it
    month.write_text(json.dumps(document))
    before = state(log.folder)
    reader = SessionLog(log.folder)
    notices, sessions = reader.read()
    assert notices == [] and reader.unreadable_records == 2
    assert [s.started for s in sessions] == [record().started]
    assert state(log.folder) == before


def leftover_temp_file(log: SessionLog) -> None:
    temp = log.folder / ".sessions-2026-10.json.abcdefgh.tmp"
    temp.write_text("{")
    os.utime(temp, (time.time() - 60, time.time() - 60))


def cut_off_checkpoint(log: SessionLog) -> None:
    set_checkpoint_fields(log.folder, pid=dead_pid())


def bad_checkpoint(log: SessionLog) -> None:
    set_checkpoint_fields(log.folder, status="finished-ish")


def year_file(log: SessionLog) -> None:
    rows = {"1": {**record("2025-03-01T08:00:00+01:00").to_dict()}}
    document = {"meta": {"1": {"schema": 1}}, "sessions": rows}
    (log.folder / "sessions-2025.json").write_text(json.dumps(document))


def unreadable_month(log: SessionLog) -> None:
    (log.folder / "sessions-2026-10.json").write_text('{"sessions": 5}')


def unfinished_repair(log: SessionLog) -> None:
    month = log.folder / "sessions-2026-10.json"
    month.replace(log.folder / "sessions-2026-10.json.broken-20261101T080000")


def newer_schema(log: SessionLog) -> None:
    plans = log.folder / "plans.json"
    document = json.loads(plans.read_text())
    document["meta"] = {"1": {"schema": 2}}
    plans.write_text(json.dumps(document))


def no_lock_file(log: SessionLog) -> None:
    (log.folder / ".lock").unlink()


def linked_lock_file(log: SessionLog) -> None:
    (log.folder / ".lock").unlink()
    (log.folder / ".lock").symlink_to(log.folder / "plans.json")


WORK = {
    "a temp file a kill left": leftover_temp_file,
    "a session cut off by a crash": cut_off_checkpoint,
    "a checkpoint that cannot be read": bad_checkpoint,
    "a year file of Limber 0.1": year_file,
    "a month file that cannot be read": unreadable_month,
    "a repair that did not finish": unfinished_repair,
    "a file of a newer Limber": newer_schema,
    "no lock file yet": no_lock_file,
    "a lock file that is a link": linked_lock_file,
}


Reading = Callable[[SessionLog], tuple[list[Notice], list[SessionRecord]]]


def said(notices: list[Notice], folder: Path) -> list[str]:
    """The notices as told, without the folder nor the times in names kept aside."""
    return [
        re.sub(r"broken-[\dT-]+|backup from [\d: -]+", "*", n.message()).replace(str(folder), "")
        for n in notices
    ]


def outcome(log: SessionLog, reading: Reading) -> object:
    """What a reader is told and given, and the files left (times left out)."""
    try:
        notices, sessions = reading(log)
    except LogFormatError as exc:
        return str(exc)
    files = sorted(re.sub(r"broken-[\dT-]+", "*", n) for n in state(log.folder))
    return said(notices, log.folder), sessions, log.unreadable_records, files


def open_then_sessions(log: SessionLog) -> tuple[list[Notice], list[SessionRecord]]:
    notices = log.open()
    return notices, log.sessions()


@pytest.mark.parametrize("situation", WORK)
def test_what_open_would_do_is_done_and_said_as_open_then_sessions_do(
    tmp_path: Path, situation: str
) -> None:
    prepared = logged(tmp_path / "prepared")
    WORK[situation](prepared)
    shutil.copytree(prepared.folder, tmp_path / "a", symlinks=True)
    shutil.copytree(prepared.folder, tmp_path / "b", symlinks=True)
    if situation == "a lock file that is a link":  # copied as a link to the original
        for name in ("a", "b"):
            (tmp_path / name / ".lock").unlink()
            (tmp_path / name / ".lock").symlink_to(tmp_path / name / "plans.json")
    before = (tmp_path / "a" / "plans.json").read_bytes()
    read = outcome(SessionLog(tmp_path / "a"), SessionLog.read)
    assert read == outcome(SessionLog(tmp_path / "b"), open_then_sessions)
    assert (tmp_path / "a" / "plans.json").read_bytes() == before  # never through a link


@pytest.mark.parametrize(("target", "kind"), CASES, ids=[f"{t}-{k}" for t, k in CASES])
def test_damage_is_repaired_and_said_by_read(
    tmp_path: Path, data_dir: Path, target: str, kind: str
) -> None:
    damaged = make_log(tmp_path / "log", tmp_path, data_dir)
    DAMAGE[kind](damaged.folder / TARGETS[target], damaged)
    if target == "backup":
        truncated(damaged.folder / TARGETS["month"], damaged)
    log = SessionLog(damaged.folder)
    notices, sessions = log.read()
    note, ids, unreadable = expected(target, kind, damaged)
    if note is None:
        assert notices == []
    else:
        assert len(notices) == 1 and note in notices[0].message(), notices
    assert sorted(s.id for s in sessions) == sorted(ids)
    assert log.unreadable_records == unreadable
    if damaged.cut_off.id in ids:
        (kept,) = (s for s in sessions if s.id == damaged.cut_off.id)
        assert kept.status is SessionStatus.INTERRUPTED


def test_a_read_only_log_is_read_and_what_waits_is_said(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk") as disk:
        log = logged(disk / "log")
        (log.folder / "sessions-2026-09.json").write_text("{damaged")
        remount(disk, "ro")
        try:
            notices, sessions = SessionLog(log.folder).read()
        finally:
            remount(disk, "rw")
        assert [type(n) for n in notices] == [Postponed, Repair]
        assert "Logging new sessions waits" in notices[0].message()
        assert "Read-only file system" in notices[0].message()
        assert "sessions-2026-09.json could not be read" in notices[1].message()
        assert len(sessions) == 3


def test_the_sessions_of_some_months_are_read_from_their_files_alone(tmp_path: Path) -> None:
    from datetime import date

    log = logged(tmp_path / "log")  # October (2) and November (1) of 2026
    log.finish(record("2026-12-31T23:30:00+01:00"))
    log.finish(record("2027-01-01T00:30:00+01:00"))
    before = state(log.folder)
    reader = SessionLog(log.folder)
    november = reader.sessions_of_months(date(2026, 11, 23), date(2026, 12, 1))
    assert [s.started for s in november] == [
        "2026-11-21T08:00:00+01:00",
        "2026-12-31T23:30:00+01:00",
    ]
    across = reader.sessions_of_months(date(2026, 12, 28), date(2027, 1, 5))
    assert [s.started[:10] for s in across] == ["2026-12-31", "2027-01-01"]
    assert reader.sessions_of_months(date(2027, 3, 1), date(2027, 3, 9)) == []
    assert state(log.folder) == before
    # An unreadable month file is skipped, as is a bad row; nothing is repaired or written.
    (log.folder / "sessions-2026-10.json").write_text("{not json")
    path = log.folder / "sessions-2026-11.json"
    document = json.loads(path.read_text())
    document["sessions"]["x"] = {"id": "x"}
    path.write_text(json.dumps(document))
    before = state(log.folder)
    assert reader.sessions_of_months(date(2026, 10, 1), date(2026, 10, 31)) == []
    assert len(reader.sessions_of_months(date(2026, 11, 1), date(2026, 11, 9))) == 1
    assert reader.unreadable_records == 1
    assert state(log.folder) == before
    assert (
        SessionLog(tmp_path / "none").sessions_of_months(date(2026, 11, 1), date(2026, 11, 9)) == []
    )
