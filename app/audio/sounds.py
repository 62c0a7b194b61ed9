"""The cue sounds shipped in the package, and copies of them at another volume."""

from __future__ import annotations

import io
import sys
import wave
from array import array
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from app.domain.plan import CHIMES
from app.storage.atomic import write_atomically

# Played once when the backend starts: measures its start-up and checks the device.
SILENCE = "silence"


def shipped_sound(name: str) -> Path:
    """The path of a shipped sound (`CueKind` value or SILENCE).

    The package is installed as plain files (wheel or source tree), so the
    resource is a real file that a player process can open.
    """
    return Path(str(resources.files("app.resources").joinpath(f"sounds/{name}.wav")))


def sounds_at_volume(
    volume: int, cache_dir: Path, before_write: Callable[[], None] | None = None
) -> dict[str, Path]:
    """Every cue sound (and SILENCE) at `volume` percent (1-100).

    At 100 these are the shipped files; otherwise scaled copies written once to
    `cache_dir/sounds-VOLUME/`. Each copy is written to a temp file of its own and
    renamed into place, so a kill leaves no partial file, and threads or processes
    that make the same volume at once only write the same bytes twice.

    Args:
        volume: Percent, 1-100.
        cache_dir: Where the scaled copies are kept.
        before_write: Called before each copy is made; the caller may wait in it,
            to keep the work away from a moment it must not disturb.
    """
    if not 1 <= volume <= 100:
        raise ValueError(f"volume must be 1-100, got {volume}")
    names = [kind.value for kind in CHIMES] + [SILENCE]
    if volume == 100:
        return {name: shipped_sound(name) for name in names}
    folder = cache_dir / f"sounds-{volume}"
    folder.mkdir(parents=True, exist_ok=True)
    scaled: dict[str, Path] = {}
    for name in names:
        target = folder / f"{name}.wav"
        if not target.exists():
            if before_write is not None:
                before_write()
            _write_scaled(shipped_sound(name), target, volume / 100)
        scaled[name] = target
    return scaled


def _write_scaled(source: Path, target: Path, factor: float) -> None:
    # A plain loop over the samples (a few milliseconds a sound): numpy would do it
    # faster but adds 18 MB to an idle Limber for the few times a volume is new.
    # `before_write` keeps the work away from a cue about to start.
    params, samples = read_samples(source)
    scaled = array("h", [int(sample * factor) for sample in samples])  # toward zero
    write_atomically(target, wav_bytes(params, scaled))


def read_samples(path: Path) -> tuple[wave._wave_params, array[int]]:
    """A 16-bit WAV file's parameters and samples.

    Raises:
        OSError: when it cannot be read.
        ValueError: when it is not a 16-bit WAV file.
    """
    try:
        with wave.open(str(path), "rb") as original:
            params = original.getparams()
            frames = original.readframes(params.nframes)
    except (wave.Error, EOFError) as exc:
        raise ValueError(f"not a WAV file: {exc}") from None
    if params.sampwidth != 2:
        raise ValueError(f"{8 * params.sampwidth}-bit samples, not 16")
    samples = array("h")  # 16-bit samples, little-endian in the file
    samples.frombytes(frames[: len(frames) // 2 * 2])
    if sys.byteorder == "big":
        samples.byteswap()
    return params, samples


def wav_bytes(params: wave._wave_params, samples: array[int]) -> bytes:
    """A WAV file of `samples` with the format of `params`."""
    if sys.byteorder == "big":
        samples = array("h", samples)
        samples.byteswap()
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setparams(params)
        out.writeframes(samples.tobytes())
    return buffer.getvalue()
