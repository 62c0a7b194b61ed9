"""The real sound path without a sound card: ALSA's default device writes to a file."""

from __future__ import annotations

import shlex
import wave
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path


def point_alsa_at_file(home: Path, out: Path) -> None:
    """Makes ALSA's default device, for programs run with HOME=`home`, write to `out`.

    Every cue's player opens the device anew, and the file plugin would empty the
    file each time: its pipe appends them all instead, so `out` holds every sound
    played, as raw samples.
    """
    (home / ".asoundrc").write_text(
        'pcm.!default {\n  type file\n  slave.pcm "null"\n'
        f'  file "| cat >> {shlex.quote(str(out))}"\n  format "raw"\n}}\n'
    )


def sound_bytes(kinds: Iterable[str]) -> int:
    """How many bytes of raw samples the cue sounds of `kinds` make, each in full."""
    total = 0
    for kind in kinds:
        with wave.open(str(files("app.resources") / "sounds" / f"{kind}.wav")) as sound:
            total += sound.getnframes() * sound.getsampwidth() * sound.getnchannels()
    return total
