"""The routine library: built-in routines shipped in the package, and the user's own.

The window makes its store before its first frame and reads the routines after
it: the routine format (and the routines' types) is imported where files are read
and written.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass, replace
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from app.storage.atomic import write_atomically
from app.storage.regular_file import NotAFileError, read_regular_file

if TYPE_CHECKING:
    from app.domain.routine import Routine
    from app.domain.routine_format import RoutineFormatError


class OnClash(Enum):
    """What to do with an imported routine whose id is taken."""

    REFUSE = "refuse"
    REPLACE = "replace"
    KEEP_BOTH = "keep-both"


class RoutineNotFoundError(LookupError):
    """No routine has the id or name asked for, or more than one has that name."""


class RoutineExistsError(ValueError):
    """An imported routine's id is taken by a routine already in the library."""


@dataclass(frozen=True)
class StoredRoutine:
    """A routine in the library and where it comes from."""

    routine: Routine
    builtin: bool
    path: Path | None = None


@dataclass(frozen=True)
class BrokenRoutineFile:
    """A file in the user's routine folder that does not load; it is left as it is."""

    path: Path
    error: RoutineFormatError


class RoutineStore:
    """Reads the built-in routines and reads and writes the user's routine files.

    Args:
        user_dir: The folder of the user's routine files (created on first import).
    """

    def __init__(self, user_dir: Path) -> None:
        self.user_dir = user_dir
        self.broken: list[BrokenRoutineFile] = []

    def all(self) -> list[StoredRoutine]:
        """Built-in routines first, then the user's, each group by name.

        A user file that does not load is skipped and listed in `broken`.
        """
        builtin = sorted(_builtin_routines(), key=lambda s: s.routine.name.casefold())
        return builtin + sorted(self._user_routines(), key=lambda s: s.routine.name.casefold())

    def find(self, key: str) -> StoredRoutine:
        """The routine whose id, or else name, is `key`.

        Case, the spaces around `key` and runs of spaces inside it do not count.

        Raises:
            RoutineNotFoundError: no routine has that id or name (the message
                suggests near misses, or else names the ids there are), or two
                or more have that name (the message names their ids).
        """
        stored = self.all()
        wanted = _normalized(key)
        by_id = [s for s in stored if s.routine.id == key] or [
            s for s in stored if s.routine.id.casefold() == wanted
        ]
        if by_id:
            return by_id[0]
        by_name = [s for s in stored if _normalized(s.routine.name) == wanted]
        if len(by_name) == 1:
            return by_name[0]
        if by_name:
            ids = " or ".join(s.routine.id for s in by_name)
            raise RoutineNotFoundError(
                f'{len(by_name)} routines are named "{key.strip()}": give the id ({ids})'
            )
        missing = f'no routine with the id or name "{key}"'
        suggestions = _near_misses(wanted, stored)
        if suggestions:
            raise RoutineNotFoundError(f"{missing}; did you mean {' or '.join(suggestions)}?")
        known = ", ".join(s.routine.id for s in stored)
        raise RoutineNotFoundError(f"{missing} (there are: {known})")

    def read_file(self, path: Path) -> Routine:
        """A routine file, validated, without adding it to the library.

        Raises:
            OSError: the file cannot be read.
            RoutineFormatError: the file is not a valid routine file.
        """
        from app.domain import routine_format

        return routine_format.loads(_read_limited(path), path.name)

    def clash(self, routine: Routine) -> StoredRoutine | None:
        """The routine in the library that has `routine`'s id, if any."""
        return next((s for s in self.all() if s.routine.id == routine.id), None)

    def import_file(self, path: Path, on_clash: OnClash = OnClash.REFUSE) -> StoredRoutine:
        """Validates a routine file and adds it to the user's routines.

        Nothing is written unless the whole file is valid, and, when its id is
        taken, unless `on_clash` says to replace that routine or keep both.

        Raises:
            OSError: the file cannot be read or the library cannot be written.
            RoutineFormatError: the file is not a valid routine file.
            RoutineExistsError: the id is taken and `on_clash` is REFUSE, or the
                routine to replace is a built-in one.
        """
        return self.add(self.read_file(path), on_clash, source_name=path.name)

    def add(
        self, routine: Routine, on_clash: OnClash = OnClash.REFUSE, *, source_name: str = ""
    ) -> StoredRoutine:
        """Adds a routine to the user's routines, as `import_file` does."""
        existing = self.clash(routine)
        where = f"{source_name}: " if source_name else ""
        if existing is None:
            return self.save(routine)
        if on_clash is OnClash.KEEP_BOTH:
            return self.save(self.as_copy(routine))
        if on_clash is OnClash.REPLACE and not existing.builtin:
            return self.save(routine)
        if existing.builtin and on_clash is OnClash.REPLACE:
            raise RoutineExistsError(
                f'{where}"{existing.routine.name}" is a built-in routine and cannot be '
                "replaced; keep both instead"
            )
        owner = "a built-in routine" if existing.builtin else "one of your routines"
        raise RoutineExistsError(
            f'{where}the id "{routine.id}" of "{routine.name}" is already used by '
            f'{owner}, "{existing.routine.name}" (replace it, or keep both)'
        )

    def as_copy(self, routine: Routine) -> Routine:
        """The routine under the first free id `ID-2`, `ID-3`... and a name marked so."""
        taken = {s.routine.id for s in self.all()}
        number = 2
        while f"{routine.id[:60]}-{number}" in taken:
            number += 1
        return replace(
            routine, id=f"{routine.id[:60]}-{number}", name=f"{routine.name[:110]} ({number})"
        )

    def delete(self, routine_id: str) -> StoredRoutine:
        """Removes one of the user's routines; `save(stored.routine)` puts it back.

        Raises:
            RoutineNotFoundError: no routine of the user's has that id.
            OSError: the file cannot be removed.
        """
        stored = next((s for s in self._user_routines() if s.routine.id == routine_id), None)
        if stored is None or stored.path is None:
            raise RoutineNotFoundError(f'none of your routines has the id "{routine_id}"')
        stored.path.unlink()
        return stored

    def save(self, routine: Routine, replaces: str | None = None) -> StoredRoutine:
        """Writes a user routine (crash-safe), replacing one with the same id.

        With `replaces`, the id of a routine of the user's that this one is an edit
        of: when the id was changed, that routine's file goes once this one is
        written, and if it cannot go, this one goes again, so that an edit never
        leaves two routines.

        Raises:
            OSError: the routine cannot be written (or the old one removed); the
                library is then as it was.
        """
        from app.domain import routine_format

        self.user_dir.mkdir(parents=True, exist_ok=True)
        target = self.user_dir / f"{routine.id}.json"
        old = None
        if replaces is not None and replaces != routine.id:
            old = next((s for s in self._user_routines() if s.routine.id == replaces), None)
        existed = target.exists()
        write_atomically(target, routine_format.dumps(routine).encode("utf-8"))
        if old is not None and old.path is not None:
            try:
                old.path.unlink()
            except FileNotFoundError:
                pass  # gone already: nothing to undo
            except OSError:
                if not existed:
                    target.unlink(missing_ok=True)
                raise
        return StoredRoutine(routine, builtin=False, path=target)

    def _user_routines(self) -> list[StoredRoutine]:
        from app.domain import routine_format

        self.broken = []
        if not self.user_dir.is_dir():
            return []
        found: list[StoredRoutine] = []
        for path in sorted(self.user_dir.glob("*.json")):
            try:
                routine = routine_format.loads(_read_limited(path), path.name)
            except routine_format.RoutineFormatError as exc:
                self.broken.append(BrokenRoutineFile(path, exc))
                continue
            except OSError as exc:
                problem = routine_format.Problem("", f"cannot be read ({exc.strerror})")
                error = routine_format.RoutineFormatError(path.name, [problem])
                self.broken.append(BrokenRoutineFile(path, error))
                continue
            found.append(StoredRoutine(routine, builtin=False, path=path))
        return found


