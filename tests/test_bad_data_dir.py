"""A data folder that is a file, a log that cannot be read, a full disk: the
`limber` command says so in one line and exits 2, never with a traceback."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.full_disk import full_folder
from tests.storage.test_routine_store import routine_file
from tests.test_cli import run

COMMANDS = [
    ["routines", "list"],
    ["routines", "import", "{file}"],
    ["routines", "export", "spinal-rotation-heel-sitting", "{out}/x.json"],
    ["routines", "card", "spinal-rotation-heel-sitting", "{out}/x.html"],
    ["plan", "spinal-rotation-heel-sitting"],
    ["play", "spinal-rotation-heel-sitting", "--no-window"],
    ["history"],
    ["history", "--json"],
    ["screenshot", "history", "{out}/x.png"],
]


def arguments(command: list[str], tmp_path: Path) -> list[str]:
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    file = routine_file(out, "hips")
    return [a.format(file=file, out=out) for a in command]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_data_folder_that_is_a_file_is_one_line_and_exit_two(
    command: list[str], capsys: pytest.CaptureFixture[str], tmp_path: Path, data_dir: Path
) -> None:
    data_dir.write_text("not a folder")
    status, out, err = run(capsys, *arguments(command, tmp_path))
    assert (status, out) == (2, "")
    assert err == f"limber: the data folder {data_dir} is a file, not a folder\n"
    assert data_dir.read_text() == "not a folder"


@pytest.mark.parametrize("folder", ["log", "routines"])
@pytest.mark.parametrize(
    "command", [["routines", "list"], ["history"], ["routines", "import", "{file}"]], ids=" ".join
)
def test_a_log_or_routines_folder_that_is_a_file_is_one_line_and_exit_two(
    folder: str,
    command: list[str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    data_dir: Path,
) -> None:
    data_dir.mkdir()
    (data_dir / folder).write_text("")
    status, out, err = run(capsys, *arguments(command, tmp_path))
    assert (status, out) == (2, "")
    assert err == (f"limber: the {folder} folder {data_dir / folder} is a file, not a folder\n")


def test_a_data_folder_under_a_file_is_named(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    data_dir.write_text("")
    nested = data_dir / "inner"
    monkeypatch.setenv("LIMBER_DATA_DIR", str(nested))
    status, _, err = run(capsys, "history")
    assert status == 2
    assert err == (
        f"limber: the data folder {nested} cannot be made: {data_dir} is a file, not a folder\n"
    )


def test_the_history_screenshot_reads_an_unreadable_month_without_changing_the_log(
    limber: Path, tmp_path: Path, data_dir: Path
) -> None:
    log = data_dir / "log"
    log.mkdir(parents=True)
    broken = log / "sessions-2026-10.json"
    broken.write_bytes(b'{"sessions": {"1": ')
    before = sorted(p.name for p in log.rglob("*"))
    target = tmp_path / "history.png"
    done = subprocess.run(
        [limber, "screenshot", "history", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert target.read_bytes().startswith(b"\x89PNG")
    # The log is the user's: a screenshot repairs nothing there (limber history does).
    assert sorted(p.name for p in log.rglob("*")) == before
    assert broken.read_bytes() == b'{"sessions": {"1": '


def test_a_screenshot_on_a_full_disk_leaves_no_file(limber: Path, tmp_path: Path) -> None:
    with full_folder(tmp_path / "disk") as disk:
        target = disk / "player.png"
        done = subprocess.run(
            [limber, "screenshot", "player", str(target)],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        left = sorted(p.name for p in disk.iterdir())
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (f"limber: cannot write {target}: No space left on device\n")
    assert set(left) <= {"filler", "filler-end"}  # no PNG, no temp file


def test_a_history_screenshot_of_a_newer_log_is_one_line(
    limber: Path, tmp_path: Path, data_dir: Path
) -> None:
    log = data_dir / "log"
    log.mkdir(parents=True)
    (log / "sessions-2026-10.json").write_text('{"meta": {"1": {"schema": 99}}, "sessions": {}}')
    target = tmp_path / "history.png"
    done = subprocess.run(
        [limber, "screenshot", "history", str(target)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert (
        done.stderr.startswith("limber: sessions-2026-10.json was written by a newer Limber")
        and done.stderr.count("\n") == 1
    )
    assert not target.exists()
