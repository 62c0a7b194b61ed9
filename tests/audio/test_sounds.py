"""The shipped cue sounds: one per cue, short, distinct, and scaled copies for volume."""

from __future__ import annotations

import hashlib
import wave
from array import array
from pathlib import Path

import pytest

from app.audio.sounds import SILENCE, shipped_sound, sounds_at_volume
from app.domain.plan import CHIMES


def peak(path: Path) -> int:
    with wave.open(str(path), "rb") as sound:
        return max(abs(s) for s in array("h", sound.readframes(sound.getnframes())))


def test_every_cue_has_a_short_distinct_sound() -> None:
    digests = set()
    for kind in CHIMES:
        path = shipped_sound(kind.value)
        with wave.open(str(path), "rb") as sound:
            seconds = sound.getnframes() / sound.getframerate()
            assert sound.getnchannels() == 1 and sound.getsampwidth() == 2
        assert 0.03 <= seconds <= 1.0, (kind, seconds)
        assert peak(path) > 3000
        digests.add(hashlib.sha256(path.read_bytes()).hexdigest())
    assert len(digests) == len(CHIMES)
    assert peak(shipped_sound(SILENCE)) == 0


def test_a_lower_volume_writes_quieter_copies_once(tmp_path: Path) -> None:
    loud = sounds_at_volume(100, tmp_path)
    assert loud["go"] == shipped_sound("go")
    quiet = sounds_at_volume(25, tmp_path)
    assert quiet["go"].parent == tmp_path / "sounds-25"
    assert abs(peak(quiet["go"]) - peak(loud["go"]) * 0.25) <= 2
    stamp = quiet["go"].stat().st_mtime_ns
    assert sounds_at_volume(25, tmp_path)["go"].stat().st_mtime_ns == stamp
    with pytest.raises(ValueError, match="1-100"):
        sounds_at_volume(0, tmp_path)
