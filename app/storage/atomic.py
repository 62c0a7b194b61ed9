"""Crash-safe file writes: a kill at any moment leaves the old file or the new one."""

from __future__ import annotations

import contextlib
import os
import re
import stat
import tempfile
from pathlib import Path

# The temp file of a write: `.NAME.XXXXXXXX.tmp` (mkstemp's 8 random characters),
# so that what a kill leaves behind can be told from anything else.
TEMP_NAME = re.compile(r"\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp")


def write_atomically(path: Path, data: bytes, *, sync: bool = True) -> None:
    """Writes `data` to `path` through a synced temp file in the same folder.

    Without `sync`, for what can be made again (a cache), nothing is synced: a
    kill still leaves the old file or the new one, but a power cut may leave the
    new one short.

    Raises:
        OSError: when the folder cannot be written; `path` is then untouched.
    """
    fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private; keep the mode of the file replaced, or the
        # usual one for a new file.
        Path(temp_name).chmod(_mode_of(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if sync:
                os.fsync(handle.fileno())
        Path(temp_name).replace(path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            Path(temp_name).unlink()
        raise
    if sync:
        _sync_folder(path.parent)


def _mode_of(path: Path) -> int:
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        return 0o644


def _sync_folder(folder: Path) -> None:
    """Makes the rename itself durable; not possible (nor needed) on Windows."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
