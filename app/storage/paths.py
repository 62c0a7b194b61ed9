"""Where Limber keeps user data: the platform's user data dir, or LIMBER_DATA_DIR."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DATA_DIR_ENV = "LIMBER_DATA_DIR"


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
