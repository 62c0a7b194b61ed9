"""The silent cue player keeps the protocol's promises without a sound."""

from __future__ import annotations

from app.audio.cue_player import AudioStatus, NullCuePlayer
from app.domain.plan import Cue, CueKind


def test_the_null_player_never_calls_its_status_listeners() -> None:
    heard: list[AudioStatus] = []
    player = NullCuePlayer(AudioStatus(False, "sound is off"))
    player.on_status(heard.append)
    player.play(Cue(0.0, CueKind.GO), 0.0)
    player.set_volume(20)
    player.set_muted(True)
    player.drain(timeout=0)
    player.close()
    assert heard == []
    assert player.status == AudioStatus(False, "sound is off")
