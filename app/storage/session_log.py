"""The session log: every session, kept in TinyDB files that survive a crash.

Layout, in `folder` (the data dir's `log/`):

- `sessions-YYYY-MM.json`: the finished sessions started in that month. A file
  per month keeps every write small (tens of kB) however long the log grows;
  the year files of Limber 0.1 are split into months by `open()`.
- `current.json`: sessions in progress, checkpointed after every step; what a
  crash leaves here is kept as "interrupted" on the next start.
- `plans.json`: each distinct plan a session ran, stored once under its hash.
- `backups/NAME.1` .. `NAME.5`: the file as it was before each of its last writes
  (hard links to the old file, so a backup costs no copy).
- `.lock`: held by the process writing, so two Limbers never write at once.

Every file is written through `AtomicJSONStorage` (temp file, fsync, rename,
fsync of the folder) and carries a schema version in its `meta` table.

Reading never needs to write: on a read-only or full disk `open()` reports the
repairs and recoveries that wait (tried again at the next open) and every
readable session still reads; `read()`, for `limber history`, reads a log that
needs no such work without taking the lock. No file of the log is followed
through a symbolic link, and every row read goes through `SessionRecord.from_dict`.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import gc
import json
import math
import os
import re
import shutil
import stat
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb import Query, TinyDB

from app.domain.session import (
    MAX_ID_CHARS,
    SessionRecord,
    SessionStatus,
    local_iso,
    plan_document,
    plan_id,
)
from app.domain.text import counted
from app.storage.atomic import TEMP_NAME, write_atomically
from app.storage.file_lock import FileLock
from app.storage.json_storage import (
    AtomicJSONStorage,
    UnreadableFileError,
    parse_document,
    read_document,
    read_log_file,
)
from app.storage.regular_file import NotAFileError

if TYPE_CHECKING:
    from app.domain.plan import Plan

SCHEMA_VERSION = 1
SESSION_FILES = "sessions-*.json"
YEAR_FILE = re.compile(r"sessions-\d{4}\.json")
# The names the log writes (through temp files of atomic.TEMP_NAME): its files,
# and the copies of damaged ones kept aside.
OWN_FILE = re.compile(
    r"(?:sessions-\d{4}(?:-\d{2})?|current|plans)\.json"
    r"(?:\.broken-\d{8}T\d{6}(?:-\d+)?)?"
)
BOOT_ID = Path("/proc/sys/kernel/random/boot_id")
BACKUPS = 5
EXPORT_FORMAT = "limber-log"
# Migrations from each older schema version to the next: none yet, as version 1
# is the first. A file of a newer version is refused rather than misread.
MIGRATIONS: dict[int, Callable[[dict[str, dict[str, Any]]], dict[str, dict[str, Any]]]] = {}


class LogFormatError(Exception):
    """A log file of a schema this Limber does not know, or an import that is no log."""


@dataclass(frozen=True)
class Repair:
    """A log file that could not be read at start-up, and what was done about it.

    `rows` counts the records set aside when only some rows of the file could
    not be read (sessions in progress); `error` says why nothing could be
    written yet (the repair is tried again at the next open).
    """

    path: Path
    reason: str
    moved_to: Path | None
    restored_from: Path | None
    rows: int = 0
    error: str | None = None
    # When the backup restored was written: later writes rotate it to another name.
    backup_time: str = ""

    def message(self) -> str:
        """What to tell the user."""
        if self.error is not None:
            return (
                f"The session log file {self.path.name} could not be read ({self.reason}) "
                f"and cannot be repaired now ({self.error}): it is left as it is and "
                "repaired at the next start; the sessions in it are not shown until then."
            )
        kept = self.moved_to.name if self.moved_to else "?"
        if self.rows:
            kept_as = "It was" if self.rows == 1 else "They were"
            return (
                f"{counted(self.rows, 'session')} in progress in {self.path.name} could not be "
                f"read ({self.reason}). {kept_as} kept as {kept}; the others were read."
            )
        restored = (
            f"restored its backup from {self.backup_time or _mtime(self.restored_from)}"
            if self.restored_from
            else "no readable backup was found; it starts empty"
        )
        return (
            f"The session log file {self.path.name} could not be read ({self.reason}). "
            f"It was kept as {kept}; {restored}."
        )


@dataclass(frozen=True)
class Postponed:
    """Work `open()` could not write (a read-only or full disk); tried again next time."""

    what: str
    error: str

    def message(self) -> str:
        """What to tell the user."""
        return (
            f"{self.what} waits until the session log can be written ({self.error}); "
            "the sessions logged so far are read as usual."
        )


Notice = Repair | Postponed


class SessionLog:
    """Reads and writes the session log in `folder`.

    Args:
        folder: The log's folder (created).
        lock_timeout: How long a write waits for another process's write.
    """

    def __init__(self, folder: Path, lock_timeout: float = 10.0) -> None:
        self.folder = folder  # made by the first write: reading needs no folder
        self.lock = FileLock(folder / ".lock", timeout=lock_timeout)
        self.unreadable_records = 0
        self.unreadable_checkpoints = 0
        # Set by open(): the log could not be locked (a read-only disk, a lock file
        # that is a link), so it is read but every write will fail.
        self.read_only = False

    def open(self) -> list[Notice]:
        """Checks every file, repairs what cannot be read, removes the temp files
        a kill left, and keeps what a crash left in progress as interrupted.

        What cannot be written now (a read-only or full disk) is not done: it is
        returned as a notice and tried again at the next open, and reading works.

        Returns:
            The repairs made and the work postponed, for the user.

        Raises:
            LogFormatError: a file written by a newer Limber.
            LockTimeoutError: another process holds the log.
        """
        opened_at = time.time()
        with contextlib.ExitStack() as stack:
            try:
                stack.enter_context(self.lock)
            except OSError as exc:
                return self._open_read_only(_why(exc))
            self.read_only = False
            self._remove_leftover_temp_files(opened_at)
            notices: list[Notice] = [
                notice for path in self._files() if (notice := self._check(path))
            ]
            notices += self._finish_earlier_repairs()
            try:
                self._split_year_files()
            except (OSError, LogFormatError) as exc:
                notices.append(
                    Postponed("Splitting the year files of Limber 0.1 into months", _why(exc))
                )
            waiting = len(self._cut_off())
            try:
                self.recover_interrupted()
            except (OSError, LogFormatError) as exc:
                notices.append(
                    Postponed(
                        f"Keeping {counted(waiting, 'session')} cut off by a crash as interrupted",
                        _why(exc),
                    )
                )
        return notices

    def _open_read_only(self, error: str) -> list[Notice]:
        """`open()` without the lock (it cannot be made): checks, repairs nothing."""
        self.read_only = True
        notices: list[Notice] = [Postponed("Logging new sessions", error)]
        for path in self._files():
            try:
                read_document(path)
            except UnreadableFileError as exc:
                notices.append(Repair(path, exc.reason, None, None, error=error))
        if waiting := len(self._cut_off()):
            notices.append(
                Postponed(
                    f"Keeping {counted(waiting, 'session')} cut off by a crash as interrupted",
                    error,
                )
            )
        return notices

    def read(self) -> tuple[list[Notice], list[SessionRecord]]:
        """`open()` then `sessions()`, for a command that only reads.

        When `open()` would find nothing to do (nothing to repair, upgrade, set
        aside, recover nor clean up, and the lock could be taken), the log is
        read as it is: each file once, without the lock, and nothing is written.
        Otherwise this is `open()` then `sessions()`, which do that work and say
        so as at any start.

        Raises:
            LogFormatError: a file written by a newer Limber.
            LockTimeoutError: another process holds the log (when it needs work).
        """
        with _collector_paused():
            tables = self._tables_if_sound()
            if tables is None:
                notices = self.open()
                return notices, self.sessions()
            return [], self._records(tables)

    def sessions(self) -> list[SessionRecord]:
        """Every finished session, oldest first. Records that cannot be read are
        skipped (and counted in `unreadable_records`), never removed; a file that
        cannot be read at all is skipped (`open()` reports and repairs it)."""
        return self._records(
            self._table(path, "sessions") for path in sorted(self.folder.glob(SESSION_FILES))
        )

    def sessions_of_months(self, first: date, last: date) -> list[SessionRecord]:
        """The finished sessions started in the months from `first`'s to `last`'s,
        oldest first, read from their files alone: without the lock, writing nothing.

        A quick look for a command that needs only recent days (`limber reminders`):
        a file that cannot be read, or is of another schema, is skipped, and so is
        a row that cannot be read (`open()` reports and repairs them).
        """
        names = {f"sessions-{year}.json" for year in range(first.year, last.year + 1)}
        month = first.replace(day=1)
        while month <= last:
            names.add(f"sessions-{month:%Y-%m}.json")
            month = (month + timedelta(days=31)).replace(day=1)
        tables = []
        for name in sorted(names):
            try:
                document = read_document(self.folder / name)
                if document is None or _schema(document) != SCHEMA_VERSION:
                    continue
            except (OSError, UnreadableFileError):
                continue
            tables.append(document.get("sessions", {}))
        return self._records(tables)

    def _records(self, tables: Iterable[dict[str, dict[str, Any]]]) -> list[SessionRecord]:
        """The sessions of the tables, each row checked, oldest first."""
        records: list[SessionRecord] = []
        unreadable = 0
        for table in tables:
            for row in table.values():
                try:
                    records.append(SessionRecord.from_dict(row))
                except ValueError:
                    unreadable += 1
        self.unreadable_records = unreadable
        records.sort(key=lambda r: r.started_at)
        return records

    def _tables_if_sound(self) -> list[dict[str, dict[str, Any]]] | None:
        """The sessions table of each month file, read without a write; None when
        `open()` has work to do (or a notice to give), or cannot tell."""
        months = self.month_files_if_sound()
        if months is None:
            return None
        tables = []
        for path, data in months:
            table = self.month_table(path, data)
            if table is None:
                return None
            tables.append(table)
        return tables

    def month_files_if_sound(self) -> list[tuple[Path, bytes]] | None:
        """Each month file and its bytes, oldest first, read without a write; None
        when `open()` has work to do (or a notice to give), or cannot tell.

        Every other file of the log is read and checked here; the month files are
        only read (`month_table` checks one), so that a caller that has seen the
        same bytes before need not check them again.
        """
        if (
            not self.lock.could_be_taken()  # open() says why (a read-only disk, a link)
            or next(self._leftover_temp_files(time.time()), None) is not None
            or next(self._unfinished_repairs(), None) is not None
        ):
            return None
        months = []
        for path in self._files():
            if YEAR_FILE.fullmatch(path.name):
                return None  # split into months by open()
            try:
                data = read_log_file(path, follow_symlinks=False)
            except FileNotFoundError:
                continue
            except OSError:
                return None  # open() repairs it, or raises what stops it
            if path.name.startswith("sessions-"):
                months.append((path, data))
                continue
            try:
                document = parse_document(path, data)
                if _schema(document) != SCHEMA_VERSION:
                    return None  # newer (refused) or older (upgraded): open() says which
            except UnreadableFileError:
                return None
            if path == self._current():
                checkpoints = self._checkpoints(document.get("sessions", {}))
                if self.unreadable_checkpoints or self._cut_off(checkpoints):
                    return None
        return months

    @staticmethod
    def month_table(path: Path, data: bytes) -> dict[str, dict[str, Any]] | None:
        """The sessions table in `data`, the bytes of the month file `path`; None
        when it is no sound file of this schema (`open()` has work to do)."""
        try:
            document = parse_document(path, data)
            if _schema(document) != SCHEMA_VERSION:
                return None
        except UnreadableFileError:
            return None
        return document.get("sessions", {})

    def records_of(self, tables: Iterable[dict[str, dict[str, Any]]]) -> list[SessionRecord]:
        """The sessions of `tables` (from `month_table`), each row checked, oldest
        first; those that cannot be read are counted in `unreadable_records`."""
        with _collector_paused():
            return self._records(tables)

    def in_progress(self) -> list[SessionRecord]:
        """The sessions checkpointed but not finished; rows that cannot be read are
        skipped (counted in `unreadable_checkpoints`; `open()` sets them aside)."""
        return [record for record, _ in self._checkpoints()]

    def _checkpoints(
        self, rows: dict[str, dict[str, Any]] | None = None
    ) -> list[tuple[SessionRecord, str | None]]:
        """Each readable session in progress (in `rows`, or read from current.json),
        with the boot id it was written in."""
        found = []
        unreadable = 0
        if rows is None:
            rows = self._table(self._current(), "sessions")
        for row in rows.values():
            try:
                found.append((SessionRecord.from_dict(row), _boot_of(row)))
            except ValueError:
                unreadable += 1
        self.unreadable_checkpoints = unreadable
        return found

    def _cut_off(
        self, checkpoints: list[tuple[SessionRecord, str | None]] | None = None
    ) -> list[SessionRecord]:
        """The sessions in progress (of `checkpoints`, or read) whose process is gone."""
        return [
            record
            for record, boot in (self._checkpoints() if checkpoints is None else checkpoints)
            if record.pid != os.getpid() and not _owner_alive(record, boot)
        ]

    def save_plan(self, plan: Plan) -> str:
        """Stores the plan a session runs (once per distinct plan); returns its id."""
        key = plan_id(plan)
        path = self.folder / "plans.json"
        with self.lock, self._db(path) as db:
            table = db.table("plans")
            if not table.contains(Query().id == key):
                with self._backing_up(path):
                    table.insert({"id": key, **plan_document(plan)})
        return key

    def plan(self, key: str) -> dict[str, Any] | None:
        """A stored plan by id."""
        for row in self._table(self.folder / "plans.json", "plans").values():
            if row.get("id") == key:
                return row
        return None

    def checkpoint(self, record: SessionRecord) -> None:
        """Saves a session in progress (after each step), with this process as its owner."""
        live = record.with_changes(
            status=SessionStatus.IN_PROGRESS, pid=os.getpid(), ended=local_iso()
        )
        # The boot id tells a process id of this boot from the same number reused
        # after a reboot; the wall clock cannot (it may be set ahead or back).
        row = {**live.to_dict(), "boot": _boot_id()}
        with self.lock, self._db(self._current()) as db:
            db.table("sessions").upsert(row, Query().id == record.id)

    def finish(self, record: SessionRecord) -> None:
        """Adds a finished session to its month's file and drops its checkpoint."""
        done = record.with_changes(pid=None)
        with self.lock:
            self._write_session(done)
            with self._db(self._current()) as db:
                db.table("sessions").remove(Query().id == record.id)

    def update(self, record: SessionRecord) -> None:
        """Replaces a finished session (notes, which side felt tighter)."""
        with self.lock:
            self._write_session(record)

    def delete(self, record: SessionRecord) -> None:
        """Removes a finished session; `restore(record)` puts it back."""
        path = session_file(self.folder, record)
        with self.lock, self._db(path) as db, self._backing_up(path):
            db.table("sessions").remove(Query().id == record.id)

    def restore(self, record: SessionRecord) -> None:
        """Puts a deleted session back (undo)."""
        self.update(record)

    def recover_interrupted(self) -> list[SessionRecord]:
        """Keeps sessions whose process is gone as interrupted, with what was done.

        Raises:
            OSError: the log cannot be written (the rest waits for the next time).
            LogFormatError: the file to write to cannot be read (it is repaired at
                the next `open()`).
        """
        recovered = []
        with self.lock:
            for record in self._cut_off():
                if self._is_finished(record):
                    # A crash between writing the finished session and dropping its
                    # checkpoint: the finished one stands.
                    with self._db(self._current()) as db:
                        db.table("sessions").remove(Query().id == record.id)
                    continue
                kept = record.with_changes(status=SessionStatus.INTERRUPTED)
                self.finish(kept)
                recovered.append(kept)
        return recovered

    def _is_finished(self, record: SessionRecord) -> bool:
        rows = self._table(session_file(self.folder, record), "sessions").values()
        return any(row.get("id") == record.id for row in rows)

    def export(self, path: Path) -> int:
        """Writes the whole log (sessions and plans) to one file; returns the count."""
        sessions = self.sessions()
        plans = [
            plan
            for plan in self._table(self.folder / "plans.json", "plans").values()
            if _finite(plan)
        ]  # what import_backup would refuse
        document = {
            "format": EXPORT_FORMAT,
            "schema": SCHEMA_VERSION,
            "sessions": [s.to_dict() for s in sessions],
            "plans": plans,
        }
        write_atomically(path, json.dumps(document, ensure_ascii=False, indent=1).encode())
        return len(sessions)

    def import_backup(self, path: Path) -> tuple[int, int]:
        """Adds the sessions of an exported log or a backup file that are not here yet.

        Returns (added, already there). Nothing is written unless the whole file reads.

        Raises:
            LogFormatError: the file is not a Limber log.
            OSError: it cannot be read.
        """
        sessions, plans = _read_import(path)
        known = {s.id for s in self.sessions()}
        new = [s for s in sessions if s.id not in known]
        with self.lock:
            if plans:
                path = self.folder / "plans.json"
                with self._db(path) as db:
                    table = db.table("plans")
                    fresh = [p for p in plans if not table.contains(Query().id == p.get("id"))]
                    if fresh:
                        with self._backing_up(path):
                            table.insert_multiple(fresh)
            by_file: dict[Path, list[SessionRecord]] = {}
            for record in new:
                by_file.setdefault(session_file(self.folder, record), []).append(record)
            for month_file, records in by_file.items():
                self._add_rows(month_file, [r.to_dict() for r in records])
        return len(new), len(sessions) - len(new)

    def _split_year_files(self) -> None:
        """Moves the sessions of a year file (Limber 0.1's layout) into month files.

        The month files are written before the year file goes (to its backups), so
        a crash in between only repeats the move, which adds nothing twice. A row
        without a readable start stays in the year file, still counted as unreadable.
        """
        for path in sorted(self.folder.glob(SESSION_FILES)):
            if not YEAR_FILE.fullmatch(path.name):
                continue
            by_file: dict[Path, list[dict[str, Any]]] = {}
            kept: dict[str, dict[str, Any]] = {}
            for key, row in self._table(path, "sessions").items():
                try:
                    by_file.setdefault(
                        session_file(self.folder, SessionRecord.from_dict(row)), []
                    ).append(row)
                except ValueError:
                    kept[key] = row
            if not by_file:
                continue  # nothing that can be moved
            for month_path, rows in by_file.items():
                self._add_rows(month_path, rows)
            if kept:
                with self._backing_up(path):
                    AtomicJSONStorage(path).write(
                        {"meta": {"1": {"schema": SCHEMA_VERSION}}, "sessions": kept}
                    )
            else:
                self._keep_as_backup(path)
                path.unlink()

    def _add_rows(self, path: Path, rows: list[dict[str, Any]]) -> None:
        """Adds the session rows whose id `path` does not hold yet."""
        existed = path.exists()
        with self._db(path) as db:
            table = db.table("sessions")
            known = {row.get("id") for row in table.all()}
            fresh = [row for row in rows if row.get("id") not in known]
            if fresh:
                with contextlib.ExitStack() as stack:
                    if existed:  # a new file has nothing worth a backup
                        stack.enter_context(self._backing_up(path))
                    table.insert_multiple(fresh)

    def _write_session(self, record: SessionRecord) -> None:
        path = session_file(self.folder, record)
        # Backed up before opening: a file made new has nothing to keep.
        with self._backing_up(path), self._db(path) as db:
            db.table("sessions").upsert(record.to_dict(), Query().id == record.id)

    def _current(self) -> Path:
        return self.folder / "current.json"

    def _files(self) -> list[Path]:
        return [
            *sorted(self.folder.glob(SESSION_FILES)),
            self._current(),
            self.folder / "plans.json",
        ]

    @contextlib.contextmanager
    def _db(self, path: Path) -> Iterator[TinyDB]:
        """The TinyDB of `path` (made, with its schema, if new).

        Raises:
            LogFormatError: the file cannot be read (`open()` repairs it).
        """
        new = not os.path.lexists(path)
        if new:
            self.folder.mkdir(parents=True, exist_ok=True)
        db = TinyDB(path, storage=AtomicJSONStorage)
        try:
            if new:  # an existing file got its schema when made (or migrated by open())
                db.table("meta").insert({"schema": SCHEMA_VERSION})
            yield db
        except UnreadableFileError as exc:
            raise LogFormatError(
                f"the session log file {path.name} cannot be read "
                f"({exc.reason}); it is repaired at the next start"
            ) from None
        finally:
            db.close()

    def _table(self, path: Path, name: str) -> dict[str, dict[str, Any]]:
        """A table of `path`; empty when the file cannot be read (`open()` says so)."""
        try:
            document = read_document(path) or {}
        except UnreadableFileError:
            return {}
        return document.get(name, {})

    def _check(self, path: Path) -> Notice | None:
        """Reads one file; migrates an old one; moves an unreadable one aside and
        restores its newest readable backup; sets unreadable checkpoints aside."""
        try:
            document = read_document(path)
            if document is None:
                return None
            schema = _schema(document)
        except UnreadableFileError as exc:
            return self._repair(path, exc.reason)
        if schema > SCHEMA_VERSION:
            raise LogFormatError(
                f"{path.name} was written by a newer Limber (log schema "
                f"{schema}; this one reads {SCHEMA_VERSION}): update Limber"
            )
        try:
            if schema < SCHEMA_VERSION:
                for version in range(schema, SCHEMA_VERSION):
                    document = MIGRATIONS[version](document)
                document["meta"] = {"1": {"schema": SCHEMA_VERSION}}
                with self._backing_up(path):
                    AtomicJSONStorage(path).write(document)
        except OSError as exc:
            return Postponed(f"Upgrading the session log file {path.name}", _why(exc))
        if path == self._current():
            return self._set_checkpoints_aside(path, document)
        return None

    def _set_checkpoints_aside(
        self, path: Path, document: dict[str, dict[str, Any]]
    ) -> Repair | None:
        """Moves the rows of current.json that are no session to a file of their own
        (written first), so that they neither block nor hide the others."""
        rows = document.get("sessions", {})
        bad: dict[str, dict[str, Any]] = {}
        reasons = []
        for key, row in rows.items():
            try:
                SessionRecord.from_dict(row)
            except ValueError as exc:
                bad[key] = row
                reasons.append(str(exc))
        if not bad:
            return None
        reason = reasons[0] if len(reasons) == 1 else f"{reasons[0]}; and more"
        aside = self._aside_name(path)
        try:
            write_atomically(
                aside,
                json.dumps(
                    {"meta": {"1": {"schema": SCHEMA_VERSION}}, "sessions": bad}, ensure_ascii=False
                ).encode("utf-8"),
            )
            kept = {key: row for key, row in rows.items() if key not in bad}
            with self._backing_up(path):
                AtomicJSONStorage(path).write({**document, "sessions": kept})
        except OSError as exc:
            with contextlib.suppress(OSError):
                aside.unlink(missing_ok=True)
            return Repair(path, reason, None, None, rows=len(bad), error=_why(exc))
        return Repair(path, reason, aside, None, rows=len(bad))

    def _repair(self, path: Path, reason: str) -> Repair:
        """Keeps the unreadable `path` aside and puts its newest readable backup in
        its place. The broken file is linked aside before the backup is written over
        it, so a failed write (a full disk) removes nothing: the repair is reported
        as waiting and tried again at the next open."""
        moved = self._aside_name(path)
        backup, data = self._newest_readable_backup(path)
        try:
            if data is None:
                path.replace(moved)  # a rename: the data stays, under the new name
                return Repair(path, reason, moved, None)
            if stat.S_ISDIR(path.lstat().st_mode):
                path.replace(moved)  # a folder cannot be written over
                try:
                    write_atomically(path, data)
                except OSError:
                    moved.replace(path)
                    raise
            else:
                _link_or_copy(path, moved)
                try:
                    write_atomically(path, data)
                except OSError:
                    moved.unlink()  # a second name of what is still in `path`
                    raise
        except OSError as exc:
            return Repair(path, reason, None, None, error=_why(exc))
        return Repair(path, reason, moved, backup, backup_time=_mtime(backup))

    def _finish_earlier_repairs(self) -> list[Notice]:
        """Restores the files that an earlier repair moved aside without putting
        their backup back (Limber 0.2 did so when the disk was full): a file kept
        as `NAME.broken-*`, no `NAME`, and a readable backup of it."""
        notices: list[Notice] = []
        for path, backup, data in self._unfinished_repairs():
            kept = max(self.folder.glob(f"{path.name}.broken-*"))
            try:
                write_atomically(path, data)
            except OSError as exc:
                notices.append(
                    Repair(path, "an earlier repair did not finish", kept, None, error=_why(exc))
                )
                continue
            notices.append(
                Repair(
                    path,
                    "an earlier repair did not finish",
                    kept,
                    backup,
                    backup_time=_mtime(backup),
                )
            )
        return notices

    def _unfinished_repairs(self) -> Iterator[tuple[Path, Path, bytes]]:
        """Each file an earlier repair left missing, its newest readable backup
        and that backup's bytes."""
        bases = {path.name.partition(".broken-")[0] for path in self.folder.glob("*.json.broken-*")}
        for name in sorted(bases):
            path = self.folder / name
            if not OWN_FILE.fullmatch(name) or os.path.lexists(path):
                continue
            backup, data = self._newest_readable_backup(path)
            if backup is not None and data is not None:
                yield path, backup, data

    def _newest_readable_backup(self, path: Path) -> tuple[Path | None, bytes | None]:
        for backup in self._backups(path):
            try:
                document = read_document(backup)
                if document is not None and 1 <= _schema(document) <= SCHEMA_VERSION:
                    return backup, read_log_file(backup, follow_symlinks=False)
            except (OSError, UnreadableFileError):
                continue
        return None, None

    def _aside_name(self, path: Path) -> Path:
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        moved = path.with_name(f"{path.name}.broken-{stamp}")
        count = 1
        while os.path.lexists(moved):
            count += 1
            moved = path.with_name(f"{path.name}.broken-{stamp}-{count}")
        return moved

    def _backups(self, path: Path) -> list[Path]:
        folder = self.folder / "backups"
        return [
            folder / f"{path.name}.{n}"
            for n in range(1, BACKUPS + 1)
            if (folder / f"{path.name}.{n}").exists()
        ]

    @contextlib.contextmanager
    def _backing_up(self, path: Path) -> Iterator[None]:
        """Keeps the file as it is before the write done inside as backup 1, shifting
        the older ones up, once that write has succeeded: a failed write (a full
        disk) costs no backup.

        The old file is held meanwhile as `backups/NAME.0`, a hard link: the write
        replaces the file, not this inode, so holding it costs no copy.
        """
        if not _is_regular(path):
            yield
            return
        folder = self.folder / "backups"
        folder.mkdir(exist_ok=True)
        held = folder / f"{path.name}.0"
        held.unlink(missing_ok=True)
        _link_or_copy(path, held)
        try:
            yield
        except BaseException:
            held.unlink(missing_ok=True)
            raise
        names = [folder / f"{path.name}.{n}" for n in range(1, BACKUPS + 1)]
        if names[-1].is_dir() and not names[-1].is_symlink():
            shutil.rmtree(names[-1])  # a folder put where the oldest backup goes
        names[-1].unlink(missing_ok=True)
        for older, newer in zip(reversed(names[:-1]), reversed(names[1:]), strict=True):
            if older.exists():
                older.replace(newer)
        held.replace(names[0])

    def _keep_as_backup(self, path: Path) -> None:
        """Keeps a file about to be removed as backup 1."""
        with self._backing_up(path):
            pass

    def _remove_leftover_temp_files(self, opened_at: float) -> None:
        """Removes the temp files of the log's writes that a kill left behind: only
        regular files named after one of its files, older than this open (the lock
        is held, so no write of ours is under way)."""
        for path in self._leftover_temp_files(opened_at):
            with contextlib.suppress(OSError):
                path.unlink()

    def _leftover_temp_files(self, opened_at: float) -> Iterator[Path]:
        """The temp files of the log's writes older than `opened_at`: regular files
        named after one of its files."""
        if not self.folder.is_dir():
            return
        for path in self.folder.glob(".*.tmp"):
            match = TEMP_NAME.fullmatch(path.name)
            if match is None or not OWN_FILE.fullmatch(match["target"]):
                continue
            try:
                info = path.lstat()
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode) and info.st_mtime < opened_at:
                yield path


