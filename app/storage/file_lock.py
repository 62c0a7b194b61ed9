"""A lock between processes on a file, so two Limbers never write the log at once."""

from __future__ import annotations

import errno
import os
import stat
import sys
import threading
import time
from pathlib import Path
from types import TracebackType
from typing import IO

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl


class LockTimeoutError(Exception):
    """Another process has held the lock for longer than we wait."""


class FileLock:
    """An exclusive lock on `path`, held across processes; re-entrant within one.

    Args:
        path: The lock file (created; it holds the owner's process id).
        timeout: Seconds to wait for another process to let go.
    """

    def __init__(self, path: Path, timeout: float = 10.0) -> None:
        self.path = path
        self.timeout = timeout
        self._local = threading.RLock()
        self._depth = 0
        self._handle: IO[str] | None = None

    def could_be_taken(self) -> bool:
        """Whether `__enter__` would get past the lock file, found without making,
        locking or writing it: False when it is missing (taking it would make it),
        cannot be opened for writing (a read-only disk), or is a link. Another
        process holding the lock is not asked about."""
        try:
            os.close(_open_lock_fd(self.path, create=False))
        except OSError:
            return False
        return True

    def __enter__(self) -> FileLock:
        self._local.acquire()
        if self._depth == 0:
            try:
                self._handle = self._acquire()
            except BaseException:
                self._local.release()
                raise
        self._depth += 1
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._depth -= 1
        if self._depth == 0 and self._handle is not None:
            _unlock(self._handle)
            self._handle.close()
            self._handle = None
        self._local.release()

    def _acquire(self) -> IO[str]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = _open_lock_file(self.path)
        deadline = time.monotonic() + self.timeout
        while not _try_lock(handle):
            if time.monotonic() >= deadline:
                handle.seek(0)
                owner = handle.read().strip() or "unknown"
                handle.close()
                raise LockTimeoutError(
                    f"the session log is held by another Limber (process {owner}) "
                    f"for more than {self.timeout:g} s"
                )
            time.sleep(0.01)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        return handle


def _open_lock_file(path: Path) -> IO[str]:
    """Opens (or makes) the lock file itself, never what a link points to.

    The owner's id is written into it, so a symbolic or hard link planted there
    would have another file overwritten: both are refused, and nothing is
    truncated before the file is known to be ours.

    Raises:
        OSError: the lock file is a link or no regular file, or cannot be made.
    """
    return os.fdopen(_open_lock_fd(path, create=True), "r+", encoding="ascii", errors="replace")


def _open_lock_fd(path: Path, *, create: bool) -> int:
    """The lock file opened for reading and writing (made first if `create`).

    Raises:
        OSError: it is a link or no regular file, or cannot be opened or made.
    """
    if path.is_symlink():  # O_NOFOLLOW says the same where there is one
        raise _not_a_lock(path, "it is a symbolic link")
    flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags | (os.O_CREAT if create else 0), 0o644)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise _not_a_lock(path, "it is a symbolic link") from None
        raise
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_nlink > 1:
        os.close(fd)
        raise _not_a_lock(path, "it is no regular file of its own (a link or a device)")
    return fd


def _not_a_lock(path: Path, why: str) -> OSError:
    return OSError(
        errno.EPERM,
        f"the log's lock file cannot be used: {why}; remove it and start Limber again",
        str(path),
    )


def _try_lock(handle: IO[str]) -> bool:
    try:
        if sys.platform == "win32":
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(handle: IO[str]) -> None:
    if sys.platform == "win32":
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
    else:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
