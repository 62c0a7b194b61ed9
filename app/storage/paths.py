"""Where Limber keeps user data: the platform's user data dir, or LIMBER_DATA_DIR."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DATA_DIR_ENV = "LIMBER_DATA_DIR"


class DataFolderError(Exception):
    """A folder Limber keeps data in cannot be one: it, or a folder it would be
    made in, is a file. The text is the one line to show."""


def data_dir() -> Path:
    """The user data folder (not created here).

    `LIMBER_DATA_DIR` overrides the platform's folder, for tests and portable use.
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("limber", appauthor=False))


def user_routines_dir() -> Path:
    """The folder of the user's own routine files."""
    return data_dir() / "routines"


def log_dir() -> Path:
    """The folder of the session log."""
    return data_dir() / "log"


def cache_dir() -> Path:
    """The folder of what Limber can make again: sounds at a volume, spoken
    phrases, the history's printed months."""
    return data_dir() / "cache"


def check_folder(folder: Path, what: str) -> None:
    """Checks that `folder` is a folder, or can be made one (it is created later).

    Args:
        folder: The folder to check.
        what: What it is, for the message ("the log folder").

    Raises:
        DataFolderError: `folder`, or the nearest of its parents that exists, is
            not a folder.
    """
    for path in (folder, *folder.parents):
        if not os.path.lexists(path):
            continue
        if path.is_dir():
            return
        if path == folder:
            raise DataFolderError(f"{what} {folder} is a file, not a folder")
        raise DataFolderError(f"{what} {folder} cannot be made: {path} is a file, not a folder")


def check_data_folders() -> None:
    """Checks the data folder, and the routine and log folders in it.

    Raises:
        DataFolderError: naming the first that is not a folder.
    """
    check_folder(data_dir(), "the data folder")
    check_folder(user_routines_dir(), "the routines folder")
    check_folder(log_dir(), "the log folder")
