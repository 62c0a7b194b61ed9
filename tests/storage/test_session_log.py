"""The session log on real TinyDB files: writes, checkpoints, recovery, repairs, backups."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.domain.plan import build_plan
from app.domain.session import SessionStatus
from app.storage.file_lock import LockTimeoutError
from app.storage.routine_store import RoutineStore
from app.storage.session_log import LogFormatError, SessionLog
from tests.storage.log_helpers import record


@pytest.fixture
def log(tmp_path: Path) -> SessionLog:
    opened = SessionLog(tmp_path / "log")
    assert opened.open() == []
    return opened


def test_finished_sessions_are_kept_in_a_file_per_month(log: SessionLog) -> None:
    first = record("2025-12-31T23:50:00+01:00")
    second = record("2026-01-01T00:10:00+01:00")
    third = record("2026-01-31T23:59:00-05:00")  # the month of its own local time
    for session in (third, first, second):
        log.finish(session)
    assert [s.id for s in log.sessions()] == [first.id, second.id, third.id]
    assert {p.name for p in log.folder.glob("sessions-*.json")} == {
        "sessions-2025-12.json",
        "sessions-2026-01.json",
    }


def test_a_year_file_of_limber_0_1_is_split_into_months(tmp_path: Path) -> None:
    folder = tmp_path / "log"
    folder.mkdir()
    sessions = [
        record("2026-01-05T08:00:00+01:00"),
        record("2026-01-06T08:00:00+01:00"),
        record("2026-03-01T08:00:00+01:00"),
    ]
    rows = {str(n): s.to_dict() for n, s in enumerate(sessions, 1)}
    rows["4"] = {"id": "no start"}
    year = {"meta": {"1": {"schema": 1}}, "sessions": rows}
    (folder / "sessions-2026.json").write_text(json.dumps(year))
    # As a crash in the middle of an earlier split leaves it: one month written.
    (folder / "sessions-2026-01.json").write_text(
        json.dumps({"meta": {"1": {"schema": 1}}, "sessions": {"1": sessions[0].to_dict()}})
    )
    log = SessionLog(folder)
    assert log.open() == []
    assert log.sessions() == sessions and log.unreadable_records == 1
    assert {p.name for p in folder.glob("sessions-*.json")} == {
        "sessions-2026.json",
        "sessions-2026-01.json",
        "sessions-2026-03.json",
    }
    assert json.loads((folder / "sessions-2026.json").read_text())["sessions"] == {
        "4": {"id": "no start"}
    }  # what cannot be placed stays where it was
    assert json.loads((folder / "backups" / "sessions-2026.json.1").read_text()) == year
    assert SessionLog(folder).open() == [] and SessionLog(folder).sessions() == sessions
    # The row left behind is not moved (nor backed up) again at every start.
    assert len(list((folder / "backups").glob("sessions-2026.json.*"))) == 1


def test_a_checkpoint_is_in_progress_until_finished(log: SessionLog) -> None:
    session = record(status="in_progress")
    log.checkpoint(session)
    assert [s.id for s in log.in_progress()] == [session.id]
    assert log.sessions() == []
    log.finish(session.with_changes(status=SessionStatus.COMPLETED))
    assert log.in_progress() == []
    assert log.sessions()[0].status is SessionStatus.COMPLETED


def test_a_session_left_by_a_dead_process_is_kept_as_interrupted(tmp_path: Path) -> None:
    log = SessionLog(tmp_path / "log")
    session = record(status="in_progress")
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    log.checkpoint(session)
    current = log.folder / "current.json"
    document = json.loads(current.read_text())
    for row in document["sessions"].values():
        row["pid"] = int(gone.stdout)
    current.write_text(json.dumps(document))
    reopened = SessionLog(tmp_path / "log")
    reopened.open()
    (kept,) = reopened.sessions()
    assert kept.id == session.id and kept.status is SessionStatus.INTERRUPTED
    assert kept.work == session.work and reopened.in_progress() == []


def test_a_session_of_a_live_process_is_left_alone(log: SessionLog) -> None:
    log.checkpoint(record(status="in_progress"))
    assert log.recover_interrupted() == []
    assert len(log.in_progress()) == 1


@pytest.mark.parametrize(
    ("damage", "reason"),
    [
        (b"", "the file is empty"),
        (b'{"sessions": {"1": {"id": "x"', "not valid JSON"),
        (b"\x00\x00\x00\x00", "not valid JSON"),
        (b"not json at all", "not valid JSON"),
        (b'["a", "list"]', "not a table of records"),
        (b'{"sessions": {"1": 5}}', "not a table of records"),
    ],
)
def test_an_unreadable_file_is_moved_aside_and_its_backup_restored(
    log: SessionLog, damage: bytes, reason: str
) -> None:
    kept = [record() for _ in range(3)]
    for session in kept:
        log.finish(session)
    month = log.folder / "sessions-2026-11.json"
    month.write_bytes(damage)
    reopened = SessionLog(log.folder)
    (repair,) = reopened.open()
    assert repair.reason.startswith(reason)
    assert repair.moved_to.read_bytes() == damage  # nothing is thrown away
    assert repair.restored_from is not None
    assert "could not be read" in repair.message() and "restored its backup" in repair.message()
    # The newest backup is the file before the last write: all but the last session.
    assert [s.id for s in reopened.sessions()] == [s.id for s in kept[:2]]


def test_without_a_backup_the_file_starts_empty_and_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "log"
    folder.mkdir()
    (folder / "sessions-2026-11.json").write_text("{broken")
    log = SessionLog(folder)
    (repair,) = log.open()
    assert repair.restored_from is None and "starts empty" in repair.message()
    assert log.sessions() == []


def test_a_log_from_a_newer_limber_is_refused(log: SessionLog) -> None:
    log.finish(record())
    month = log.folder / "sessions-2026-11.json"
    document = json.loads(month.read_text())
    document["meta"] = {"1": {"schema": 7}}
    month.write_text(json.dumps(document))
    with pytest.raises(LogFormatError, match="newer Limber"):
        SessionLog(log.folder).open()


def test_the_last_five_versions_are_kept_as_backups(log: SessionLog) -> None:
    sessions = [record() for _ in range(8)]
    for session in sessions:
        log.finish(session)
    backups = sorted((log.folder / "backups").glob("sessions-2026-11.json.*"))
    assert [b.name[-1] for b in backups] == ["1", "2", "3", "4", "5"]
    newest = json.loads((log.folder / "backups" / "sessions-2026-11.json.1").read_text())
    assert len(newest["sessions"]) == 7


def test_delete_then_restore(log: SessionLog) -> None:
    session = record(notes="stiff")
    log.finish(session)
    log.delete(session)
    assert log.sessions() == []
    log.restore(session)
    assert log.sessions() == [session]


def test_notes_and_answers_update_a_session(log: SessionLog) -> None:
    session = record()
    log.finish(session)
    log.update(session.with_changes(notes="left hip tight", tighter={"0": "left"}))
    (updated,) = log.sessions()
    assert updated.notes == "left hip tight" and updated.tighter == {"0": "left"}


def test_a_plan_is_stored_once(log: SessionLog, data_dir: Path) -> None:
    routine = RoutineStore(data_dir / "routines").find("spinal-rotation-heel-sitting").routine
    plan = build_plan(routine)
    key = log.save_plan(plan)
    assert log.save_plan(build_plan(routine)) == key
    stored = log.plan(key)
    assert stored is not None and len(stored["steps"]) == len(plan.steps)
    assert len(json.loads((log.folder / "plans.json").read_text())["plans"]) == 1


def test_export_and_import_move_the_log_to_another_machine(log: SessionLog, tmp_path: Path) -> None:
    sessions = [record("2025-06-01T08:00:00+02:00"), record(), record()]
    for session in sessions:
        log.finish(session)
    export = tmp_path / "limber-log.json"
    assert log.export(export) == 3
    other = SessionLog(tmp_path / "other")
    other.open()
    other.finish(sessions[0])
    assert other.import_backup(export) == (2, 1)
    assert other.import_backup(export) == (0, 3)
    assert [s.id for s in other.sessions()] == [s.id for s in sessions]


def test_a_backup_file_itself_can_be_imported(log: SessionLog, tmp_path: Path) -> None:
    for _ in range(2):
        log.finish(record())
    other = SessionLog(tmp_path / "other")
    assert other.import_backup(log.folder / "backups" / "sessions-2026-11.json.1") == (1, 0)


@pytest.mark.parametrize(
    "content",
    [
        '{"format": "something"}',
        "[1, 2]",
        "{nope",
        '{"format": "limber-log", "sessions": [{"id": 1}]}',
    ],
)
def test_an_import_that_is_no_log_writes_nothing(
    log: SessionLog, tmp_path: Path, content: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    before = sorted(p.name for p in log.folder.rglob("*"))
    with pytest.raises(LogFormatError, match=r"bad\.json"):
        log.import_backup(bad)
    assert sorted(p.name for p in log.folder.rglob("*")) == before


HOLD_LOCK = """
import sys, time
from pathlib import Path
from app.storage.session_log import SessionLog
log = SessionLog(Path(sys.argv[1]))
with log.lock:
    print("locked", flush=True)
    time.sleep(3)
