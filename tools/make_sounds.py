"""Makes the cue sounds in resources/sounds/: short, distinct, click-free WAV files.

Run:  python tools/make_sounds.py

Pure Python (wave, math, array), so the sounds can be remade anywhere. Each cue
has its own shape: ticks for the 3-2-1, a rising pair for go, a soft click for a
paced rep, a two-tone bell for switching sides, a falling pair for rest, a quick
triad for a set done, an arpeggio for the routine done, a chime before an
exercise is announced.
"""

from __future__ import annotations

import math
import wave
from array import array
from pathlib import Path

RATE = 44_100
OUT = Path(__file__).resolve().parent.parent / "resources" / "sounds"


def tone(  # noqa: PLR0917 - a tone's parameters, in the order musicians give them
    freq: float,
    seconds: float,
    level: float = 0.5,
    harmonics: tuple[float, ...] = (),
    attack: float = 0.005,
    decay: float = 6.0,
) -> list[float]:
    """A sine (plus harmonics) with a short attack and an exponential decay."""
    count = int(RATE * seconds)
    samples = []
    for i in range(count):
        t = i / RATE
        value = math.sin(2 * math.pi * freq * t)
        for n, weight in enumerate(harmonics, start=2):
            value += weight * math.sin(2 * math.pi * freq * n * t)
        envelope = min(1.0, t / attack) * math.exp(-decay * t)
        fade_out = min(1.0, (count - i) / (RATE * 0.004))  # no click at the end
        samples.append(level * value * envelope * fade_out / (1 + sum(harmonics)))
    return samples


def silence(seconds: float) -> list[float]:
    return [0.0] * int(RATE * seconds)


def write(name: str, samples: list[float]) -> None:
    data = array("h", (max(-32767, min(32767, int(s * 32767))) for s in samples))
    with wave.open(str(OUT / f"{name}.wav"), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(data.tobytes())


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write("count", tone(1000, 0.08, 0.55, decay=30))
    write("go", tone(660, 0.12, 0.6, (0.3,)) + tone(990, 0.22, 0.7, (0.3,), decay=8))
    write("rep", tone(1500, 0.045, 0.28, decay=60))
    write(
        "switch",
        tone(880, 0.18, 0.6, (0.4, 0.2), decay=7) + tone(660, 0.3, 0.6, (0.4, 0.2), decay=6),
    )
    write("rest", tone(520, 0.18, 0.55, (0.2,), decay=6) + tone(390, 0.32, 0.55, (0.2,), decay=5))
    write(
        "set_done",
        tone(523, 0.1, 0.5, (0.2,), decay=10)
        + tone(659, 0.1, 0.5, (0.2,), decay=10)
        + tone(784, 0.25, 0.55, (0.2,), decay=6),
    )
    write(
        "routine_done",
        tone(523, 0.15, 0.5, (0.3,), decay=5)
        + tone(659, 0.15, 0.5, (0.3,), decay=5)
        + tone(784, 0.15, 0.5, (0.3,), decay=5)
        + tone(1047, 0.5, 0.6, (0.3,), decay=3),
    )
    write("announce", tone(740, 0.35, 0.45, (0.5, 0.25, 0.1), decay=5))
    write("silence", silence(0.03))


if __name__ == "__main__":
    main()
