"""The launcher, icons and metainfo: shipped valid, named by one id, installed for a user."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from configparser import ConfigParser
from importlib.resources import as_file, files
from pathlib import Path, PurePosixPath

import pytest

from app import APP_ID, __version__
from app.desktop_entry import exec_line, install, uninstall
from app.main import ICON_SIZES
from tests.test_cli import png_size

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = files("app.resources")
# Where the icon theme spec puts each icon, relative to the hicolor folder.
ICONS = {
    PurePosixPath("scalable/apps", f"{APP_ID}.svg"),
    PurePosixPath("symbolic/apps", f"{APP_ID}-symbolic.svg"),
    *(PurePosixPath(f"{n}x{n}/apps", f"{APP_ID}.png") for n in ICON_SIZES),
}


def tool(name: str, package: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: apt install {package}")
    return found


@pytest.fixture(scope="module")
def shipped_desktop_file() -> Iterator[Path]:
    with as_file(RESOURCES / "desktop" / f"{APP_ID}.desktop") as path:
        yield path


@pytest.fixture(scope="module")
def shipped_metainfo() -> Iterator[Path]:
    with as_file(RESOURCES / "desktop" / f"{APP_ID}.metainfo.xml") as path:
        yield path


@pytest.fixture(scope="module")
def shipped_hicolor() -> Iterator[Path]:
    with as_file(RESOURCES / "icons" / "hicolor") as path:
        yield path


def desktop_entry(path: Path) -> dict[str, str]:
    parser = ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment, method-assign]  # keys keep their case
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def validate_desktop_file(path: Path) -> str:
    done = subprocess.run(
        [tool("desktop-file-validate", "desktop-file-utils"), str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    return (done.stdout + done.stderr).strip() or f"exit {done.returncode}"


def test_the_shipped_launcher_passes_desktop_file_validate(shipped_desktop_file: Path) -> None:
    assert validate_desktop_file(shipped_desktop_file) == "exit 0"


def test_the_shipped_metainfo_passes_appstreamcli_validate(shipped_metainfo: Path) -> None:
    done = subprocess.run(
        [tool("appstreamcli", "appstream"), "validate", "--no-net", str(shipped_metainfo)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # Infos are fine (AppStream 0.16 does not know the <developer> of 1.0 yet); warnings not.
    problems = [line for line in done.stdout.splitlines() if line.startswith(("E:", "W:"))]
    assert problems == []


def test_one_application_id_names_the_launcher_metainfo_and_icons(
    shipped_desktop_file: Path,
    shipped_metainfo: Path,
    shipped_hicolor: Path,
) -> None:
    entry = desktop_entry(shipped_desktop_file)
    assert shipped_desktop_file.name == f"{APP_ID}.desktop"
    assert entry["Icon"] == APP_ID
    assert entry["Exec"] == "limber"
    component = ET.parse(shipped_metainfo).getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == APP_ID
    assert shipped_metainfo.name == f"{APP_ID}.metainfo.xml"
    launchables = [(e.get("type"), e.text) for e in component.iter("launchable")]
    assert launchables == [("desktop-id", f"{APP_ID}.desktop")]
    assert component.findtext("provides/binary") == "limber"
    assert component.findtext("name") == entry["Name"] == "Limber"
    releases = [r.get("version") for r in component.iter("release")]
    assert releases[0] == __version__
    shipped_icons = {
        PurePosixPath(p.relative_to(shipped_hicolor).as_posix())
        for p in shipped_hicolor.rglob("*")
        if p.is_file()
    }
    assert shipped_icons == ICONS
    for size in ICON_SIZES:
        assert png_size(shipped_hicolor / f"{size}x{size}" / "apps" / f"{APP_ID}.png") == (
            size,
            size,
        )


def test_the_metainfo_screenshots_are_the_pictures_in_docs(shipped_metainfo: Path) -> None:
    component = ET.parse(shipped_metainfo).getroot()
    prefix = "https://raw.githubusercontent.com/limber-timer/limber/main/"
    pictures = {}
    for screenshot in component.iter("screenshot"):
        assert (screenshot.findtext("caption") or "").strip()
        image = screenshot.find("image")
        assert image is not None and image.text and image.text.startswith(prefix)
        path = ROOT / image.text.removeprefix(prefix)
        assert png_size(path) == (int(image.get("width", 0)), int(image.get("height", 0)))
        pictures[path.name] = path
    assert sorted(pictures) == sorted(p.name for p in (ROOT / "docs/screenshots").glob("*.png"))
    states = ["player", "waiting", "paused", "done", "player-dark", "done-dark"]
    assert sorted(pictures) == sorted(["history.png", "library.png", *(f"{s}.png" for s in states)])


def run_limber(limber: Path, home: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    """Runs the installed `limber` with `home` as the XDG data folder."""
    env = {**os.environ, "XDG_DATA_HOME": str(home), "HOME": str(home.parent)}
    return subprocess.run(
        [str(limber), *argv], capture_output=True, text=True, env=env, check=False, timeout=60
    )


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir()}


def test_desktop_install_and_uninstall_as_a_user_runs_them(
    limber: Path,
    tmp_path: Path,
    shipped_hicolor: Path,
    shipped_metainfo: Path,
) -> None:
    home = tmp_path / "share"
    others = {
        "applications/org.example.Other.desktop",
        "metainfo/org.example.Other.metainfo.xml",
        "icons/hicolor/48x48/apps/org.example.Other.png",
    }
    for other in others:
        (home / other).parent.mkdir(parents=True, exist_ok=True)
        (home / other).write_text("another application's file")
    ours = {
        f"applications/{APP_ID}.desktop",
        f"metainfo/{APP_ID}.metainfo.xml",
        *(f"icons/hicolor/{icon}" for icon in ICONS),
    }

    for _ in range(2):  # a second install rewrites the same files
        done = run_limber(limber, home, "desktop", "install")
        assert done.returncode == 0 and done.stderr == "", done.stderr
        assert str(home / "applications" / f"{APP_ID}.desktop") in done.stdout
        assert len(done.stdout.splitlines()) == 2
        assert files_under(home) == ours | others

    for icon in ICONS:
        icon_path = home / "icons" / "hicolor" / icon
        assert icon_path.read_bytes() == (shipped_hicolor / icon).read_bytes()
    metainfo = home / "metainfo" / f"{APP_ID}.metainfo.xml"
    assert metainfo.read_bytes() == shipped_metainfo.read_bytes()
    launcher = home / "applications" / f"{APP_ID}.desktop"
    assert validate_desktop_file(launcher) == "exit 0"
    program, *arguments = shlex.split(desktop_entry(launcher)["Exec"])
    assert Path(program) == limber and arguments == []
    version = subprocess.run(
        [program, "--version"], capture_output=True, text=True, check=True, timeout=60
    )
    assert version.stdout.strip() == f"limber {__version__}"

    done = run_limber(limber, home, "desktop", "uninstall")
    assert done.returncode == 0 and done.stderr == "", done.stderr
    assert files_under(home) == others
    done = run_limber(limber, home, "desktop", "uninstall")
    assert done.returncode == 0 and "Nothing to remove" in done.stdout
    assert files_under(home) == others


def test_desktop_install_under_a_file_is_one_line_and_exit_two(
    limber: Path, tmp_path: Path
) -> None:
    # A file where a folder should be (root may write anywhere, so no chmod).
    blocker = tmp_path / "afile"
    blocker.write_text("not a folder")
    done = run_limber(limber, blocker / "share", "desktop", "install")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert done.stderr.startswith("limber: ") and f"{blocker} is a file" in done.stderr
    assert files_under(tmp_path) == {"afile"}


def test_a_program_path_with_spaces_or_dollars_is_quoted_as_the_spec_says(
    tmp_path: Path,
) -> None:
    # The spec's own rule: quoted, then escaped as a string (so "$" is "\\$").
    assert exec_line(["/usr/bin/limber"]) == "/usr/bin/limber"
    assert exec_line(["/opt/my apps/limber"]) == '"/opt/my apps/limber"'
    assert exec_line(["/opt/a$b/limber"]) == '"/opt/a\\\\$b/limber"'
    assert exec_line(["/opt/100%/limber"]) == "/opt/100%%/limber"
    installed = install(tmp_path, command=["/opt/my apps/python3", "-m", "app"])
    assert desktop_entry(installed.desktop_file)["Exec"] == '"/opt/my apps/python3" -m app'
    assert validate_desktop_file(installed.desktop_file) == "exit 0"
    # An icon size an older Limber shipped goes too: it has our name.
    older = tmp_path / "icons" / "hicolor" / "22x22" / "apps" / f"{APP_ID}.png"
    older.parent.mkdir(parents=True)
    older.write_bytes(b"an older icon")
    assert set(uninstall(tmp_path)) == {*installed.files, older}
    assert uninstall(tmp_path) == ()
