"""Reading a file someone else may have put there: only a regular file, with a bound.

Routine files and log backups are shared between people and machines. Opening a
FIFO waits for a writer, a device may never end, and a huge file would fill the
memory: each is refused, in one place, for the routine library and the log alike.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotAFileError(OSError):
    """A path that is no regular file (a folder, a FIFO, a device, a symbolic link
    not followed); `strerror` says which."""


def read_regular_file(path: Path, *, limit: int, follow_symlinks: bool) -> bytes:
    """At most `limit` bytes of the regular file `path` (read one more to tell a
    file over a limit).

    The file's kind is checked before opening (a device is not even opened) and
    again on the open file, which a rename in between cannot swap; O_NONBLOCK keeps
    that open from waiting on a FIFO. Without `follow_symlinks` a symbolic link is
    refused rather than followed.

    Raises:
        FileNotFoundError: no such file.
        NotAFileError: not a regular file.
        OSError: it cannot be read.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    if not follow_symlinks:
        if path.is_symlink():  # O_NOFOLLOW says the same where there is one
            raise NotAFileError(errno.ELOOP, "a symbolic link, not followed", str(path))
        flags |= getattr(os, "O_NOFOLLOW", 0)
    _refuse_special(path, path.stat(follow_symlinks=follow_symlinks).st_mode)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise NotAFileError(errno.ELOOP, "a symbolic link, not followed", str(path)) from None
        raise
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        _refuse_special(path, info.st_mode)
        # Its size and one more byte first: a read of `limit` would make a buffer
        # that big (3 ms for each 64 MB), for a file of tens of kB.
        data = handle.read(min(limit, info.st_size + 1))
        if info.st_size < len(data) < limit:  # it grew
            data += handle.read(limit - len(data))
        return data


def _refuse_special(path: Path, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise NotAFileError(errno.EISDIR, "a folder, not a file", str(path))
    kind = (
        "a named pipe (FIFO)"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
    )
    raise NotAFileError(errno.EINVAL, f"not a regular file but {kind}", str(path))
