"""A TinyDB storage that never leaves a broken file behind.

TinyDB's own JSONStorage overwrites its file in place: a kill mid-write leaves
it truncated, and an empty file even reads as an empty database (tinydb issues
#6, #113, #301). This storage writes a synced temp file beside the target and
renames it over, so a kill at any moment leaves the old file or the new one,
and it refuses to read anything but a well-formed TinyDB document.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from app.storage.atomic import write_atomically


class UnreadableFileError(Exception):
    """A log file that is not a TinyDB document: empty, truncated, not JSON, wrong shape."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path.name}: {reason}")


def read_document(path: Path) -> dict[str, dict[str, Any]] | None:
    """The TinyDB document in `path`, or None when there is no file.

    Raises:
        UnreadableFileError: the file is there but is not a TinyDB document.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    if not data.strip():
        raise UnreadableFileError(path, "the file is empty")
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise UnreadableFileError(path, f"not valid JSON ({exc})") from None
    if not isinstance(document, dict) or not all(
            isinstance(table, dict) and all(isinstance(row, dict) for row in table.values())
            for table in document.values()):
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
