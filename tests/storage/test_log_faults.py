"""Faults: a writer killed at random moments, and two processes writing at once."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from app.storage.session_log import SessionLog

ROOT = Path(__file__).resolve().parents[2]
# Logs sessions one after another, printing each id once its write has returned.
# The repository goes last on sys.path, for the tests' helpers: `app` stays the
# installed copy.
WRITER = f"""
import sys
sys.path.append({str(ROOT)!r})
from pathlib import Path
from app.storage.session_log import SessionLog
from tests.storage.log_helpers import record
log = SessionLog(Path(sys.argv[1]))
log.open()
for n in range(int(sys.argv[2])):
    session = record(f"2026-{{1 + n % 12:02d}}-10T08:00:00+01:00")
    if n % 3 == 0:
        log.checkpoint(session)
    log.finish(session)
    print(session.id, flush=True)
"""


def start_writer(folder: Path, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder), str(count)], stdout=subprocess.PIPE, text=True
    )


def test_a_writer_killed_at_any_moment_loses_no_acknowledged_session(tmp_path: Path) -> None:
    folder = tmp_path / "log"
    rng = random.Random(20261121)
    acknowledged: set[str] = set()
    for kills in range(1, 13):
        writer = start_writer(folder, 1000)
        assert writer.stdout is not None
        deadline = time.monotonic() + rng.uniform(0.4, 1.6)
        while time.monotonic() < deadline:
            line = writer.stdout.readline()
            if not line:
                break
            acknowledged.add(line.strip())
        writer.send_signal(signal.SIGKILL)
        # Whatever the writer printed before dying was acknowledged too.
        acknowledged.update(line.strip() for line in writer.stdout if line.strip())
        writer.wait(timeout=10)
        log = SessionLog(folder)
        repairs = log.open()
        assert repairs == [], [r.message() for r in repairs]
        present = {s.id for s in log.sessions()}
        assert acknowledged <= present, f"lost {len(acknowledged - present)} after {kills} kills"
        assert log.unreadable_records == 0
        # What the killed writes left in temp files is gone once the log is opened.
        assert list(folder.glob(".*.tmp")) == []
    assert len(acknowledged) > 200  # a few hundred writes were interrupted at random


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "log"
    writers = [start_writer(folder, 60) for _ in range(2)]
    ids = set()
    for writer in writers:
        out, _ = writer.communicate(timeout=120)
        assert writer.returncode == 0
        ids.update(out.split())
    assert len(ids) == 120
    log = SessionLog(folder)
    assert log.open() == []
    assert {s.id for s in log.sessions()} == ids
