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
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB

from app.domain.plan import Plan
from app.domain.session import SessionRecord, SessionStatus, local_iso, plan_document, plan_id
from app.storage.atomic import write_atomically
from app.storage.file_lock import FileLock
from app.storage.json_storage import AtomicJSONStorage, UnreadableFileError, read_document

SCHEMA_VERSION = 1
SESSION_FILES = "sessions-*.json"
YEAR_FILE = re.compile(r"sessions-\d{4}\.json")
BACKUPS = 5
EXPORT_FORMAT = "limber-log"
# Migrations from each older schema version to the next: none yet, as version 1
# is the first. A file of a newer version is refused rather than misread.
MIGRATIONS: dict[int, Callable[[dict[str, dict[str, Any]]], dict[str, dict[str, Any]]]] = {}


class LogFormatError(Exception):
    """A log file of a schema this Limber does not know, or an import that is no log."""


@dataclass(frozen=True)
class Repair:
    """A log file that could not be read at start-up, and what was done about it."""

    path: Path
    reason: str
    moved_to: Path
    restored_from: Path | None

    def message(self) -> str:
        """What to tell the user."""
        restored = (f"restored its backup from {_mtime(self.restored_from)}"
                    if self.restored_from else "no readable backup was found; it starts empty")
        return (f"The session log file {self.path.name} could not be read ({self.reason}). "
                f"It was kept as {self.moved_to.name}; {restored}.")


class SessionLog:
    """Reads and writes the session log in `folder`.

    Args:
        folder: The log's folder (created).
        lock_timeout: How long a write waits for another process's write.
    """

    def __init__(self, folder: Path, lock_timeout: float = 10.0) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.lock = FileLock(folder / ".lock", timeout=lock_timeout)
        self.unreadable_records = 0

    def open(self) -> list[Repair]:
        """Checks every file, repairs what cannot be read, and keeps what a crash
        left in progress as interrupted. Returns the repairs made, for the user.

        Raises:
            LogFormatError: a file written by a newer Limber.
            LockTimeoutError: another process holds the log.
        """
        with self.lock:
            repairs = [repair for path in self._files() if (repair := self._check(path))]
            self._split_year_files()
            self.recover_interrupted()
        return repairs

    def sessions(self) -> list[SessionRecord]:
        """Every finished session, oldest first. Records that cannot be read are
        skipped (and counted in `unreadable_records`), never removed."""
        records: list[SessionRecord] = []
        unreadable = 0
        for path in sorted(self.folder.glob(SESSION_FILES)):
            for row in self._table(path, "sessions").values():
                try:
                    records.append(SessionRecord.from_dict(row))
                except (KeyError, TypeError, ValueError):
                    unreadable += 1
        self.unreadable_records = unreadable
        records.sort(key=lambda r: r.started_at)
        return records

    def in_progress(self) -> list[SessionRecord]:
        """The sessions checkpointed but not finished."""
        return [SessionRecord.from_dict(row)
                for row in self._table(self._current(), "sessions").values()]

    def save_plan(self, plan: Plan) -> str:
        """Stores the plan a session runs (once per distinct plan); returns its id."""
        key = plan_id(plan)
        with self.lock, self._db(self.folder / "plans.json") as db:
            table = db.table("plans")
            if not table.contains(Query().id == key):
                self._back_up(self.folder / "plans.json")
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
        live = record.with_changes(status=SessionStatus.IN_PROGRESS, pid=os.getpid(),
                                   ended=local_iso())
        with self.lock, self._db(self._current()) as db:
            db.table("sessions").upsert(live.to_dict(), Query().id == record.id)

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
        with self.lock, self._db(path) as db:
            self._back_up(path)
            db.table("sessions").remove(Query().id == record.id)

    def restore(self, record: SessionRecord) -> None:
        """Puts a deleted session back (undo)."""
        self.update(record)

    def recover_interrupted(self) -> list[SessionRecord]:
        """Keeps sessions whose process is gone as interrupted, with what was done."""
        recovered = []
        with self.lock:
            for record in self.in_progress():
                if record.pid == os.getpid() or _owner_alive(record):
                    continue
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
        plans = list(self._table(self.folder / "plans.json", "plans").values())
        document = {"format": EXPORT_FORMAT, "schema": SCHEMA_VERSION,
                    "sessions": [s.to_dict() for s in sessions], "plans": plans}
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
                with self._db(self.folder / "plans.json") as db:
                    table = db.table("plans")
                    fresh = [p for p in plans if not table.contains(Query().id == p.get("id"))]
                    if fresh:
                        self._back_up(self.folder / "plans.json")
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
                    by_file.setdefault(session_file(self.folder, SessionRecord.from_dict(row)),
                                       []).append(row)
                except (KeyError, TypeError, ValueError):
                    kept[key] = row
            if not by_file:
                continue  # nothing that can be moved
            for month_path, rows in by_file.items():
                self._add_rows(month_path, rows)
            self._back_up(path)
            if kept:
                AtomicJSONStorage(path).write({"meta": {"1": {"schema": SCHEMA_VERSION}},
                                               "sessions": kept})
            else:
                path.unlink()

    def _add_rows(self, path: Path, rows: list[dict[str, Any]]) -> None:
        """Adds the session rows whose id `path` does not hold yet."""
        existed = path.exists()
        with self._db(path) as db:
            table = db.table("sessions")
            known = {row.get("id") for row in table.all()}
            fresh = [row for row in rows if row.get("id") not in known]
            if fresh:
                if existed:  # a new file has nothing worth a backup
                    self._back_up(path)
                table.insert_multiple(fresh)

    def _write_session(self, record: SessionRecord) -> None:
        path = session_file(self.folder, record)
        self._back_up(path)  # before opening: a file made new has nothing to keep
        with self._db(path) as db:
            db.table("sessions").upsert(record.to_dict(), Query().id == record.id)

    def _current(self) -> Path:
        return self.folder / "current.json"

    def _files(self) -> list[Path]:
        return [*sorted(self.folder.glob(SESSION_FILES)), self._current(),
                self.folder / "plans.json"]

    @contextlib.contextmanager
    def _db(self, path: Path) -> Iterator[TinyDB]:
        new = not path.exists()
        db = TinyDB(path, storage=AtomicJSONStorage)
        try:
            if new:  # an existing file got its schema when made (or migrated by open())
                db.table("meta").insert({"schema": SCHEMA_VERSION})
            yield db
        finally:
            db.close()

    def _table(self, path: Path, name: str) -> dict[str, dict[str, Any]]:
        document = read_document(path) or {}
        return document.get(name, {})

    def _check(self, path: Path) -> Repair | None:
        """Reads one file; migrates an old one; moves an unreadable one aside and
        restores its newest readable backup."""
        try:
            document = read_document(path)
        except UnreadableFileError as exc:
            return self._repair(path, exc.reason)
        if document is None:
            return None
        schema = _schema(document)
        if schema > SCHEMA_VERSION:
            raise LogFormatError(f"{path.name} was written by a newer Limber (log schema "
                                 f"{schema}; this one reads {SCHEMA_VERSION}): update Limber")
        if schema < SCHEMA_VERSION:
            for version in range(schema, SCHEMA_VERSION):
                document = MIGRATIONS[version](document)
            document["meta"] = {"1": {"schema": SCHEMA_VERSION}}
            self._back_up(path)
            AtomicJSONStorage(path).write(document)
        return None

    def _repair(self, path: Path, reason: str) -> Repair:
        stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
        moved = path.with_name(f"{path.name}.broken-{stamp}")
        path.replace(moved)
        for backup in self._backups(path):
            try:
                if read_document(backup) is not None:
                    write_atomically(path, backup.read_bytes())
                    return Repair(path, reason, moved, backup)
            except UnreadableFileError:
                continue
        return Repair(path, reason, moved, None)

    def _backups(self, path: Path) -> list[Path]:
        folder = self.folder / "backups"
        return [folder / f"{path.name}.{n}" for n in range(1, BACKUPS + 1)
                if (folder / f"{path.name}.{n}").exists()]

    def _back_up(self, path: Path) -> None:
        """Keeps the file as it is now as backup 1, shifting the older ones up."""
        if not path.exists():
            return
        folder = self.folder / "backups"
        folder.mkdir(exist_ok=True)
        names = [folder / f"{path.name}.{n}" for n in range(1, BACKUPS + 1)]
        names[-1].unlink(missing_ok=True)
        for older, newer in zip(reversed(names[:-1]), reversed(names[1:]), strict=True):
            if older.exists():
                older.replace(newer)
        try:
            os.link(path, names[0])  # the next write replaces the file, not this inode
        except OSError:
            shutil.copy2(path, names[0])


