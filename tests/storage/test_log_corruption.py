"""Every kind of damage to every file of `log/`: the log opens, says what it did,
and keeps every session that can still be read (issue 10)."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.domain.plan import PlanSettings, build_plan
from app.domain.routine import Side
from app.domain.session import SessionRecord, SessionStatus
from app.storage.routine_store import RoutineStore
from app.storage.session_log import Postponed, Repair, SessionLog
from tests.storage.log_helpers import (
    dead_pid,
    record,
    remount,
    set_checkpoint_fields,
    tmpfs,
)

FOREIGN = record("2026-10-20T08:00:00+02:00", status="in_progress")


@dataclass
class Logged:
    """The log every case starts from, and what it holds."""

    folder: Path
    october: list[SessionRecord]  # A0, A1, A2: backups .1 = A0+A1, .2 = A0
    november: SessionRecord
    cut_off: SessionRecord  # in current.json, its process gone
    elsewhere: Path  # what a symbolic link points to: never to be read nor written


@pytest.fixture
def logged(tmp_path: Path, data_dir: Path) -> Logged:
    return make_log(tmp_path / "log", tmp_path, data_dir)


def make_log(folder: Path, tmp_path: Path, data_dir: Path) -> Logged:
    log = SessionLog(folder)
    assert log.open() == []
    october = [record(f"2026-10-0{n}T08:00:00+02:00") for n in (1, 2, 3)]
    for session in october:
        log.finish(session)
    november = record()
    log.finish(november)
    routine = RoutineStore(data_dir / "routines").find("spinal-rotation-heel-sitting").routine
    log.save_plan(build_plan(routine))
    log.save_plan(build_plan(routine, PlanSettings(weak_side=Side.LEFT)))
    cut_off = record("2026-10-10T08:00:00+02:00", status="in_progress")
    log.checkpoint(cut_off)
    set_checkpoint_fields(folder, pid=dead_pid())
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(json.dumps({"sessions": {"1": {**FOREIGN.to_dict(), "pid": dead_pid()}}}))
    return Logged(folder, october, november, cut_off, elsewhere)


def truncated(path: Path, logged: Logged) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def garbage(path: Path, logged: Logged) -> None:
    path.write_bytes(b"\x00\xff\xfe garbage \x13\x07" * 50)


def wrong_shape(path: Path, logged: Logged) -> None:
    path.write_bytes(b'{"sessions": ["a", "list"], "meta": 5}')


def wrong_types(path: Path, logged: Logged) -> None:
    """Well-formed JSON whose first row has fields of the wrong types."""
    document = json.loads(path.read_text())
    table = "plans" if "plans" in document else "sessions"
    first = min(document[table], key=int)
    document[table][first] = {
        "id": 5,
        "started": [],
        "status": None,
        "active_seconds": "NaN",
        "work": {"x": 1},
    }
    path.write_text(json.dumps(document))


def empty(path: Path, logged: Logged) -> None:
    path.write_bytes(b"")


def missing(path: Path, logged: Logged) -> None:
    path.unlink()


def folder_instead(path: Path, logged: Logged) -> None:
    path.unlink()
    path.mkdir()
    (path / "inside").write_text("kept")


def symlink_elsewhere(path: Path, logged: Logged) -> None:
    path.unlink()
    path.symlink_to(logged.elsewhere)


DAMAGE: dict[str, Callable[[Path, Logged], None]] = {
    "truncated": truncated,
    "garbage": garbage,
    "wrong shape": wrong_shape,
    "wrong types": wrong_types,
    "empty": empty,
    "missing": missing,
    "folder": folder_instead,
    "symlink": symlink_elsewhere,
}
TARGETS = {
    "month": "sessions-2026-10.json",
    "current": "current.json",
    "plans": "plans.json",
    "backup": "backups/sessions-2026-10.json.1",
}
# The damage that makes a whole file unreadable (rather than one row, or nothing).
UNREADABLE = {"truncated", "garbage", "wrong shape", "empty", "folder", "symlink"}


def expected(target: str, kind: str, logged: Logged) -> tuple[str | None, list[str], int]:
    """What opening should say (a part of a notice, or None for nothing), the
    sessions then read, and how many rows are counted as unreadable."""
    a0, a1, a2 = (s.id for s in logged.october)
    everything = [a0, a1, a2, logged.cut_off.id, logged.november.id]
    if target == "month":
        if kind in UNREADABLE:  # backup 1 restored: all but the last October write
            return "restored its backup", [a0, a1, logged.cut_off.id, logged.november.id], 0
        if kind == "wrong types":
            return None, everything[1:], 1
        return None, [logged.cut_off.id, logged.november.id], 0  # missing: nothing to restore
    if target == "current":
        without_cut_off = [a0, a1, a2, logged.november.id]
        if kind in UNREADABLE:  # current.json has no backups: kept aside, starts empty
            return "starts empty", without_cut_off, 0
        if kind == "wrong types":
            return "1 session in progress in current.json could not be read", without_cut_off, 0
        return None, without_cut_off, 0
    if target == "plans":
        return ("restored its backup" if kind in UNREADABLE else None), everything, 0
    # A damaged backup matters once it is needed: the month is damaged too, and
    # the next readable backup (2: A0 alone) is restored; one with a bad row is
    # still readable, so it is restored and the row counted.
    if kind == "wrong types":
        return "restored its backup", [a1, logged.cut_off.id, logged.november.id], 1
    return "restored its backup", [a0, logged.cut_off.id, logged.november.id], 0


CASES = [(target, kind) for target in TARGETS for kind in DAMAGE]


@pytest.mark.parametrize(("target", "kind"), CASES, ids=[f"{t}-{k}" for t, k in CASES])
def test_damage_to_a_log_file_is_repaired_and_said(logged: Logged, target: str, kind: str) -> None:
    path = logged.folder / TARGETS[target]
    elsewhere_before = logged.elsewhere.read_bytes()
    DAMAGE[kind](path, logged)
    if target == "backup":
        truncated(logged.folder / TARGETS["month"], logged)
    log = SessionLog(logged.folder)
    notices = log.open()  # no exception: every kind of damage here can be handled
    note, ids, unreadable = expected(target, kind, logged)
    messages = [n.message() for n in notices]
    if note is None:
        assert notices == []
    else:
        assert len(notices) == 1 and note in messages[0], messages
        (repair,) = notices
        assert isinstance(repair, Repair) and repair.error is None
        assert repair.moved_to is not None and os.path.lexists(repair.moved_to)
        if target == "backup" and kind != "wrong types":
            assert repair.restored_from == logged.folder / "backups/sessions-2026-10.json.2"
    sessions = log.sessions()
    assert sorted(s.id for s in sessions) == sorted(ids)
    assert log.unreadable_records == unreadable
    assert FOREIGN.id not in {s.id for s in sessions}  # a link is never followed
    if logged.cut_off.id in ids:
        (kept,) = (s for s in sessions if s.id == logged.cut_off.id)
        assert kept.status is SessionStatus.INTERRUPTED
    # The log is usable afterwards, and nothing was written through a link.
    later = record("2026-10-30T08:00:00+01:00")
    log.checkpoint(later)
    log.finish(later)
    log.save_plan(
        build_plan(
            RoutineStore(logged.folder.parent / "limber-data" / "routines")
            .find("spinal-rotation-heel-sitting")
            .routine,
            PlanSettings(weak_side=Side.RIGHT),
        )
    )
    assert logged.elsewhere.read_bytes() == elsewhere_before
    again = SessionLog(logged.folder)
    assert again.open() == []
    assert sorted(s.id for s in again.sessions()) == sorted([*ids, later.id])


def test_a_damaged_backup_alone_says_nothing_and_costs_nothing(logged: Logged) -> None:
    for kind in ("garbage", "folder", "symlink"):
        backup = logged.folder / "backups" / f"sessions-2026-10.json.{kind}"
        shutil.copy(logged.folder / TARGETS["backup"], backup)
    garbage(logged.folder / TARGETS["backup"], logged)
    log = SessionLog(logged.folder)
    assert log.open() == []
    assert len(log.sessions()) == 5
    for n in range(8):  # rotates the damaged backup out without a word
        log.finish(record(f"2026-10-1{n}T08:00:00+02:00"))
    assert len(log.sessions()) == 13


def test_only_postponed_and_repair_notices_come_out(logged: Logged) -> None:
    garbage(logged.folder / TARGETS["month"], logged)
    assert all(isinstance(n, Repair | Postponed) for n in SessionLog(logged.folder).open())


READ_ONLY_CASES = [(target, kind) for target in TARGETS for kind in sorted(UNREADABLE)]


@pytest.mark.parametrize(
    ("target", "kind"), READ_ONLY_CASES, ids=[f"{t}-{k}" for t, k in READ_ONLY_CASES]
)
def test_damage_on_a_read_only_disk_is_said_and_everything_else_read(
    tmp_path: Path, data_dir: Path, target: str, kind: str
) -> None:
    with tmpfs(tmp_path / "disk") as disk:
        logged = make_log(disk / "log", tmp_path, data_dir)
        DAMAGE[kind](logged.folder / TARGETS[target], logged)
        if target == "backup":
            truncated(logged.folder / TARGETS["month"], logged)
        damaged = logged.folder / TARGETS["month" if target == "backup" else target]
        remount(disk, "ro")
        try:
            log = SessionLog(logged.folder)
            notices = log.open()
            waiting = [n for n in notices if isinstance(n, Repair)]
            assert [(n.path, n.moved_to) for n in waiting] == [(damaged, None)]
            assert "cannot be repaired now" in waiting[0].message()
            readable = {logged.november.id}
            if damaged.name != TARGETS["month"]:
                readable |= {s.id for s in logged.october}
            assert {s.id for s in log.sessions()} == readable
            cut_off_waits = any("cut off" in n.message() for n in notices)
            assert cut_off_waits == (target != "current")
        finally:
            remount(disk, "rw")
