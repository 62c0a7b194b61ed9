"""The user's settings, in an INI file in the data dir (never Qt's default location)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings

if TYPE_CHECKING:
    from app.domain.routine import Side


class AppSettings:
    """Typed access to settings.ini.

    A settings.ini that is a symbolic link (or anything but a regular file) is
    neither read nor written: QSettings would write through the link and overwrite
    its target, wherever it points, and reading a FIFO there would hang start-up.
    Replacing the link with a file instead would undo a set-up the user may have
    made on purpose (settings kept in a dotfiles folder); so the settings of this
    run are kept in a private scratch file, and `notice` says why.

    Args:
        path: The INI file; created on the first write.

    Attributes:
        notice: What to tell the user about the file ("" when all is well).
    """

    def __init__(self, path: Path) -> None:
        self.notice = ""
        self._scratch: tempfile.TemporaryDirectory[str] | None = None
        if path.is_symlink() or (path.exists() and not path.is_file()):
            what = "a symbolic link" if path.is_symlink() else "not a regular file"
            self.notice = (
                f"Settings are not saved: {path} is {what}, and Limber does not "
                "write through it. Replace it with a plain file (or remove it) "
                "to keep your settings."
            )
            self._scratch = tempfile.TemporaryDirectory(prefix="limber-settings-")
            path = Path(self._scratch.name) / path.name
        self._settings = QSettings(str(path), QSettings.Format.IniFormat)

    # Values are read as text and parsed here: QSettings.value(..., type=bool) in
    # PySide6 6.12 corrupts the reference count of False and aborts at exit.

    @property
    def volume(self) -> int:
        """Cue volume in percent, 1-100."""
        return self._whole("audio/volume", 80, 1, 100)

    @volume.setter
    def volume(self, value: int) -> None:
        self._settings.setValue("audio/volume", max(1, min(100, value)))

    @property
    def muted(self) -> bool:
        """Whether cues are silenced."""
        return str(self._settings.value("audio/muted", "false")).lower() == "true"

    @muted.setter
    def muted(self, value: bool) -> None:
        self._settings.setValue("audio/muted", value)

    @property
    def weekly_goal(self) -> int:
        """Warm-ups a week the chart's goal line shows (default 4)."""
        return self._whole("history/weekly_goal", 4, 1, 21)

    @weekly_goal.setter
    def weekly_goal(self, value: int) -> None:
        self._settings.setValue("history/weekly_goal", value)

    @property
    def rest_days(self) -> int:
        """Days a week without a warm-up that do not break a streak (default 0)."""
        return self._whole("history/rest_days", 0, 0, 6)

    @rest_days.setter
    def rest_days(self, value: int) -> None:
        self._settings.setValue("history/rest_days", value)

    def _whole(self, key: str, default: int, low: int, high: int) -> int:
        text = str(self._settings.value(key, str(default)))
        return max(low, min(high, int(text))) if text.isdigit() else default

    def weak_side(self, routine_id: str) -> Side | None:
        """The weaker side last picked for a routine."""
        from app.domain.routine import Side  # not needed before the library is read

        value = str(self._settings.value(f"weak_side/{routine_id}", ""))
        return Side(value) if value in ("left", "right") else None

    def set_weak_side(self, routine_id: str, side: Side | None) -> None:
        self._settings.setValue(f"weak_side/{routine_id}", side.value if side else "")

    @property
    def geometry(self) -> QByteArray | None:
        """The main window's saved geometry."""
        value = self._settings.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._settings.setValue("window/geometry", value)

    def sync(self) -> None:
        """Writes pending changes to disk."""
        self._settings.sync()
