"""The one-folder bundle (packaging/limber.spec), built from the installed Limber and
run from another folder, the way someone without pip runs it.

The bundle is built once per run (about 20 s); the frozen program then runs
with a fresh HOME and data folder, Qt offscreen and ALSA's default device
pointed at a file, so its cues are real sound that can be checked.
"""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from tests.sound import point_alsa_at_file, sound_bytes

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "limber.spec"
INSTALL_FIRST = "install Limber first: python3 -m pip install '.[bundle]'"
# The shortest built-in routine: 34 s (`limber plan ROUTINE --json` says so).
SHORTEST = "spinal-rotation-heel-sitting"
# The programs playsound3 plays cues through on Linux.
SOUND_PLAYERS = {"aplay", "gst-play-1.0", "mpg123"}


@pytest.fixture(scope="module")
def limber(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The frozen program, built in a folder of its own: no source tree on sys.path."""
    work = tmp_path_factory.mktemp("bundle")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--distpath",
            str(work / "dist"),
            "--workpath",
            str(work / "build"),
            str(SPEC),
        ],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-5000:]
    return work / "dist" / "limber" / "limber"


@pytest.fixture
def user_env(tmp_path: Path, data_dir: Path) -> dict[str, str]:
    """A user's environment: a fresh HOME and data folder, Qt offscreen, a UTF-8
    locale, and nothing of the test run's own (no PYTHON* or LD_* variables)."""
    home = tmp_path / "home"
    home.mkdir()
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "LIMBER_DATA_DIR": str(data_dir),
        "QT_QPA_PLATFORM": "offscreen",
        "XDG_RUNTIME_DIR": str(runtime),
    }


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    """A working folder that is neither the repository nor the bundle's."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder


@pytest.fixture
def alsa_file(tmp_path: Path, user_env: dict[str, str]) -> Path:
    """Makes ALSA's default device write every sound to a file."""
    out = tmp_path / "alsa-out.raw"
    point_alsa_at_file(Path(user_env["HOME"]), out)
    return out


