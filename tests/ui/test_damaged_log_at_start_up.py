"""The corruption matrix of tests/storage/test_log_corruption.py, as a person meets
it: each kind of damage to each file of `log/`, then `limber history --json` (the
installed program) and the window (offscreen). Each says what it did, in one
place, with no traceback, and shows every session that can still be read."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.domain.clock import FakeClock
from app.storage.settings import Settings
from app.ui.main_window import MainWindow
from tests.storage.test_log_corruption import CASES, DAMAGE, TARGETS, expected, make_log, truncated
from tests.ui.conftest import RecordingCuePlayer


def damaged(tmp_path: Path, data_dir: Path, target: str, kind: str) -> tuple[str | None, list[str]]:
    """Makes the matrix's log in the data folder and damages it: what opening it
    should say (None for nothing), and the ids then readable."""
    logged = make_log(data_dir / "log", tmp_path, data_dir)
    DAMAGE[kind](logged.folder / TARGETS[target], logged)
    if target == "backup":  # a backup matters once its month is damaged too
        truncated(logged.folder / TARGETS["month"], logged)
    note, ids, _ = expected(target, kind, logged)
    return note, sorted(ids)


@pytest.mark.parametrize(("target", "kind"), CASES, ids=[f"{t}-{k}" for t, k in CASES])
def test_limber_history_lists_what_can_be_read_and_says_what_it_did(
    tmp_path: Path, data_dir: Path, limber: Path, target: str, kind: str
) -> None:
    note, ids = damaged(tmp_path, data_dir, target, kind)
    done = subprocess.run(
        [str(limber), "history", "--json"],
        capture_output=True,
        text=True,
        env={**os.environ, "LIMBER_DATA_DIR": str(data_dir)},
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    assert all(line.startswith("limber: ") for line in done.stderr.splitlines()), done.stderr
    assert (note or "") in done.stderr, done.stderr
    listed = sorted(json.loads(line)["id"] for line in done.stdout.splitlines())
    assert listed == ids


@pytest.fixture
def open_window(qtbot: QtBot, settings: Settings) -> Iterator[Callable[[], MainWindow]]:
    """The window as start-up builds it: the log opened on its writer's thread."""
    from app.main import build_window, open_data

    windows: list[MainWindow] = []

    def build() -> MainWindow:
        main, _ = build_window(settings, FakeClock(), RecordingCuePlayer())
        qtbot.addWidget(main)
        main.show()
        assert main.sessions.recorder is not None
        open_data(main)
        qtbot.addWidget(main.compact)
        windows.append(main)
        return main

    yield build
    for main in windows:
        if main.sessions.recorder is not None:
            main.sessions.recorder.writer.close()


@pytest.mark.parametrize(("target", "kind"), CASES, ids=[f"{t}-{k}" for t, k in CASES])
def test_the_window_shows_what_can_be_read_and_says_what_it_did(
    tmp_path: Path,
    data_dir: Path,
    open_window: Callable[[], MainWindow],
    qtbot: QtBot,
    *,
    target: str,
    kind: str,
) -> None:
    note, ids = damaged(tmp_path, data_dir, target, kind)
    main = open_window()
    qtbot.waitUntil(lambda: sorted(s.id for s in main.history.sessions) == ids, timeout=10_000)
    texts = [box.text() for box in main.findChildren(QMessageBox)]
    if note is None:
        assert texts == []
    else:
        assert len(texts) == 1 and note in texts[0], texts
