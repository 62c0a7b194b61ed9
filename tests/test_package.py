"""The suite tests the installed Limber, and the install holds the whole source tree.

README's test command installs Limber as a user does (not editable) and runs the
suite against that copy: a module or a resource left out of the wheel fails here.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import subprocess
import sys
import venv
import zipfile
from importlib.metadata import distribution
from importlib.resources import files
from pathlib import Path

import pytest

import app

ROOT = Path(__file__).resolve().parent.parent
# Folders of the repository and the package each ships as (setup.py maps them).
SHIPPED = {"app": "app", "resources": "app.resources", "data": "app.data"}


def source_modules() -> set[str]:
    """Every module of the source tree, named as it is once installed."""
    names = set()
    for folder, package in SHIPPED.items():
        for path in (ROOT / folder).rglob("*.py"):
            parts = path.relative_to(ROOT / folder).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            names.add(".".join((package, *parts)))
    return names


def test_the_suite_runs_against_the_installed_package_not_the_source_tree() -> None:
    installed = Path(app.__file__).resolve()
    assert not installed.is_relative_to(ROOT), (
        f"app was imported from the source tree ({installed}): install Limber with "
        "`python3 -m pip install '.[test]'` and run `python3 -P -m pytest`"
    )
    assert installed.parent.parent.name in {"site-packages", "dist-packages"}
    url = json.loads(distribution("limber").read_text("direct_url.json") or "{}")
    assert not url.get("dir_info", {}).get("editable"), "Limber is installed editable"


def test_every_module_of_the_source_tree_is_installed_and_imports() -> None:
    found = {"app"} | {module.name for module in pkgutil.walk_packages(app.__path__, prefix="app.")}
    source = source_modules()
    assert found == source, (
        f"not installed: {sorted(source - found)}; installed but not in the source tree: "
        f"{sorted(found - source)} (a stale build/ folder keeps old modules: remove it)"
    )
    for name in sorted(found - {"app.__main__"}):  # __main__ would run the app
        importlib.import_module(name)


def test_every_resource_file_is_installed_as_it_is_in_the_source_tree() -> None:
    for folder, package in SHIPPED.items():
        if folder == "app":
            continue
        for path in (ROOT / folder).rglob("*"):
            if path.is_dir() or path.suffix in {".py", ".pyc"}:
                continue
            shipped = files(package).joinpath(*path.relative_to(ROOT / folder).parts)
            assert shipped.is_file(), f"{path.relative_to(ROOT)} is not installed"
            assert shipped.read_bytes() == path.read_bytes(), f"{path.relative_to(ROOT)} differs"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        cwd=out,
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
    env = {
        "PATH": os.environ.get("PATH", ""),
        "LIMBER_DATA_DIR": str(tmp_path / "data"),
        "HOME": str(tmp_path),
    }
    done = subprocess.run(
        [str(bin_dir / "limber"), "routines", "list", "--json"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == 5
    done = subprocess.run(
        [
            str(bin_dir / "limber"),
            "plan",
            "spinal-rotation-heel-sitting",
            "--weak-side",
            "left",
            "--json",
        ],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    reps = [
        (s["side"], s["reps"])
        for s in map(json.loads, done.stdout.splitlines()[:-1])
        if s["kind"] == "reps"
    ]
    assert reps == [("right", 3), ("left", 5)]