"""


def test_a_second_process_waits_for_the_lock_and_says_who_holds_it(tmp_path: Path) -> None:
    folder = tmp_path / "log"
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(folder)], stdout=subprocess.PIPE, text=True
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        impatient = SessionLog(folder, lock_timeout=0.3)
        with pytest.raises(LockTimeoutError, match=f"process {holder.pid}"):
            impatient.finish(record())
        holder.wait(timeout=10)
    patient = SessionLog(folder, lock_timeout=5)
    patient.finish(record())
    assert len(patient.sessions()) == 1


def test_a_killed_process_not_yet_reaped_counts_as_gone(tmp_path: Path) -> None:
    log = SessionLog(tmp_path / "log")
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    session = record(status="in_progress")
    log.checkpoint(session)
    current = log.folder / "current.json"
    document = json.loads(current.read_text())
    for row in document["sessions"].values():
        row["pid"] = child.pid  # a zombie: exited, not yet waited for
    current.write_text(json.dumps(document))
    assert [r.id for r in log.recover_interrupted()] == [session.id]
    child.wait()


def test_a_crash_after_finishing_keeps_the_finished_session(tmp_path: Path) -> None:
    log = SessionLog(tmp_path / "log")
    session = record(status="in_progress")
    log.checkpoint(session)
    finished = session.with_changes(status=SessionStatus.COMPLETED)
    log.update(finished)  # written to the year file; the checkpoint was not dropped yet
    current = log.folder / "current.json"
    document = json.loads(current.read_text())
    for row in document["sessions"].values():
        row["pid"] = None  # its process is gone
    current.write_text(json.dumps(document))
    assert log.recover_interrupted() == []
    assert [s.status for s in log.sessions()] == [SessionStatus.COMPLETED]
    assert log.in_progress() == []
