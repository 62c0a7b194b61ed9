"""The launcher for a pip install: the .desktop file, icons and metainfo in the user's folders.

A distribution's package or the Flatpak puts these files in the system's folders;
someone who installed Limber with pip has none of them, so `limber desktop install`
writes them into the user's XDG data folder (`$XDG_DATA_HOME`, by default
`~/.local/share`), where menus, docks and software centres look too. The shipped
files are copied as they are, but for the launcher's `Exec=`, which names the
`limber` program of this very install.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import sysconfig
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path, PurePosixPath

from app import APP_ID
from app.storage.atomic import write_atomically

DATA_HOME_ENV = "XDG_DATA_HOME"
PROGRAM = "limber"

_DESKTOP_FILE = f"{APP_ID}.desktop"
_METAINFO_FILE = f"{APP_ID}.metainfo.xml"
# The names an icon of ours has in the hicolor theme: `<APP_ID>.png|svg`, and the
# monochrome `<APP_ID>-symbolic.svg`.
_ICON_STEMS = (APP_ID, f"{APP_ID}-symbolic")
_ICON_SUFFIXES = (".png", ".svg")

# Characters that make an Exec argument need quotes (desktop entry spec, "The Exec key").
_EXEC_RESERVED = frozenset(" \t\n\"'\\><~|&;$*?#()`")
# Inside the quotes these take a backslash.
_EXEC_ESCAPED = frozenset('"`$\\')


class DesktopEntryError(Exception):
    """The launcher could not be written or removed; the text is one line saying where."""


@dataclass(frozen=True)
class Installed:
    """What `install` wrote.

    Attributes:
        home: the XDG data folder they are in.
        desktop_file: the launcher.
        command: the command its `Exec=` runs.
        files: every file written, the launcher included.
    """

    home: Path
    desktop_file: Path
    command: tuple[str, ...]
    files: tuple[Path, ...]


def data_home() -> Path:
    """The user's XDG data folder: `$XDG_DATA_HOME`, or `~/.local/share`.

    The base directory spec says a relative `$XDG_DATA_HOME` is invalid and ignored.
    """
    configured = os.environ.get(DATA_HOME_ENV, "")
    if configured and Path(configured).is_absolute():
        return Path(configured)
    return Path.home() / ".local" / "share"


def launcher_command() -> tuple[str, ...]:
    """The command that starts this install of Limber, for the launcher's `Exec=`.

    The `limber` program running now, else the one pip put beside this Python (a
    venv) or in its user scripts folder (`pip install --user`), else the one on
    PATH; with none of them, this Python running `-m app`. A frozen bundle is its
    own program.
    """
    if getattr(sys, "frozen", False):
        return (_absolute(sys.executable),)
    for candidate in _program_candidates():
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return (_absolute(candidate),)
    return (_absolute(sys.executable), "-m", "app")


def _absolute(path: str | Path) -> str:
    # Not Path.resolve(): a venv's python is a link to the system's, and following
    # links would leave the venv. abspath only makes the path absolute and drops "..".
    return os.path.abspath(path)  # noqa: PTH100


def _program_candidates() -> Iterator[Path]:
    running = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if running is not None and running.name == PROGRAM:
        yield running
    yield Path(sys.executable).parent / PROGRAM
    user_scheme = sysconfig.get_preferred_scheme("user")
    yield Path(sysconfig.get_path("scripts", user_scheme)) / PROGRAM
    on_path = shutil.which(PROGRAM)
    if on_path:
        yield Path(on_path)


def exec_line(command: Sequence[str]) -> str:
    """`command` as the value of a desktop entry's `Exec=` key.

    An argument with a reserved character is double-quoted with `"`, `` ` ``, `$`
    and `\\` backslashed; `%` is doubled (it starts a field code); then the value
    is escaped as any string value is, which doubles every backslash again.
    """
    quoted = []
    for argument in command:
        text = argument.replace("%", "%%")
        if any(c in _EXEC_RESERVED for c in text):
            text = '"' + "".join("\\" + c if c in _EXEC_ESCAPED else c for c in text) + '"'
        quoted.append(text)
    return _escape_string_value(" ".join(quoted))


def _escape_string_value(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def install(home: Path | None = None, command: Sequence[str] | None = None) -> Installed:
    """Writes the launcher, the icons and the metainfo into the XDG data folder.

    Running it again rewrites the same files. Every file is written atomically.
    The desktop's caches are refreshed afterwards where their tools are installed.

    Args:
        home: the XDG data folder; `data_home()` when None.
        command: what the launcher runs; `launcher_command()` when None.

    Raises:
        DesktopEntryError: a folder cannot be made or a file cannot be written.
    """
    home = data_home() if home is None else home
    command = launcher_command() if command is None else tuple(command)
    desktop_file = home / "applications" / _DESKTOP_FILE
    contents: list[tuple[Path, bytes]] = []
    for target, source in _shipped():
        path, data = home / target, source.read_bytes()
        contents.append((path, _with_exec(data, command) if path == desktop_file else data))
    # Every folder first, so that a file in the way stops it before anything is written.
    for folder in dict.fromkeys(path.parent for path, _ in contents):
        _make_folder(folder, home)
    for path, data in contents:
        try:
            write_atomically(path, data)
        except OSError as exc:
            raise DesktopEntryError(f"cannot write {path}: {_reason(exc)}") from None
    _refresh_caches(home)
    return Installed(home, desktop_file, tuple(command), tuple(path for path, _ in contents))


def uninstall(home: Path | None = None) -> tuple[Path, ...]:
    """Removes the files `install` writes, and nothing else; returns those removed.

    Any other file stays, in the same folders too, and so do the folders, which
    other applications share. Nothing installed is not an error: the result is empty.

    Args:
        home: the XDG data folder; `data_home()` when None.

    Raises:
        DesktopEntryError: a file cannot be removed.
    """
    home = data_home() if home is None else home
    # The launcher first, the reverse of install; then icons an older Limber
    # shipped and this one does not, which are named as ours too.
    ours = [home / target for target, _ in reversed(list(_shipped()))]
    ours += sorted(set(_icons_named_ours(home / "icons" / "hicolor")) - set(ours))
    removed = []
    for path in ours:
        try:
            path.unlink()
        except (FileNotFoundError, NotADirectoryError):
            continue  # not there, or a file stands where its folder would be
        except OSError as exc:
            raise DesktopEntryError(f"cannot remove {path}: {_reason(exc)}") from None
        removed.append(path)
    if removed:
        _refresh_caches(home)
    return tuple(removed)


def _shipped() -> Iterator[tuple[PurePosixPath, Traversable]]:
    """Each shipped file with where it goes, relative to the XDG data folder.

    The launcher comes last: menus watch its folder, and its icon is then in place.
    """
    resources = files("app.resources")
    hicolor = resources / "icons" / "hicolor"
    if hicolor.is_dir():
        for relative, icon in _walk(hicolor, PurePosixPath()):
            if _is_our_icon(relative.name):
                yield PurePosixPath("icons", "hicolor") / relative, icon
    yield PurePosixPath("metainfo", _METAINFO_FILE), resources / "desktop" / _METAINFO_FILE
    yield PurePosixPath("applications", _DESKTOP_FILE), resources / "desktop" / _DESKTOP_FILE


def _walk(
    folder: Traversable,
    relative: PurePosixPath,
) -> Iterator[tuple[PurePosixPath, Traversable]]:
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir():
            yield from _walk(entry, relative / entry.name)
        else:
            yield relative / entry.name, entry


def _is_our_icon(name: str) -> bool:
    path = PurePosixPath(name)
    return path.stem in _ICON_STEMS and path.suffix in _ICON_SUFFIXES


def _icons_named_ours(hicolor: Path) -> Iterator[Path]:
    with contextlib.suppress(OSError):
        for size in hicolor.iterdir():
            apps = size / "apps"
            with contextlib.suppress(OSError):
                for icon in apps.iterdir():
                    if _is_our_icon(icon.name) and not icon.is_dir():
                        yield icon


def _with_exec(desktop_entry: bytes, command: Sequence[str]) -> bytes:
    """The shipped launcher with its `Exec=` line running `command`."""
    lines = desktop_entry.decode("utf-8").splitlines(keepends=True)
    execs = [i for i, line in enumerate(lines) if line.startswith("Exec=")]
    if len(execs) != 1:
        raise DesktopEntryError(
            f"the shipped {_DESKTOP_FILE} has {len(execs)} Exec= lines, "
            "not one: this install of Limber is broken"
        )
    lines[execs[0]] = f"Exec={exec_line(command)}\n"
    return "".join(lines).encode("utf-8")


CONFIG_HOME_ENV = "XDG_CONFIG_HOME"
# What an autostarted Limber runs: the tray (or the background mode) with reminders.
BACKGROUND = "--background"


def autostart_file() -> Path:
    """Where Limber is started from at login: the XDG autostart folder in
    `$XDG_CONFIG_HOME` (by default `~/.config`); on macOS, a launch agent in
    `~/Library/LaunchAgents`. (On Windows it is a value of the registry's Run key,
    `RUN_KEY`, named `APP_NAME`.)"""
    if sys.platform == "darwin":
        return Path.home() / "Library" / "LaunchAgents" / f"{APP_ID}.plist"
    configured = os.environ.get(CONFIG_HOME_ENV, "")
    home = Path(configured) if configured and Path(configured).is_absolute() else None
    return (home or Path.home() / ".config") / "autostart" / f"{APP_ID}.desktop"


# Windows: the programs started at login are the values of this key.
RUN_KEY = r"Software\Microsoft\Windows\CurrentVersion\Run"
APP_NAME = "Limber"


def set_autostart(on: bool, command: Sequence[str] | None = None) -> Path:
    """Starts Limber in the background at login (or no longer); returns where.

    Linux and other XDG desktops: the shipped launcher running `command` (this
    install's `limber`) with `--background`, as an autostart entry. macOS: a launch
    agent (a property list) with RunAtLoad. Windows: a value of the current user's
    Run key in the registry. Files are written atomically.

    Raises:
        DesktopEntryError: when it cannot be written or removed.
    """
    target = autostart_file()
    arguments = (*(command or launcher_command()), BACKGROUND)
    if sys.platform == "win32":
        _set_run_key(on, arguments)
        return target
    if not on:
        try:
            target.unlink(missing_ok=True)
        except OSError as exc:
            raise DesktopEntryError(f"cannot remove {target}: {_reason(exc)}") from None
        return target
    if sys.platform == "darwin":
        entry = launch_agent(arguments)
    else:
        entry = _with_exec(_launcher_bytes(), arguments) + b"X-GNOME-Autostart-enabled=true\n"
    _make_folder(target.parent, target.parent.parent)
    try:
        write_atomically(target, entry)
    except OSError as exc:
        raise DesktopEntryError(f"cannot write {target}: {_reason(exc)}") from None
    return target


def launch_agent(arguments: Sequence[str]) -> bytes:
    """macOS's launch agent that runs `arguments` at login."""
    import plistlib

    return plistlib.dumps({"Label": APP_ID, "ProgramArguments": list(arguments), "RunAtLoad": True})


def _set_run_key(on: bool, arguments: Sequence[str]) -> None:
    if sys.platform == "win32":  # (mypy reads Windows' registry module only for Windows)
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY, 0, winreg.KEY_SET_VALUE) as key:
                if on:
                    line = subprocess.list2cmdline(list(arguments))
                    winreg.SetValueEx(key, APP_NAME, 0, winreg.REG_SZ, line)
                else:
                    with contextlib.suppress(FileNotFoundError):
                        winreg.DeleteValue(key, APP_NAME)
        except OSError as exc:
            raise DesktopEntryError(f"cannot change the registry's Run key: {exc}") from None


def autostarts() -> bool:
    """Whether Limber starts at login."""
    if sys.platform == "win32":
        import winreg

        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, RUN_KEY) as key:
                winreg.QueryValueEx(key, APP_NAME)
        except OSError:
            return False
        return True
    return autostart_file().is_file()


def _launcher_bytes() -> bytes:
    return (files("app.resources") / "desktop" / _DESKTOP_FILE).read_bytes()


def _make_folder(folder: Path, home: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        blocker = next(
            (p for p in (folder, *folder.parents) if p.exists() and not p.is_dir()), folder
        )
        raise DesktopEntryError(
            f"cannot install the launcher in {home}: {blocker} is a file, not a folder"
        ) from None
    except OSError as exc:
        raise DesktopEntryError(f"cannot make the folder {folder}: {_reason(exc)}") from None


def _reason(exc: OSError) -> str:
    if isinstance(exc, IsADirectoryError):
        return "it is a folder, not a file"
    return (exc.strerror or str(exc)).lower()


def _refresh_caches(home: Path) -> None:
    """Refreshes the desktop's caches of these folders, with the tools that are there.

    Menus and docks watch the applications folder, and an icon theme's readers
    compare its cache with the folder's time, so touching the folder is what makes
    a change show. A cache is rebuilt only where one exists, so that it does not
    hide the change, and never made: our launcher has no MIME types for
    `update-desktop-database` to index, and `gtk-update-icon-cache` wants an
    index.theme this folder lacks.
    Any failure is ignored: the files are in place, and the desktop notices later.
    """
    applications = home / "applications"
    if (applications / "mimeinfo.cache").is_file():
        _run_quietly("update-desktop-database", "-q", str(applications))
    hicolor = home / "icons" / "hicolor"
    with contextlib.suppress(OSError):
        os.utime(hicolor)
    if (hicolor / "icon-theme.cache").is_file():
        _run_quietly(
            "gtk-update-icon-cache", "--quiet", "--force", "--ignore-theme-index", str(hicolor)
        )


def _run_quietly(program: str, *arguments: str) -> None:
    found = shutil.which(program)
    if found is None:
        return
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            [found, *arguments],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=30,
            check=False,
        )