def session_file(folder: Path, record: SessionRecord) -> Path:
    """The file of the log in `folder` that holds `record`: its start's month."""
    return folder / f"sessions-{record.started_at:%Y-%m}.json"


def _schema(document: dict[str, dict[str, Any]]) -> int:
    rows = list(document.get("meta", {}).values())
    value = rows[0].get("schema", 1) if rows else 1
    return value if isinstance(value, int) else 1


def _read_import(path: Path) -> tuple[list[SessionRecord], list[dict[str, Any]]]:
    """The sessions and plans of an export file or of a log file (a backup)."""
    try:
        document = json.loads(path.read_bytes())
    except (ValueError, RecursionError) as exc:
        raise LogFormatError(f"{path.name}: not valid JSON ({exc})") from None
    if isinstance(document, dict) and document.get("format") == EXPORT_FORMAT:
        rows, plans = document.get("sessions"), document.get("plans", [])
    elif isinstance(document, dict) and isinstance(document.get("sessions"), dict):
        rows, plans = list(document["sessions"].values()), []
    else:
        raise LogFormatError(f"{path.name}: not a Limber session log or export")
    if not isinstance(rows, list) or not isinstance(plans, list):
        raise LogFormatError(f"{path.name}: not a Limber session log or export")
    records = []
    for index, row in enumerate(rows):
        try:
            records.append(SessionRecord.from_dict(row))
        except (KeyError, TypeError, ValueError) as exc:
            raise LogFormatError(f"{path.name}: session {index + 1} cannot be read "
                                 f"({type(exc).__name__}: {exc})") from None
    return records, [p for p in plans if isinstance(p, dict)]


def _owner_alive(record: SessionRecord) -> bool:
    """Whether the process that checkpointed a session still runs it.

    A process id is only good since the last boot: a checkpoint older than the
    boot (CLOCK_BOOTTIME, where there is one) belongs to a process long gone.
    """
    pid = record.pid
    if pid is None:
        return False
    boottime = getattr(time, "CLOCK_BOOTTIME", None)
    if boottime is not None and record.ended is not None:
        booted = time.time() - time.clock_gettime(boottime)
        if datetime.fromisoformat(record.ended).timestamp() < booted:
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


def _mtime(path: Path | None) -> str:
    if path is None:
        return "never"
    return datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
