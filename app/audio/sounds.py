"""The cue sounds shipped in the package, and copies of them at another volume."""

from __future__ import annotations

import io
import wave
from array import array
from importlib import resources
from pathlib import Path

from app.domain.plan import CueKind
from app.storage.atomic import write_atomically

# Played once when the backend starts: measures its start-up and checks the device.
SILENCE = "silence"


def shipped_sound(name: str) -> Path:
    """The path of a shipped sound (`CueKind` value or SILENCE).

    The package is installed as plain files (wheel or source tree), so the
    resource is a real file that a player process can open.
    """
    return Path(str(resources.files("app.resources").joinpath(f"sounds/{name}.wav")))


def sounds_at_volume(volume: int, cache_dir: Path) -> dict[str, Path]:
    """Every cue sound (and SILENCE) at `volume` percent (1-100).

    At 100 these are the shipped files; otherwise scaled copies written once to
    `cache_dir/sounds-VOLUME/`.
    """
    if not 1 <= volume <= 100:
        raise ValueError(f"volume must be 1-100, got {volume}")
    names = [kind.value for kind in CueKind] + [SILENCE]
    if volume == 100:
        return {name: shipped_sound(name) for name in names}
    folder = cache_dir / f"sounds-{volume}"
    folder.mkdir(parents=True, exist_ok=True)
    scaled: dict[str, Path] = {}
    for name in names:
        target = folder / f"{name}.wav"
        if not target.exists():
            _write_scaled(shipped_sound(name), target, volume / 100)
        scaled[name] = target
    return scaled


def _write_scaled(source: Path, target: Path, factor: float) -> None:
    with wave.open(str(source), "rb") as original:
        params = original.getparams()
        samples = array("h", original.readframes(params.nframes))
    samples = array("h", (int(s * factor) for s in samples))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setparams(params)
        out.writeframes(samples.tobytes())
    write_atomically(target, buffer.getvalue())