def export_routine(routine: Routine, path: Path) -> None:
    """Writes a routine file that any Limber reading format version 1 loads.

    Raises:
        OSError: the file cannot be written; nothing is left half-written.
    """
    from app.domain import routine_format

    write_atomically(path, routine_format.dumps(routine).encode("utf-8"))


def _normalized(text: str) -> str:
    """The text as a lookup compares it: case folded, spaces trimmed and collapsed."""
    return " ".join(text.split()).casefold()


def _near_misses(wanted: str, stored: list[StoredRoutine], limit: int = 3) -> list[str]:
    """Up to `limit` routines a mistyped key may have meant, each once, as its id
    or its quoted name, whichever was the nearer: ids and names that contain the
    key first, then the close matches of `difflib`."""
    import difflib  # a mistyped name only: not at every window's start (2 ms)

    keys: dict[str, tuple[str, str]] = {}  # compared text: (routine id, text shown)
    for entry in stored:
        routine = entry.routine
        keys.setdefault(routine.id.casefold(), (routine.id, routine.id))
        keys.setdefault(_normalized(routine.name), (routine.id, f'"{routine.name}"'))
    containing = [k for k in keys if len(wanted) >= 3 and wanted in k]
    close = difflib.get_close_matches(wanted, keys, n=limit, cutoff=0.6)
    shown: dict[str, str] = {}
    for found in containing + close:
        routine_id, text = keys[found]
        shown.setdefault(routine_id, text)
    return list(shown.values())[:limit]


def _builtin_routines() -> list[StoredRoutine]:
    from app.domain import routine_format

    folder = resources.files("app.data.routines")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".json"):
            routine = routine_format.loads(entry.read_bytes(), entry.name)
            found.append(StoredRoutine(routine, builtin=True))
    return found


def _read_limited(path: Path) -> bytes:
    """Reads at most one byte more than a routine file may have, so a huge file is
    refused without being read into memory whole; only a regular file is read.

    Raises:
        IsADirectoryError: `path` is a folder.
        RoutineFormatError: `path` is neither a folder nor a regular file.
        OSError: the file cannot be read.
    """
    from app.domain import routine_format

    try:
        return read_regular_file(
            path, limit=routine_format.MAX_FILE_BYTES + 1, follow_symlinks=True
        )
    except NotAFileError as exc:
        if exc.errno == errno.EISDIR:
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path)) from None
        problem = routine_format.Problem("", f"{exc.strerror}; not read")
        raise routine_format.RoutineFormatError(path.name, [problem]) from None