def session_file(folder: Path, record: SessionRecord) -> Path:
    """The file of the log in `folder` that holds `record`: its start's month."""
    return folder / f"sessions-{record.started_at:%Y-%m}.json"


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pauses Python's cyclic garbage collector while the log is read.

    Ten years of sessions make some 100,000 dicts, lists and records at once, none
    of them garbage, which the collector would walk again and again. What was made is
    then moved to its oldest generation, as surviving collections would have
    (freeze, then unfreeze), rather than walked once more when it is enabled.
    Saves some 45 ms of the 450 that `limber history --json` takes for them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def _schema(document: dict[str, dict[str, Any]]) -> int:
    """The schema version of a log file (1 when it has none: the first files).

    Raises:
        UnreadableFileError: a version that is no whole number from 1 up.
    """
    meta = document.get("meta", {})
    rows = list(meta.values())
    value = rows[0].get("schema", 1) if rows else 1
    if type(value) is not int or value < 1:
        raise UnreadableFileError(
            Path("meta"), f"schema {str(value)[:20]!r} is no version of the log"
        )
    return value


def _read_import(path: Path) -> tuple[list[SessionRecord], list[dict[str, Any]]]:
    """The sessions and plans of an export file or of a log file (a backup), each
    checked: any bad one refuses the whole file."""
    try:
        data = read_log_file(path, follow_symlinks=True)
    except NotAFileError as exc:
        raise LogFormatError(f"{path.name}: {exc.strerror}") from None
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise LogFormatError(f"{path.name}: not valid JSON ({str(exc)[:200]})") from None
    if isinstance(document, dict) and document.get("format") == EXPORT_FORMAT:
        rows, plans = document.get("sessions"), document.get("plans", [])
        schema = document.get("schema", 1)
    elif isinstance(document, dict) and isinstance(document.get("sessions"), dict):
        rows, plans = list(document["sessions"].values()), []
        schema = _file_schema(document)
    else:
        raise LogFormatError(f"{path.name}: not a Limber session log or export")
    if not isinstance(rows, list) or not isinstance(plans, list):
        raise LogFormatError(f"{path.name}: not a Limber session log or export")
    if type(schema) is not int or not 1 <= schema <= SCHEMA_VERSION:
        raise LogFormatError(
            f"{path.name}: log schema {str(schema)[:20]!r} is not one this "
            f"Limber reads (1 to {SCHEMA_VERSION})"
        )
    records: list[SessionRecord] = []
    first: dict[str, int] = {}
    for index, row in enumerate(rows, 1):
        try:
            record = SessionRecord.from_dict(row)
        except ValueError as exc:
            raise LogFormatError(f"{path.name}: session {index} cannot be read ({exc})") from None
        if record.status is SessionStatus.IN_PROGRESS:
            raise LogFormatError(
                f"{path.name}: session {index} is still in progress "
                "(a checkpoint, not a logged session)"
            )
        if record.id in first:
            raise LogFormatError(
                f"{path.name}: session {index} has the id of session {first[record.id]}"
            )
        first[record.id] = index
        records.append(record.with_changes(pid=None))
    for index, plan in enumerate(plans, 1):
        if not (
            isinstance(plan, dict)
            and isinstance(plan.get("id"), str)
            and 0 < len(plan["id"]) <= MAX_ID_CHARS
            and _finite(plan)
        ):
            raise LogFormatError(f"{path.name}: plan {index} cannot be read")
    return records, plans


