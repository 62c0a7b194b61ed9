"""A non-editable install works from any folder, without the source tree."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(out), str(ROOT)],
        check=True, capture_output=True, cwd=out,
    )
    (found,) = out.glob("limber-*.whl")
    return found


@pytest.mark.slow
def test_the_wheel_ships_routines_schema_and_nothing_at_the_top_but_app(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    routines = [n for n in names if n.startswith("app/data/routines/") and n.endswith(".json")]
    assert len(routines) == 5
    assert "app/resources/schema/routine-v1.schema.json" in names
    top = {n.split("/")[0] for n in names if not n.startswith("limber-")}
    assert top == {"app"}


@pytest.mark.slow
def test_a_fresh_venv_runs_limber_from_anywhere(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    pip = [str(bin_dir / "python"), "-m", "pip", "install", "-q"]
    # The terminal commands need only platformdirs; Qt and the rest are for the window.
    subprocess.run([*pip, "--no-deps", str(wheel)], check=True, capture_output=True)
    subprocess.run([*pip, "platformdirs"], check=True, capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"PATH": os.environ.get("PATH", ""), "LIMBER_DATA_DIR": str(tmp_path / "data"),
           "HOME": str(tmp_path)}
    done = subprocess.run([str(bin_dir / "limber"), "routines", "list", "--json"],
                          cwd=elsewhere, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 5
    done = subprocess.run(
        [str(bin_dir / "limber"), "plan", "spinal-rotation-heel-sitting", "--weak-side", "left",
         "--json"], cwd=elsewhere, env=env, capture_output=True, text=True, check=True)
    reps = [(s["side"], s["reps"]) for s in map(json.loads, done.stdout.splitlines()[:-1])
            if s["kind"] == "reps"]
    assert reps == [("right", 3), ("left", 5)]
