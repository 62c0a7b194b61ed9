"""A TinyDB storage that never leaves a broken file behind.

TinyDB's own JSONStorage overwrites its file in place: a kill mid-write leaves
it truncated, and an empty file even reads as an empty database (tinydb issues
#6, #113, #301). This storage writes a synced temp file beside the target and
renames it over, so a kill at any moment leaves the old file or the new one,
and it refuses to read anything but a well-formed TinyDB document.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from app.storage.atomic import write_atomically
from app.storage.regular_file import NotAFileError, read_regular_file


class UnreadableFileError(Exception):
    """A log file that is not a TinyDB document: empty, truncated, not JSON, wrong shape."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path.name}: {reason}")


# A month of sessions is tens of kB; a log file or an import this big is no log,
# and reading it whole would only exhaust the memory.
MAX_FILE_BYTES = 64 * 1024 * 1024


def read_log_file(path: Path, *, follow_symlinks: bool) -> bytes:
    """The bytes of the regular file `path`, at most `MAX_FILE_BYTES` of them.

    Raises:
        FileNotFoundError: no such file.
        NotAFileError: not a regular file, or bigger than `MAX_FILE_BYTES`.
        OSError: it cannot be read.
    """
    data = read_regular_file(path, limit=MAX_FILE_BYTES + 1, follow_symlinks=follow_symlinks)
    if len(data) > MAX_FILE_BYTES:
        raise NotAFileError(
            errno.EFBIG,
            f"bigger than {MAX_FILE_BYTES // 2**20} MB, too big for a Limber log",
            str(path),
        )
    return data


def read_document(path: Path) -> dict[str, dict[str, Any]] | None:
    """The TinyDB document in `path`, or None when there is no file.

    Raises:
        UnreadableFileError: the file is there but is not a TinyDB document (nor a
            regular file: a symbolic link is not followed).
        OSError: it cannot be read (permissions, I/O).
    """
    try:
        data = read_log_file(path, follow_symlinks=False)
    except FileNotFoundError:
        return None
    except NotAFileError as exc:
        raise UnreadableFileError(path, exc.strerror or str(exc)) from None
    return parse_document(path, data)


def parse_document(path: Path, data: bytes) -> dict[str, dict[str, Any]]:
    """The TinyDB document of `data`, the bytes of `path`.

    Raises:
        UnreadableFileError: they are not a TinyDB document.
    """
    if not data.strip():
        raise UnreadableFileError(path, "the file is empty")
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise UnreadableFileError(path, f"not valid JSON ({exc})") from None
    if not isinstance(document, dict) or not all(
        isinstance(table, dict) and all(isinstance(row, dict) for row in table.values())
        for table in document.values()
    ):
        raise UnreadableFileError(path, "not a table of records")
    return document


class AtomicJSONStorage(Storage):
    """TinyDB storage with crash-safe writes and strict reads.

    Args:
        path: The JSON file (TinyDB passes it as its first argument).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, dict[str, Any]] | None:
        return read_document(self.path)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        write_atomically(self.path, text.encode("utf-8"))
