"""What `limber history` printed for each month of the log, kept to print again.

Ten years of sessions are 120 month files and 7,300 rows: parsing and checking
every row, then printing it, takes some 400 ms at every run, where the months
but the latest rarely change. So the lines printed for a month file are kept in
the cache folder's `history/`, under the SHA-256 of the file's bytes, the
output's form and Limber's version: a later run still reads each month file
(the only way to know it is the same), but parses and checks only those that
changed.

A kept month holds its lines, how many rows could not be read, and the first
and last start among its sessions, so that the months are printed in the order
of their sessions' starts only when they follow one another; when they overlap
(a session at the end of a month, in a later time zone than one at the start of
the next), the caller reads the whole log as before.

The cache is only an aid: a file of it that is missing, damaged or of another
key is made again, and one that cannot be written is left out, never an error.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from app import __version__
from app.domain.session import SessionRecord
from app.storage.atomic import write_atomically
from app.storage.regular_file import read_regular_file

# A month's printed lines are tens of kB; a kept file bigger than this is no
# file of the cache.
MAX_KEPT_BYTES = 16 * 1024 * 1024


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class PrintedMonth:
    """The lines printed for one month file, and what orders and counts them."""

    lines: bytes  # in UTF-8, each ending in a newline
    # The earliest and the latest start, in whole microseconds since the epoch
    # (exact, as the sort by start is); None for a month without sessions.
    first: int | None
    last: int | None
    unreadable: int  # rows that could not be read

    @classmethod
    def of(
        cls, records: Sequence[SessionRecord], unreadable: int, line: Callable[[SessionRecord], str]
    ) -> PrintedMonth:
        """The month of `records` (oldest first), each printed by `line`."""
        starts = [(record.started_at - EPOCH) // MICROSECOND for record in records]
        return cls(
            "".join(map(line, records)).encode("utf-8"),
            min(starts, default=None),
            max(starts, default=None),
            unreadable,
        )


def in_order(months: Iterable[PrintedMonth]) -> bool:
    """Whether the sessions of `months`, one month after another, are in the order
    of their starts (as a stable sort of them all would have them)."""
    latest: int | None = None
    for month in months:
        if month.first is None or month.last is None:
            continue
        if latest is not None and month.first < latest:
            return False
        latest = month.last if latest is None else max(latest, month.last)
    return True


class PrintedMonths:
    """The cache of printed months for one form of output.

    Args:
        folder: The cache's folder (made when first written).
        form: The output's form ("json", "text"): part of each key.
    """

    def __init__(self, folder: Path, form: str) -> None:
        self.folder = folder
        self.form = form

    def key(self, data: bytes) -> str:
        """The key of a month file's bytes."""
        digest = hashlib.sha256(data)
        digest.update(f"\0{self.form}\0{__version__}".encode())
        return digest.hexdigest()

    def get(self, name: str, key: str) -> PrintedMonth | None:
        """The month kept for the month file `name` under `key`, or None."""
        try:
            data = read_regular_file(
                self._path(name), limit=MAX_KEPT_BYTES + 1, follow_symlinks=False
            )
        except OSError:
            return None
        header, newline, body = data.partition(b"\n")
        try:
            kept = json.loads(header)
        except ValueError:
            return None
        if (
            not newline
            or not isinstance(kept, dict)
            or kept.get("key") != key
            or kept.get("bytes") != len(body)
            or not all(_whole_or_none(kept.get(field)) for field in ("first", "last"))
            or type(kept.get("unreadable")) is not int
        ):
            return None
        return PrintedMonth(body, kept["first"], kept["last"], kept["unreadable"])

    def put(self, name: str, key: str, month: PrintedMonth) -> None:
        """Keeps `month` for the month file `name` under `key`; a write that fails
        is left out (the month is printed from the log again next time)."""
        body = month.lines
        header = json.dumps(
            {
                "key": key,
                "bytes": len(body),
                "unreadable": month.unreadable,
                "first": month.first,
                "last": month.last,
            }
        )
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            # Not synced: a month cut short by a power cut has too few bytes.
            write_atomically(self._path(name), header.encode() + b"\n" + body, sync=False)
        except OSError:
            pass

    def _path(self, name: str) -> Path:
        return self.folder / f"{Path(name).stem}.{self.form}"


def _whole_or_none(value: object) -> bool:
    return value is None or type(value) is int
