"""ALSA cues start `aplay` without playsound3's `preexec_fn` (see app/audio/quick_alsa.py)."""

from __future__ import annotations

import time
from pathlib import Path

import playsound3

from app.audio.playsound_player import PlaysoundCuePlayer
from app.audio.quick_alsa import QuickAlsa
from app.audio.sounds import shipped_sound
from app.domain.plan import Cue, CueKind


def test_a_wav_plays_through_playsound3_into_alsa(alsa_file: Path) -> None:
    sound = playsound3.playsound(str(shipped_sound("go")), block=True, backend=QuickAlsa())
    assert sound.subprocess.returncode == 0
    assert alsa_file.stat().st_size > 1000 and any(alsa_file.read_bytes())


def test_the_cue_player_hands_playsound3_quick_alsa_for_alsa(
    alsa_file: Path, tmp_path: Path
) -> None:
    player = PlaysoundCuePlayer(tmp_path / "cache", volume=100)
    try:
        assert player.wait_ready() and player.status.available, player.status.message
        assert player.backend == "alsa"
        assert isinstance(player._player, QuickAlsa)
        player.play(Cue(0.0, CueKind.GO), time.monotonic())
        player.drain(timeout=10)
    finally:
        player.close()
    assert any(alsa_file.read_bytes()), "only silence reached the device"
