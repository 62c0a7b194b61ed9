"""Any size, any scale: the installed window walked through every view and player
state on screens from 800x600 to 3840x2160 at scale factors 1 to 2, each in a
process of its own (the screen and the scale are fixed when Qt starts)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

WALK = Path(__file__).with_name("size_walk.py")
SCREENS = [
    (800, 600, 1),
    (800, 600, 2),
    (1366, 768, 1),
    (1366, 768, 1.5),
    (1920, 1080, 1),
    (1920, 1080, 2),
    (3840, 2160, 1),
    (3840, 2160, 2),
]


def walk(tmp_path: Path, width: int, height: int, scale: float) -> list[dict[str, object]]:
    screen = tmp_path / "screen.json"
    screen.write_text(
        json.dumps(
            {
                "screens": [
                    {
                        "name": "walk",
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": height,
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                ]
            }
        )
    )
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": f"offscreen:configfile={screen}",
        "QT_SCALE_FACTOR": str(scale),
        "LIMBER_DATA_DIR": str(tmp_path / "data"),
    }
    done = subprocess.run(
        [sys.executable, "-P", str(WALK)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


@pytest.mark.parametrize(("width", "height", "scale"), SCREENS)
def test_every_view_fits_with_its_controls_whole(
    tmp_path: Path, width: int, height: int, scale: float
) -> None:
    assert walk(tmp_path, width, height, scale) == []


def test_the_walk_finds_a_window_larger_than_the_screen(tmp_path: Path) -> None:
    """The walk itself: a screen smaller than Limber's smallest window is reported."""
    problems = walk(tmp_path, 500, 300, 2)  # 250x150: no window fits
    assert any(p["what"] == "window larger than the screen" for p in problems)
