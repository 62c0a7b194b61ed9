"""ALSA pointed at a file: the real sound path, with samples to check and no sound card."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sound import point_alsa_at_file


@pytest.fixture
def alsa_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temp HOME whose .asoundrc makes ALSA's default device write to a file."""
    home = tmp_path / "home"
    home.mkdir()
    out = tmp_path / "alsa-out.raw"
    point_alsa_at_file(home, out)
    monkeypatch.setenv("HOME", str(home))
    return out


@pytest.fixture
def alsa_nowhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A temp HOME whose ALSA default device is a card that is not there."""
    home = tmp_path / "home"
    home.mkdir()
    (home / ".asoundrc").write_text("pcm.!default {\n  type hw\n  card 29\n}\n")
    monkeypatch.setenv("HOME", str(home))
