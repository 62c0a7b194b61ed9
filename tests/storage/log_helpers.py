"""Session records, and real faults (a full or read-only disk), for log tests."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.domain.session import SessionRecord, SessionStatus, WorkDone


def record(
    started: str = "2026-11-21T08:00:00+01:00",
    *,
    status: str = "completed",
    routine: str = "spinal-rotation-heel-sitting",
    notes: str = "",
) -> SessionRecord:
    return SessionRecord(
        id=uuid.uuid4().hex,
        routine_id=routine,
        routine="Spinal Rotation in Heel Sitting",
        plan_id="plan1",
        started=started,
        ended=started,
        status=SessionStatus(status),
        active_seconds=42.0,
        weak_side="left",
        tags=("warm-up", "thoracic"),
        work=(
            WorkDone("Spinal rotation", 0, "right", "reps", 3, 3),
            WorkDone("Spinal rotation", 0, "left", "reps", 5, 5),
        ),
        notes=notes,
    )


def dead_pid() -> int:
    """The id of a process that has ended (and been waited for)."""
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(gone.stdout)


def set_checkpoint_fields(folder: Path, **fields: object) -> None:
    """Changes fields of every row of `folder`'s current.json, as a crash or a
    hand edit would leave them."""
    current = folder / "current.json"
    document = json.loads(current.read_text())
    for row in document["sessions"].values():
        row.update(fields)
    current.write_text(json.dumps(document))


@contextlib.contextmanager
def tmpfs(folder: Path, size: str = "1m") -> Iterator[Path]:
    """A small tmpfs mounted on `folder` (made), unmounted after; the test is
    skipped where mounting is not permitted (not root, or in a container)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        pytest.skip("a tmpfs is mounted to simulate a full or read-only disk: needs root")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(
            f"cannot mount a tmpfs here to simulate a full or read-only disk: "
            f"{mounted.stderr.strip() or mounted.returncode}"
        )
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def remount(folder: Path, mode: str) -> None:
    """Remounts the tmpfs on `folder` read-only ("ro") or read-write ("rw")."""
    done = subprocess.run(
        ["mount", "-o", f"remount,{mode}", str(folder)], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        pytest.skip(f"cannot remount a tmpfs {mode} here: {done.stderr.strip()}")


def fill(folder: Path) -> Path:
    """Fills the file system of `folder` to the last byte; returns the filler."""
    filler = folder / "filler"
    with filler.open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as exc:
            assert exc.errno == errno.ENOSPC
    return filler
