"""A folder on a full disk, for tests of what a failed write leaves.

The tests run as root, where a read-only mode does not stop a write: a tiny
tmpfs, filled up, does. Where `mount` is not permitted the test is skipped.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

SIZE = "64k"


@contextlib.contextmanager
def full_folder(folder: Path) -> Iterator[Path]:
    """Mounts a small tmpfs on `folder` (made if needed) and fills it; unmounts after.

    Skips the test when no tmpfs can be mounted here.
    """
    mount, umount = shutil.which("mount"), shutil.which("umount")
    if mount is None or umount is None:
        pytest.skip("no mount command here to make a full disk")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        [mount, "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs to make a full disk: {done.stderr.strip()}")
    try:
        fill(folder)
        yield folder
    finally:
        subprocess.run([umount, "-l", str(folder)], check=True)


def fill(folder: Path) -> None:
    """Writes to `folder` until its disk is full."""
    with (folder / "filler").open("wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"x" * 4096)
        except OSError as exc:
            if exc.errno != errno.ENOSPC:
                raise
    with (
        contextlib.suppress(OSError),  # the last bytes, to a block's end
        (folder / "filler-end").open("wb", buffering=0) as handle,
    ):
        while True:
            handle.write(b"x")
    os.sync()


def free(folder: Path) -> None:
    """Makes room on `folder`'s disk again."""
    for name in ("filler", "filler-end"):
        (folder / name).unlink(missing_ok=True)