def _file_schema(document: dict[str, Any]) -> object:
    """The schema of a log file read as plain JSON (None: not one that can be told)."""
    meta = document.get("meta", {})
    first: object = next(iter(meta.values()), {}) if isinstance(meta, dict) else None
    return first.get("schema", 1) if isinstance(first, dict) else None


def _finite(value: object, depth: int = 0) -> bool:
    """Whether a JSON value holds no NaN nor infinity, and nests no deeper than a plan."""
    if depth > 8:
        return False
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(item, depth + 1) for item in value.values())
    if isinstance(value, list):
        return all(_finite(item, depth + 1) for item in value)
    return True


def _boot_of(row: dict[str, Any]) -> str | None:
    boot = row.get("boot")
    return boot if isinstance(boot, str) and len(boot) <= MAX_ID_CHARS else None


@functools.cache
def _boot_id() -> str | None:
    """This boot's id, where the system has one (Linux)."""
    try:
        return BOOT_ID.read_text(encoding="ascii").strip() or None
    except (OSError, ValueError):
        return None


def _owner_alive(record: SessionRecord, boot: str | None) -> bool:
    """Whether the process that checkpointed a session still runs it.

    A process id is only good within the boot it was written in: a checkpoint of
    another boot (the boot id, where the system has one) belongs to a process
    long gone. The wall clock is not asked: it may be set far ahead or back. Ids
    0 and below name process groups, never an owner.
    """
    pid = record.pid
    if pid is None or pid <= 0:
        return False
    here = _boot_id()
    if boot is not None and here is not None and boot != here:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    try:  # a killed process not yet reaped by its parent still has an id
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state != "Z"


def _is_regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _link_or_copy(path: Path, target: Path) -> None:
    """Gives `path` (itself, not what a symbolic link points to) a second name."""
    try:
        os.link(path, target, follow_symlinks=False)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EROFS, errno.EDQUOT):
            raise
        shutil.copy2(path, target, follow_symlinks=False)


def _why(exc: Exception) -> str:
    """An error in a few words, for a notice."""
    if isinstance(exc, OSError) and exc.strerror:
        return f"{exc.strerror}: {exc.filename}" if exc.filename else exc.strerror
    return str(exc)


def _mtime(path: Path | None) -> str:
    if path is None:
        return "never"
    return datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
