"""The faults of issue 10, each on real files: bad checkpoints, repairs and writes
on a full disk, a read-only log, odd schemas, bad rows and imports, a linked lock,
leftover temp files and process liveness."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.session import SessionStatus
from app.history_export import write_csv
from app.storage.session_log import LogFormatError, Postponed, Repair, SessionLog
from tests.storage.log_helpers import (
    dead_pid,
    fill,
    record,
    remount,
    set_checkpoint_fields,
    tmpfs,
)


@pytest.fixture
def log(tmp_path: Path) -> SessionLog:
    opened = SessionLog(tmp_path / "log")
    assert opened.open() == []
    return opened


def month_rows(path: Path) -> dict[str, dict[str, object]]:
    rows: dict[str, dict[str, object]] = json.loads(path.read_text())["sessions"]
    return rows


# 1. A bad row in current.json ------------------------------------------------------


@pytest.mark.parametrize(
    "bad", [{"status": "finished-ish"}, {"active_seconds": "long"}, {"id": None}, {"pid": "me"}]
)
def test_a_bad_checkpoint_row_is_set_aside_and_the_others_recovered(
    log: SessionLog, bad: dict[str, object]
) -> None:
    good, broken = record(status="in_progress"), record(status="in_progress")
    log.checkpoint(good)
    log.checkpoint(broken)
    current = log.folder / "current.json"
    document = json.loads(current.read_text())
    for row in document["sessions"].values():
        row["pid"] = dead_pid()
        if row["id"] == broken.id:
            row.update(bad)
    current.write_text(json.dumps(document))
    reader = SessionLog(log.folder)
    assert [s.id for s in reader.in_progress()] == [good.id]  # read before any repair
    assert reader.unreadable_checkpoints == 1
    (repair,) = reader.open()
    assert isinstance(repair, Repair) and repair.rows == 1 and repair.moved_to is not None
    assert "could not be read" in repair.message() and repair.moved_to.name in repair.message()
    aside = json.loads(repair.moved_to.read_text())["sessions"]
    assert [row["id"] for row in aside.values()] == [bad.get("id", broken.id)]
    assert [(s.id, s.status) for s in reader.sessions()] == [(good.id, SessionStatus.INTERRUPTED)]
    assert reader.in_progress() == [] and SessionLog(log.folder).open() == []


# 2 and 3. A full disk: a repair that cannot be written, writes that fail -----------


def test_a_repair_on_a_full_disk_removes_nothing_and_is_done_next_time(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk") as disk:
        log = SessionLog(disk / "log")
        sessions = [record() for _ in range(3)]
        for session in sessions:
            log.finish(session)
        month = log.folder / "sessions-2026-11.json"
        month.write_bytes(b"{broken")
        filler = fill(disk)
        (waiting,) = SessionLog(log.folder).open()
        assert isinstance(waiting, Repair) and waiting.error is not None
        assert "repaired at the next start" in waiting.message()
        assert month.read_bytes() == b"{broken"  # left as it was, nothing moved aside
        assert list(log.folder.glob("*.broken-*")) == []
        filler.unlink()
        (repair,) = SessionLog(log.folder).open()
        assert repair.error is None and repair.restored_from is not None
        assert [s.id for s in log.sessions()] == [s.id for s in sessions[:2]]


def test_a_failed_write_costs_no_backup(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk") as disk:
        log = SessionLog(disk / "log")
        for _ in range(4):
            log.finish(record())
        backups = sorted((log.folder / "backups").glob("sessions-2026-11.json.*"))
        before = {b.name: b.read_bytes() for b in backups}
        assert len(before) == 3
        filler = fill(disk)
        for _ in range(5):
            with pytest.raises(OSError):
                log.finish(record())
        after = sorted((log.folder / "backups").glob("sessions-2026-11.json.*"))
        assert {b.name: b.read_bytes() for b in after} == before
        filler.unlink()
        log.finish(record())
        assert len(log.sessions()) == 5


# 4. Reading needs no write access ---------------------------------------------------


def test_a_full_disk_postpones_the_recovery_and_reads_everything(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk") as disk:
        log = SessionLog(disk / "log")
        done = record("2026-10-01T08:00:00+02:00")
        log.finish(done)
        cut = record(status="in_progress")
        log.checkpoint(cut)
        set_checkpoint_fields(log.folder, pid=dead_pid())
        filler = fill(disk)
        reader = SessionLog(log.folder)
        (waiting,) = reader.open()
        assert isinstance(waiting, Postponed) and "1 session cut off" in waiting.message()
        assert [s.id for s in reader.sessions()] == [done.id]
        assert [s.id for s in reader.in_progress()] == [cut.id]
        filler.unlink()
        assert SessionLog(log.folder).open() == []
        assert [s.status for s in reader.sessions()] == [
            SessionStatus.COMPLETED,
            SessionStatus.INTERRUPTED,
        ]


def test_a_read_only_log_reads_exports_and_says_what_waits(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk") as disk:
        log = SessionLog(disk / "log")
        done = [record("2026-10-01T08:00:00+02:00"), record()]
        for session in done:
            log.finish(session)
        log.checkpoint(record(status="in_progress"))
        set_checkpoint_fields(log.folder, pid=dead_pid())
        (log.folder / "sessions-2026-09.json").write_text("{damaged")
        remount(disk, "ro")
        try:
            reader = SessionLog(log.folder)
            notices = reader.open()
            messages = " | ".join(n.message() for n in notices)
            assert "Read-only file system" in messages
            assert reader.read_only
            assert "1 session cut off by a crash as interrupted waits" in messages
            assert "sessions-2026-09.json could not be read" in messages
            assert [s.id for s in reader.sessions()] == [s.id for s in done]
            assert reader.export(tmp_path / "all.json") == 2
            write_csv(reader.sessions(), tmp_path / "all.csv")
            assert len((tmp_path / "all.csv").read_text().splitlines()) == 3
            with pytest.raises(OSError):
                reader.finish(record())
        finally:
            remount(disk, "rw")
        assert len(SessionLog(log.folder).open()) == 1  # now repaired
        assert len(SessionLog(log.folder).sessions()) == 3


def test_a_log_folder_that_cannot_be_made_reads_as_empty(tmp_path: Path) -> None:
    with tmpfs(tmp_path / "disk") as disk:
        remount(disk, "ro")
        try:
            log = SessionLog(disk / "log")
            (notice,) = log.open()
            assert isinstance(notice, Postponed)
            assert log.sessions() == [] and log.in_progress() == []
        finally:
            remount(disk, "rw")


# 5. Schemas that are no version ---------------------------------------------------


@pytest.mark.parametrize("schema", [0, -1, "1", 1.5, True, None, [1]])
def test_a_schema_that_is_no_version_is_repaired_like_other_damage(
    log: SessionLog, schema: object
) -> None:
    for _ in range(2):
        log.finish(record())
    month = log.folder / "sessions-2026-11.json"
    document = json.loads(month.read_text())
    document["meta"] = {"1": {"schema": schema}}
    month.write_text(json.dumps(document))
    (repair,) = SessionLog(log.folder).open()
    assert isinstance(repair, Repair) and "no version of the log" in repair.reason
    assert repair.restored_from is not None and len(log.sessions()) == 1


@pytest.mark.parametrize("schema", [0, -1, "1", 2])
def test_an_import_of_another_schema_is_refused(
    log: SessionLog, tmp_path: Path, schema: object
) -> None:
    export = tmp_path / "export.json"
    export.write_text(
        json.dumps(
            {
                "format": "limber-log",
                "schema": schema,
                "sessions": [record().to_dict()],
                "plans": [],
            }
        )
    )
    with pytest.raises(LogFormatError, match="log schema"):
        log.import_backup(export)
    assert log.sessions() == []


# 6. One validation for every row ----------------------------------------------------

BAD_VALUES = [
    ("active_seconds", math.nan),
    ("active_seconds", math.inf),
    ("paused_seconds", -math.inf),
    ("active_seconds", 1e308),
    ("active_seconds", -1),
    ("started", "0001-01-01T00:00:00+01:00"),
    ("started", "9999-12-31T23:00:00-05:00"),
    ("notes", "x" * 100_000),
    ("routine", 5),
    ("tags", "hips"),
    ("work", [["a", 0, None, "reps", math.nan, 1, 0]]),
]


def test_bad_rows_of_a_month_file_are_skipped_and_counted(log: SessionLog) -> None:
    good = record()
    log.finish(good)
    month = log.folder / "sessions-2026-11.json"
    document = json.loads(month.read_text())
    for n, (key, value) in enumerate(BAD_VALUES, 2):
        document["sessions"][str(n)] = {**good.to_dict(), "id": f"bad{n}", key: value}
    month.write_text(json.dumps(document))  # NaN and Infinity as JSON writes them
    reader = SessionLog(log.folder)
    assert reader.open() == []
    sessions = reader.sessions()
    assert [s.id for s in sessions] == [good.id]
    assert reader.unreadable_records == len(BAD_VALUES)
    assert all(math.isfinite(s.active_seconds) for s in sessions)


@pytest.mark.parametrize(("key", "value"), BAD_VALUES, ids=[k for k, _ in BAD_VALUES])
def test_an_import_with_a_bad_row_writes_nothing(
    log: SessionLog, tmp_path: Path, key: str, value: object
) -> None:
    export = tmp_path / "export.json"
    rows = [record().to_dict(), {**record().to_dict(), key: value}]
    export.write_text(
        json.dumps({"format": "limber-log", "schema": 1, "sessions": rows, "plans": []})
    )
    with pytest.raises(LogFormatError, match=r"export\.json: session 2 cannot be read"):
        log.import_backup(export)
    assert log.sessions() == []


def test_an_import_with_a_session_twice_or_in_progress_writes_nothing(
    log: SessionLog, tmp_path: Path
) -> None:
    session = record()
    export = tmp_path / "export.json"
    for rows, why in (
        ([session.to_dict(), session.to_dict()], "id of session 1"),
        ([record(status="in_progress").to_dict()], "still in progress"),
        ([session.to_dict()], "plan 1 cannot be read"),
    ):
        plans = [{"id": "p", "steps": [[1e999]]}] if why.startswith("plan") else []
        export.write_text(
            json.dumps({"format": "limber-log", "schema": 1, "sessions": rows, "plans": plans})
        )
        with pytest.raises(LogFormatError, match=why):
            log.import_backup(export)
    assert log.sessions() == []


def test_an_import_refuses_what_is_no_regular_file_or_too_big(
    log: SessionLog, tmp_path: Path
) -> None:
    with pytest.raises(LogFormatError, match="not a regular file"):
        log.import_backup(Path("/dev/zero"))
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(LogFormatError, match="not a regular file"):
        log.import_backup(fifo)  # refused at once: no writer needed, no wait
    huge = tmp_path / "huge.json"
    with huge.open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: costs no disk
    with pytest.raises(LogFormatError, match="too big"):
        log.import_backup(huge)
    with pytest.raises(LogFormatError, match="a folder"):
        log.import_backup(tmp_path)
    assert log.sessions() == []


# 7. The lock never follows a link -------------------------------------------------


@pytest.mark.parametrize("link", ["symbolic", "hard"])
def test_a_linked_lock_file_is_refused_and_its_target_untouched(tmp_path: Path, link: str) -> None:
    folder = tmp_path / "log"
    folder.mkdir()
    precious = tmp_path / "precious.txt"
    precious.write_text("do not overwrite")
    if link == "symbolic":
        (folder / ".lock").symlink_to(precious)
    else:
        os.link(precious, folder / ".lock")
    log = SessionLog(folder)
    (notice,) = log.open()
    assert "lock file cannot be used" in notice.message()
    with pytest.raises(OSError, match="lock file cannot be used"):
        log.finish(record())
    assert precious.read_text() == "do not overwrite"


# 8. Leftover temp files -----------------------------------------------------------


def test_temp_files_a_kill_left_are_removed_at_open_and_nothing_else(log: SessionLog) -> None:
    log.finish(record())
    old = time.time() - 3600
    leftovers = [
        ".sessions-2026-11.json.ab12cd_9.tmp",
        ".current.json.zzzzzzzz.tmp",
        ".plans.json.0a1b2c3d.tmp",
        ".current.json.broken-20261122T101010.abcdefgh.tmp",
    ]
    kept = [
        ".notes.txt.abcdefgh.tmp",
        "sessions-2026-11.json.abcdefgh.tmp",
        ".plans.json.toolongname.tmp",
        "keep.tmp",
    ]
    for name in leftovers + kept:
        (log.folder / name).write_bytes(b"x" * 1000)
        os.utime(log.folder / name, (old, old))
    (log.folder / ".current.json.newer123.tmp").write_bytes(b"being written")
    future = time.time() + 3600
    os.utime(log.folder / ".current.json.newer123.tmp", (future, future))
    (log.folder / ".plans.json.linkedxx.tmp").symlink_to(log.folder / "keep.tmp")
    assert SessionLog(log.folder).open() == []
    names = {p.name for p in log.folder.iterdir()}
    assert not names & set(leftovers)
    assert set(kept) | {".current.json.newer123.tmp", ".plans.json.linkedxx.tmp"} <= names
    assert (log.folder / "keep.tmp").read_bytes() == b"x" * 1000


# 9. Liveness ---------------------------------------------------------------------


@pytest.mark.parametrize("pid", [0, -1])
def test_a_checkpoint_with_no_real_process_id_is_recovered(log: SessionLog, pid: int) -> None:
    session = record(status="in_progress")
    log.checkpoint(session)
    set_checkpoint_fields(log.folder, pid=pid)
    reader = SessionLog(log.folder)
    assert reader.open() == []
    assert [(s.id, s.status) for s in reader.sessions()] == [
        (session.id, SessionStatus.INTERRUPTED)
    ]


@pytest.fixture
def live_pid() -> Iterator[int]:
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as child:
        try:
            yield child.pid
        finally:
            child.kill()


def test_a_live_session_is_left_alone_however_far_the_clock_moved(
    log: SessionLog, live_pid: int
) -> None:
    session = record("2000-01-01T00:00:00+00:00", status="in_progress")
    log.checkpoint(session)
    # As a clock set far ahead since the checkpoint sees it: written long before boot.
    set_checkpoint_fields(log.folder, pid=live_pid, ended="2000-01-01T00:10:00+00:00")
    assert SessionLog(log.folder).open() == []
    assert [s.id for s in log.in_progress()] == [session.id] and log.sessions() == []


def test_a_checkpoint_of_another_boot_is_recovered_though_its_pid_runs(
    log: SessionLog, live_pid: int
) -> None:
    if not Path("/proc/sys/kernel/random/boot_id").exists():
        pytest.skip("no boot id on this system: a process id is all there is")
    session = record(status="in_progress")
    log.checkpoint(session)
    set_checkpoint_fields(log.folder, pid=live_pid, boot="another-boot")
    assert SessionLog(log.folder).open() == []
    assert [s.status for s in log.sessions()] == [SessionStatus.INTERRUPTED]


def test_a_month_an_earlier_repair_left_missing_is_restored(log: SessionLog) -> None:
    sessions = [record() for _ in range(3)]
    for session in sessions:
        log.finish(session)
    month = log.folder / "sessions-2026-11.json"
    # What Limber 0.2 left when the disk was full: moved aside, nothing restored.
    month.replace(log.folder / "sessions-2026-11.json.broken-20261101T080000")
    (repair,) = SessionLog(log.folder).open()
    assert isinstance(repair, Repair) and repair.restored_from is not None
    assert "an earlier repair did not finish" in repair.message()
    assert [s.id for s in log.sessions()] == [s.id for s in sessions[:2]]
    assert SessionLog(log.folder).open() == []
