"""Shared test set-up: Qt offscreen, and a data dir of the test's own."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Points LIMBER_DATA_DIR at a fresh folder so no test touches the real one."""
    folder = tmp_path / "limber-data"
    monkeypatch.setenv("LIMBER_DATA_DIR", str(folder))
    return folder