def run(
    limber: Path, env: dict[str, str], cwd: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    """Runs the frozen program to its end, its output captured."""
    return subprocess.run(
        [str(limber), *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def ink(image: QImage, top: float = 0.0, bottom: float = 1.0) -> float:
    """The share of pixels between heights `top` and `bottom` (fractions of the
    image) that are not its commonest colour, on a 2-pixel grid: 0 when blank."""
    pixels = Counter(
        image.pixel(x, y)
        for x in range(0, image.width(), 2)
        for y in range(int(image.height() * top), int(image.height() * bottom), 2)
    )
    return 1 - pixels.most_common(1)[0][1] / pixels.total()


def sound_players(process: subprocess.Popen[bytes], until: float) -> dict[int, str]:
    """Watches `process` until it ends (or the monotonic time `until`); returns the
    sound players it started, each with the LD_LIBRARY_PATH it was started with."""
    seen: dict[int, str] = {}
    while process.poll() is None and time.monotonic() < until:
        for children in Path(f"/proc/{process.pid}/task").glob("*/children"):
            for pid in children.read_text().split():
                try:
                    # The name first: until the child has exec'd the player, its
                    # environ is the bundle's own.
                    if Path(f"/proc/{pid}/comm").read_text().strip() not in SOUND_PLAYERS:
                        continue
                    environ = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
                except OSError:
                    continue  # that cue ended meanwhile
                seen[int(pid)] = next(
                    (
                        entry.split(b"=", 1)[1].decode()
                        for entry in environ
                        if entry.startswith(b"LD_LIBRARY_PATH=")
                    ),
                    "",
                )
        time.sleep(0.02)
    return seen


def read_until(process: subprocess.Popen[bytes], text: bytes, timeout: float) -> bytes:
    """Reads the process's output until `text` appears; fails after `timeout` seconds."""
    assert process.stdout is not None
    printed = b""
    deadline = time.monotonic() + timeout
    while text not in printed:
        ready, _, _ = select.select([process.stdout], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(process.stdout.fileno(), 4096) if ready else b""
        assert chunk, f"no {text!r} within {timeout} s; it printed {printed!r}"
        printed += chunk
    return printed


def test_the_spec_refuses_a_source_tree_on_sys_path(tmp_path: Path) -> None:
    # Run from the repository's folder, `python -m` puts the source tree first on
    # sys.path; its app/ has no resources (only an install maps them in).
    env = {name: value for name, value in os.environ.items() if name != "PYTHONSAFEPATH"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--distpath",
            str(tmp_path / "dist"),
            "--workpath",
            str(tmp_path / "build"),
            str(SPEC),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode != 0
    assert INSTALL_FIRST in done.stderr.strip().rsplit("\n", 1)[-1], done.stderr
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "dist" / "limber").exists()


@pytest.mark.slow
def test_routines_list_prints_the_five_built_in_routines(
    limber: Path, user_env: dict[str, str], elsewhere: Path
) -> None:
    done = run(limber, user_env, elsewhere, "routines", "list", "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    ids = [json.loads(line)["id"] for line in done.stdout.splitlines()]
    assert len(ids) == 5
    assert SHORTEST in ids


@pytest.mark.slow
def test_screenshot_draws_the_player(
    limber: Path, user_env: dict[str, str], elsewhere: Path, tmp_path: Path
) -> None:
    picture = tmp_path / "player.png"
    done = run(limber, user_env, elsewhere, "screenshot", "player", str(picture))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    image = QImage(str(picture))
    assert (image.width(), image.height()) == (1000, 700)
    assert ink(image) > 0.05
    assert len({image.pixel(x, y) for x in range(0, 1000, 5) for y in range(0, 700, 5)}) > 50


@pytest.mark.slow
def test_screenshot_draws_the_history_charts(
    limber: Path, user_env: dict[str, str], elsewhere: Path, tmp_path: Path
) -> None:
    # pyqtgraph imports Qt modules through importlib (the spec names them); a
    # missing one fails only here, when the charts load.
    picture = tmp_path / "history.png"
    done = run(limber, user_env, elsewhere, "screenshot", "history", str(picture))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    # Below the table: the charts' plots, not "Drawing the charts..." on a blank
    # field (0.4 % ink; the charts of an empty log, 26 %).
    assert ink(QImage(str(picture)), top=0.5, bottom=0.95) > 0.05


@pytest.mark.slow
def test_a_routine_plays_to_the_end_with_its_sounds(
    limber: Path, user_env: dict[str, str], elsewhere: Path, alsa_file: Path, tmp_path: Path
) -> None:
    plan = run(limber, user_env, elsewhere, "plan", SHORTEST, "--json")
    *steps, total = map(json.loads, plan.stdout.splitlines())
    seconds = total["total_seconds"]
    out, err = tmp_path / "stdout.txt", tmp_path / "stderr.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [str(limber), "play", SHORTEST, "--no-window"],
            cwd=elsewhere,
            env=user_env,
            stdin=subprocess.DEVNULL,
            stdout=stdout,
            stderr=stderr,
        )
        try:
            players = sound_players(process, until=time.monotonic() + seconds + 30)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait()
    printed, complaints = out.read_text(), err.read_text()
    assert process.returncode == 0, complaints
    assert "Traceback" not in complaints
    assert "unavailable" not in printed + complaints
    assert "Done!" in printed
    # Every cue of the plan, each played to its end.
    cues = [cue["kind"] for step in steps for cue in step["cues"]]
    samples = alsa_file.read_bytes()
    assert len(samples) >= sound_bytes(cues), (len(samples), cues)
    assert samples.count(0) < len(samples) / 2, "the sound written is silence"
    # The players run with the user's library path, not the bundle's (PyInstaller
    # puts _internal first on it; packaging/rthooks/restore_library_path.py).
    assert players
    assert all(str(limber.parent) not in path for path in players.values()), players


@pytest.mark.slow
@pytest.mark.usefixtures("alsa_file")  # cues to the file, not the speakers
def test_ctrl_c_stops_a_routine_cleanly(
    limber: Path, user_env: dict[str, str], elsewhere: Path
) -> None:
    process = subprocess.Popen(
        [str(limber), "play", SHORTEST, "--no-window"],
        cwd=elsewhere,
        env=user_env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        # 0:05 is the first rep step: the countdown's cues and "go" have sounded.
        printed = read_until(process, b"0:05", timeout=30)
        process.send_signal(signal.SIGINT)
        rest, complaints = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, complaints
    assert b"Traceback" not in complaints
    assert b"Stopped." in printed + rest + complaints
